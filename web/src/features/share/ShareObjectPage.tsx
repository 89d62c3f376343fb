import { useI18n } from '../../i18n/index.js';
import { ErrorMessage, Loading, Panel } from '../../components/Panel.js';
import { TlpBadge } from '../../components/TlpBadge.js';
import { Link, hostPath, sharePath } from '../../router.js';
import { useLoad } from '../../useLoad.js';
import { shareApi } from './shareApi.js';
import { ShareNav } from './ShareNav.js';

/** Addresses an indicator's pattern names by equality: each links to its host page. */
export function addressesOf(pattern: unknown): string[] {
  if (typeof pattern !== 'string') return [];
  const out = new Set<string>();
  for (const m of pattern.matchAll(/ipv[46]-addr:value\s*=\s*'([^'\\]+)'/g)) if (m[1]) out.add(m[1].replace(/\/(32|128)$/, ''));
  return [...out];
}

/** One object as this user may receive it: its TLP, its versions, its JSON exactly as posted, and the hosts an indicator names. */
export function ShareObjectPage({ id, collection }: { id: string; collection: string }) {
  const { t, time } = useI18n();
  const r = useLoad(`share-object:${collection}:${id}`, (s) => shareApi.object(id, collection, s));
  const newest = r.state === 'done' ? r.data.versions[r.data.versions.length - 1] : undefined;
  const object = r.state === 'done' && r.data.object && typeof r.data.object === 'object' ? (r.data.object as Record<string, unknown>) : undefined;
  const hosts = addressesOf(object?.['pattern']).filter((a) => !a.includes('/'));
  return (
    <main className="page" data-testid="share-object-page">
      <h1 className="page-title">{typeof object?.['name'] === 'string' ? object['name'] : id}</h1>
      <ShareNav current="collections" />
      <p><Link to={sharePath(collection)}>← {t('shareBack')}</Link></p>
      {r.state === 'loading' && <Loading />}
      {r.state === 'error' && <ErrorMessage error={r.error} retry={r.reload} />}
      {r.state === 'done' && (
        <>
          <div className="stats">
            <div className="stat"><div className="stat-label">TLP</div><div className="stat-value">{newest && <TlpBadge tlp={newest.tlp} />}</div></div>
            <div className="stat"><div className="stat-label">{t('shareType')}</div><div className="stat-value" data-testid="share-object-type">{typeof object?.['type'] === 'string' ? object['type'] : ''}</div></div>
            <div className="stat"><div className="stat-label">{t('shareVersions')}</div><div className="stat-value" data-testid="share-object-versions">{r.data.versions.length}</div></div>
          </div>
          {hosts.length > 0 && (
            <Panel title={t('shareHosts')} testId="share-object-hosts">
              <ul>{hosts.map((h) => <li key={h}><Link to={hostPath(h)} testId="share-host-link">{h}</Link></li>)}</ul>
            </Panel>
          )}
          <Panel title={t('shareVersions')} testId="share-object-version-list">
            <table className="tbl">
              <thead><tr><th>{t('shareVersion')}</th><th>{t('shareAdded')}</th><th>TLP</th></tr></thead>
              <tbody>{r.data.versions.map((v) => <tr key={v.dateAdded}><td>{time(v.version, false)}</td><td>{time(v.dateAdded, false)}</td><td><TlpBadge tlp={v.tlp} /></td></tr>)}</tbody>
            </table>
          </Panel>
          <Panel title={t('shareJson')} wide testId="share-object-json">
            <pre className="stix-json">{JSON.stringify(r.data.object, null, 2)}</pre>
          </Panel>
        </>
      )}
    </main>
  );
}
