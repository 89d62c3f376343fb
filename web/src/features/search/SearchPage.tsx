import { useState, type FormEvent } from 'react';
import { ApiError, searchApi, type SearchHit, type SearchResult } from '../../api.js';
import { useI18n, type PlainKey } from '../../i18n/index.js';
import { ErrorMessage, Loading, Panel } from '../../components/Panel.js';
import { Bars } from '../../components/Bars.js';
import { BannerText } from '../../components/BannerText.js';
import { countryName, valueLabel } from '../../components/labels.js';
import { FIELDS_PATH, Link, SEARCH_ORDERS, hostPath, navigate, searchPath, type SearchOrder } from '../../router.js';
import { useLoad } from '../../useLoad.js';
import { Pager } from '../../components/Pager.js';

const PAGE = 50;
const FACETS = ['country', 'port', 'service', 'product', 'asn', 'cve', 'tag'] as const;
const EXAMPLES = ['port:23 weak_credential:true', 'http.title:ログイン', 'service:ssh version<7.5', 'tag:iot country:JP', 'cve:*', 'tls.self_signed:true'];
const FACET_TITLES: Record<(typeof FACETS)[number], PlainKey> = {
  country: 'field_country', port: 'field_port', service: 'field_service', product: 'field_product', asn: 'field_asn', cve: 'field_cve', tag: 'field_tag',
};
const ORDER_LABELS: Record<SearchOrder, PlainKey> = { ip: 'sortIp', last_seen: 'sortLastSeen', port: 'sortPort' };

/** A facet value as a query term: quoted unless it is a plain word. */
function term(field: string, value: string): string {
  return /^[\w.:/-]+$/.test(value) ? `${field}:${value}` : `${field}:"${value.replace(/["\\]/g, '\\$&')}"`;
}

/** The exposure search: query box and order, hits, facets that narrow the query, pages and exports. */
export function SearchPage({ q, offset, sort }: { q: string; offset: number; sort: SearchOrder }) {
  const { t } = useI18n();
  const [text, setText] = useState(q);
  const result = useLoad(`search:${q}:${offset}:${sort}`, (s) => searchApi.search(q, offset, PAGE, FACETS, sort, s));
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    navigate(searchPath(text.trim(), 0, sort));
  };
  const narrow = (field: string, value: string): void => navigate(searchPath(`${q.trim() && q.trim() !== '*' ? `${q.trim()} ` : ''}${term(field, value)}`, 0, sort));
  return (
    <main className="page" data-testid="search-page">
      <h1 className="page-title">{t('searchTitle')}</h1>
      <form className="query-form" onSubmit={submit} role="search">
        <input className="query-input" value={text} onChange={(e) => setText(e.target.value)} placeholder={t('queryPlaceholder')} aria-label={t('queryLabel')} spellCheck={false} autoComplete="off" data-testid="query-input" />
        <label className="sort-label small">
          {t('sortBy')}{' '}
          <select value={sort} onChange={(e) => navigate(searchPath(q, 0, e.target.value as SearchOrder))} data-testid="search-sort">
            {SEARCH_ORDERS.map((o) => <option key={o} value={o}>{t(ORDER_LABELS[o])}</option>)}
          </select>
        </label>
        <button type="submit" className="btn" data-testid="query-submit">{t('searchButton')}</button>
      </form>
      <p className="muted small">
        {t('examples')}{' '}
        {EXAMPLES.map((x) => <Link key={x} to={searchPath(x)} className="example mono">{x}</Link>)}
        {' · '}<Link to={FIELDS_PATH} className="small" testId="fields-link">{t('fieldsHelp')}</Link>
      </p>
      {result.state === 'loading' && <Loading />}
      {result.state === 'error' && <QueryError error={result.error} query={q} retry={result.reload} />}
      {result.state === 'done' && <Results r={result.data} q={q} sort={sort} narrow={narrow} />}
    </main>
  );
}

