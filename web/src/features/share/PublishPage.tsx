import { useState } from 'react';
import { useI18n } from '../../i18n/index.js';
import { ErrorMessage, Loading, Panel, Stat } from '../../components/Panel.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { DayInput } from '../../components/DayInput.js';
import { TlpBadge } from '../../components/TlpBadge.js';
import { useLoad } from '../../useLoad.js';
import { shareApi, type PublishAnswer } from './shareApi.js';
import { ShareNav } from './ShareNav.js';

const TLPS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
type Tlp = (typeof TLPS)[number];
const DAY_MS = 86_400_000;
const day = (t: number): string => new Date(t).toISOString().slice(0, 10);

/**
 * Publishing the darknet's scanners as indicators (the hub's operators): a dry run first says what
 * would go out, what is held back and why, and who would receive it; only then does Publish
 * store it, after a confirmation.
 */
export function PublishPage() {
  const { t, num } = useI18n();
  const collections = useLoad('share-collections-writable', (s) => shareApi.collections(s));
  const [collection, setCollection] = useState('');
  const [tlp, setTlp] = useState<Tlp>('amber');
  const [from, setFrom] = useState(day(Date.now() - 7 * DAY_MS));
  const [to, setTo] = useState(day(Date.now() + DAY_MS));
  const [plan, setPlan] = useState<PublishAnswer | null>(null);
  const [done, setDone] = useState<PublishAnswer | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const writable = collections.state === 'done' ? collections.data.filter((c) => c.canWrite) : [];
  const chosen = collection || writable[0]?.id || '';
  const run = async (dryRun: boolean): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const r = await shareApi.publish({ collection: chosen, tlp, from, to, dryRun });
      if (dryRun) { setPlan(r); setDone(null); } else { setDone(r); }
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
  };
  const changed = (f: () => void) => () => { f(); setPlan(null); setDone(null); };
  return (
    <main className="page" data-testid="publish-page">
      <h1 className="page-title">{t('sharePublish')}</h1>
      <ShareNav current="publish" />
      <p className="muted small">{t('sharePublishIntro')}</p>
      {collections.state === 'loading' && <Loading />}
      {collections.state === 'error' && <ErrorMessage error={collections.error} retry={collections.reload} />}
      {collections.state === 'done' && (writable.length === 0 ? <p className="muted" data-testid="publish-no-collection">{t('sharePublishNoCollection')}</p> : (
        <Panel title={t('sharePublishWhat')} wide testId="publish-form">
          <div className="form-row">
            <label>{t('shareCollections')}{' '}
              <select value={chosen} onChange={(e) => changed(() => setCollection(e.target.value))()} data-testid="publish-collection">
                {writable.map((c) => <option key={c.id} value={c.id}>{c.title}</option>)}
              </select>
            </label>
            <label>TLP{' '}
              <select value={tlp} onChange={(e) => changed(() => setTlp(e.target.value as Tlp))()} data-testid="publish-tlp">
                {TLPS.map((x) => <option key={x} value={x}>TLP:{x.toUpperCase()}</option>)}
              </select>
            </label>
            <label>{t('sharePublishFrom')} <DayInput value={from} onDay={(d) => changed(() => setFrom(d))()} testId="publish-from" /></label>
            <label>{t('sharePublishTo')} <DayInput value={to} onDay={(d) => changed(() => setTo(d))()} testId="publish-to" /></label>
            <button type="button" className="btn" disabled={busy || !chosen} onClick={() => void run(true)} data-testid="publish-dry-run">{t('sharePublishDryRun')}</button>
          </div>
        </Panel>
      ))}
      {busy && <Loading />}
      {error && <ErrorMessage error={error} />}
      {plan && <Plan plan={plan} />}
      {plan && !done && (
        <p>
          <ConfirmButton label={t('sharePublishNow')} question={t('sharePublishConfirm', { n: num(plan.objects) })} onConfirm={() => run(false)} testId="publish-now" disabled={busy || plan.objects === 0} />
        </p>
      )}
      {done && <p className="message info" data-testid="publish-done" data-stored={done.stored}>{t('sharePublishDone', { n: num(done.stored), failed: num(done.failures.length) })}</p>}
    </main>
  );
}

function Plan({ plan }: { plan: PublishAnswer }) {
  const { t, num } = useI18n();
  const excluded = Object.entries(plan.excluded).filter(([, n]) => n > 0);
  return (
    <>
      <div className="stats" data-testid="publish-plan">
        <Stat label={t('sharePublishSources')} value={num(plan.sources)} raw={plan.sources} testId="publish-sources" />
        <Stat label={t('sharePublishNew')} value={num(plan.created)} raw={plan.created} testId="publish-created" />
        <Stat label={t('sharePublishUpdated')} value={num(plan.updated)} raw={plan.updated} testId="publish-updated" />
        <Stat label={t('sharePublishRevoked')} value={num(plan.revoked)} raw={plan.revoked} testId="publish-revoked" />
        <Stat label={t('sharePublishObjects')} value={num(plan.objects)} raw={plan.objects} testId="publish-objects" />
      </div>
      <div className="grid">
        <Panel title={t('sharePublishExcluded')} testId="publish-excluded">
          {excluded.length === 0 ? <p className="muted">{t('sharePublishNothingExcluded')}</p> : (
            <table className="tbl"><tbody>{excluded.map(([why, n]) => <tr key={why} data-testid="publish-excluded-row" data-reason={why}><td>{t(`exclusion_${why}` as 'exclusion_reserved')}</td><td className="num">{num(n)}</td></tr>)}</tbody></table>
          )}
        </Panel>
        <Panel title={t('sharePublishRecipients')} testId="publish-recipients">
          {plan.recipients === null ? null : plan.recipients.organisations.length === 0 && plan.recipients.users.length === 0 ? <p className="muted">{t('sharePublishNobody')}</p> : (
            <ul>
              {plan.recipients.organisations.map((o) => <li key={o.orgId} data-testid="publish-recipient-org">{o.name} <span className="muted small">({o.reason})</span></li>)}
              {plan.recipients.users.map((u) => <li key={u.userId}>{u.username} <span className="muted small">({u.reason})</span></li>)}
            </ul>
          )}
          {plan.recipients && <p className="small" data-testid="publish-victim-fields">{t('sharePublishVictimFields', { n: num(plan.recipients.victimFields) })}</p>}
        </Panel>
      </div>
      <Panel title={t('sharePublishSample')} wide testId="publish-sample">
        <table className="tbl">
          <thead><tr><th>TLP</th><th>{t('shareWhat')}</th><th>{t('sharePublishConfidence')}</th><th>{t('sharePublishValidUntil')}</th></tr></thead>
          <tbody>{plan.sample.map((s) => <tr key={s.id} data-testid="publish-sample-row"><td><TlpBadge tlp={plan.tlp} /></td><td><code>{s.pattern}</code> <span className="muted small">{s.labels.join(', ')}</span></td><td className="num">{s.confidence}</td><td className="small">{s.validUntil}</td></tr>)}</tbody>
        </table>
      </Panel>
    </>
  );
}
