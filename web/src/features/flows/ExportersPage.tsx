import { useI18n } from '../../i18n/index.js';
import { ErrorMessage, Loading, Panel, Stat } from '../../components/Panel.js';
import { useLoad } from '../../useLoad.js';
import { flowsApi, type FlowExporter, type FlowReportBody } from './flowsApi.js';
import { FlowsNav } from './FlowsNav.js';

/**
 * Loss as a share of what was sent, from the statistics kept since each exporter was first heard
 * (records for NetFlow v5 and IPFIX, datagrams for v9 and sFlow); null when none were kept (files).
 */
function lossOf(stats: readonly FlowExporter[], address: string, domain: number): number | null {
  const mine = stats.filter((s) => s.exporter === address && s.domain === domain);
  const sent = mine.reduce((n, s) => n + s.lost + (s.lostUnit === 'records' ? s.records : s.datagrams), 0);
  return sent > 0 ? mine.reduce((n, s) => n + s.lost, 0) / sent : null;
}

/** What was collected in the default window (the report's totals) and from which exporters. */
export function ExportersPage() {
  const { t, num, pct, time } = useI18n();
  const r = useLoad('flows-exporters', async (s): Promise<{ report: FlowReportBody; stats: FlowExporter[] }> => {
    const [report, stats] = await Promise.all([flowsApi.report(s), flowsApi.exporters(s)]);
    return { report, stats };
  });
  return (
    <main className="page" data-testid="flows-page">
      <h1 className="page-title">{t('flowsTitle')}</h1>
      <FlowsNav current="exporters" />
      <p className="muted small">{t('flowsIntro')}</p>
      {r.state === 'loading' && <Loading />}
      {r.state === 'error' && <ErrorMessage error={r.error} retry={r.reload} />}
      {r.state === 'done' && (
        <>
          <p className="small" data-testid="flows-window">{t('flowsWindow', { from: time(r.data.report.from, false), to: time(r.data.report.to, false) })}</p>
          <div className="stats">
            <Stat label={t('flowsRecords')} value={num(r.data.report.records)} raw={r.data.report.records} testId="flows-records" />
            <Stat label={t('flowsOctets')} value={num(r.data.report.octets)} raw={r.data.report.octets} testId="flows-octets" />
            <Stat label={t('flowsScaledOctets')} value={num(r.data.report.scaledOctets)} raw={r.data.report.scaledOctets} testId="flows-scaled-octets" />
            <Stat label={t('flowsPackets')} value={num(r.data.report.packets)} raw={r.data.report.packets} testId="flows-packets" />
          </div>
          <Panel title={t('flowsExporters')} wide testId="flows-exporters">
            {r.data.report.exporters.length === 0 ? <p className="muted" data-testid="flows-no-exporters">{t('flowsNoExporters')}</p> : (
              <table className="tbl">
                <thead>
                  <tr>
                    <th>{t('flowsAddress')}</th><th className="n">{t('flowsDomain')}</th><th>{t('flowsProtocol')}</th>
                    <th className="n">{t('flowsDatagrams')}</th><th className="n">{t('flowsRecords')}</th><th className="n">{t('flowsRecordsPerSecond')}</th>
                    <th className="n">{t('flowsLost')}</th><th className="n">{t('flowsLoss')}</th><th>{t('flowsSampling')}</th>
                    <th className="n">{t('flowsTemplates')}</th><th>{t('flowsLastSeen')}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.data.report.exporters.map((e) => {
                    const loss = lossOf(r.data.stats, e.address, e.domain);
                    return (
                      <tr key={`${e.address}|${e.domain}`} data-testid="flows-exporter" data-address={e.address} data-records={String(e.records)}>
                        <td className="mono">{e.address}</td>
                        <td className="n">{num(e.domain)}</td>
                        <td>{e.protocols.join(', ')}</td>
                        <td className="n">{num(e.datagrams)}</td>
                        <td className="n">{num(e.records)}</td>
                        <td className="n">{num(e.recordsPerSecond, 1)}</td>
                        <td className="n">{num(e.lost)}</td>
                        <td className="n">{loss === null ? '—' : pct(loss, 2)}</td>
                        <td>{e.samplingRates.length ? e.samplingRates.map((n) => num(n)).join(', ') : '—'}</td>
                        <td className="n">{num(e.templates)}</td>
                        <td className="nowrap small">{e.lastSeen ? time(e.lastSeen, false) : '—'}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
          </Panel>
        </>
      )}
    </main>
  );
}
