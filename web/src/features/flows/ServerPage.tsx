import { useI18n } from '../../i18n/index.js';
import { ErrorMessage, Loading, Panel, Stat } from '../../components/Panel.js';
import { TimeChart } from '../../components/TimeChart.js';
import { ColumnChart } from '../../components/ColumnChart.js';
import { useLoad } from '../../useLoad.js';
import { flowsApi } from './flowsApi.js';
import { FlowsNav } from './FlowsNav.js';
import { ScoreParts } from './ScoreParts.js';
import { protoLabel, secondsLabel } from './format.js';

/** One external server: its clients and flows per hour, its clients' connection intervals, and its score. */
export function ServerPage({ ip, port, proto }: { ip: string; port: number; proto: number }) {
  const { t, num, time } = useI18n();
  const r = useLoad(`flows-server:${ip}|${port}|${proto}`, (s) => flowsApi.server(ip, port, proto, s));
  const hm = (iso: string): string => iso.slice(11, 16);
  return (
    <main className="page" data-testid="flows-server-page">
      <h1 className="page-title">{t('flowsServerTitle', { server: ip, port, proto: protoLabel(proto) })}</h1>
      <FlowsNav current="server" />
      <p className="muted small">{t('flowsServerIntro')}</p>
      {r.state === 'loading' && <Loading />}
      {r.state === 'error' && <ErrorMessage error={r.error} retry={r.reload} />}
      {r.state === 'done' && (
        <>
          <p className="small" data-testid="flows-window">{t('flowsWindow', { from: time(r.data.from, false), to: time(r.data.to, false) })}</p>
          {r.data.candidate && (
            <div className="stats">
              <Stat label={t('flowsScore')} value={num(r.data.candidate.score, 3)} raw={r.data.candidate.score} testId="flows-server-score" />
              <Stat label={t('flowsClients')} value={num(r.data.candidate.clients)} raw={r.data.candidate.clients} testId="flows-server-clients" />
              <Stat label={t('flowsFirstSeen')} value={time(r.data.candidate.firstSeen, false)} raw={r.data.candidate.firstSeen} testId="flows-server-first" />
              <Stat label={t('flowsLastSeen')} value={time(r.data.candidate.lastSeen, false)} raw={r.data.candidate.lastSeen} testId="flows-server-last" />
            </div>
          )}
          <div className="grid">
            <Panel title={t('flowsClientsPerHour')} wide testId="flows-server-hours">
              {r.data.hours.length === 0 ? <p className="muted" data-testid="flows-server-empty">{t('flowsNoServerFlows')}</p> : (
                <TimeChart
                  testId="flows-server-chart"
                  times={r.data.hours.map((h) => h.hour)}
                  tickLabel={hm}
                  tipLabel={(h) => `${time(h, false)}`}
                  series={[
                    { label: t('flowsClients'), color: '#2f6db5', values: r.data.hours.map((h) => h.clients), area: true },
                    { label: t('flowsFlowsPerHour'), color: '#c0392b', values: r.data.hours.map((h) => h.flows) },
                  ]}
                />
              )}
            </Panel>
            <Panel title={t('flowsIntervals')} testId="flows-server-intervals" aside={t('flowsIntervalsHint')}>
              <div data-testid="flows-interval-total" data-value={String(r.data.intervals.reduce((n, b) => n + b.count, 0))}>
                <ColumnChart
                  label={t('flowsIntervals')}
                  color="#6c4f9c"
                  items={r.data.intervals.map((b) => ({
                    key: String(b.fromSeconds),
                    label: b.toSeconds === null ? t('flowsBucketOpen', { from: secondsLabel(t, b.fromSeconds) }) : secondsLabel(t, b.fromSeconds),
                    value: b.count,
                  }))}
                />
              </div>
            </Panel>
            <Panel title={t('flowsParts')} testId="flows-server-parts">
              {r.data.candidate ? <ScoreParts parts={r.data.candidate.parts} testId="flows-server-part" /> : <p className="muted" data-testid="flows-not-scored">{t('flowsNotScored')}</p>}
            </Panel>
          </div>
        </>
      )}
    </main>
  );
}
