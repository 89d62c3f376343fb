import { noRecipientApi } from '../../api.js';
import { useI18n } from '../../i18n/index.js';
import { ErrorMessage, Loading, Panel } from '../../components/Panel.js';
import { useLoad } from '../../useLoad.js';

/**
 * Findings nobody can be told about: not cases, counted per country and AS by the last case
 * build, so that an admin sees where an organisation or an abuse contact is missing.
 */
export function NoRecipientPanel() {
  const { t, num } = useI18n();
  const r = useLoad('no-recipient', (s) => noRecipientApi.summary(s));
  const kindName = (k: string): string => t(`kind_${k as 'default_credential'}`);
  return (
    <Panel title={t('noRecipientTitle')} wide testId="no-recipient-panel">
      {r.state === 'loading' && <Loading />}
      {r.state === 'error' && <ErrorMessage error={r.error} retry={r.reload} />}
      {r.state === 'done' && (r.data.builtAt === null ? <p className="muted">{t('noRecipientNever')}</p> : r.data.findings === 0 ? (
        <p className="muted" data-testid="no-recipient-none">{t('noRecipientNone')}</p>
      ) : (
        <>
          <p data-testid="no-recipient-summary" data-addresses={r.data.addresses}>
            {t('noRecipientSummary', { n: num(r.data.addresses), f: num(r.data.findings) })}{' '}
            <span className="muted">{r.data.byKind.map((k) => `${kindName(k.kind)} ${num(k.addresses)}`).join(' · ')}</span>
          </p>
          <p className="muted small">{t('noRecipientHint')}</p>
          <div className="grid">
            <table className="tbl" data-testid="no-recipient-countries">
              <thead><tr><th>{t('country')}</th><th className="n">{t('addresses')}</th></tr></thead>
              <tbody>{r.data.countries.map((c) => <tr key={c.country}><td>{c.country || t('unknown')}</td><td className="n">{num(c.addresses)}</td></tr>)}</tbody>
            </table>
            <table className="tbl" data-testid="no-recipient-asns">
              <thead><tr><th>AS</th><th className="n">{t('addresses')}</th></tr></thead>
              <tbody>{r.data.asns.map((a) => <tr key={a.asn}><td>{a.asn ? `AS${a.asn}` : t('unknown')}{a.asName ? ` ${a.asName}` : ''}</td><td className="n">{num(a.addresses)}</td></tr>)}</tbody>
            </table>
          </div>
        </>
      ))}
    </Panel>
  );
}
