import { useI18n } from '../../i18n/index.js';
import { Panel } from '../../components/Panel.js';
import { Bars } from '../../components/Bars.js';
import { AsnText } from '../../components/labels.js';
import { Link, hostPath } from '../../router.js';
import type { HoneypotReport } from './honeypotApi.js';
import { honeypotLabel, shortHash } from './labels.js';

/** At most this many rows of a list on the page (the API sends up to 200 URLs and hashes). */
const ROWS = 25;

function Empty() {
  const { t } = useI18n();
  return <p className="muted">{t('honeypotNone')}</p>;
}

/** A password as tried: an empty one is named, not left blank. */
function Secret({ s }: { s: string }) {
  const { t } = useI18n();
  return s === '' ? <span className="muted">{t('honeypotEmptyPassword')}</span> : <code>{s}</code>;
}

export function CredentialsPanel({ r }: { r: HoneypotReport }) {
  const { t, num } = useI18n();
  return (
    <Panel title={t('honeypotTopCredentials')} testId="honeypot-credentials">
      {r.topCredentials.length === 0 ? <Empty /> : (
        <table className="tbl">
          <thead><tr><th>{t('honeypotUsername')}</th><th>{t('honeypotPassword')}</th><th className="n">{t('honeypotAttempts')}</th><th className="n">{t('honeypotAccepted')}</th><th className="n">{t('sources')}</th></tr></thead>
          <tbody>
            {r.topCredentials.slice(0, ROWS).map((c) => (
              <tr key={`${c.username}\u0000${c.password}`} data-testid="honeypot-credential" data-username={c.username} data-password={c.password} data-attempts={String(c.attempts)}>
                <td><Secret s={c.username} /></td><td><Secret s={c.password} /></td>
                <td className="n">{num(c.attempts)}</td><td className="n">{num(c.success)}</td><td className="n">{num(c.sources)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

export function CommandsPanel({ r }: { r: HoneypotReport }) {
  const { t, num } = useI18n();
  return (
    <Panel title={t('honeypotTopCommands')} testId="honeypot-commands-panel">
      {r.topCommands.length === 0 ? <Empty /> : (
        <table className="tbl">
          <thead><tr><th>{t('honeypotCommand')}</th><th className="n">{t('honeypotCount')}</th><th className="n">{t('sources')}</th></tr></thead>
          <tbody>
            {r.topCommands.slice(0, ROWS).map((c) => (
              <tr key={c.command} data-testid="honeypot-command" data-count={String(c.count)}>
                <td className="mono wrap-anywhere">{c.command}</td><td className="n">{num(c.count)}</td><td className="n">{num(c.sources)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

export function UrlsPanel({ r }: { r: HoneypotReport }) {
  const { t, num, time } = useI18n();
  return (
    <Panel title={t('honeypotUrls')} wide testId="honeypot-urls" aside={<span className="muted small">{t('honeypotNeverFetched')}</span>}>
      {r.urls.length === 0 ? <Empty /> : (
        <table className="tbl">
          <thead><tr><th>{t('honeypotUrl')}</th><th>{t('honeypotUrlHost')}</th><th className="n">{t('honeypotEvents')}</th><th className="n">{t('sources')}</th><th>{t('honeypotHashes')}</th><th>{t('honeypotFirstSeen')}</th><th>{t('honeypotLastSeen')}</th></tr></thead>
          <tbody>
            {r.urls.slice(0, ROWS).map((u) => (
              <tr key={u.url} data-testid="honeypot-url" data-url={u.url} data-events={String(u.events)}>
                <td className="mono wrap-anywhere">{u.url}</td><td className="mono">{u.host}</td>
                <td className="n">{num(u.events)}</td><td className="n">{num(u.sources)}</td>
                <td className="mono small">{u.sha256.length ? u.sha256.map((h) => <span key={h} title={h}>{shortHash(h)} </span>) : '—'}</td>
                <td className="nowrap small">{time(u.firstSeen, false)}</td><td className="nowrap small">{time(u.lastSeen, false)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

export function HashesPanel({ r }: { r: HoneypotReport }) {
  const { t, num, time } = useI18n();
  return (
    <Panel title={t('honeypotHashes')} wide testId="honeypot-hashes">
      {r.hashes.length === 0 ? <Empty /> : (
        <table className="tbl">
          <thead><tr><th>SHA-256</th><th className="n">{t('honeypotSize')}</th><th className="n">{t('honeypotEvents')}</th><th className="n">{t('sources')}</th><th>{t('honeypotFrom')}</th><th>{t('honeypotFirstSeen')}</th><th>{t('honeypotLastSeen')}</th></tr></thead>
          <tbody>
            {r.hashes.slice(0, ROWS).map((h) => (
              <tr key={h.sha256} data-testid="honeypot-hash" data-sha256={h.sha256} data-events={String(h.events)}>
                <td className="mono" title={h.sha256}>{shortHash(h.sha256)}</td><td className="n">{num(h.size)}</td>
                <td className="n">{num(h.events)}</td><td className="n">{num(h.sources)}</td>
                <td className="mono small wrap-anywhere">{h.urls.length ? h.urls.join(' ') : <span className="muted">{t('honeypotPushed')}</span>}</td>
                <td className="nowrap small">{time(h.firstSeen, false)}</td><td className="nowrap small">{time(h.lastSeen, false)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

export function SourcesPanel({ r }: { r: HoneypotReport }) {
  const { t, num } = useI18n();
  return (
    <Panel title={t('honeypotTopSources')} testId="honeypot-sources-panel">
      {r.topSources.length === 0 ? <Empty /> : (
        <table className="tbl">
          <thead><tr><th>{t('honeypotAddress')}</th><th>{t('asn')}</th><th>{t('country')}</th><th className="n">{t('honeypotSessions')}</th><th className="n">{t('honeypotLoginAttempts')}</th><th className="n">{t('honeypotCommands')}</th></tr></thead>
          <tbody>
            {r.topSources.slice(0, ROWS).map((s) => (
              <tr key={s.ip} data-testid="honeypot-source" data-ip={s.ip} data-sessions={String(s.sessions)}>
                <td className="mono"><Link to={hostPath(s.ip)}>{s.ip}</Link></td><td><AsnText asn={s.asn} /></td><td>{s.country || '—'}</td>
                <td className="n">{num(s.sessions)}</td><td className="n">{num(s.logins)}</td><td className="n">{num(s.commands)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

/** Events per honeypot, sessions per protocol, sessions per client version. */
export function BreakdownPanel({ r }: { r: HoneypotReport }) {
  const { t, num } = useI18n();
  const rows = (m: Record<string, number>, label: (k: string) => string, attr: string) => Object.entries(m).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, v]) => ({ key: k, label: label(k), value: v, display: num(v), attrs: { [`data-${attr}`]: k } as Record<`data-${string}`, string> }));
  return (
    <Panel title={t('honeypotBreakdown')} testId="honeypot-breakdown">
      <h3 className="small">{t('honeypotByHoneypot')}</h3>
      <Bars testId="honeypot-by-honeypot" rows={rows(r.byHoneypot, (k) => honeypotLabel(t, k), 'honeypot')} />
      <h3 className="small">{t('honeypotByProto')}</h3>
      <Bars testId="honeypot-by-proto" rows={rows(r.byProto, (k) => k || '—', 'proto')} />
      {r.clients.length > 0 && (
        <>
          <h3 className="small">{t('honeypotClients')}</h3>
          <Bars testId="honeypot-client" rows={r.clients.map((c) => ({ key: c.client, label: <code>{c.client || '—'}</code>, value: c.sessions, display: num(c.sessions) }))} />
        </>
      )}
    </Panel>
  );
}
