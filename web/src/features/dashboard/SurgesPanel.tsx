import type { Report } from '../../api.js';
import { useI18n } from '../../i18n/index.js';
import { Panel } from '../../components/Panel.js';
import { portLabel } from '../../components/labels.js';

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** Port surges, the most unlikely first (the API's order), and whether there was history enough to judge. */
export function SurgesPanel({ r }: { r: Report }) {
  const { t, num, time, chance } = useI18n();
  const h = r.surgeHistory;
  const surges = r.surges.slice(0, 12);
  // A chance below one in a billion reads better as a power of ten.
  const likelihood = (log10P: number): string =>
    log10P > -9 ? chance(10 ** log10P) : `1 / 10${String(Math.floor(-log10P)).split('').map((d) => SUPERSCRIPT[Number(d)]).join('')}`;
  const noHistory = h !== null && h.hoursJudged === 0 && h.hoursNotJudged > 0;
  return (
    <Panel title={t('surges')} testId="surges-panel">
      {noHistory ? (
        <p className="muted" data-testid="surges-no-history" data-have={h.hoursAvailable} data-need={h.hoursNeeded}>
          {t('surgesNoHistory', { need: num(h.hoursNeeded), have: num(h.hoursAvailable) })}
        </p>
      ) : surges.length === 0 ? <p className="muted">{t('none')}</p> : (
        <table className="tbl">
          <thead>
            <tr>
              <th>{t('protoPort')}</th><th>{t('bucket')}</th><th className="n">{t('packets')}</th><th className="n">{t('baseline')}</th>
              <th className="n">{t('ratio')}</th><th className="n" title={t('surgeChanceHelp')}>{t('surgeChance')}</th>
            </tr>
          </thead>
          <tbody>
            {surges.map((s) => (
              <tr key={`${s.proto}/${s.port}/${s.bucket}`} data-testid="surge-row" data-proto={s.proto} data-port={s.port} data-value={s.packets} data-log10p={s.log10P}>
                <td className="mono">{portLabel(s.proto, s.port)}</td>
                <td className="mono">{time(s.bucket, false)}</td>
                <td className="n">{num(s.packets)}</td>
                <td className="n">{num(s.baseline, 1)}</td>
                <td className="n"><span className="ratio">{s.baseline > 0 ? t('times', { n: num(s.ratio, 1) }) : t('newPort')}</span></td>
                <td className="n" title={t('surgeHistoryHours', { n: num(s.historyHours) })}>{likelihood(s.log10P)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!noHistory && h !== null && h.hoursNotJudged > 0 && (
        <p className="muted small" data-testid="surges-partly-judged">{t('surgesPartlyJudged', { n: num(h.hoursNotJudged), need: num(h.hoursNeeded) })}</p>
      )}
    </Panel>
  );
}
