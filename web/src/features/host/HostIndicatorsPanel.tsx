import type { Host } from '../../api.js';
import { useI18n } from '../../i18n/index.js';
import { Panel } from '../../components/Panel.js';
import { TlpBadge } from '../../components/TlpBadge.js';
import { Link, shareObjectPath } from '../../router.js';

/** Shared indicators whose pattern names the address: only those the sharing policy lets the viewer receive (the server decides). */
export function HostIndicatorsPanel({ indicators }: { indicators: Host['indicators'] }) {
  const { t, time } = useI18n();
  return (
    <Panel title={t('hostIndicatorsTitle')} wide testId="host-indicators-panel">
      {indicators.length === 0 ? <p className="muted" data-testid="host-no-indicators">{t('hostNoIndicators')}</p> : (
        <ul className="plain" data-testid="host-indicators" data-total={indicators.length}>
          {indicators.map((i) => (
            <li key={`${i.collection}|${i.id}`} data-testid="host-indicator" data-id={i.id} data-revoked={i.revoked}>
              <TlpBadge tlp={i.tlp} /> <Link to={shareObjectPath(i.id, i.collection)}><span className="mono small">{i.id}</span></Link>
              {i.confidence !== null && <span className="muted small"> · {t('indicatorConfidence', { n: String(i.confidence) })}</span>}
              {i.validUntil && <span className="muted small"> · {t('indicatorValidUntil', { time: time(i.validUntil) })}</span>}
              {i.revoked && <span className="state state-closed"> {t('indicatorRevoked')}</span>}
              {i.labels.length > 0 && <span className="small"> · {i.labels.join(', ')}</span>}
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
