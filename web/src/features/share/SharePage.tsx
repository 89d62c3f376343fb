import { useState } from 'react';
import { useI18n } from '../../i18n/index.js';
import { ErrorMessage, Loading, Panel } from '../../components/Panel.js';
import { TlpBadge } from '../../components/TlpBadge.js';
import { Link, sharePath, shareObjectPath } from '../../router.js';
import { useLoad } from '../../useLoad.js';
import { shareApi, type ShareCollection, type ShareObjectSummary } from './shareApi.js';
import { ShareNav } from './ShareNav.js';

const TYPES = ['', 'indicator', 'sighting', 'observed-data', 'infrastructure', 'malware', 'relationship', 'report', 'note', 'opinion', 'incident', 'identity', 'marking-definition'];

/**
 * The sharing hub's collections and, for the one chosen, its objects as this user may receive
 * them: the server's sharing policy decides each one and audits what is shown.
 */
export function SharePage({ collection, type }: { collection?: string; type?: string }) {
  const { t } = useI18n();
  const r = useLoad('share-collections', (s) => shareApi.collections(s));
  const chosen = r.state === 'done' ? (r.data.find((c) => c.id === collection || c.alias === collection) ?? r.data.find((c) => c.canRead)) : undefined;
  return (
    <main className="page" data-testid="share-page">
      <h1 className="page-title">{t('shareTitle')}</h1>
      <ShareNav current="collections" />
      <p className="muted small">{t('shareIntro')}</p>
      {r.state === 'loading' && <Loading />}
      {r.state === 'error' && <ErrorMessage error={r.error} retry={r.reload} />}
      {r.state === 'done' && (r.data.length === 0 ? <p className="muted" data-testid="share-no-collections">{t('shareNoCollections')}</p> : (
        <div className="share-layout">
          <Panel title={t('shareCollections')} testId="share-collections">
            <ul className="collection-list">
              {r.data.map((c) => <CollectionItem key={c.id} c={c} active={c.id === chosen?.id} />)}
            </ul>
          </Panel>
          {chosen && <Objects key={`${chosen.id}:${type ?? ''}`} c={chosen} type={type ?? ''} />}
        </div>
      ))}
    </main>
  );
}

function CollectionItem({ c, active }: { c: ShareCollection; active: boolean }) {
  const { t } = useI18n();
  return (
    <li className={active ? 'active' : ''} data-testid="share-collection" data-id={c.id}>
      {c.canRead ? <Link to={sharePath(c.alias ?? c.id)}>{c.title}</Link> : <span>{c.title}</span>}
      <div className="muted small">
        {c.canRead ? t('shareCanRead') : ''}{c.canRead && c.canWrite ? ' · ' : ''}{c.canWrite ? t('shareCanWrite') : ''}
        {c.description ? ` — ${c.description}` : ''}
      </div>
    </li>
  );
}

function Objects({ c, type }: { c: ShareCollection; type: string }) {
  const { t, time } = useI18n();
  const [pages, setPages] = useState<(string | null)[]>([null]);
  const after = pages[pages.length - 1] ?? null;
  const r = useLoad(`share-objects:${c.id}:${type}:${after ?? ''}`, (s) => shareApi.objects(c.id, type, after, s));
  return (
    <Panel title={c.title} wide testId="share-objects" aside={
      <label className="small">{t('shareType')}{' '}
        <select value={type} onChange={(e) => { window.history.pushState(null, '', sharePath(c.alias ?? c.id, e.target.value)); window.dispatchEvent(new PopStateEvent('popstate')); }} data-testid="share-type">
          {TYPES.map((x) => <option key={x} value={x}>{x || t('shareAllTypes')}</option>)}
        </select>
      </label>
    }>
      {r.state === 'loading' && <Loading />}
      {r.state === 'error' && <ErrorMessage error={r.error} retry={r.reload} />}
      {r.state === 'done' && (r.data.objects.length === 0 ? <p className="muted" data-testid="share-no-objects">{t('shareNoObjects')}</p> : (
        <>
          <table className="tbl">
            <thead><tr><th>TLP</th><th>{t('shareType')}</th><th>{t('shareWhat')}</th><th>{t('shareVersion')}</th><th>{t('shareAdded')}</th></tr></thead>
            <tbody>
              {r.data.objects.map((o: ShareObjectSummary) => (
                <tr key={`${o.id}|${o.version}`} data-testid="share-object" data-id={o.id}>
                  <td><TlpBadge tlp={o.tlp} /></td>
                  <td className="nowrap">{o.type}{o.revoked && <span className="badge bad">{t('shareRevoked')}</span>}</td>
                  <td><Link to={shareObjectPath(o.id, c.alias ?? c.id)}>{o.label || o.id}</Link></td>
                  <td className="nowrap small">{time(o.version, false)}</td>
                  <td className="nowrap small">{time(o.dateAdded, false)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="pager-row">
            {pages.length > 1 && <button type="button" onClick={() => setPages(pages.slice(0, -1))} data-testid="share-prev">{t('sharePrev')}</button>}
            {r.data.next && <button type="button" onClick={() => setPages([...pages, r.data.next])} data-testid="share-next">{t('shareNext')}</button>}
          </div>
        </>
      ))}
    </Panel>
  );
}
