import type { Report, TimePoint } from '../../api.js';
import { useI18n, utcParts } from '../../i18n/index.js';
import { Bars } from '../../components/Bars.js';
import { Donut } from '../../components/Donut.js';
import { ErrorMessage, Loading, Panel, Stat } from '../../components/Panel.js';
import { TimeChart } from '../../components/TimeChart.js';
import { AsnText, CLASS_COLORS, ClassBadge, TagBadge, classLabel, countryName, orderedClasses, portLabel } from '../../components/labels.js';
import { Link, hostPath } from '../../router.js';
import { SurgesPanel } from './SurgesPanel.js';

export function ReportView({ r, points, step, seriesError, retrySeries, multiDay }: {
  r: Report;
  points: TimePoint[] | undefined;
  step: number;
  seriesError: Error | undefined;
  retrySeries: () => void;
  multiDay: boolean;
}) {
  const { t, num, pct, lang } = useI18n();
  const hourly = step < 86_400;
  return (
    <>
      <div className="stats">
        <Stat label={t('packets')} value={num(r.packets)} raw={r.packets} testId="total-packets" />
        <Stat label={t('sources')} value={num(r.sources)} raw={r.sources} testId="total-sources" />
        <Stat label={t('iotShare')} value={pct(r.iotShare)} raw={r.iotShare} testId="iot-share" hint={t('iotShareHelp')} sub={t('iotShareHelp')} />
        <Stat label={t('dosCount')} value={num(r.dosVictims.length)} raw={r.dosVictims.length} testId="dos-count" />
      </div>
      <div className="grid">
        <Panel title={hourly ? t('trafficOverTime') : t('trafficOverTimeDaily')} wide testId="traffic-panel" aside={<span className="utc-badge">{t('utc')}</span>}>
          {seriesError ? <ErrorMessage error={seriesError} retry={retrySeries} /> : points ? (
            <TimeChart
              testId="traffic-chart"
              times={points.map((p) => p.t)}
              tickLabel={(tm) => {
                const p = utcParts(tm);
                return !hourly ? p.day.slice(5) : multiDay && p.hm === '00:00' ? p.day.slice(5) : p.hm;
              }}
              tipLabel={(tm) => (hourly ? `${utcParts(tm).day} ${utcParts(tm).hm} UTC` : utcParts(tm).day)}
              series={[
                { label: t('packets'), color: '#1f4e79', values: points.map((p) => p.packets), area: true },
                { label: t('sources'), color: '#e08e0b', values: points.map((p) => p.sources) },
              ]}
            />
          ) : <Loading />}
        </Panel>
        <ClassesPanel r={r} />
        <TagsPanel r={r} />
        <PortsPanel r={r} />
        <SurgesPanel r={r} />
        <Panel title={t('countries')} testId="countries-panel">
          {r.topCountries.length === 0 ? <p className="muted">{t('none')}</p> : (
            <Bars
              testId="country-row"
              head={[t('country'), `${t('packets')} · ${t('sources')}`]}
              rows={r.topCountries.map((c) => ({
                key: c.country || '??',
                label: c.country ? <><span className="cc">{c.country}</span> {countryName(c.country, lang)}</> : <span className="muted">{t('unknown')}</span>,
                value: c.packets,
                display: <Pair a={num(c.packets)} b={num(c.sources)} />,
                attrs: { 'data-country': c.country, 'data-sources': String(c.sources) },
              }))}
            />
          )}
        </Panel>
        <Panel title={t('asns')} testId="asns-panel">
          {r.topAsns.length === 0 ? <p className="muted">{t('none')}</p> : (
            <Bars
              testId="asn-row"
              head={[`${t('asn')} · ${t('org')}`, `${t('packets')} · ${t('sources')}`]}
              rows={r.topAsns.map((a) => ({
                key: String(a.asn),
                label: <span title={a.org}><AsnText asn={a.asn} org={a.org} /></span>,
                value: a.packets,
                display: <Pair a={num(a.packets)} b={num(a.sources)} />,
                attrs: { 'data-asn': String(a.asn), 'data-org': a.org, 'data-sources': String(a.sources) },
              }))}
            />
          )}
        </Panel>
        <DosPanel r={r} />
        <SourcesPanel r={r} />
      </div>
    </>
  );
}

function Pair({ a, b }: { a: string; b: string }) {
  return <><span>{a}</span><span className="muted pair-b">{b}</span></>;
}

