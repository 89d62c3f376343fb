import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/index.js';
import { Link, navigate } from '../router.js';

export function Header() {
  const { t, lang, setLang } = useI18n();
  const [ip, setIp] = useState('');
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const v = ip.trim();
    if (v) navigate(`/hosts/${encodeURIComponent(v)}`);
  };
  return (
    <header className="top">
      <Link to="/" className="brand">
        <span className="brand-mark">防</span>
        <span className="brand-name">{t('appTitle')}</span>
        <span className="brand-sub">{t('appSubtitle')}</span>
      </Link>
      <form className="search" onSubmit={submit} role="search">
        <input value={ip} onChange={(e) => setIp(e.target.value)} placeholder={t('searchPlaceholder')} aria-label={t('searchPlaceholder')} data-testid="ip-search" />
        <button type="submit">{t('search')}</button>
      </form>
      <button className="lang" data-testid="lang-toggle" aria-label={t('language')} onClick={() => setLang(lang === 'ja' ? 'en' : 'ja')}>
        {lang === 'ja' ? 'English' : '日本語'}
      </button>
    </header>
  );
}
