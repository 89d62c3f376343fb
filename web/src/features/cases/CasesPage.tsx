import { useState } from 'react';
import { casesApi, type CaseRow } from '../../api.js';
import { useI18n } from '../../i18n/index.js';
import { ErrorMessage, Loading, Panel, Stat } from '../../components/Panel.js';
import { Link, hostPath, navigate } from '../../router.js';
import { useLoad } from '../../useLoad.js';

const STATES = ['new', 'notified', 'acknowledged', 'resolved', 'reopened'] as const;
const KINDS = ['default_credential', 'no_authentication', 'vulnerable_firmware', 'mirai_infection', 'exposed_service'] as const;

/** Notification cases: counts per state, a filtered list, acknowledging. */
export function CasesPage({ state, kind }: { state?: string; kind?: string }) {
  const { t, num, time } = useI18n();
  const [bump, setBump] = useState(0);
  const counts = useLoad(`case-counts:${bump}`, (s) => casesApi.counts(s));
  const list = useLoad(`cases:${state ?? ''}:${kind ?? ''}:${bump}`, (s) => casesApi.list({ ...(state ? { state } : {}), ...(kind ? { kind } : {}) }, s));
  const go = (st?: string, k?: string): void => {
    const q = new URLSearchParams();
    if (st) q.set('state', st);
    if (k) q.set('kind', k);
    navigate(`/cases${q.size ? `?${q}` : ''}`);
  };
  const byState = (s: string): number => (counts.state === 'done' ? counts.data.filter((c) => c.state === s).reduce((a, c) => a + c.n, 0) : 0);
  const ack = async (c: CaseRow): Promise<void> => {
    await casesApi.ack(c.id);
    setBump((b) => b + 1);
  };
  return (
    <main className="page" data-testid="cases-page">
      <h1 className="page-title">{t('casesTitle')}</h1>
      {counts.state === 'done' && (
        <div className="stats">
          {STATES.map((s) => <Stat key={s} label={t(`state_${s}`)} value={num(byState(s))} raw={byState(s)} testId={`cases-${s}`} />)}
        </div>
      )}
      <div className="filters">
        <select value={state ?? ''} onChange={(e) => go(e.target.value || undefined, kind)} data-testid="cases-state-filter" aria-label={t('state')}>
          <option value="">{t('allStates')}</option>
          {STATES.map((s) => <option key={s} value={s}>{t(`state_${s}`)}</option>)}
        </select>
        <select value={kind ?? ''} onChange={(e) => go(state, e.target.value || undefined)} data-testid="cases-kind-filter" aria-label={t('kind')}>
          <option value="">{t('allKinds')}</option>
          {KINDS.map((k) => <option key={k} value={k}>{t(`kind_${k}`)}</option>)}
        </select>
      </div>
      <Panel title={t('cases')} wide testId="cases-panel">
        {list.state === 'loading' && <Loading />}
        {list.state === 'error' && <ErrorMessage error={list.error} retry={list.reload} />}
        {list.state === 'done' && (list.data.length === 0 ? <p className="muted">{t('none')}</p> : (
          <div className="scroll">
            <table className="tbl">
              <thead><tr><th>#</th><th>{t('address')}</th><th>{t('kind')}</th><th>{t('state')}</th><th>{t('recipient')}</th><th>{t('device')}</th><th>{t('lastSeen')}</th><th /></tr></thead>
              <tbody>
                {list.data.map((c) => (
                  <tr key={c.id} data-testid="case-row" data-id={c.id} data-state={c.state} data-kind={c.kind}>
                    <td className="mono">{c.id}</td>
                    <td className="mono"><Link to={hostPath(c.ip)}>{c.ip}</Link></td>
                    <td>{t(`kind_${c.kind as (typeof KINDS)[number]}`)}</td>
                    <td><span className={`state state-${c.state}`}>{t(`state_${c.state as (typeof STATES)[number]}`)}</span>{c.reopenedCount > 0 && <span className="muted small"> ×{c.reopenedCount}</span>}</td>
                    <td>{c.recipientName || (c.recipient === 'unassigned' ? <span className="muted">{t('unassigned')}</span> : c.recipient.replace(/^email:/, ''))}</td>
                    <td>{c.deviceModel || <span className="muted">—</span>}</td>
                    <td className="mono small">{time(c.lastSeen)}</td>
                    <td>{(c.state === 'notified' || c.state === 'new' || c.state === 'reopened') && <button type="button" className="btn small" onClick={() => void ack(c)} data-testid="case-ack">{t('acknowledge')}</button>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      </Panel>
    </main>
  );
}
