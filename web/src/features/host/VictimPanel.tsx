import type { Host } from '../../api.js';
import { useI18n } from '../../i18n/index.js';
import { Panel } from '../../components/Panel.js';

/**
 * A DoS victim: the attacks its backscatter shows, one row per episode (hours with backscatter,
 * two quiet hours in a row ending one: analyze/backscatter-episodes.ts).
 */
export function VictimPanel({ h }: { h: Host }) {
  const { t, num, time, duration, pct } = useI18n();
  const backscatter = h.classPackets['backscatter'] ?? 0;
  return (
    <Panel title={t('dosEpisodes')} wide testId="host-victim-panel" aside={<span className="utc-badge">{t('utc')}</span>}>
      <p className="small" data-testid="host-victim-summary">
        {t('victimSummary', { n: num(h.dosEpisodes.length), packets: num(backscatter), share: pct(h.packets ? backscatter / h.packets : 0) })}
        {' '}<span className="muted">{t('episodeRule')}</span>
      </p>
      <div className="scroll">
        <table className="tbl">
          <thead><tr><th>{t('start')}</th><th>{t('end')}</th><th>{t('duration')}</th><th className="n">{t('packets')}</th><th className="n">{t('peakPerHour')}</th><th>{t('peakHour')}</th></tr></thead>
          <tbody>
            {h.dosEpisodes.map((e) => (
              <tr key={e.start} data-testid="host-episode" data-start={e.start} data-end={e.end} data-packets={e.packets} data-peak={e.peak}>
                <td className="mono">{time(e.start, false)}</td>
                <td className="mono">{time(e.end, false)}</td>
                <td>{duration(e.start, e.end)}</td>
                <td className="n">{num(e.packets)}</td>
                <td className="n">{num(e.peak)}</td>
                <td className="mono">{time(e.peakHour, false)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}
