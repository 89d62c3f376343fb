import type { Host } from '../../api.js';
import { useI18n, type Translate } from '../../i18n/index.js';
import { Panel } from '../../components/Panel.js';
import { SOURCE_WORDS } from './VerdictPanel.js';

type Entry = Host['timeline'][number];

/** Entries shown, the most recent; the API keeps at most 500. */
const SHOWN = 200;

const v = (e: Entry, k: string): string => {
  const x = e.detail[k];
  return x === null || x === undefined ? '' : String(x);
};

/** One entry in the reader's language from its kind and facts; a kind this console does not know shows the server's line. */
function line(t: Translate, e: Entry): string {
  switch (e.kind) {
    case 'scan': return t('tlScan', { packets: v(e, 'packets'), ports: v(e, 'ports') || '—' });
    case 'other': return t('tlOther', { packets: v(e, 'packets'), ports: v(e, 'ports') || '—' });
    case 'backscatter': return t('tlBackscatter', { packets: v(e, 'packets'), peak: v(e, 'peak') });
    case 'session': return t('tlSession', { honeypot: v(e, 'honeypot'), proto: v(e, 'proto'), port: v(e, 'port'), logins: v(e, 'logins'), loginsOk: v(e, 'loginsOk'), commands: v(e, 'commands') });
    case 'login': return t('tlLogin', { username: v(e, 'username'), password: v(e, 'password') });
    case 'download': return t('tlDownload', { url: v(e, 'url') || v(e, 'sha256') });
    case 'upload': return t('tlUpload', { sha256: v(e, 'sha256') });
    case 'exposure': return t('tlExposure', { transport: v(e, 'transport'), port: v(e, 'port'), service: v(e, 'service') });
    case 'default-credential': return t('tlDefaultCredential', { transport: v(e, 'transport'), port: v(e, 'port'), service: v(e, 'service'), list: v(e, 'list') });
    case 'server': return t('tlServer', { flows: v(e, 'flows'), ports: v(e, 'ports') });
    case 'shared': return t('tlShared', { id: v(e, 'id') });
    case 'cnc-candidate': return t('tlCncCandidate', { id: v(e, 'id') });
    default: return e.summary;
  }
}

/** Everything known about the address in time order, newest at the top. */
export function TimelinePanel({ timeline, truncated }: { timeline: Host['timeline']; truncated: number }) {
  const { t, time, num } = useI18n();
  const shown = timeline.slice(-SHOWN).reverse();
  const hidden = timeline.length - shown.length + truncated;
  return (
    <Panel title={t('timelineTitle')} wide testId="host-timeline-panel" aside={<span className="utc-badge">{t('utc')}</span>}>
      {timeline.length === 0 ? <p className="muted" data-testid="host-timeline-empty">{t('timelineEmpty')}</p> : (
        <div className="scroll">
          <table className="tbl" data-testid="host-timeline" data-total={timeline.length} data-truncated={truncated}>
            <thead><tr><th>{t('timelineWhen')}</th><th>{t('timelineSource')}</th><th>{t('timelineWhat')}</th></tr></thead>
            <tbody>
              {shown.map((e, i) => (
                <tr key={`${e.at}-${e.source}-${e.kind}-${i}`} data-testid="host-timeline-entry" data-source={e.source} data-kind={e.kind} data-at={e.at}>
                  <td className="mono small">{time(e.at)}{e.until && e.until !== e.at ? <><br /><span className="muted">– {time(e.until)}</span></> : null}</td>
                  <td>{t(SOURCE_WORDS[e.source])}</td>
                  <td className="small">{line(t, e)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {hidden > 0 && <p className="muted small" data-testid="host-timeline-truncated" data-value={hidden}>{t('timelineTruncated', { n: num(hidden) })}</p>}
    </Panel>
  );
}
