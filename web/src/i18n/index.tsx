import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { en, type MessageKey } from './en.js';
import { ja } from './ja.js';

export type Lang = 'ja' | 'en';
const MESSAGES: Record<Lang, Record<MessageKey, string>> = { en, ja };

interface I18n {
  lang: Lang;
  setLang: (l: Lang) => void;
  t: (key: MessageKey, vars?: Record<string, string | number>) => string;
  num: (n: number) => string;
  pct: (x: number, digits?: number) => string;
}

const Ctx = createContext<I18n | null>(null);

function initialLang(): Lang {
  const saved = localStorage.getItem('sakimori.lang');
  if (saved === 'ja' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const value = useMemo<I18n>(() => {
    const nf = new Intl.NumberFormat(lang === 'ja' ? 'ja-JP' : 'en-US');
    return {
      lang,
      setLang: (l) => {
        localStorage.setItem('sakimori.lang', l);
        document.documentElement.lang = l;
        setLangState(l);
      },
      t: (key, vars) => {
        let s: string = MESSAGES[lang][key];
        for (const [k, v] of Object.entries(vars ?? {})) s = s.replace(`{${k}}`, String(v));
        return s;
      },
      num: (n) => nf.format(n),
      pct: (x, digits = 1) => `${(x * 100).toFixed(digits)}%`,
    };
  }, [lang]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