function Results({ r, q, sort, narrow }: { r: SearchResult; q: string; sort: SearchOrder; narrow: (f: string, v: string) => void }) {
  const { t, num, lang } = useI18n();
  const exportUrl = (format: 'jsonl' | 'csv'): string => `/api/v1/search/export?${new URLSearchParams({ q, format })}`;
  return (
    <div className="search-layout">
      <aside className="facets" data-testid="facets">
        {FACETS.map((field) => {
          const values = r.facets[field] ?? [];
          if (values.length === 0) return null;
          return (
            <section key={field} className="facet" data-testid={`facet-${field}`}>
              <h3>{t(FACET_TITLES[field])}</h3>
              <Bars testId="facet-bar" rows={values.map((v) => ({
                key: v.value,
                value: v.count,
                display: num(v.count),
                label: (
                  <button type="button" className="link-btn facet-value" onClick={() => narrow(field, v.value)} data-testid="facet-value" data-field={field} data-value={v.value}
                    title={field === 'country' ? countryName(v.value, lang) || v.value : term(field, v.value)}>
                    {field === 'asn' ? `AS${v.value}` : field === 'tag' ? valueLabel(t, 'tag', v.value) : v.value}
                  </button>
                ),
              }))} />
            </section>
          );
        })}
      </aside>
      <div className="hits">
        <Panel title={<span data-testid="search-total" data-total={r.total}>{t('searchTotal', { n: num(r.total) })}</span>} wide testId="hits-panel"
          aside={r.total > 0 ? <span className="small" data-testid="export-links">{t('export')}: <a href={exportUrl('csv')} data-testid="export-csv">CSV</a> · <a href={exportUrl('jsonl')} data-testid="export-jsonl">{t('jsonLines')}</a></span> : undefined}>
          {r.hits.length === 0 ? <p className="muted" data-testid="no-matches">{t('noMatches')}</p> : (
            <>
              <Pager total={r.total} offset={r.offset} shown={r.hits.length} page={PAGE} tookMs={r.tookMs} to={(o) => searchPath(q, o, sort)} />
              <div className="scroll">
                <table className="tbl">
                  <thead><tr><th>{t('address')}</th><th>{t('port')}</th><th>{t('service')}</th><th>{t('device')}</th><th>{t('details')}</th><th>{t('findings')}</th><th>{t('country')}</th><th>{t('lastSeen')}</th></tr></thead>
                  <tbody>{r.hits.map((h) => <HitRow key={`${h.ip}/${h.transport}/${h.port}`} h={h} />)}</tbody>
                </table>
              </div>
              <Pager total={r.total} offset={r.offset} shown={r.hits.length} page={PAGE} tookMs={r.tookMs} to={(o) => searchPath(q, o, sort)} bottom />
            </>
          )}
        </Panel>
      </div>
    </div>
  );
}

function HitRow({ h }: { h: SearchHit }) {
  const { t, time } = useI18n();
  return (
    <tr data-testid="hit-row" data-ip={h.ip} data-port={h.port} data-last-seen={h.lastSeen}>
      <td className="mono"><Link to={hostPath(h.ip)}>{h.ip}</Link></td>
      <td className="mono">{h.transport}/{h.port}</td>
      <td>{h.service}</td>
      <td>{h.device || <span className="muted">—</span>}</td>
      <td className="small">
        {h.httpStatus ? `HTTP ${h.httpStatus} ${h.httpTitle}` : h.sshIdent || h.tlsSubject || (h.banner && <BannerText text={h.banner} className="hit-banner" testId="hit-banner" />)}
      </td>
      <td className="small">
        {h.weakCredential && <span className="badge bad">{t('weakCredential')}</span>}
        {h.noAuth && <span className="badge bad">{t('noAuth')}</span>}
        {h.cves.slice(0, 3).map((c) => <span key={c} className="badge">{c}</span>)}
        {h.cves.length > 3 && <span className="muted"> +{h.cves.length - 3}</span>}
      </td>
      <td>{h.country}{h.asn ? <span className="muted small"> AS{h.asn}</span> : null}</td>
      <td className="mono small">{time(h.lastSeen)}</td>
    </tr>
  );
}

/** A query error shows the query with a caret under the place the server named (its `where.position`). */
function QueryError({ error, query, retry }: { error: Error; query: string; retry: () => void }) {
  const { t } = useI18n();
  if (!(error instanceof ApiError) || (error.code !== 'QUERY_PARSE' && error.code !== 'QUERY_UNKNOWN_FIELD' && error.code !== 'BAD_REQUEST')) return <ErrorMessage error={error} retry={retry} />;
  const pos = error.where['position'];
  const at = typeof pos === 'number' ? pos : -1;
  return (
    <div className="message error" role="alert" data-testid="query-error" data-code={error.code} data-position={at}>
      <strong>{t('queryError')}</strong>
      <pre className="mono">{error.message.split('\n')[0]}{at >= 0 && `\n${query}\n${' '.repeat(at)}^`}</pre>
    </div>
  );
}
