import { useState } from 'react';
import { useI18n } from '../../i18n/index.js';
import { ErrorMessage, Loading, Panel } from '../../components/Panel.js';
import { useLoad } from '../../useLoad.js';
import { shareApi } from './shareApi.js';
import { ShareNav } from './ShareNav.js';

/** The egress audit: every object version that left the hub, to whom, when, by which path and why (platform admins all; an organisation's admin its side). */
export function EgressPage() {
  const { t, time } = useI18n();
  const [pages, setPages] = useState<(number | null)[]>([null]);
  const before = pages[pages.length - 1] ?? null;
  const r = useLoad(`share-egress:${before ?? ''}`, (s) => shareApi.egress(before, s));
  return (
    <main className="page" data-testid="egress-page">
      <h1 className="page-title">{t('shareEgress')}</h1>
      <ShareNav current="egress" />
      <p className="muted small">{t('shareEgressIntro')}</p>
      {r.state === 'loading' && <Loading />}
      {r.state === 'error' && <ErrorMessage error={r.error} retry={r.reload} />}
      {r.state === 'done' && (
        <Panel title={t('shareEgress')} wide testId="egress-panel">
          {r.data.entries.length === 0 ? <p className="muted" data-testid="egress-empty">{t('shareEgressEmpty')}</p> : (
            <table className="tbl">
              <thead><tr><th>{t('shareWhen')}</th><th>{t('shareTo')}</th><th>{t('shareObject')}</th><th>{t('sharePath')}</th><th>{t('shareReason')}</th></tr></thead>
              <tbody>
                {r.data.entries.map((e) => (
                  <tr key={e.id} data-testid="egress-row" data-path={e.path}>
                    <td className="nowrap small">{time(e.at, false)}</td>
                    <td className="small">{e.userId}{e.orgId ? <div className="muted">{e.orgId}</div> : null}</td>
                    <td className="small"><code>{e.objectId}</code><div className="muted">{e.version}</div></td>
                    <td>{e.path}</td>
                    <td className="small">{e.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <div className="pager-row">
            {pages.length > 1 && <button type="button" onClick={() => setPages(pages.slice(0, -1))}>{t('sharePrev')}</button>}
            {r.data.next !== null && <button type="button" onClick={() => setPages([...pages, r.data.next])} data-testid="egress-next">{t('shareNext')}</button>}
          </div>
        </Panel>
      )}
    </main>
  );
}
