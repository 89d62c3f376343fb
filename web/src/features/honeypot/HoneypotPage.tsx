import { useI18n } from '../../i18n/index.js';
import { ErrorMessage, Loading, Stat } from '../../components/Panel.js';
import { useLoad } from '../../useLoad.js';
import { honeypotApi, type HoneypotWindow } from './honeypotApi.js';
import { HoneypotNav } from './HoneypotNav.js';
import { HoneypotWindowBar } from './HoneypotWindowBar.js';
import { HoneypotCharts } from './HoneypotCharts.js';
import { BreakdownPanel, CommandsPanel, CredentialsPanel, HashesPanel, SourcesPanel, UrlsPanel } from './HoneypotTables.js';

/** What the honeypots saw in a window (GET /honeypot/report): headline figures, hours, credentials, commands, URLs, hashes, sources. */
export function HoneypotPage(w: HoneypotWindow) {
  const { t, num } = useI18n();
  const r = useLoad(`honeypot:${w.from ?? ''}:${w.to ?? ''}`, (s) => honeypotApi.report(w, s));
  return (
    <main className="page" data-testid="honeypot-page">
      <h1 className="page-title">{t('honeypotTitle')}</h1>
      <HoneypotNav current="dashboard" />
      <p className="muted small">{t('honeypotIntro')}</p>
      {r.state === 'loading' && <Loading />}
      {r.state === 'error' && <ErrorMessage error={r.error} retry={r.reload} />}
      {r.state === 'done' && (
        <>
          <HoneypotWindowBar key={`${r.data.from}|${r.data.to}`} from={r.data.from} to={r.data.to} chosen={Boolean(w.from || w.to)} />
          {r.data.events === 0 && <p className="message info" data-testid="honeypot-empty">{t('honeypotEmpty')}</p>}
          <div className="stats" data-testid="honeypot-stats">
            <Stat label={t('honeypotSessions')} value={num(r.data.sessions)} raw={r.data.sessions} testId="honeypot-sessions" />
            <Stat label={t('sources')} value={num(r.data.sources)} raw={r.data.sources} testId="honeypot-sources" />
            <Stat label={t('honeypotLoginAttempts')} value={num(r.data.logins.attempts)} raw={r.data.logins.attempts} testId="honeypot-logins"
              sub={<>{t('honeypotLoginSplit', { success: num(r.data.logins.success), failed: num(r.data.logins.failed) })}
                <span hidden data-testid="honeypot-logins-success" data-value={String(r.data.logins.success)} />
                <span hidden data-testid="honeypot-logins-failed" data-value={String(r.data.logins.failed)} /></>} />
            <Stat label={t('honeypotCommands')} value={num(r.data.commands)} raw={r.data.commands} testId="honeypot-commands" />
            <Stat label={t('honeypotDownloads')} value={num(r.data.downloads)} raw={r.data.downloads} testId="honeypot-downloads" />
            <Stat label={t('honeypotProxyRequests')} value={num(r.data.proxyRequests)} raw={r.data.proxyRequests} testId="honeypot-proxy" hint={t('honeypotProxyHelp')} />
          </div>
          <div className="grid">
            <HoneypotCharts r={r.data} />
            <CredentialsPanel r={r.data} />
            <CommandsPanel r={r.data} />
            <UrlsPanel r={r.data} />
            <HashesPanel r={r.data} />
            <SourcesPanel r={r.data} />
            <BreakdownPanel r={r.data} />
          </div>
        </>
      )}
    </main>
  );
}
