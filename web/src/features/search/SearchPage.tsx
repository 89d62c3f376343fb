import { useState, type FormEvent } from 'react';
import { ApiError, searchApi, type SearchResult } from '../../api.js';
import { useI18n } from '../../i18n/index.js';
import { ErrorMessage, Loading, Panel } from '../../components/Panel.js';
import { Link, hostPath, navigate, searchPath } from '../../router.js';
import { useLoad } from '../../useLoad.js';

const PAGE = 50;
const FACETS = ['country', 'port', 'service', 'product', 'asn', 'cve', 'tag'];
const EXAMPLES = ['port:23 weak_credential:true', 'http.title:ログイン', 'service:ssh version<7.5', 'tag:iot country:JP', 'cve:*', 'tls.self_signed:true'];

/** A facet value as a query term: quoted unless it is a plain word. */
function term(field: string, value: string): string {
  return /^[\w.:/-]+$/.test(value) ? `${field}:${value}` : `${field}:"${value.replace(/["\\]/g, '\\$&')}"`;
}

/** The exposure search: query box, hits, facets that narrow the query, pages and exports. */
export function SearchPage({ q, offset }: { q: string; offset: number }) {
  const { t, num, time } = useI18n();
  const [text, setText] = useState(q);
  const result = useLoad(`search:${q}:${offset}`, (s) => searchApi.search(q, offset, PAGE, FACETS, s));
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    navigate(searchPath(text.trim()));
  };
  const narrow = (field: string, value: string): void => navigate(searchPath(`${q.trim() && q.trim() !== '*' ? `${q.trim()} ` : ''}${term(field, value)}`));
  return (
    <main className="page" data-testid="search-page">
      <h1 className="page-title">{t('searchTitle')}</h1>
      <form className="query-form" onSubmit={submit} role="search">
        <input className="query-input" value={text} onChange={(e) => setText(e.target.value)} placeholder={t('queryPlaceholder')} aria-label={t('queryLabel')} spellCheck={false} autoComplete="off" data-testid="query-input" />
        <button type="submit" className="btn" data-testid="query-submit">{t('searchButton')}</button>
      </form>
      <p className="muted small">
        {t('examples')}{' '}
        {EXAMPLES.map((x) => <Link key={x} to={searchPath(x)} className="example mono">{x}</Link>)}
        {' · '}<a href="/api/docs" className="small">{t('fieldsHelp')}</a>
      </p>
      {result.state === 'loading' && <Loading />}
      {result.state === 'error' && <QueryError error={result.error} query={q} retry={result.reload} />}
      {result.state === 'done' && <Results r={result.data} q={q} offset={offset} narrow={narrow} />}
    </main>
  );

  function Results({ r, narrow: add }: { r: SearchResult; q: string; offset: number; narrow: (f: string, v: string) => void }) {
    const last = Math.min(r.offset + r.hits.length, r.total);
    const exportUrl = (format: 'jsonl' | 'csv'): string => `/api/v1/search/export?${new URLSearchParams({ q, format })}`;
    return (
      <div className="search-layout">
        <aside className="facets" data-testid="facets">
          {Object.entries(r.facets).map(([field, values]) => values.length > 0 && (
            <section key={field} className="facet" data-testid={`facet-${field}`}>
              <h3>{t(`field_${field}` as 'field_country') || field}</h3>
              <ul>
                {values.map((v) => (
                  <li key={v.value}>
                    <button type="button" className="link-btn facet-value" onClick={() => add(field, v.value)} data-testid="facet-value" data-field={field} data-value={v.value}>{v.value}</button>
                    <span className="num">{num(v.count)}</span>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </aside>
        <div className="hits">
        <Panel title={<span data-testid="search-total" data-total={r.total}>{t('searchTotal', { n: num(r.total) })}</span>} wide testId="hits-panel"
          aside={<span className="small">{t('export')}: <a href={exportUrl('csv')} data-testid="export-csv">CSV</a> · <a href={exportUrl('jsonl')} data-testid="export-jsonl">JSON lines</a></span>}>
          {r.hits.length === 0 ? <p className="muted">{t('noMatches')}</p> : (
            <div className="scroll">
              <table className="tbl">
                <thead><tr><th>{t('address')}</th><th>{t('port')}</th><th>{t('service')}</th><th>{t('device')}</th><th>{t('details')}</th><th>{t('findings')}</th><th>{t('country')}</th><th>{t('lastSeen')}</th></tr></thead>
                <tbody>
                  {r.hits.map((h) => (
                    <tr key={`${h.ip}/${h.transport}/${h.port}`} data-testid="hit-row" data-ip={h.ip} data-port={h.port}>
                      <td className="mono"><Link to={hostPath(h.ip)}>{h.ip}</Link></td>
                      <td className="mono">{h.transport}/{h.port}</td>
                      <td>{h.service}</td>
                      <td>{h.device || <span className="muted">—</span>}</td>
                      <td className="small">{h.httpStatus ? `HTTP ${h.httpStatus} ${h.httpTitle}` : h.sshIdent || h.tlsSubject || <span className="mono">{h.banner.slice(0, 80)}</span>}</td>
                      <td className="small">
                        {h.weakCredential && <span className="badge bad">{t('weakCredential')}</span>}
                        {h.noAuth && <span className="badge bad">{t('noAuth')}</span>}
                        {h.cves.slice(0, 3).map((c) => <span key={c} className="badge">{c}</span>)}
                        {h.cves.length > 3 && <span className="muted"> +{h.cves.length - 3}</span>}
                      </td>
                      <td>{h.country}{h.asn ? <span className="muted small"> AS{h.asn}</span> : null}</td>
                      <td className="mono small">{time(h.lastSeen)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {r.total > 0 && (
            <div className="pager">
              <span className="muted small">{t('showing', { from: num(r.offset + 1), to: num(last), total: num(r.total) })} · {r.tookMs} ms</span>
              {r.offset > 0 && <Link to={searchPath(q, Math.max(0, r.offset - PAGE))} testId="page-prev">{t('previousPage')}</Link>}
              {last < r.total && <Link to={searchPath(q, r.offset + PAGE)} testId="page-next">{t('nextPage')}</Link>}
            </div>
          )}
        </Panel>
        </div>
      </div>
    );
  }
}

/** A query error shows the query with a caret under the place the server named. */
function QueryError({ error, query, retry }: { error: Error; query: string; retry: () => void }) {
  const { t } = useI18n();
  if (!(error instanceof ApiError) || (error.code !== 'QUERY_PARSE' && error.code !== 'QUERY_UNKNOWN_FIELD' && error.code !== 'BAD_REQUEST')) return <ErrorMessage error={error} retry={retry} />;
  const pos = /position (\d+)/.exec(error.message);
  const at = pos ? Number(pos[1]) : -1;
  return (
    <div className="message error" role="alert" data-testid="query-error" data-code={error.code} data-position={at}>
      <strong>{t('queryError')}</strong>
      <pre className="mono">{error.message.split('\n')[0]}{at >= 0 && `\n${query}\n${' '.repeat(at)}^`}</pre>
    </div>
  );
}
