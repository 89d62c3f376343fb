import { eventReason, evidenceLabel } from './case-texts.js';
import { useState } from 'react';
import { ApiError, casesApi, type CaseDetail } from '../../api.js';
import { useI18n } from '../../i18n/index.js';
import { ErrorMessage, Loading, Message, Panel } from '../../components/Panel.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { Link, casesPath, hostPath } from '../../router.js';
import { useLoad } from '../../useLoad.js';
import { ACKNOWLEDGEABLE, kindLabel, recipientLabel, stateLabel } from './case-labels.js';

/** One case: its evidence, its timeline (state changes and notices), its deliveries, its resolution. */
export function CaseDetailPage({ id }: { id: number }) {
  const { t } = useI18n();
  const [bump, setBump] = useState(0);
  const [ackError, setAckError] = useState<Error | null>(null);
  const c = useLoad(`case:${id}:${bump}`, (s) => casesApi.get(id, s));
  const ack = async (): Promise<void> => {
    setAckError(null);
    try {
      await casesApi.ack(id);
      setBump((b) => b + 1);
    } catch (e) {
      setAckError(e instanceof Error ? e : new Error(String(e)));
    }
  };
  return (
    <main className="page" data-testid="case-page">
      <div className="crumbs"><Link to={casesPath({})} testId="back-to-cases">{t('backToCases')}</Link></div>
      {c.state === 'loading' && <Loading />}
      {c.state === 'error' && (c.error instanceof ApiError && c.error.code === 'NOT_FOUND'
        ? <Message kind="info" testId="case-not-found">{t('caseNotFound', { id })}</Message>
        : <ErrorMessage error={c.error} retry={c.reload} />)}
      {ackError && <ErrorMessage error={ackError} />}
      {c.state === 'done' && <CaseView c={c.data} ack={ack} />}
    </main>
  );
}

/** A timeline entry: a state change, or a notice made by a notification round. */
interface Moment { at: string; kind: 'state' | 'notice'; text: string; detail: string; testId: string }

