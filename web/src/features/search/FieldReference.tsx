import { searchApi, type SearchField } from '../../api.js';
import { useI18n, type PlainKey } from '../../i18n/index.js';
import { ErrorMessage, Loading, Panel } from '../../components/Panel.js';
import { Link, searchPath } from '../../router.js';
import { useLoad } from '../../useLoad.js';

const KIND_LABELS: Record<SearchField['kind'], PlainKey> = {
  ip: 'fieldKind_ip', uint: 'fieldKind_uint', keyword: 'fieldKind_keyword', version: 'fieldKind_version',
  text: 'fieldKind_text', array: 'fieldKind_array', bool: 'fieldKind_bool', time: 'fieldKind_time',
};

/** The query syntax: what is written, and what it means (a message key). */
const SYNTAX: readonly [string, PlainKey][] = [
  ['port:23', 'syntaxField'],
  ['busybox', 'syntaxFreeText'],
  ['"(none) login"', 'syntaxPhrase'],
  ['port:23 country:JP', 'syntaxAnd'],
  ['port:23 OR port:2323', 'syntaxOr'],
  ['NOT port:22  -port:22', 'syntaxNot'],
  ['service:(ssh OR telnet)', 'syntaxGroup'],
  ['port:[1 TO 1024]  port:{1 TO *}', 'syntaxRange'],
  ['port>1000  version<7.5', 'syntaxCompare'],
  ['product:Open*  ip:192.0.2.*', 'syntaxWildcard'],
  ['cve:*', 'syntaxExists'],
  ['last_seen>now-7d  last_seen:2026-11-01', 'syntaxTime'],
];

/** The search fields and the query syntax, from GET /search/fields (the field registry), in the reader's language. */
export function FieldReference() {
  const { t, lang } = useI18n();
  const fields = useLoad('search-fields', (s) => searchApi.fields(s));
  return (
    <main className="page" data-testid="fields-page">
      <h1 className="page-title">{t('fieldsTitle')}</h1>
      <p className="muted small">{t('fieldsIntro')} <Link to={searchPath('')}>{t('backToSearch')}</Link></p>
      <Panel title={t('syntaxTitle')} wide testId="syntax-panel">
        <dl className="syntax-list">
          {SYNTAX.map(([code, key]) => (
            <div key={code}>
              <dt>{code}</dt>
              <dd>{t(key)}</dd>
            </div>
          ))}
        </dl>
      </Panel>
      <Panel title={t('fieldsList')} wide testId="fields-panel">
        {fields.state === 'loading' && <Loading />}
        {fields.state === 'error' && <ErrorMessage error={fields.error} retry={fields.reload} />}
        {fields.state === 'done' && (
          <div className="scroll">
            <table className="tbl field-ref">
              <thead><tr><th>{t('fieldName')}</th><th>{t('fieldKind')}</th><th>{t('fieldMeaning')}</th><th>{t('fieldExamples')}</th><th>{t('fieldFacet')}</th></tr></thead>
              <tbody>
                {fields.data.map((f) => (
                  <tr key={f.name} data-testid="field-row" data-name={f.name}>
                    <td>
                      <code>{f.name}</code>
                      {f.aliases.length > 0 && <div className="muted small">{t('fieldAliases', { names: f.aliases.join(', ') })}</div>}
                    </td>
                    <td className="small">{t(KIND_LABELS[f.kind])}</td>
                    <td className="small" data-testid="field-doc">{lang === 'ja' ? f.docJa : f.doc}</td>
                    <td className="small examples">{f.examples.map((x) => <Link key={x} to={searchPath(x)} className="mono"><code>{x}</code></Link>)}</td>
                    <td className="small">{f.facetable ? t('yes') : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
    </main>
  );
}