function ClassesPanel({ r }: { r: Report }) {
  const { t, num, pct } = useI18n();
  const classes = orderedClasses(r.classes);
  const total = classes.reduce((a, [, v]) => a + v.packets, 0);
  return (
    <Panel title={t('classes')} testId="classes-panel">
      <div className="classes">
        <Donut
          slices={classes.map(([c, v]) => ({ key: c, label: classLabel(t, c), value: v.packets, color: CLASS_COLORS[c] ?? '#adb5bd' }))}
          center={<><div className="donut-num">{num(total)}</div><div className="donut-label">{t('packets')}</div></>}
        />
        <table className="tbl">
          <thead><tr><th>{t('className')}</th><th className="n">{t('packets')}</th><th className="n">{t('share')}</th><th className="n">{t('sources')}</th></tr></thead>
          <tbody>
            {classes.map(([c, v]) => (
              <tr key={c} data-testid="class-row" data-class={c}>
                <td><ClassBadge t={t} c={c} /></td>
                <td className="n" data-testid={`class-${c}-packets`} data-value={v.packets}>{num(v.packets)}</td>
                <td className="n muted">{pct(total ? v.packets / total : 0)}</td>
                <td className="n" data-testid={`class-${c}-sources`} data-value={v.sources}>{num(v.sources)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}

function TagsPanel({ r }: { r: Report }) {
  const { t, num, pct } = useI18n();
  const tags = Object.entries(r.tags).sort((a, b) => b[1].packets - a[1].packets || a[0].localeCompare(b[0]));
  return (
    <Panel title={t('tags')} testId="tags-panel">
      {tags.length === 0 ? <p className="muted">{t('none')}</p> : (
        <table className="tbl">
          <thead><tr><th>{t('tag')}</th><th className="n">{t('packets')}</th><th className="n">{t('share')}</th><th className="n">{t('sources')}</th></tr></thead>
          <tbody>
            {tags.map(([tag, v]) => (
              <tr key={tag} data-testid="tag-row" data-tag={tag}>
                <td><TagBadge tag={tag} /></td>
                <td className="n" data-testid={`tag-${tag}-packets`} data-value={v.packets}>{num(v.packets)}</td>
                <td className="n muted">{pct(r.packets ? v.packets / r.packets : 0)}</td>
                <td className="n" data-testid={`tag-${tag}-sources`} data-value={v.sources}>{num(v.sources)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

function PortsPanel({ r }: { r: Report }) {
  const { t, num, pct } = useI18n();
  return (
    <Panel
      title={<>{t('topPorts')} <span className="h-sub">— {t('iotShare')} <b>{pct(r.iotShare)}</b></span></>}
      testId="ports-panel"
      aside={<span className="legend-iot"><span className="iot">{t('iot')}</span> {t('iotPortLegend')}</span>}
    >
      {r.rawPackets && r.rawPackets.status !== 'kept' && (
        <p className="muted small" data-testid="ports-raw-expired">{t(r.rawPackets.status === 'expired' ? 'portSourcesExpired' : 'portSourcesPartlyExpired')}</p>
      )}
      {r.topPorts.length === 0 ? <p className="muted">{t('none')}</p> : (
        <Bars
          testId="port-row"
          head={[t('protoPort'), `${t('packets')} · ${t('sources')}`]}
          rows={r.topPorts.map((p) => ({
            key: `${p.proto}/${p.port}`,
            label: <>{portLabel(p.proto, p.port)}{p.iot && <span className="iot">{t('iot')}</span>}</>,
            value: p.packets,
            display: <Pair a={num(p.packets)} b={num(p.sources)} />,
            highlight: p.iot,
            attrs: { 'data-proto': p.proto, 'data-port': String(p.port), 'data-sources': String(p.sources), 'data-iot': String(p.iot) },
          }))}
        />
      )}
    </Panel>
  );
}

function DosPanel({ r }: { r: Report }) {
  const { t, num, time, duration } = useI18n();
  return (
    <Panel title={t('dosVictims')} wide testId="dos-panel">
      {r.dosVictims.length === 0 ? <p className="muted">{t('none')}</p> : (
        <div className="scroll">
          <table className="tbl">
            <thead>
              <tr>
                <th>{t('victim')}</th><th>{t('start')}</th><th>{t('end')}</th><th className="n">{t('duration')}</th>
                <th className="n">{t('packets')}</th><th className="n">{t('peakRate')}</th><th>{t('services')}</th>
              </tr>
            </thead>
            <tbody>
              {r.dosVictims.map((d) => (
                <tr key={`${d.ip}-${d.start}`} data-testid="dos-row" data-ip={d.ip} data-value={d.packets} data-start={d.start} data-end={d.end} data-peak-rate={d.peakRate}>
                  <td className="mono"><Link to={hostPath(d.ip)}>{d.ip}</Link></td>
                  <td className="mono">{time(d.start)}</td>
                  <td className="mono">{time(d.end)}</td>
                  <td className="n">{duration(d.start, d.end)}</td>
                  <td className="n">{num(d.packets)}</td>
                  <td className="n">{num(d.peakRate)}</td>
                  <td>{(d.ports ?? []).map((p) => <span key={p} className="tag">{p}</span>)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}

function SourcesPanel({ r }: { r: Report }) {
  const { t, num } = useI18n();
  return (
    <Panel title={t('topSources')} wide testId="sources-panel">
      {r.topSources.length === 0 ? <p className="muted">{t('none')}</p> : (
        <div className="scroll">
          <table className="tbl">
            <thead>
              <tr>
                <th>{t('address')}</th><th>{t('country')}</th><th>{t('asn')}</th><th>{t('className')}</th><th>{t('tags')}</th>
                <th className="n">{t('ports')}</th><th className="n">{t('packets')}</th>
              </tr>
            </thead>
            <tbody>
              {r.topSources.map((s) => (
                <tr key={s.ip} data-testid="source-row" data-ip={s.ip} data-value={s.packets}>
                  <td className="mono"><Link to={hostPath(s.ip)} testId="source-link">{s.ip}</Link></td>
                  <td>{s.country ? <span className="cc">{s.country}</span> : <span className="muted">—</span>}</td>
                  <td><AsnText asn={s.asn} /></td>
                  <td><ClassBadge t={t} c={s.class} /></td>
                  <td>{s.tags.length ? s.tags.map((tag) => <TagBadge key={tag} tag={tag} />) : <span className="muted">—</span>}</td>
                  <td className="n">{num(s.ports)}</td>
                  <td className="n">{num(s.packets)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
