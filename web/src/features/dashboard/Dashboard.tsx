import { api, type Report, type TimePoint } from '../../api.js';
import { useI18n } from '../../i18n/index.js';
import { Bars } from '../../components/Bars.js';
import { Message, Panel, Stat } from '../../components/Panel.js';
import { TimeChart } from '../../components/TimeChart.js';
import { Link, navigate } from '../../router.js';
import { addDays, duration, utc } from '../../format.js';
import { useLoad } from '../../useLoad.js';
import type { MessageKey } from '../../i18n/en.js';

const CLASS_COLORS: Record<string, string> = { scan: '#457b9d', backscatter: '#e76f51', other: '#8d99ae' };

export function Dashboard({ day }: { day?: string }) {
  const { t } = useI18n();
  const range = useLoad('range', api.range);
  if (range.state === 'loading') return <Message kind="info">{t('loading')}</Message>;
  if (range.state === 'error') return <Message kind="error">{t('error')}: {range.error.message}</Message>;
  if (!range.data.last) return <Message kind="info">{t('noData')}</Message>;
  const latest = new Date(Date.parse(range.data.last) - 1).toISOString().slice(0, 10);
  const first = range.data.first?.slice(0, 10) ?? latest;
  return <DayView day={day ?? latest} first={first} latest={latest} />;
}

function DayView({ day, first, latest }: { day: string; first: string; latest: string }) {
  const { t } = useI18n();
  const to = addDays(day, 1);
  const report = useLoad(`report:${day}`, () => api.report(day, to));
  const series = useLoad(`ts:${day}`, () => api.timeseries(day, to));
  return (
    <main className="dash">
      <div className="dayline">
        <button disabled={day <= first} onClick={() => navigate(`/?day=${addDays(day, -1)}`)} data-testid="prev-day">{t('previousDay')}</button>
        <label>
          {t('day')}{' '}
          <input type="date" value={day} min={first} max={latest} onChange={(e) => e.target.value && navigate(`/?day=${e.target.value}`)} data-testid="day-input" />
        </label>
        <button disabled={day >= latest} onClick={() => navigate(`/?day=${addDays(day, 1)}`)} data-testid="next-day">{t('nextDay')}</button>
        <span className="muted">{t('timesInUtc')}</span>
      </div>
      {report.state === 'loading' && <Message kind="info">{t('loading')}</Message>}
      {report.state === 'error' && <Message kind="error">{t('error')}: {report.error.message}</Message>}
      {report.state === 'done' && <ReportView r={report.data} points={series.state === 'done' ? series.data.points : []} />}
    </main>
  );
}

