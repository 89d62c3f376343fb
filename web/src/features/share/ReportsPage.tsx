import { useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n/index.js';
import { useAuth } from '../../auth.js';
import { ErrorMessage, Loading, Panel } from '../../components/Panel.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { useAction } from '../../useAction.js';
import { useLoad } from '../../useLoad.js';
import { shareApi, type VictimReport } from './shareApi.js';
import { ShareNav } from './ShareNav.js';

const KINDS = ['ddos', 'ransomware', 'botnet', 'intrusion', 'phishing', 'malware', 'data-theft', 'defacement', 'scanning', 'other'] as const;
const lines = (s: string): string[] => s.split(/[\n,]+/).map((x) => x.trim()).filter(Boolean);

/**
 * Victim reports: a member organisation reports an incident; its attack-technical part can be
 * shared at once, its victim part only after the organisation's admin consents and the hub's
 * operators release it — pseudonymised (Crypto-PAn) and generalised to sector, size and region.
 */
export function ReportsPage() {
  const { t } = useI18n();
  const { auth } = useAuth();
  const me = auth.state === 'signed-in' ? auth.me.user : undefined;
  const { act, error, version } = useAction();
  const r = useLoad(`share-reports:${version}`, (s) => shareApi.reports(s));
  return (
    <main className="page" data-testid="reports-page">
      <h1 className="page-title">{t('shareReports')}</h1>
      <ShareNav current="reports" />
      <p className="muted small">{t('shareReportsIntro')}</p>
      {error && <ErrorMessage error={error} />}
      {r.state === 'loading' && <Loading />}
      {r.state === 'error' && <ErrorMessage error={r.error} retry={r.reload} />}
      {r.state === 'done' && (
        <Panel title={t('shareReports')} wide testId="reports-panel">
          {r.data.length === 0 ? <p className="muted" data-testid="reports-empty">{t('shareReportsEmpty')}</p> : (
            <table className="tbl">
              <thead><tr><th>{t('shareReportState')}</th><th>{t('shareReportTitle')}</th><th>{t('shareReportKind')}</th><th>{t('shareReportGeneralised')}</th><th /></tr></thead>
              <tbody>
                {r.data.map((x: VictimReport) => (
                  <tr key={x.id} data-testid="report-row" data-state={x.state}>
                    <td><span className={`badge ${x.state === 'draft' ? '' : 'ok'}`}>{t(`reportState_${x.state}`)}</span></td>
                    <td>{x.title ?? <span className="muted">{t('shareReportWithheld')}</span>}</td>
                    <td>{x.attackKind}</td>
                    <td className="small">{x.generalised.sector} · {x.generalised.sizeBand} · {x.generalised.region}</td>
                    <td>
                      {x.state === 'draft' && me?.role === 'org-admin' && me.orgId === x.ownerOrgId && (
                        <ConfirmButton label={t('shareReportConsent')} question={t('shareReportConsentQ')} onConfirm={() => act(() => shareApi.consent(x.id))} testId="report-consent" />
                      )}
                      {x.state === 'consented' && (me?.role === 'platform-admin' || me?.role === 'analyst') && (
                        <ConfirmButton label={t('shareReportRelease')} question={t('shareReportReleaseQ')} onConfirm={() => act(() => shareApi.releaseReport(x.id))} testId="report-release" />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Panel>
      )}
      {me?.orgId && <ReportForm onSubmit={(form) => act(() => shareApi.submitReport(form))} />}
    </main>
  );
}

function ReportForm({ onSubmit }: { onSubmit: (form: unknown) => Promise<boolean> }) {
  const { t } = useI18n();
  const [f, setF] = useState({ title: '', attackKind: 'intrusion', occurred: new Date().toISOString().slice(0, 10), c2: '', malware: '', techniques: '', name: '', addresses: '', sector: '', employees: '', region: '', systems: '', description: '' });
  const [sent, setSent] = useState(false);
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const ok = await onSubmit({
      title: f.title, attackKind: f.attackKind, occurredAt: `${f.occurred}T00:00:00Z`, description: f.description,
      technical: { c2: lines(f.c2), malware: lines(f.malware), techniques: lines(f.techniques) },
      victim: { name: f.name, addresses: lines(f.addresses), sector: f.sector, region: f.region, affectedSystems: lines(f.systems), ...(f.employees ? { employees: Number(f.employees) } : {}) },
    });
    setSent(ok);
  };
  const field = (k: keyof typeof f, label: string, opts: { required?: boolean; area?: boolean; hint?: string } = {}) => (
    <label className="form-field">{label}{opts.hint && <span className="muted small"> {opts.hint}</span>}
      {opts.area ? <textarea value={f[k]} onChange={set(k)} rows={2} data-testid={`report-${k}`} /> : <input value={f[k]} onChange={set(k)} required={opts.required} data-testid={`report-${k}`} />}
    </label>
  );
  return (
    <Panel title={t('shareReportNew')} wide testId="report-form">
      <form onSubmit={(e) => void submit(e)} className="report-form">
        <fieldset>
          <legend>{t('shareReportTechnical')}</legend>
          {field('title', t('shareReportTitle'), { required: true })}
          <label className="form-field">{t('shareReportKind')}
            <select value={f.attackKind} onChange={set('attackKind')} data-testid="report-attackKind">{KINDS.map((k) => <option key={k} value={k}>{k}</option>)}</select>
          </label>
          <label className="form-field">{t('shareReportOccurred')}<input type="date" value={f.occurred} onChange={set('occurred')} required data-testid="report-occurred" /></label>
          {field('c2', t('shareReportC2'), { area: true, hint: t('shareReportListHint') })}
          {field('malware', t('shareReportMalware'), { area: true })}
          {field('techniques', t('shareReportTechniques'), { hint: 'T1110, T1190' })}
        </fieldset>
        <fieldset>
          <legend>{t('shareReportVictim')}</legend>
          <p className="muted small">{t('shareReportVictimNote')}</p>
          {field('name', t('shareReportVictimName'), { required: true })}
          {field('addresses', t('shareReportVictimAddresses'), { area: true, hint: t('shareReportListHint') })}
          {field('sector', t('shareReportSector'), { required: true, hint: 'healthcare, finance, …' })}
          {field('employees', t('shareReportEmployees'))}
          {field('region', t('shareReportRegion'), { required: true, hint: 'Kanto, JP-13, …' })}
          {field('systems', t('shareReportSystems'), { area: true })}
        </fieldset>
        {field('description', t('shareReportDescription'), { area: true })}
        <button type="submit" className="btn" data-testid="report-submit">{t('shareReportSubmit')}</button>
        {sent && <span className="muted" data-testid="report-sent"> {t('shareReportSent')}</span>}
      </form>
    </Panel>
  );
}
