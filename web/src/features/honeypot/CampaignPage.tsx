import { useI18n } from '../../i18n/index.js';
import { ErrorMessage, Loading, Panel, Stat } from '../../components/Panel.js';
import { Bars } from '../../components/Bars.js';
import { AsnText } from '../../components/labels.js';
import { useLoad } from '../../useLoad.js';
import { Link, hostPath } from '../../router.js';
import { honeypotApi } from './honeypotApi.js';
import { HoneypotNav } from './HoneypotNav.js';
import { shortHash, tieLabel } from './labels.js';

/** One campaign (GET /campaigns/:id): what ties it, where it points, whom it touches, and members one may see. */
export function CampaignPage({ id }: { id: string }) {
  const { t, num, time } = useI18n();
  const r = useLoad(`campaign:${id}`, (s) => honeypotApi.campaign(id, s));
  return (
    <main className="page" data-testid="campaign-page">
      <HoneypotNav current="campaigns" />
      {r.state === 'loading' && <Loading />}
      {r.state === 'error' && <ErrorMessage error={r.error} retry={r.reload} />}
      {r.state === 'done' && (
        <>
          <h1 className="page-title wrap-anywhere" data-testid="campaign-name">{t('campaignTitle', { name: r.data.name })}</h1>
          <div className="stats">
            <Stat label={t('campaignMembers')} value={num(r.data.members)} raw={r.data.members} testId="campaign-members" />
            <Stat label={t('honeypotEvents')} value={num(r.data.events)} raw={r.data.events} testId="campaign-events" />
            <Stat label={t('honeypotFirstSeen')} value={time(r.data.firstSeen, false)} raw={r.data.firstSeen} testId="campaign-first-seen" />
            <Stat label={t('honeypotLastSeen')} value={time(r.data.lastSeen, false)} raw={r.data.lastSeen} testId="campaign-last-seen" />
          </div>
          <div className="grid">
            <Panel title={t('campaignTies')} testId="campaign-ties">
              <table className="tbl">
                <thead><tr><th>{t('campaignTieKind')}</th><th>{t('campaignTieValue')}</th><th className="n">{t('campaignMembers')}</th></tr></thead>
                <tbody>
                  {r.data.ties.map((x) => (
                    <tr key={`${x.kind}|${x.value}`} data-testid="campaign-tie" data-kind={x.kind}>
                      <td>{tieLabel(t, x.kind)}</td><td className="mono wrap-anywhere">{x.value}</td><td className="n">{num(x.members)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Panel>
            <Panel title={t('campaignImpact')} testId="campaign-impact">
              {r.data.impact.length === 0 ? <p className="muted" data-testid="campaign-no-impact">{t('campaignNoImpact')}</p> : (
                <table className="tbl">
                  <thead><tr><th>{t('org')}</th><th className="n">{t('campaignDevices')}</th><th>{t('campaignCase')}</th></tr></thead>
                  <tbody>
                    {r.data.impact.map((x) => (
                      <tr key={x.orgId} data-testid="campaign-impact-row" data-org={x.orgId} data-devices={String(x.devices)}>
                        <td>{x.org}</td><td className="n">{num(x.devices)}</td>
                        <td>{x.caseId ? <Link to={`/cases/${encodeURIComponent(x.caseId)}`} testId="campaign-case">{t('campaignCaseLink', { id: x.caseId })}</Link> : <span className="muted">—</span>}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </Panel>
            <Panel title={t('campaignPorts')} testId="campaign-ports">
              <Bars testId="campaign-port" rows={r.data.ports.map((p) => ({ key: String(p.port), label: String(p.port), value: p.members, display: num(p.members) }))} />
            </Panel>
            <Panel title={t('countries')} testId="campaign-countries">
              <Bars testId="campaign-country" rows={r.data.countries.map((c) => ({ key: c.country, label: c.country || '—', value: c.members, display: num(c.members) }))} />
              <h3 className="small">{t('asns')}</h3>
              <Bars testId="campaign-asn" rows={r.data.asns.map((a) => ({ key: String(a.asn), label: <AsnText asn={a.asn} />, value: a.members, display: num(a.members) }))} />
            </Panel>
            <Panel title={t('honeypotUrls')} testId="campaign-urls" aside={<span className="muted small">{t('honeypotNeverFetched')}</span>}>
              {r.data.urls.length === 0 ? <p className="muted">{t('honeypotNone')}</p> : (
                <ul className="plain">{r.data.urls.map((u) => <li key={u} className="mono wrap-anywhere" data-testid="campaign-url">{u}</li>)}</ul>
              )}
            </Panel>
            <Panel title={t('honeypotHashes')} testId="campaign-hashes">
              {r.data.hashes.length === 0 ? <p className="muted">{t('honeypotNone')}</p> : (
                <ul className="plain">{r.data.hashes.map((h) => <li key={h} className="mono" title={h} data-testid="campaign-hash">{shortHash(h)}</li>)}</ul>
              )}
            </Panel>
            <Panel title={t('campaignSample')} wide testId="campaign-sample" aside={<span className="muted small">{t('campaignSampleHint')}</span>}>
              {r.data.sample.length === 0 ? <p className="muted" data-testid="campaign-no-sample">{t('campaignNoSample')}</p> : (
                <table className="tbl">
                  <thead><tr><th>{t('honeypotAddress')}</th><th>{t('asn')}</th><th>{t('country')}</th><th className="n">{t('honeypotEvents')}</th><th>{t('honeypotFirstSeen')}</th><th>{t('honeypotLastSeen')}</th><th>{t('campaignTies')}</th></tr></thead>
                  <tbody>
                    {r.data.sample.map((m) => (
                      <tr key={m.ip} data-testid="campaign-member" data-ip={m.ip}>
                        <td className="mono"><Link to={hostPath(m.ip)}>{m.ip}</Link></td><td><AsnText asn={m.asn} /></td><td>{m.country || '—'}</td>
                        <td className="n">{num(m.events)}</td><td className="nowrap small">{time(m.firstSeen, false)}</td><td className="nowrap small">{time(m.lastSeen, false)}</td>
                        <td className="small">{m.ties.map((k) => tieLabel(t, k)).join(', ')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </Panel>
          </div>
        </>
      )}
    </main>
  );
}