function ReportView({ r, points }: { r: Report; points: TimePoint[] }) {
  const { t, num, pct } = useI18n();
  const classKey = (c: string): MessageKey => (`class_${c}` as MessageKey);
  return (
    <>
      <div className="stats">
        <Stat label={t('packets')} value={num(r.packets)} raw={r.packets} testId="total-packets" />
        <Stat label={t('sources')} value={num(r.sources)} raw={r.sources} testId="total-sources" />
        <Stat label={t('iotShare')} value={pct(r.iotShare)} raw={r.iotShare} testId="iot-share" hint={t('iotShareHelp')} />
        <Stat label={t('dosVictims')} value={num(r.dosVictims.length)} raw={r.dosVictims.length} testId="dos-count" />
      </div>
      <div className="grid">
        <Panel title={t('trafficOverTime')} wide>
          <TimeChart
            times={points.map((p) => p.t)}
            series={[
              { label: t('packets'), color: '#1d3557', values: points.map((p) => p.packets) },
              { label: t('sources'), color: '#e9a23b', values: points.map((p) => p.sources) },
            ]}
          />
        </Panel>
        <Panel title={t('classes')}>
          <div className="stack" aria-hidden>
            {Object.entries(r.classes).map(([c, v]) => (
              <div key={c} style={{ flex: Math.max(v.packets, 0.0001), background: CLASS_COLORS[c] ?? '#999' }} title={c} />
            ))}
          </div>
          <table className="tbl">
            <thead><tr><th>{t('klass')}</th><th className="n">{t('packets')}</th><th className="n">{t('sources')}</th></tr></thead>
            <tbody>
              {Object.entries(r.classes).map(([c, v]) => (
                <tr key={c}>
                  <td><span className="dot" style={{ background: CLASS_COLORS[c] ?? '#999' }} />{t(classKey(c))}</td>
                  <td className="n" data-testid={`class-${c}-packets`} data-value={v.packets}>{num(v.packets)}</td>
                  <td className="n" data-testid={`class-${c}-sources`} data-value={v.sources}>{num(v.sources)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
        <Panel title={t('tags')}>
          <table className="tbl">
            <thead><tr><th></th><th className="n">{t('packets')}</th><th className="n">{t('sources')}</th></tr></thead>
            <tbody>
              {Object.entries(r.tags).map(([tag, v]) => (
                <tr key={tag}>
                  <td><span className="tag">{tag}</span></td>
                  <td className="n" data-testid={`tag-${tag}-packets`} data-value={v.packets}>{num(v.packets)}</td>
                  <td className="n" data-testid={`tag-${tag}-sources`} data-value={v.sources}>{num(v.sources)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
        <Panel title={`${t('topPorts')} — ${t('iotShare')} ${pct(r.iotShare)}`}>
          <Bars
            testId="port-row"
            rows={r.topPorts.map((p) => ({
              key: `${p.proto}/${p.port}`,
              label: <>{p.proto === 'icmp' || p.proto === 'icmpv6' ? p.proto.toUpperCase() : `${p.proto}/${p.port}`}{p.iot && <span className="iot">{t('iot')}</span>}</>,
              value: p.packets,
              display: `${num(p.packets)} · ${num(p.sources)}`,
              highlight: p.iot,
              attrs: { 'data-proto': p.proto, 'data-port': String(p.port), 'data-sources': String(p.sources) },
            }))}
          />
        </Panel>
        <Panel title={t('countries')}>
          <Bars testId="country-row" rows={r.topCountries.map((c) => ({ key: c.country || '??', label: <>{c.country || '—'}</>, value: c.packets, display: `${num(c.packets)} · ${num(c.sources)}`, attrs: { 'data-country': c.country } }))} />
        </Panel>
        <Panel title={t('asns')}>
          <Bars testId="asn-row" rows={r.topAsns.map((a) => ({ key: String(a.asn), label: <>AS{a.asn} <span className="muted">{a.org}</span></>, value: a.packets, display: `${num(a.packets)} · ${num(a.sources)}`, attrs: { 'data-asn': String(a.asn) } }))} />
        </Panel>
        <Panel title={t('dosVictims')} wide>
          {r.dosVictims.length === 0 ? <p className="muted">{t('none')}</p> : (
            <table className="tbl">
              <thead><tr><th>{t('victim')}</th><th>{t('start')}</th><th>{t('end')}</th><th>{t('duration')}</th><th className="n">{t('packets')}</th><th className="n">{t('peakRate')}</th><th>{t('protoPort')}</th></tr></thead>
              <tbody>
                {r.dosVictims.map((d) => (
                  <tr key={`${d.ip}-${d.start}`} data-testid="dos-row" data-ip={d.ip} data-value={d.packets}>
                    <td><Link to={`/hosts/${encodeURIComponent(d.ip)}`}>{d.ip}</Link></td>
                    <td>{utc(d.start)}</td><td>{utc(d.end)}</td><td>{duration(d.start, d.end)}</td>
                    <td className="n">{num(d.packets)}</td><td className="n">{num(d.peakRate)}</td>
                    <td>{(d.ports ?? []).join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Panel>
        <Panel title={t('surges')}>
          {r.surges.length === 0 ? <p className="muted">{t('none')}</p> : (
            <table className="tbl">
              <thead><tr><th>{t('protoPort')}</th><th>{t('hour')}</th><th className="n">{t('packets')}</th><th className="n">{t('baseline')}</th><th className="n">{t('ratio')}</th></tr></thead>
              <tbody>
                {r.surges.slice(0, 10).map((s) => (
                  <tr key={`${s.proto}/${s.port}/${s.bucket}`} data-testid="surge-row">
                    <td>{s.proto}/{s.port}</td><td>{utc(s.bucket).slice(0, 16)}</td><td className="n">{num(s.packets)}</td>
                    <td className="n">{num(Math.round(s.baseline))}</td><td className="n">×{s.ratio.toFixed(1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Panel>
        <Panel title={t('topSources')} wide>
          <table className="tbl">
            <thead><tr><th>{t('address')}</th><th>{t('country')}</th><th>{t('asn')}</th><th>{t('klass')}</th><th>{t('tags')}</th><th className="n">{t('ports')}</th><th className="n">{t('packets')}</th></tr></thead>
            <tbody>
              {r.topSources.map((s) => (
                <tr key={s.ip} data-testid="source-row" data-ip={s.ip} data-value={s.packets}>
                  <td><Link to={`/hosts/${encodeURIComponent(s.ip)}`} testId="source-link">{s.ip}</Link></td>
                  <td>{s.country}</td><td>{s.asn ? `AS${s.asn}` : '—'}</td>
                  <td>{t(classKey(s.class))}</td>
                  <td>{s.tags.map((tag) => <span key={tag} className="tag">{tag}</span>)}</td>
                  <td className="n">{num(s.ports)}</td><td className="n">{num(s.packets)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
      </div>
    </>
  );
}
