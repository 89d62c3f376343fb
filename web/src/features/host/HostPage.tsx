import { api, ApiError, type Host } from '../../api.js';
import { useI18n, utcParts } from '../../i18n/index.js';
import { ColumnChart } from '../../components/ColumnChart.js';
import { ErrorMessage, Loading, Message, Panel, Stat } from '../../components/Panel.js';
import { AsnText, CLASS_COLORS, TagBadge, classLabel, countryName, orderedClasses, portLabel } from '../../components/labels.js';
import { Link } from '../../router.js';
import { useLoad } from '../../useLoad.js';
import { ExposureSection } from './ExposureSection.js';
import { HostCasesPanel } from './HostCasesPanel.js';
import { HostIndicatorsPanel } from './HostIndicatorsPanel.js';
import { VictimPanel } from './VictimPanel.js';
import { HoneypotPanel } from './HoneypotPanel.js';
import { TimelinePanel } from './TimelinePanel.js';
import { VerdictBadge, VerdictPanel } from './VerdictPanel.js';
import { hourSeries } from './hourly.js';

/** One address: what it sent to the darknet and what it exposes. */
export function HostPage({ ip }: { ip: string }) {
  const { t } = useI18n();
  const host = useLoad(`host:${ip}`, (s) => api.host(ip, s));
  return (
    <main className="page" data-testid="host-page">
      <div className="crumbs"><Link to="/" testId="back">{t('back')}</Link></div>
      {host.state === 'loading' && <Loading />}
      {host.state === 'error' && (
        host.error instanceof ApiError && host.error.code === 'NOT_FOUND' ? (
          <Message kind="info" testId="host-not-found"><span className="mono">{ip}</span> — {t('hostNotFound')}</Message>
        ) : host.error instanceof ApiError && host.error.code === 'BAD_IP' ? (
          <Message kind="info" testId="host-bad-ip"><span className="mono">{ip}</span> — {t('badIp')}</Message>
        ) : <ErrorMessage error={host.error} retry={host.reload} />
      )}
      {host.state === 'done' && <HostView h={host.data} />}
    </main>
  );
}

/** An instant on two lines: the UTC day, then the time with the zone named. */
function When({ iso }: { iso: string }) {
  const p = utcParts(iso);
  if (!p.hms) return <span className="mono small-val">{iso}</span>;
  return <span className="when"><span className="mono">{p.day}</span><span className="mono">{p.hms} <span className="utc-badge">UTC</span></span></span>;
}

function HostView({ h }: { h: Host }) {
  const { t, lang } = useI18n();
  return (
    <>
      <div className="host-head">
        <h1 className="host-title">
          <span className="host-label">{t('host')}</span>
          <span className="mono" data-testid="host-ip" data-value={h.ip}>{h.ip}</span>
          {' '}<VerdictBadge v={h.verdict} />
        </h1>
        <dl className="host-meta">
          <div><dt>{t('country')}</dt><dd data-testid="host-country" data-value={h.country ?? ''}>{h.country ? <><span className="cc">{h.country}</span> {countryName(h.country, lang)}</> : <span className="muted">{t('unknown')}</span>}</dd></div>
          <div><dt>{t('asn')}</dt><dd data-testid="host-asn" data-value={h.asn ?? ''}><AsnText asn={h.asn} /></dd></div>
          <div><dt>{t('org')}</dt><dd data-testid="host-org" data-value={h.org ?? ''}>{h.org || <span className="muted">{t('unknown')}</span>}</dd></div>
        </dl>
      </div>
      <VerdictPanel v={h.verdict} />
      {h.seenInDarknet === false ? (
        <Message kind="info" testId="host-not-in-darknet">{t('notSeenInDarknet')}</Message>
      ) : <DarknetView h={h} />}
      <HostCasesPanel ip={h.ip} />
      <HostIndicatorsPanel indicators={h.indicators} />
      <HoneypotPanel hp={h.honeypot} />
      <TimelinePanel timeline={h.timeline} truncated={h.timelineTruncated} />
      <ExposureSection x={h.exposure} />
    </>
  );
}

