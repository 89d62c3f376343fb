import type { Host } from '../../api.js';
import { useI18n } from '../../i18n/index.js';
import { Panel } from '../../components/Panel.js';

/** What the address did on our honeypots: sessions, logins, the credentials and commands it used, the URLs and files it brought. */
export function HoneypotPanel({ hp }: { hp: Host['honeypot'] }) {
  const { t, num, time } = useI18n();
  if (!hp) {
    return (
      <Panel title={t('honeypotTitle')} wide testId="host-honeypot-panel">
        <p className="muted" data-testid="host-no-honeypot">{t('honeypotNotSeen')}</p>
      </Panel>
    );
  }
  return (
    <Panel title={t('honeypotTitle')} wide testId="host-honeypot-panel" aside={<span className="muted small">{time(hp.firstSeen)} – {time(hp.lastSeen)}</span>}>
      <div className="stats">
        <div className="stat"><div className="stat-label">{t('honeypotSessions')}</div><div className="stat-value" data-testid="host-honeypot-sessions" data-value={hp.sessions}>{num(hp.sessions)}</div></div>
        <div className="stat">
          <div className="stat-label">{t('honeypotLogins')}</div>
          <div className="stat-value" data-testid="host-honeypot-logins" data-value={hp.logins.attempts}>{num(hp.logins.attempts)}</div>
          <div className="stat-sub">{t('honeypotLoginsDetail', { success: num(hp.logins.success), failed: num(hp.logins.failed) })}</div>
        </div>
        <div className="stat"><div className="stat-label">{t('honeypotCommands')}</div><div className="stat-value" data-testid="host-honeypot-commands" data-value={hp.commands.length}>{num(hp.commands.length)}</div></div>
        <div className="stat"><div className="stat-label">{t('honeypotSeenBy')}</div><div className="stat-value small-val">{hp.honeypots.join(', ')}{hp.protos.length ? ` (${hp.protos.join(', ')})` : ''}</div></div>
      </div>
      {hp.credentials.length > 0 && (
        <>
          <h3 className="small">{t('honeypotCredentials')}</h3>
          <table className="tbl">
            <thead><tr><th>{t('honeypotUser')}</th><th>{t('honeypotPassword')}</th><th className="n">{t('honeypotAttempts')}</th></tr></thead>
            <tbody>
              {hp.credentials.slice(0, 20).map((c) => (
                <tr key={`${c.username}\u0000${c.password}`} data-testid="host-honeypot-credential"><td className="mono">{c.username}</td><td className="mono">{c.password}</td><td className="n">{num(c.attempts)}</td></tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {hp.commands.length > 0 && (
        <>
          <h3 className="small">{t('honeypotCommands')}</h3>
          <ul className="plain">{hp.commands.slice(0, 20).map((c) => <li key={c} className="mono small" data-testid="host-honeypot-command">{c}</li>)}</ul>
        </>
      )}
      {hp.urls.length > 0 && (
        <>
          <h3 className="small">{t('hostHoneypotUrls')}</h3>
          <ul className="plain">{hp.urls.map((u) => <li key={u} className="mono small" data-testid="host-honeypot-url">{u}</li>)}</ul>
        </>
      )}
      {hp.hashes.length > 0 && (
        <>
          <h3 className="small">{t('honeypotHashes')}</h3>
          <ul className="plain">{hp.hashes.map((h) => <li key={h} className="mono small" data-testid="host-honeypot-hash">{h}</li>)}</ul>
        </>
      )}
      {hp.clients.length > 0 && <p className="muted small">{t('hostHoneypotClients')}: <span className="mono">{hp.clients.join(', ')}</span></p>}
    </Panel>
  );
}
