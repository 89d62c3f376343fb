import { useState, type FormEvent } from 'react';
import { casesApi, orgApi, type CaseRow } from '../../api.js';
import { useI18n } from '../../i18n/index.js';
import { ErrorMessage, Loading, Panel, Stat } from '../../components/Panel.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { Pager } from '../../components/Pager.js';
import { Link, casePath, casesPath, hostPath, navigate, type CaseFilter } from '../../router.js';
import { useLoad } from '../../useLoad.js';
import { ACKNOWLEDGEABLE, CASE_KINDS, CASE_STATES, kindLabel, recipientLabel, stateLabel } from './case-labels.js';

/** Rows per page (the API allows up to 1000; 50 is what a reader scans). */
export const CASE_PAGE = 50;
/** The deepest offset GET /cases serves (its contract). */
const CASE_MAX_OFFSET = 100_000_000;
const SORTS = ['lastSeen', 'firstSeen', 'ip', 'state'] as const;

/** Notification cases: counts per state, a paged list filtered and sorted on the server, acknowledging. */
export function CasesPage(f: CaseFilter) {
  const { t, num, time } = useI18n();
  const [bump, setBump] = useState(0);
  const [ackError, setAckError] = useState<Error | null>(null);
  const counts = useLoad(`case-counts:${bump}`, (s) => casesApi.counts(s));
  // The registered organisations to choose a recipient from (a member gets its own).
  const orgs = useLoad('case-recipients', (s) => orgApi.list(s));
  const query = { state: f.state, kind: f.kind, recipient: f.recipient, ip: f.ip, sort: f.sort, order: f.order, offset: f.offset };
  const list = useLoad(`cases:${JSON.stringify(query)}:${bump}`, (s) => casesApi.list(query, CASE_PAGE, s));
  // Any change of filter or sort starts again at the first page.
  const go = (change: Partial<CaseFilter>): void => navigate(casesPath({ ...f, offset: undefined, ...change }));
  const byState = (s: string): number => (counts.state === 'done' ? counts.data.filter((c) => c.state === s).reduce((a, c) => a + c.n, 0) : 0);
  const ack = async (c: CaseRow): Promise<void> => {
    setAckError(null);
    try {
      await casesApi.ack(c.id);
      setBump((b) => b + 1);
    } catch (e) {
      setAckError(e instanceof Error ? e : new Error(String(e)));
    }
  };
  const [ipText, setIpText] = useState(f.ip ?? '');
  const submitIp = (e: FormEvent): void => {
    e.preventDefault();
    go({ ip: ipText.trim() || undefined });
  };
  const filtered = Boolean(f.state || f.kind || f.recipient || f.ip);
  return (
    <main className="page" data-testid="cases-page">
      <h1 className="page-title">{t('casesTitle')}</h1>
      {counts.state === 'done' && (
        <div className="stats">
          {CASE_STATES.map((s) => <Stat key={s} label={stateLabel(t, s)} value={<Link to={casesPath({ state: s })}>{num(byState(s))}</Link>} raw={byState(s)} testId={`cases-${s}`} />)}
        </div>
      )}
      <div className="filters wrap">
        <select value={f.state ?? ''} onChange={(e) => go({ state: e.target.value || undefined })} data-testid="cases-state-filter" aria-label={t('state')}>
          <option value="">{t('allStates')}</option>
          {CASE_STATES.map((s) => <option key={s} value={s}>{stateLabel(t, s)}</option>)}
        </select>
        <select value={f.kind ?? ''} onChange={(e) => go({ kind: e.target.value || undefined })} data-testid="cases-kind-filter" aria-label={t('kind')}>
          <option value="">{t('allKinds')}</option>
          {CASE_KINDS.map((k) => <option key={k} value={k}>{kindLabel(t, k)}</option>)}
        </select>
        <form onSubmit={submitIp} className="inline-form">
          <input value={ipText} onChange={(e) => setIpText(e.target.value)} placeholder={t('casesIpPlaceholder')} aria-label={t('casesIpFilter')} title={t('casesIpFilter')} spellCheck={false} data-testid="cases-ip-filter" />
          <button type="submit" className="btn small" data-testid="cases-ip-apply">{t('apply')}</button>
        </form>
        {f.recipient?.startsWith('email:') ? (
          <span className="chip" data-testid="cases-recipient-filter" data-value={f.recipient}>
            {t('recipient')}: <span className="mono">{f.recipient.slice('email:'.length)}</span>
            <button type="button" className="link-btn" onClick={() => go({ recipient: undefined })} aria-label={t('clearFilter')}>×</button>
          </span>
        ) : (
          <select value={f.recipient ?? ''} onChange={(e) => go({ recipient: e.target.value || undefined })} data-testid="cases-recipient-select" aria-label={t('recipient')}>
            <option value="">{t('allRecipients')}</option>
            {orgs.state === 'done' && orgs.data.map((o) => <option key={o.id} value={`org:${o.id}`}>{o.name}</option>)}
            {f.recipient && !(orgs.state === 'done' && orgs.data.some((o) => `org:${o.id}` === f.recipient)) && f.recipient !== 'unassigned' && <option value={f.recipient}>{f.recipient}</option>}
            <option value="unassigned">{t('unassigned')}</option>
          </select>
        )}
        <label className="muted small">{t('sortBy')}{' '}
          <select value={f.sort ?? 'lastSeen'} onChange={(e) => go({ sort: e.target.value === 'lastSeen' ? undefined : e.target.value, order: undefined })} data-testid="cases-sort">
            {SORTS.map((s) => <option key={s} value={s}>{t(`caseSort_${s}`)}</option>)}
          </select>
        </label>
        <select value={f.order ?? ''} onChange={(e) => go({ order: e.target.value || undefined })} data-testid="cases-order" aria-label={t('sortOrder')}>
          <option value="">{t('orderDefault')}</option>
          <option value="asc">{t('orderAsc')}</option>
          <option value="desc">{t('orderDesc')}</option>
        </select>
        {filtered && <Link to={casesPath({})} testId="cases-clear">{t('clearFilters')}</Link>}
      </div>
      {ackError && <ErrorMessage error={ackError} />}
      <Panel title={t('cases')} wide testId="cases-panel">
        {list.state === 'loading' && <Loading />}
        {list.state === 'error' && <ErrorMessage error={list.error} retry={list.reload} />}
        {list.state === 'done' && (list.data.cases.length === 0 ? (
          <p className="muted" data-testid="cases-empty">{filtered ? t('casesNoneMatch') : t('casesNone')}</p>
        ) : (
          <>
            <Pager offset={list.data.offset} page={CASE_PAGE} total={list.data.total} shown={list.data.cases.length} to={(offset) => casesPath({ ...f, offset })} maxOffset={CASE_MAX_OFFSET} testId="cases-pager" />
            <div className="scroll">
              <table className="tbl">
                <thead><tr><th>#</th><th>{t('address')}</th><th>{t('kind')}</th><th>{t('state')}</th><th>{t('recipient')}</th><th>{t('device')}</th><th>{t('firstSeen')}</th><th>{t('lastSeen')}</th><th /></tr></thead>
                <tbody>
                  {list.data.cases.map((c) => (
                    <tr key={c.id} data-testid="case-row" data-id={c.id} data-state={c.state} data-kind={c.kind} data-ip={c.ip}>
                      <td className="mono"><Link to={casePath(c.id)} testId="case-link">#{c.id}</Link></td>
                      <td className="mono"><Link to={hostPath(c.ip)}>{c.ip}</Link></td>
                      <td>{kindLabel(t, c.kind)}</td>
                      <td><span className={`state state-${c.state}`}>{stateLabel(t, c.state)}</span>{c.reopenedCount > 0 && <span className="muted small"> ×{c.reopenedCount}</span>}</td>
                      <td>{c.recipient === 'unassigned' ? <span className="muted">{t('unassigned')}</span> : <Link to={casesPath({ recipient: c.recipient })} title={c.recipient}>{recipientLabel(t, c)}</Link>}</td>
                      <td>{c.deviceModel || <span className="muted">—</span>}</td>
                      <td className="mono small">{time(c.firstSeen)}</td>
                      <td className="mono small">{time(c.lastSeen)}</td>
                      <td>{ACKNOWLEDGEABLE.includes(c.state) && (
                        <ConfirmButton label={t('acknowledge')} question={t('ackQuestion', { id: c.id, ip: c.ip })} onConfirm={() => ack(c)} testId="case-ack" />
                      )}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager offset={list.data.offset} page={CASE_PAGE} total={list.data.total} shown={list.data.cases.length} to={(offset) => casesPath({ ...f, offset })} maxOffset={CASE_MAX_OFFSET} testId="cases-pager" bottom />
          </>
        ))}
      </Panel>
    </main>
  );
}
