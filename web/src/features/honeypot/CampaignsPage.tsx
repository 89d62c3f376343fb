import { useI18n } from '../../i18n/index.js';
import { useAuth } from '../../auth.js';
import { ErrorMessage, Loading, Panel, Stat } from '../../components/Panel.js';
import { useLoad } from '../../useLoad.js';
import { useAction } from '../../useAction.js';
import { Link } from '../../router.js';
import { campaignPath, honeypotApi, type Campaign } from './honeypotApi.js';
import { HoneypotNav } from './HoneypotNav.js';
import { tieLabel } from './labels.js';

const SHOWN = 4;

/** The first few of a list with a count of the rest. */
function Few<T>({ xs, show }: { xs: readonly T[]; show: (x: T) => string }) {
  const { t } = useI18n();
  if (xs.length === 0) return <span className="muted">—</span>;
  return <>{xs.slice(0, SHOWN).map(show).join(', ')}{xs.length > SHOWN && <span className="muted"> {t('campaignsMore', { n: xs.length - SHOWN })}</span>}</>;
}

function Ties({ c }: { c: Campaign }) {
  const { t, num } = useI18n();
  return (
    <ul className="plain small">
      {c.ties.slice(0, 3).map((x) => (
        <li key={`${x.kind}|${x.value}`} data-testid="campaign-tie" data-kind={x.kind}>
          <b>{tieLabel(t, x.kind)}</b> <code className="wrap-anywhere">{x.value}</code> <span className="muted">({num(x.members)})</span>
        </li>
      ))}
    </ul>
  );
}

/** Campaigns (GET /campaigns): addresses tied together by what they share, most members first. */
export function CampaignsPage() {
  const { t, num, time } = useI18n();
  const { auth } = useAuth();
  // Computing reads every address: the route is for platform admins and analysts only.
  const role = auth.state === 'signed-in' ? auth.me.user.role : undefined;
  const admin = role === 'platform-admin' || role === 'analyst';
  const { act, error, version } = useAction();
  const r = useLoad(`campaigns:${version}`, (s) => honeypotApi.campaigns(s));
  return (
    <main className="page" data-testid="campaigns-page">
      <h1 className="page-title">{t('campaignsTitle')}</h1>
      <HoneypotNav current="campaigns" />
      <p className="muted small">{t('campaignsIntro')}</p>
      {error && <ErrorMessage error={error} />}
      {r.state === 'loading' && <Loading />}
      {r.state === 'error' && <ErrorMessage error={r.error} retry={r.reload} />}
      {r.state === 'done' && (
        <>
          <div className="stats">
            <Stat label={t('campaignsCount')} value={num(r.data.campaigns.length)} raw={r.data.campaigns.length} testId="campaigns-count" />
            <Stat label={t('campaignsAddresses')} value={num(r.data.addresses)} raw={r.data.addresses} testId="campaigns-addresses" />
            <Stat label={t('campaignsComputedAt')} value={r.data.computedAt ? time(r.data.computedAt, false) : t('campaignsNever')} raw={r.data.computedAt ?? ''} testId="campaigns-computed-at" />
          </div>
          {admin && (
            <p>
              <button type="button" className="btn" data-testid="campaigns-compute" onClick={() => void act(() => honeypotApi.compute())}>{t('campaignsComputeNow')}</button>
            </p>
          )}
          <Panel title={t('campaignsTitle')} wide testId="campaigns-list">
            {r.data.campaigns.length === 0 ? <p className="muted" data-testid="campaigns-empty">{r.data.computedAt ? t('campaignsNone') : t('campaignsNotComputed')}</p> : (
              <table className="tbl">
                <thead>
                  <tr>
                    <th>{t('campaignName')}</th><th className="n">{t('campaignMembers')}</th><th className="n">{t('honeypotEvents')}</th>
                    <th>{t('honeypotFirstSeen')}</th><th>{t('honeypotLastSeen')}</th><th>{t('campaignTies')}</th><th>{t('campaignPorts')}</th><th>{t('countries')}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.data.campaigns.map((c) => (
                    <tr key={c.id} data-testid="campaign-row" data-id={c.id} data-members={String(c.members)}>
                      <td className="wrap-anywhere"><Link to={campaignPath(c.id)} testId="campaign-link">{c.name}</Link></td>
                      <td className="n">{num(c.members)}</td><td className="n">{num(c.events)}</td>
                      <td className="nowrap small">{time(c.firstSeen, false)}</td><td className="nowrap small">{time(c.lastSeen, false)}</td>
                      <td><Ties c={c} /></td>
                      <td className="small"><Few xs={c.ports} show={(p) => String(p.port)} /></td>
                      <td className="small"><Few xs={c.countries} show={(x) => x.country || '—'} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Panel>
        </>
      )}
    </main>
  );
}