function DarknetView({ h }: { h: Host }) {
  const { t, num, pct, chance, lang } = useI18n();
  const classPackets = h.classPackets ? orderedClasses(h.classPackets) : [];
  const portTotal = h.ports.reduce((a, p) => a + p.packets, 0);
  return (
    <>
      <h2 className="section-title">{t('darknetActivity')}</h2>
      <div className="stats">
        <Stat label={t('packets')} value={num(h.packets)} raw={h.packets} testId="host-packets" />
        <Stat label={t('className')} value={<span style={{ color: CLASS_COLORS[h.class] }}>{h.class === 'backscatter' ? t('dosVictim') : classLabel(t, h.class)}</span>} raw={h.class} testId="host-class"
          {...(h.class === 'backscatter' ? { sub: t('dosVictimHint') } : {})} />
        <Stat label={t('firstSeen')} value={<When iso={h.firstSeen} />} raw={h.firstSeen} testId="host-first-seen" />
        <Stat label={t('lastSeen')} value={<When iso={h.lastSeen} />} raw={h.lastSeen} testId="host-last-seen" />
        {h.distinctPorts !== undefined && <Stat label={t('distinctPorts')} value={num(h.distinctPorts)} raw={h.distinctPorts} testId="host-distinct-ports" />}
        {h.darknetAddresses !== undefined && <Stat label={t('darknetAddresses')} value={num(h.darknetAddresses)} raw={h.darknetAddresses} testId="host-darknet-addresses" />}
      </div>
      <div className="grid">
        <Panel title={t('tags')} wide testId="host-tags-panel">
          {h.tags.length === 0 ? <p className="muted">{t('none')}</p> : (
            <div className="scroll">
              <table className="tbl">
                <thead>
                  <tr>
                    <th>{t('tag')}</th><th className="n">{t('confidence')}</th><th className="n">{t('matching')}</th>
                    <th className="n">{t('matchShare')}</th><th className="n">{t('falseMatch')}</th><th>{t('evidence')}</th>
                  </tr>
                </thead>
                <tbody>
                  {h.tags.map((g) => {
                    const desc = lang === 'ja' ? g.descriptionJa ?? g.description : g.description;
                    const evidence = t('evidenceText', { share: pct(g.share), matched: num(g.packets), applicable: num(g.applicable), appliesTo: lang === 'ja' ? g.appliesToJa : g.appliesTo, chance: chance(g.falseMatchChance) });
                    return (
                      <tr key={g.tag} title={evidence} data-testid="host-tag" data-tag={g.tag} data-value={g.confidence} data-share={g.share} data-applicable={g.applicable} data-false-match={g.falseMatchChance}>
                        <td><TagBadge tag={g.tag} /></td>
                        <td className="n" title={t('confidenceHint', { prior: pct(g.prior), pValue: tinyChance(g.pValue) })}>
                          <div className="conf"><div className="conf-bar"><div style={{ width: `${Math.min(100, g.confidence * 100)}%` }} /></div><b>{pct(g.confidence)}</b></div>
                        </td>
                        <td className="n">{num(g.packets)} / {num(g.applicable)} <span className="muted small">{lang === 'ja' ? g.appliesToJa : g.appliesTo}</span></td>
                        <td className="n">{pct(g.share)}</td>
                        <td className="n" title={String(g.falseMatchChance)}>{chance(g.falseMatchChance)} <span className="muted small">{t('perPacket')}</span></td>
                        <td className="evidence">
                          <div>{evidence}</div>
                          {desc && <div className="muted small">{desc}</div>}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </Panel>
        <Panel title={t('portsTargeted')} testId="host-ports-panel">
          {h.rawPackets.status === 'expired' ? (
            <p className="muted" data-testid="host-raw-expired">{t('portsExpired', { n: num(h.distinctPorts), days: num(h.rawPackets.retentionDays) })}</p>
          ) : h.ports.length === 0 ? (
            <p className="muted">{t('none')}</p>
          ) : (
            <div className="scroll short">
              {h.rawPackets.status === 'partly-expired' && (
                <p className="muted small" data-testid="host-raw-partly-expired">{t('portsPartlyExpired', { kept: num(h.rawPackets.kept), packets: num(h.packets), days: num(h.rawPackets.retentionDays) })}</p>
              )}
              <table className="tbl">
                <thead><tr><th>{t('protoPort')}</th><th className="n">{t('packets')}</th><th className="n">{t('share')}</th></tr></thead>
                <tbody>
                  {h.ports.map((p) => (
                    <tr key={`${p.proto}/${p.port}`} data-testid="host-port-row" data-proto={p.proto} data-port={p.port} data-value={p.packets}>
                      <td className="mono">{portLabel(p.proto, p.port)}</td>
                      <td className="n">{num(p.packets)}</td>
                      <td className="n muted">{pct(portTotal ? p.packets / portTotal : 0)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Panel>
        <Panel title={t('classBreakdown')} testId="host-classes-panel">
          {classPackets.length === 0 ? <p className="muted">{classLabel(t, h.class)}</p> : (
            <>
              <div className="stack" aria-hidden>
                {classPackets.map(([c, v]) => <div key={c} style={{ flexGrow: v, background: CLASS_COLORS[c] ?? '#adb5bd' }} />)}
              </div>
              <table className="tbl">
                <tbody>
                  {classPackets.map(([c, v]) => (
                    <tr key={c}>
                      <td><span className="dot" style={{ background: CLASS_COLORS[c] ?? '#adb5bd' }} />{classLabel(t, c)}</td>
                      <td className="n">{num(v)}</td>
                      <td className="n muted">{pct(h.packets ? v / h.packets : 0)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </Panel>
        {h.dosEpisodes.length > 0 && <VictimPanel h={h} />}
        {h.hourly.length > 0 && (
          <Panel title={t('hourlyActivity')} wide testId="host-hourly-panel" aside={<span className="utc-badge">{t('utc')}</span>}>
            <ColumnChart label={t('hourlyActivity')} height={200} items={hourSeries(h.hourly).map((x) => ({ key: x.hour, label: `${x.hour.slice(5, 10)} ${x.hour.slice(11, 13)}h`, value: x.packets }))} />
            <p className="muted small" data-testid="host-hourly-note" data-hours={h.hourly.length} data-packets={h.hourly.reduce((a, x) => a + x.packets, 0)}>{t('hourlyNote')}</p>
          </Panel>
        )}
        <Panel title={t('dailyActivity')} wide testId="host-daily-panel" aside={<span className="utc-badge">{t('utc')}</span>}>
          <ColumnChart label={t('dailyActivity')} items={h.daily.map((d) => ({ key: d.day, label: d.day, value: d.packets }))} />
          <table className="tbl">
            <thead><tr><th>{t('day')}</th><th className="n">{t('packets')}</th><th className="n">{t('ports')}</th></tr></thead>
            <tbody>
              {h.daily.map((d) => (
                <tr key={d.day} data-testid="host-day-row" data-day={d.day} data-value={d.packets}>
                  <td className="mono">{d.day}</td><td className="n">{num(d.packets)}</td><td className="n">{num(d.ports)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
      </div>
    </>
  );
}

/** A p-value, however small (they underflow to 0 below about 1e-308). */
function tinyChance(p: number): string {
  if (p >= 0.001) return p.toFixed(3);
  return p < 1e-300 ? '< 1e-300' : p.toExponential(1);
}
