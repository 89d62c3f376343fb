import { useEffect, useState, type FormEvent } from 'react';
import { surveyApi, type SurveyRunRow } from '../../api.js';
import { useI18n } from '../../i18n/index.js';
import { ErrorMessage, Loading, Panel } from '../../components/Panel.js';
import { Link, searchPath } from '../../router.js';
import { useLoad } from '../../useLoad.js';
import { valueLabel } from '../../components/labels.js';
import { useAction } from '../../useAction.js';

const parsePorts = (s: string): number[] => s.split(/[\s,]+/).filter(Boolean).map(Number);

/**
 * Surveys: the authorised scopes (what may be probed, on what legal basis, until when), the runs
 * with live progress, and their findings through the search (`run_id:`). Starting a run goes
 * through the same scope guard as the CLI: the server refuses a scope that is not valid now.
 */
export function SurveysPage() {
  const { t, num, time } = useI18n();
  const { act, error, version, reload } = useAction();
  const scopes = useLoad(`scopes:${version}`, (s) => surveyApi.scopes(s));
  const runs = useLoad(`runs:${version}`, (s) => surveyApi.runs(s));
  const [form, setForm] = useState({ scope: '', ports: '', modules: '' });
  const running = runs.state === 'done' && runs.data.some((r) => r.status === 'running' || r.status === 'pending');
  // While a run is in progress, ask again every two seconds.
  useEffect(() => {
    if (!running) return undefined;
    const timer = setTimeout(reload, 2000);
    return () => clearTimeout(timer);
  }, [running, version]);
  const start = (e: FormEvent): void => {
    e.preventDefault();
    const ports = parsePorts(form.ports);
    const modules = form.modules.split(/[\s,]+/).filter(Boolean);
    void act(() => surveyApi.start({ scope: form.scope, ...(ports.length ? { ports } : {}), ...(modules.length ? { modules } : {}) }));
  };
  return (
    <main className="page" data-testid="surveys-page">
      <h1 className="page-title">{t('surveysTitle')}</h1>
      <p className="muted small">{t('surveysIntro')}</p>
      {error && <div className="message error" role="alert" data-testid="surveys-error">{error.message}</div>}
      <Panel title={t('scopes')} wide testId="scopes-panel">
        {scopes.state === 'loading' && <Loading />}
        {scopes.state === 'error' && <ErrorMessage error={scopes.error} retry={scopes.reload} />}
        {scopes.state === 'done' && (scopes.data.length === 0 ? <p className="muted">{t('noScopes')}</p> : (
          <div className="scroll">
            <table className="tbl">
              <thead><tr><th>{t('orgName')}</th><th>{t('scopeOwner')}</th><th>{t('legalBasis')}</th><th>{t('orgPrefixes')}</th><th>{t('validity')}</th><th>{t('credentialChecks')}</th></tr></thead>
              <tbody>
                {scopes.data.map((s) => {
                  const valid = Date.parse(s.validFrom) <= Date.now() && Date.now() <= Date.parse(s.validTo);
                  return (
                    <tr key={s.id} data-testid="scope-row" data-name={s.name}>
                      <td><strong>{s.name}</strong></td>
                      <td>{s.owner}</td>
                      <td className="small">{s.legalBasis}</td>
                      <td className="mono small">{s.cidrs.join(' ')}</td>
                      <td className="small"><span className={valid ? '' : 'bad'}>{s.validFrom.slice(0, 10)} – {s.validTo.slice(0, 10)}</span></td>
                      <td>{s.credentialChecks ? t('enabled') : t('off')}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ))}
        {scopes.state === 'done' && scopes.data.length > 0 && (
          <form className="inline-form" onSubmit={start} data-testid="start-survey">
            <select required value={form.scope} onChange={(e) => setForm({ ...form, scope: e.target.value })} aria-label={t('scopes')} data-testid="survey-scope">
              <option value="">{t('chooseScope')}</option>
              {scopes.data.map((s) => <option key={s.id} value={s.name}>{s.name}</option>)}
            </select>
            <input value={form.ports} onChange={(e) => setForm({ ...form, ports: e.target.value })} placeholder={t('portsPlaceholder')} data-testid="survey-ports" />
            <input value={form.modules} onChange={(e) => setForm({ ...form, modules: e.target.value })} placeholder={t('modulesPlaceholder')} data-testid="survey-modules" />
            <button type="submit" className="btn primary" data-testid="survey-start">{t('startSurvey')}</button>
          </form>
        )}
      </Panel>
      <Panel title={t('surveyRuns')} wide testId="runs-panel">
        {runs.state === 'loading' && <Loading />}
        {runs.state === 'error' && <ErrorMessage error={runs.error} retry={runs.reload} />}
        {runs.state === 'done' && (runs.data.length === 0 ? <p className="muted">{t('none')}</p> : (
          <div className="scroll">
            <table className="tbl">
              <thead><tr><th>{t('run')}</th><th>{t('scopes')}</th><th>{t('state')}</th><th>{t('progress')}</th><th className="n">{t('openPorts')}</th><th className="n">{t('services')}</th><th>{t('started')}</th><th /></tr></thead>
              <tbody>
                {runs.data.map((r) => <RunRow key={r.id} r={r} num={num} time={time} stop={() => void act(() => surveyApi.stop(r.id))} />)}
              </tbody>
            </table>
          </div>
        ))}
      </Panel>
    </main>
  );
}

function RunRow({ r, num, time, stop }: { r: SurveyRunRow; num: (n: number) => string; time: (iso: string) => string; stop: () => void }) {
  const { t } = useI18n();
  const share = r.targetsTotal > 0 ? Math.min(1, r.targetsDone / r.targetsTotal) : r.status === 'done' ? 1 : 0;
  return (
    <tr data-testid="run-row" data-id={r.id} data-status={r.status}>
      <td className="mono small">{r.id}</td>
      <td>{r.scopeName}</td>
      <td><span className={`state state-${r.status}`}>{valueLabel(t, 'runStatus', r.status)}</span>{r.error && <div className="small bad">{r.error}</div>}</td>
      <td>
        <div className="bar" title={`${num(r.targetsDone)} / ${num(r.targetsTotal)}`}><span style={{ width: `${(share * 100).toFixed(1)}%` }} /></div>
        <span className="small muted">{num(r.targetsDone)} / {num(r.targetsTotal)}</span>
      </td>
      <td className="n">{num(r.openPorts)}</td>
      <td className="n">{num(r.services)}</td>
      <td className="mono small">{time(r.startedAt)}</td>
      <td>
        <Link to={searchPath(`run_id:${r.id}`)} testId="run-findings">{t('findings')}</Link>
        {(r.status === 'running' || r.status === 'pending') && <button type="button" className="btn small" onClick={stop} data-testid="run-stop">{t('stop')}</button>}
      </td>
    </tr>
  );
}
