import { useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n/index.js';
import { useAuth } from '../../auth.js';
import { ErrorMessage, Loading, Panel } from '../../components/Panel.js';
import { useLoad } from '../../useLoad.js';
import { flowsApi, type CorroborationAnswer } from './flowsApi.js';
import { FlowsNav } from './FlowsNav.js';

const BUCKETS = ['1', '2-9', '10-99', '100+'] as const;

function Answers({ org }: { org: string | null }) {
  const { t, num } = useI18n();
  const r = useLoad(`flows-corroboration:${org ?? ''}`, (s) => flowsApi.corroboration(org, s));
  if (r.state === 'loading') return <Loading />;
  if (r.state === 'error') return <ErrorMessage error={r.error} retry={r.reload} />;
  const a: CorroborationAnswer = r.data;
  return (
    <Panel title={t('flowsCorroboration')} wide testId="flows-corroboration" aside={`${a.from} – ${a.to}`}>
      {a.answers.length === 0 ? <p className="muted" data-testid="flows-no-answers">{t('flowsNoAnswers')}</p> : (
        <table className="tbl">
          <thead>
            <tr><th>{t('flowsHash')}</th><th>{t('flowsLastDay')}</th><th>{t('flowsOwnBucket')}</th><th className="n">{t('flowsOthers')}</th><th>{t('flowsOthersBuckets')}</th></tr>
          </thead>
          <tbody>
            {a.answers.map((x) => (
              <tr key={`${x.keyId}|${x.hash}`} data-testid="flows-answer" data-hash={x.hash} data-others={String(x.others)}>
                <td className="mono small" title={x.hash}>{x.hash.slice(0, 16)}…</td>
                <td className="nowrap">{x.lastDay}</td>
                <td>{x.bucket}</td>
                <td className="n">{num(x.others)}</td>
                <td className="small">
                  {x.othersBuckets ? BUCKETS.map((b) => `${b}: ${num(x.othersBuckets?.[b] ?? 0)}`).join(' · ') : <span className="muted">{t('flowsHidden', { k: a.k })}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

/** This carrier's corroboration answers; an operator, who belongs to no carrier, names one. */
export function CorroborationPage({ org }: { org?: string }) {
  const { t } = useI18n();
  const { auth } = useAuth();
  const own = auth.state === 'signed-in' ? auth.me.user.orgId : null;
  const [asked, setAsked] = useState(org ?? '');
  const [shown, setShown] = useState<string | null>(org ?? null);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setShown(asked.trim() || null);
  };
  return (
    <main className="page" data-testid="flows-corroboration-page">
      <h1 className="page-title">{t('flowsCorroboration')}</h1>
      <FlowsNav current="corroboration" />
      <p className="muted small">{t('flowsCorroborationIntro')}</p>
      {own ? <Answers org={null} /> : (
        <>
          <form className="inline-form" onSubmit={submit}>
            <label className="small">{t('flowsOrganisation')}{' '}
              <input value={asked} onChange={(e) => setAsked(e.target.value)} data-testid="flows-org-input" />
            </label>{' '}
            <button type="submit" data-testid="flows-org-show">{t('flowsShow')}</button>
          </form>
          {shown ? <Answers key={shown} org={shown} /> : <p className="muted" data-testid="flows-ask-org">{t('flowsAskOrganisation')}</p>}
        </>
      )}
    </main>
  );
}
