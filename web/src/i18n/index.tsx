import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en, type MessageKey } from './en.js';
import { ja } from './ja.js';

export type { MessageKey };
export type Lang = 'ja' | 'en';
export const LANGS: readonly Lang[] = ['ja', 'en'];
const MESSAGES: Record<Lang, Record<MessageKey, string>> = { en, ja };
const STORAGE_KEY = 'sakimori.lang';

/** Placeholder names of a message: `'{a} of {b}'` → `'a' | 'b'`. */
type Vars<S extends string> = S extends `${string}{${infer V}}${infer Rest}` ? V | Vars<Rest> : never;
type Args<K extends MessageKey> = [Vars<(typeof en)[K]>] extends [never] ? [] : [vars: Record<Vars<(typeof en)[K]>, string | number>];

/** Keys of messages without placeholders: a table of them can be passed to `t` by value. */
export type PlainKey = { [K in MessageKey]: [Vars<(typeof en)[K]>] extends [never] ? K : never }[MessageKey];

export type Translate = <K extends MessageKey>(key: K, ...args: Args<K>) => string;

export interface I18n {
  lang: Lang;
  locale: string;
  setLang: (l: Lang) => void;
  /** The message in the current language, placeholders filled in. */
  t: Translate;
  /** An integer or decimal in the locale's form. */
  num: (n: number, maxFractionDigits?: number) => string;
  /** A share 0..1 as a percentage in the locale's form. */
  pct: (x: number, fractionDigits?: number) => string;
  /** Short axis labels: 12K, 3.4M (12千 / 340万 in Japanese). */
  compact: (n: number) => string;
  /** An instant as `YYYY-MM-DD HH:MM:SS UTC`. */
  time: (iso: string, withSeconds?: boolean) => string;
  /** A duration between two instants, e.g. `2 h 45 min`. */
  duration: (fromIso: string, toIso: string) => string;
  /** A small probability as `1 / 65,536`. */
  chance: (p: number) => string;
}

const Ctx = createContext<I18n | null>(null);

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'ja' || saved === 'en') return saved;
  } catch {
    // storage may be unavailable (privacy modes); fall back to the browser's language
  }
  const prefs = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const p of prefs) {
    const l = p.toLowerCase();
    if (l.startsWith('ja')) return 'ja';
    if (l.startsWith('en')) return 'en';
  }
  return 'en';
}

/** Two-digit UTC fields of an ISO time, whatever its exact form (`Z`, `.000Z`, offsets). */
export function utcParts(iso: string): { day: string; hm: string; hms: string } {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return { day: iso, hm: '', hms: '' };
  const s = new Date(ms).toISOString();
  return { day: s.slice(0, 10), hm: s.slice(11, 16), hms: s.slice(11, 19) };
}

export function makeI18n(lang: Lang, setLang: (l: Lang) => void): I18n {
  const locale = lang === 'ja' ? 'ja-JP' : 'en-GB';
  const messages = MESSAGES[lang];
  const t: Translate = (key, ...args) => {
    let s = messages[key];
    const vars: Record<string, string | number> = args[0] ?? {};
    for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v));
    return s;
  };
  const nfCache = new Map<string, Intl.NumberFormat>();
  const nf = (o: Intl.NumberFormatOptions): Intl.NumberFormat => {
    const k = JSON.stringify(o);
    let f = nfCache.get(k);
    if (!f) nfCache.set(k, (f = new Intl.NumberFormat(locale, o)));
    return f;
  };
  const num = (n: number, d = 0): string => nf({ maximumFractionDigits: d }).format(n);
  return {
    lang,
    locale,
    setLang,
    t,
    num,
    pct: (x, d = 1) => nf({ style: 'percent', minimumFractionDigits: d, maximumFractionDigits: d }).format(x),
    compact: (n) => nf({ notation: 'compact', maximumFractionDigits: 1 }).format(n),
    time: (iso, withSeconds = true) => {
      const p = utcParts(iso);
      return p.hms ? `${p.day} ${withSeconds ? p.hms : p.hm} UTC` : iso;
    },
    duration: (fromIso, toIso) => {
      const s = Math.max(0, Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 1000));
      const d = Math.floor(s / 86400);
      const h = Math.floor((s % 86400) / 3600);
      const m = Math.floor((s % 3600) / 60);
      const parts: string[] = [];
      if (d) parts.push(t('daysShort', { n: d }));
      if (h) parts.push(t('hoursShort', { n: h }));
      if (m && !d) parts.push(t('minutesShort', { n: m }));
      if (!d && !h) parts.push(t('secondsShort', { n: s % 60 }));
      return parts.join(' ');
    },
    chance: (p) => {
      if (!(p > 0)) return num(0);
      if (p >= 0.01) return nf({ style: 'percent', maximumFractionDigits: 2 }).format(p);
      return `1 / ${num(Math.round(1 / p))}`;
    },
  };
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = lang === 'ja' ? '防人 — ダークネット観測' : 'Sakimori — Darknet telescope';
  }, [lang]);
  const value = useMemo(
    () =>
      makeI18n(lang, (l) => {
        try {
          localStorage.setItem(STORAGE_KEY, l);
        } catch {
          // not remembered, still switched
        }
        setLangState(l);
      }),
    [lang],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
