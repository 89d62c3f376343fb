import { useState, type FormEvent } from 'react';
import { monitorsApi, type Monitor, type MonitorFinding } from '../../api.js';
import { useAuth } from '../../auth.js';
import { useI18n, type Translate } from '../../i18n/index.js';
import { ErrorMessage, Loading, Message, Panel } from '../../components/Panel.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { Link, hostPath, monitorsPath, navigate, searchPath } from '../../router.js';
import { useLoad } from '../../useLoad.js';
import { useAction } from '../../useAction.js';

const KINDS = ['service', 'weak_credential', 'cve'] as const;
type Kind = (typeof KINDS)[number];
const split = (s: string): string[] => s.split(/[\s,]+/).filter(Boolean);
const kindText = (t: Translate, k: string): string => ((KINDS as readonly string[]).includes(k) ? t(`monitorKind_${k as Kind}`) : k);

/**
 * Monitors (saved searches over one's own ranges that alert on what is new): the list, a form to
 * make one, a monitor's findings with mute and unmute. Changes need the write scope: a read-only
 * member sees everything and gets no controls (the API refuses them too).
 */
export function MonitorsPage({ monitor }: { monitor?: string }) {
  const { t, num, time } = useI18n();
  const { auth } = useAuth();
  const canWrite = auth.state === 'signed-in' && auth.me.scopes.includes('write');
  const { act, error, version } = useAction();
  const monitors = useLoad(`monitors:${version}`, (s) => monitorsApi.list(s));
  const chosen = monitors.state === 'done' ? monitors.data.find((m) => m.id === monitor) : undefined;
  return (
    <main className="page" data-testid="monitors-page">
      <h1 className="page-title">{t('monitorsTitle')}</h1>
      <p className="muted small">{t('monitorsIntro')}</p>
      {!canWrite && <Message kind="info" testId="monitors-read-only">{t('monitorsReadOnly')}</Message>}
      {error && <ErrorMessage error={error} />}
      <div className="grid">
      <Panel title={t('monitors')} wide testId="monitors-panel">
        {monitors.state === 'loading' && <Loading />}
        {monitors.state === 'error' && <ErrorMessage error={monitors.error} retry={monitors.reload} />}
        {monitors.state === 'done' && (monitors.data.length === 0 ? <p className="muted" data-testid="monitors-empty">{t('noMonitors')}</p> : (
          <div className="scroll">
            <table className="tbl">
              <thead><tr><th>{t('monitorName')}</th><th>{t('monitorRanges')}</th><th>{t('monitorQuery')}</th><th>{t('monitorKinds')}</th><th>{t('monitorAlertsTo')}</th><th>{t('lastRun')}</th><th className="n">{t('findings')}</th><th /></tr></thead>
              <tbody>
                {monitors.data.map((m) => (
                  <tr key={m.id} data-testid="monitor-row" data-name={m.name} data-id={m.id} className={m.id === monitor ? 'selected' : undefined}>
                    <td><Link to={monitorsPath(m.id)} testId="monitor-open">{m.name}</Link>{!m.enabled && <span className="muted small"> ({t('disabled')})</span>}</td>
                    <td className="mono small">{m.cidrs.slice(0, 3).join(', ')}{m.cidrs.length > 3 && ` +${num(m.cidrs.length - 3)}`}</td>
                    <td className="mono small">{m.query ? <Link to={searchPath(m.query)}>{m.query}</Link> : <span className="muted">{t('monitorEverything')}</span>}</td>
                    <td className="small">{m.kinds.map((k) => kindText(t, k)).join(', ')}</td>
                    <td className="small">{[...m.emails, ...m.webhooks].join(', ') || <span className="muted">—</span>}</td>
                    <td className="mono small">{m.lastRunAt ? time(m.lastRunAt) : <span className="muted">{t('neverRun')}</span>}</td>
                    <td className="n" data-testid="monitor-findings-count" data-value={m.lastRunFindings ?? ''}>{m.lastRunFindings === null ? '—' : num(m.lastRunFindings)}</td>
                    <td className="actions-cell">{canWrite && (
                      <>
                        <button type="button" className="btn small" onClick={() => void act(() => monitorsApi.run(m.id))} data-testid="monitor-run">{t('runNow')}</button>{' '}
                        <ConfirmButton label={t('delete')} question={t('deleteMonitorQuestion', { name: m.name })} testId="monitor-delete"
                          onConfirm={() => act(async () => { await monitorsApi.remove(m.id); if (m.id === monitor) navigate(monitorsPath()); })} />
                      </>
                    )}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      </Panel>
      {chosen && <Findings key={`${chosen.id}:${version}`} m={chosen} canWrite={canWrite} />}
      {canWrite && <NewMonitor onCreated={(m) => navigate(monitorsPath(m.id))} act={act} />}
      </div>
    </main>
  );
}

function Findings({ m, canWrite }: { m: Monitor; canWrite: boolean }) {
  const { t, time } = useI18n();
  const { act, error, version } = useAction();
  const findings = useLoad(`findings:${m.id}:${version}`, (s) => monitorsApi.findings(m.id, s));
  return (
    <Panel title={t('monitorFindings', { name: m.name })} wide testId="monitor-findings">
      {error && <ErrorMessage error={error} />}
      {findings.state === 'loading' && <Loading />}
      {findings.state === 'error' && <ErrorMessage error={findings.error} retry={findings.reload} />}
      {findings.state === 'done' && (findings.data.length === 0 ? <p className="muted">{m.lastRunAt ? t('noFindings') : t('noFindingsYet')}</p> : (
        <div className="scroll">
          <table className="tbl">
            <thead><tr><th>{t('kind')}</th><th>{t('address')}</th><th>{t('port')}</th><th>{t('details')}</th><th>{t('firstSeen')}</th><th>{t('lastSeen')}</th><th>{t('state')}</th><th /></tr></thead>
            <tbody>
              {findings.data.map((f) => (
                <tr key={f.key} data-testid="finding-row" data-key={f.key} data-muted={String(f.muted)} data-present={String(f.present)} className={f.muted ? 'muted-row' : undefined}>
                  <td>{kindText(t, f.kind)}</td>
                  <td className="mono"><Link to={hostPath(f.ip)}>{f.ip}</Link></td>
                  <td className="mono">{f.transport}/{f.port}</td>
                  <td className="small">{detailText(f)}</td>
                  <td className="mono small">{time(f.firstSeen)}</td>
                  <td className="mono small">{time(f.lastSeen)}</td>
                  <td className="small">
                    {f.present ? t('findingPresent') : <span className="muted">{t('findingGone')}</span>}
                    {f.muted && <span className="chip small" data-testid="finding-muted"> {t('muted')}</span>}
                  </td>
                  <td>{canWrite && (
                    <button type="button" className="btn small" data-testid={f.muted ? 'finding-unmute' : 'finding-mute'}
                      onClick={() => void act(() => monitorsApi.mute(m.id, f.key, !f.muted))}>{f.muted ? t('unmute') : t('mute')}</button>
                  )}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </Panel>
  );
}

const detailText = (f: MonitorFinding): string => Object.entries(f.detail).filter(([, v]) => v !== '').map(([k, v]) => `${k}: ${v}`).join(', ');

function NewMonitor({ onCreated, act }: { onCreated: (m: Monitor) => void; act: (fn: () => Promise<unknown>) => Promise<boolean> }) {
  const { t } = useI18n();
  const empty = { name: '', cidrs: '', query: '', emails: '', webhooks: '', language: 'ja' as 'ja' | 'en', kinds: [...KINDS] as Kind[] };
  const [f, setF] = useState(empty);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    let made: Monitor | undefined;
    void act(async () => {
      made = await monitorsApi.create({
        name: f.name.trim(), cidrs: split(f.cidrs), kinds: f.kinds, language: f.language,
        ...(f.query.trim() ? { query: f.query.trim() } : {}),
        ...(split(f.emails).length ? { emails: split(f.emails) } : {}),
        ...(split(f.webhooks).length ? { webhooks: split(f.webhooks) } : {}),
      });
    }).then((ok) => {
      if (ok && made) {
        setF(empty);
        onCreated(made);
      }
    });
  };
  const toggle = (k: Kind): void => setF({ ...f, kinds: f.kinds.includes(k) ? f.kinds.filter((x) => x !== k) : [...f.kinds, k] });
  return (
    <Panel title={t('newMonitor')} wide testId="new-monitor">
      <form className="form-grid" onSubmit={submit}>
        <label>{t('monitorName')}<input value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} required maxLength={200} data-testid="monitor-name" /></label>
        <label>{t('monitorRanges')}<input value={f.cidrs} onChange={(e) => setF({ ...f, cidrs: e.target.value })} required placeholder="192.0.2.0/24, 2001:db8::/48" spellCheck={false} data-testid="monitor-cidrs" /></label>
        <label>{t('monitorQuery')}<input value={f.query} onChange={(e) => setF({ ...f, query: e.target.value })} placeholder={t('monitorQueryPlaceholder')} spellCheck={false} maxLength={4000} data-testid="monitor-query" /></label>
        <fieldset className="checks">
          <legend>{t('monitorKinds')}</legend>
          {KINDS.map((k) => (
            <label key={k}><input type="checkbox" checked={f.kinds.includes(k)} onChange={() => toggle(k)} data-testid={`monitor-kind-${k}`} /> {t(`monitorKind_${k}`)}</label>
          ))}
        </fieldset>
        <label>{t('monitorEmails')}<input value={f.emails} onChange={(e) => setF({ ...f, emails: e.target.value })} placeholder="soc@example.jp" spellCheck={false} data-testid="monitor-emails" /></label>
        <label>{t('monitorWebhooks')}<input value={f.webhooks} onChange={(e) => setF({ ...f, webhooks: e.target.value })} placeholder="https://soc.example.jp/hooks/sakimori" spellCheck={false} data-testid="monitor-webhooks" /></label>
        <label>{t('monitorLanguage')}
          <select value={f.language} onChange={(e) => setF({ ...f, language: e.target.value === 'en' ? 'en' : 'ja' })} data-testid="monitor-language">
            <option value="ja">日本語</option><option value="en">English</option>
          </select>
        </label>
        <div><button type="submit" className="btn primary" disabled={!f.name.trim() || !f.cidrs.trim() || f.kinds.length === 0} data-testid="monitor-create">{t('createMonitor')}</button></div>
      </form>
    </Panel>
  );
}
