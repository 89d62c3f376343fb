import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/index.js';
import { Link, hostPath, navigate, searchPath } from '../router.js';

/** An address (IPv4, IPv6) opens its host page; anything else is a search. */
const ADDRESS = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:.]*)$/i;
import { useAuth } from '../auth.js';
import { useDemoMode } from '../useDemoMode.js';

export function Header() {
  const { t, lang, setLang } = useI18n();
  const { auth, signOut } = useAuth();
  const [ip, setIp] = useState('');
  const demo = useDemoMode();
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const v = ip.trim();
    if (v) navigate(ADDRESS.test(v) ? hostPath(v) : searchPath(v));
  };
  return (
    <header className="top">
      <Link to="/" className="brand" title={t('dashboard')}>
        <span className="brand-mark" aria-hidden>防</span>
        <span className="brand-name">{t('appTitle')}</span>
        <span className="brand-sub">{t('appSubtitle')}</span>
      </Link>
      <nav className="top-nav">
        <Link to="/">{t('dashboard')}</Link>
        <Link to="/search" testId="nav-search">{t('navSearch')}</Link>
        <Link to="/surveys" testId="nav-surveys">{t('navSurveys')}</Link>
        <Link to="/cases" testId="nav-cases">{t('navCases')}</Link>
        <Link to="/monitors" testId="nav-monitors">{t('navMonitors')}</Link>
        <Link to="/effects" testId="nav-effects">{t('navEffects')}</Link>
        <Link to="/orgs" testId="nav-orgs">{t('navOrgs')}</Link>
        <Link to="/share" testId="nav-share">{t('navShare')}</Link>
        <Link to="/honeypot" testId="nav-honeypot">{t('navHoneypot')}</Link>
        {demo && <Link to="/outbox" testId="nav-outbox">{t('navOutbox')}</Link>}
      </nav>
      <form className="search" onSubmit={submit} role="search">
        <input
          value={ip}
          onChange={(e) => setIp(e.target.value)}
          placeholder={t('searchPlaceholder')}
          aria-label={t('searchLabel')}
          spellCheck={false}
          autoComplete="off"
          data-testid="ip-search"
        />
        <button type="submit" data-testid="ip-search-submit">{t('search')}</button>
      </form>
      {auth.state === 'signed-in' && (
        <span className="who" data-testid="signed-in-as" data-user={auth.me.user.username}>
          {t('signedInAs', { user: auth.me.user.username })}
          <button type="button" className="link-btn" onClick={() => void signOut()} data-testid="sign-out">{t('signOut')}</button>
        </span>
      )}
      <button
        type="button"
        className="lang"
        data-testid="lang-toggle"
        data-lang={lang}
        title={t('language')}
        lang={lang === 'ja' ? 'en' : 'ja'}
        onClick={() => setLang(lang === 'ja' ? 'en' : 'ja')}
      >
        {t('switchTo')}
      </button>
    </header>
  );
}
