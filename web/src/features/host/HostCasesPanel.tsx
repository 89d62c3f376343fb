import { ApiError, casesApi } from '../../api.js';
import { useI18n } from '../../i18n/index.js';
import { ErrorMessage, Loading, Panel } from '../../components/Panel.js';
import { Link, casePath, casesPath } from '../../router.js';
import { useLoad } from '../../useLoad.js';
import { kindLabel, stateLabel } from '../cases/case-labels.js';

/** The host's cases, and whom to tell about it (the organisation or abuse contact found, with how). */
export function HostCasesPanel({ ip }: { ip: string }) {
  const { t, num } = useI18n();
  const cases = useLoad(`host-cases:${ip}`, (s) => casesApi.list({ ip, sort: 'lastSeen' }, 20, s));
  // 404: nobody responsible was found (or the address is outside one's constituency).
  const whom = useLoad(`responsible:${ip}`, (s) => casesApi.responsible(ip, s).catch((e: unknown) => {
    if (e instanceof ApiError && e.code === 'NOT_FOUND') return null;
    throw e;
  }));
  return (
    <Panel title={t('hostCasesTitle')} wide testId="host-cases-panel">
      <div className="whom" data-testid="host-whom">
        <b>{t('whomToTell')}:</b>{' '}
        {whom.state === 'loading' && <span className="muted">{t('loading')}</span>}
        {whom.state === 'error' && <ErrorMessage error={whom.error} retry={whom.reload} />}
        {whom.state === 'done' && (whom.data?.recipient ? (
          whom.data.recipient.kind === 'organisation' ? (
            <span data-testid="host-whom-org" data-value={whom.data.recipient.orgId}>
              <Link to={casesPath({ recipient: `org:${whom.data.recipient.orgId}` })}>{whom.data.recipient.name}</Link>
              <span className="muted small"> — {t('whomMatched', { via: whom.data.recipient.via })}{whom.data.recipient.emails.length > 0 && ` · ${whom.data.recipient.emails.join(', ')}`}</span>
            </span>
          ) : (
            <span data-testid="host-whom-abuse" data-value={whom.data.recipient.email}>
              <a href={`mailto:${whom.data.recipient.email}`}>{whom.data.recipient.email}</a>
              <span className="muted small"> — {t('whomAbuse', { source: whom.data.recipient.source, via: whom.data.recipient.via })}</span>
            </span>
          )
        ) : <span className="muted" data-testid="host-whom-none">{t('whomNobody')}</span>)}
      </div>
      {cases.state === 'loading' && <Loading />}
      {cases.state === 'error' && <ErrorMessage error={cases.error} retry={cases.reload} />}
      {cases.state === 'done' && (cases.data.total === 0 ? <p className="muted" data-testid="host-no-cases">{t('hostNoCases')}</p> : (
        <>
          <ul className="plain" data-testid="host-cases" data-total={cases.data.total}>
            {cases.data.cases.map((c) => (
              <li key={c.id} data-testid="host-case" data-id={c.id}>
                <Link to={casePath(c.id)}>#{c.id}</Link> {kindLabel(t, c.kind)} <span className={`state state-${c.state}`}>{stateLabel(t, c.state)}</span>
              </li>
            ))}
          </ul>
          {cases.data.total > cases.data.cases.length && <Link to={casesPath({ ip })}>{t('allHostCases', { n: num(cases.data.total) })}</Link>}
        </>
      ))}
    </Panel>
  );
}