function CaseView({ c, ack }: { c: CaseDetail; ack: () => Promise<void> }) {
  const { t, time, num } = useI18n();
  const moments: Moment[] = [
    { at: c.openedAt, kind: 'state' as const, text: t('caseOpened'), detail: '', testId: 'case-event' },
    ...c.events.map((e): Moment => ({
      at: e.at, kind: 'state', testId: 'case-event',
      text: `${e.from ? stateLabel(t, e.from) : '—'} → ${stateLabel(t, e.to)}`, detail: eventReason(t, e.reason, (ch) => channelLabel(t, ch)),
    })),
    ...c.deliveries.map((d): Moment => ({
      at: d.createdAt, kind: 'notice', testId: 'case-notice',
      text: t('noticeQueued', { channel: channelLabel(t, d.channel), target: d.target }), detail: t(`delivery_${deliveryStatus(d.status)}`),
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return (
    <>
      <div className="host-head">
        <h1 className="host-title">
          <span className="host-label">{t('caseTitle', { id: c.id })}</span>
          <span className="mono"><Link to={hostPath(c.ip)} testId="case-host-link">{c.ip}</Link></span>
        </h1>
        <dl className="host-meta">
          <div><dt>{t('kind')}</dt><dd data-testid="case-kind" data-value={c.kind}>{kindLabel(t, c.kind)}</dd></div>
          <div><dt>{t('state')}</dt><dd data-testid="case-state" data-value={c.state}><span className={`state state-${c.state}`}>{stateLabel(t, c.state)}</span></dd></div>
          <div><dt>{t('recipient')}</dt><dd data-testid="case-recipient" data-value={c.recipient}>{c.recipient === 'unassigned' ? <span className="muted">{t('unassigned')}</span> : <Link to={casesPath({ recipient: c.recipient })}>{recipientLabel(t, c)}</Link>}</dd></div>
          {c.deviceModel && <div><dt>{t('device')}</dt><dd>{c.deviceModel}</dd></div>}
        </dl>
      </div>
      {ACKNOWLEDGEABLE.includes(c.state) && (
        <div className="actions"><ConfirmButton label={t('acknowledge')} question={t('ackQuestion', { id: c.id, ip: c.ip })} onConfirm={ack} testId="case-ack" /></div>
      )}
      <div className="grid">
        <Panel title={t('caseEvidence')} testId="case-evidence">
          <dl className="kv">
            <dt>{t('firstSeen')}</dt><dd className="mono">{time(c.firstSeen)}</dd>
            <dt>{t('lastSeen')}</dt><dd className="mono">{time(c.lastSeen)}</dd>
            <dt>{t('caseOpenedAt')}</dt><dd className="mono">{time(c.openedAt)}</dd>
            {c.asn > 0 && <><dt>{t('asn')}</dt><dd className="mono">AS{c.asn}</dd></>}
            {Object.entries(c.detail).map(([k, v]) => <FieldRow key={k} name={evidenceLabel(t, k)} value={v} />)}
          </dl>
        </Panel>
        <Panel title={t('caseResolution')} testId="case-resolution">
          {c.resolution ? (
            <dl className="kv">
              {c.resolvedAt && <><dt>{t('resolvedAt')}</dt><dd className="mono">{time(c.resolvedAt)}</dd></>}
              {Object.entries(c.resolution).map(([k, v]) => <FieldRow key={k} name={evidenceLabel(t, k)} value={k === 'reason' && typeof v === 'string' ? eventReason(t, v, (ch) => channelLabel(t, ch)) : v} />)}
            </dl>
          ) : <p className="muted">{t('notResolvedYet')}</p>}
          {c.reopenedCount > 0 && <p className="muted small">{t('reopenedTimes', { n: num(c.reopenedCount) })}</p>}
        </Panel>
        <Panel title={t('caseTimeline')} wide testId="case-timeline">
          <ol className="timeline">
            {moments.map((m, i) => (
              <li key={i} className={`tl-${m.kind}`} data-testid={m.testId}>
                <span className="mono small">{time(m.at)}</span> <b>{m.text}</b>{m.detail && <span className="muted"> — {m.detail}</span>}
              </li>
            ))}
          </ol>
        </Panel>
        <Panel title={t('deliveries')} wide testId="case-deliveries">
          {c.deliveries.length === 0 ? <p className="muted">{t('noDeliveries')}</p> : (
            <div className="scroll">
              <table className="tbl">
                <thead><tr><th>{t('deliveryChannel')}</th><th>{t('deliveryTarget')}</th><th>{t('state')}</th><th className="n">{t('attempts')}</th><th>{t('nextTry')}</th><th>{t('sentAt')}</th><th>{t('lastError')}</th></tr></thead>
                <tbody>
                  {c.deliveries.map((d) => (
                    <tr key={d.id} data-testid="case-delivery" data-status={d.status} data-attempts={d.attempts}>
                      <td>{channelLabel(t, d.channel)}</td>
                      <td className="mono small">{d.target}</td>
                      <td><span className={`delivery delivery-${d.status}`}>{t(`delivery_${deliveryStatus(d.status)}`)}</span></td>
                      <td className="n">{num(d.attempts)}</td>
                      <td className="mono small">{d.nextAttemptAt ? time(d.nextAttemptAt) : <span className="muted">—</span>}</td>
                      <td className="mono small">{d.sentAt ? time(d.sentAt) : <span className="muted">—</span>}</td>
                      <td className="small">{d.lastError ?? <span className="muted">—</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Panel>
      </div>
    </>
  );
}

/** One field of the evidence: text as it is, anything else as compact JSON. */
function FieldRow({ name, value }: { name: string; value: unknown }) {
  return <><dt className="small">{name}</dt><dd className="mono small">{typeof value === 'string' ? value : JSON.stringify(value)}</dd></>;
}

const DELIVERY_STATES = ['pending', 'sending', 'retrying', 'sent', 'failed'] as const;
function deliveryStatus(s: string): (typeof DELIVERY_STATES)[number] {
  return (DELIVERY_STATES as readonly string[]).includes(s) ? (s as (typeof DELIVERY_STATES)[number]) : 'pending';
}
function channelLabel(t: ReturnType<typeof useI18n>['t'], ch: string): string {
  return ch === 'email' ? t('channel_email') : ch === 'webhook' ? t('channel_webhook') : ch === 'escalation' ? t('channel_escalation') : ch;
}
