import { useI18n } from '../../i18n/index.js';
import { ErrorMessage, Loading, Panel } from '../../components/Panel.js';
import { useLoad } from '../../useLoad.js';
import { shareApi } from './shareApi.js';
import { ShareNav } from './ShareNav.js';

/** Incoming feeds: the remote TAXII collections this hub pulls, with their cursors and errors (platform admins). */
export function FeedsPage() {
  const { t, num, time } = useI18n();
  const r = useLoad('share-feeds', (s) => shareApi.feeds(s));
  return (
    <main className="page" data-testid="feeds-page">
      <h1 className="page-title">{t('shareFeeds')}</h1>
      <ShareNav current="feeds" />
      <p className="muted small">{t('shareFeedsIntro')}</p>
      {r.state === 'loading' && <Loading />}
      {r.state === 'error' && <ErrorMessage error={r.error} retry={r.reload} />}
      {r.state === 'done' && (
        <Panel title={t('shareFeeds')} wide testId="feeds-panel">
          {r.data.length === 0 ? <p className="muted" data-testid="feeds-empty">{t('shareFeedsEmpty')}</p> : (
            <table className="tbl">
              <thead><tr><th>{t('shareFeedRemote')}</th><th>{t('shareFeedInto')}</th><th>{t('shareFeedObjects')}</th><th>{t('shareFeedRefused')}</th><th>{t('shareFeedLast')}</th><th>{t('shareFeedCursor')}</th></tr></thead>
              <tbody>
                {r.data.map((f) => (
                  <tr key={f.id} data-testid="feed-row">
                    <td><code>{f.apiRoot}</code><div className="muted small">{f.remoteCollection}</div></td>
                    <td className="small">{f.localCollection}</td>
                    <td className="num">{num(f.objectsReceived)}</td>
                    <td className="num">{num(f.objectsFailed)}</td>
                    <td className="small">{f.lastPullAt ? time(f.lastPullAt, false) : t('shareNever')}{f.lastError && <div className="badge bad" data-testid="feed-error">{f.lastError}</div>}</td>
                    <td className="small">{f.addedAfter ?? '—'}{f.next ? ` (${t('shareFeedPaging')})` : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Panel>
      )}
    </main>
  );
}
