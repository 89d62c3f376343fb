import { useState, type FormEvent } from 'react';
import { orgApi, type Organisation } from '../../api.js';
import { useI18n } from '../../i18n/index.js';
import { useAuth } from '../../auth.js';
import { ErrorMessage, Loading, Panel } from '../../components/Panel.js';
import { useLoad } from '../../useLoad.js';
import { valueLabel } from '../../components/labels.js';
import { useAction } from '../../useAction.js';
import { NoRecipientPanel } from './NoRecipientPanel.js';

const KINDS = ['isp', 'enterprise', 'isac-member', 'cert', 'research', 'government', 'other'];
const ROLES = ['platform-admin', 'analyst', 'org-admin', 'org-member'];
const split = (s: string): string[] => s.split(/[\s,]+/).map((x) => x.trim()).filter(Boolean);

/**
 * Organisations with their constituencies (what each may see), and the users. Platform admins
 * register organisations, add prefixes, ASNs and domains, and create users; an organisation's
 * members see their own organisation only (the API decides; the forms are only offered to admins).
 */
export function OrgsPage() {
  const { t } = useI18n();
  const { auth } = useAuth();
  const admin = auth.state === 'signed-in' && auth.me.user.role === 'platform-admin';
  const seesAll = auth.state === 'signed-in' && (auth.me.user.role === 'platform-admin' || auth.me.user.role === 'analyst');
  const { act, error, version } = useAction();
  const orgs = useLoad(`orgs:${version}`, (s) => orgApi.list(s));
  const users = useLoad(`users:${version}:${admin}`, (s) => (admin ? orgApi.users(s) : Promise.resolve([])));
  return (
    <main className="page" data-testid="orgs-page">
      <h1 className="page-title">{t('orgsTitle')}</h1>
      <p className="muted small">{t('orgsIntro')}</p>
      {error && <div className="message error" role="alert" data-testid="orgs-error">{error.message}</div>}
      <Panel title={t('organisations')} wide testId="orgs-panel">
        {orgs.state === 'loading' && <Loading />}
        {orgs.state === 'error' && <ErrorMessage error={orgs.error} retry={orgs.reload} />}
        {orgs.state === 'done' && (orgs.data.length === 0 ? <p className="muted">{t('none')}</p> : (
          <div className="scroll">
            <table className="tbl">
              <thead><tr><th>{t('orgName')}</th><th>{t('orgKind')}</th><th>{t('orgPrefixes')}</th><th>{t('orgAsns')}</th><th>{t('orgDomains')}</th><th>{t('orgContacts')}</th>{admin && <th>{t('orgAdd')}</th>}</tr></thead>
              <tbody>
                {orgs.data.map((o) => <OrgRow key={o.id} o={o} admin={admin} act={act} />)}
              </tbody>
            </table>
          </div>
        ))}
      </Panel>
      {seesAll && <NoRecipientPanel />}
      {admin && <NewOrg act={act} />}
      {admin && (
        <Panel title={t('users')} wide testId="users-panel">
          {users.state === 'loading' && <Loading />}
          {users.state === 'error' && <ErrorMessage error={users.error} retry={users.reload} />}
          {users.state === 'done' && (
            <table className="tbl">
              <thead><tr><th>{t('username')}</th><th>{t('role')}</th><th>{t('organisation')}</th><th>{t('created')}</th></tr></thead>
              <tbody>
                {users.data.map((u) => (
                  <tr key={u.id} data-testid="user-row" data-user={u.username}>
                    <td className="mono">{u.username}{u.disabled && <span className="muted"> ({t('disabled')})</span>}</td>
                    <td>{valueLabel(t, 'role', u.role)}</td>
                    <td>{orgs.state === 'done' ? orgs.data.find((o) => o.id === u.orgId)?.name ?? '—' : ''}</td>
                    <td className="mono small">{u.createdAt.slice(0, 10)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <NewUser act={act} orgs={orgs.state === 'done' ? orgs.data : []} />
        </Panel>
      )}
    </main>
  );
}

function OrgRow({ o, admin, act }: { o: Organisation; admin: boolean; act: (fn: () => Promise<unknown>) => Promise<boolean> }) {
  const { t } = useI18n();
  const [what, setWhat] = useState<'prefixes' | 'asns' | 'domains'>('prefixes');
  const [values, setValues] = useState('');
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (await act(() => orgApi.add(o.id, what, split(values)))) setValues('');
  };
  return (
    <tr data-testid="org-row" data-name={o.name}>
      <td><strong>{o.name}</strong> <span className="muted small">{o.country}</span></td>
      <td>{valueLabel(t, 'orgKind', o.kind)}</td>
      <td className="mono small" data-testid="org-prefixes">{o.constituency.cidrs.join(' ') || '—'}</td>
      <td className="mono small">{o.constituency.asns.map((a) => `AS${a}`).join(' ') || '—'}</td>
      <td className="mono small">{o.constituency.domains.join(' ') || '—'}</td>
      <td className="small">{o.emails.join(', ') || '—'}</td>
      {admin && (
        <td>
          <form className="inline-form" onSubmit={(e) => void submit(e)}>
            <select value={what} onChange={(e) => setWhat(e.target.value as 'prefixes' | 'asns' | 'domains')} aria-label={t('orgAdd')} data-testid="org-add-kind">
              <option value="prefixes">{t('orgPrefixes')}</option>
              <option value="asns">{t('orgAsns')}</option>
              <option value="domains">{t('orgDomains')}</option>
            </select>
            <input value={values} onChange={(e) => setValues(e.target.value)} placeholder="203.0.113.0/24, AS64500 …" data-testid="org-add-values" />
            <button type="submit" className="btn small" data-testid="org-add-submit">{t('add')}</button>
          </form>
        </td>
      )}
    </tr>
  );
}

function NewOrg({ act }: { act: (fn: () => Promise<unknown>) => Promise<boolean> }) {
  const { t } = useI18n();
  const [f, setF] = useState({ name: '', kind: 'isp', country: 'JP', emails: '', language: 'ja' });
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (await act(() => orgApi.create({ ...f, emails: split(f.emails) }))) setF({ ...f, name: '', emails: '' });
  };
  return (
    <Panel title={t('newOrg')} wide testId="new-org">
      <form className="inline-form" onSubmit={(e) => void submit(e)}>
        <input required value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} placeholder={t('orgName')} data-testid="new-org-name" />
        <select value={f.kind} onChange={(e) => setF({ ...f, kind: e.target.value })} aria-label={t('orgKind')}>{KINDS.map((k) => <option key={k} value={k}>{valueLabel(t, 'orgKind', k)}</option>)}</select>
        <input value={f.country} onChange={(e) => setF({ ...f, country: e.target.value })} placeholder="JP" size={3} aria-label={t('country')} />
        <input value={f.emails} onChange={(e) => setF({ ...f, emails: e.target.value })} placeholder={t('orgContacts')} data-testid="new-org-emails" />
        <select value={f.language} onChange={(e) => setF({ ...f, language: e.target.value })} aria-label={t('language')}><option value="ja">日本語</option><option value="en">English</option></select>
        <button type="submit" className="btn primary" data-testid="new-org-submit">{t('create')}</button>
      </form>
    </Panel>
  );
}

function NewUser({ act, orgs }: { act: (fn: () => Promise<unknown>) => Promise<boolean>; orgs: Organisation[] }) {
  const { t } = useI18n();
  const [f, setF] = useState({ username: '', password: '', role: 'org-member', org: '' });
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (await act(() => orgApi.createUser({ username: f.username, password: f.password, role: f.role, ...(f.org ? { org: f.org } : {}) }))) setF({ ...f, username: '', password: '' });
  };
  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)} data-testid="new-user">
      <input required value={f.username} onChange={(e) => setF({ ...f, username: e.target.value })} placeholder={t('username')} autoComplete="off" data-testid="new-user-name" />
      <input required type="password" value={f.password} onChange={(e) => setF({ ...f, password: e.target.value })} placeholder={t('password')} autoComplete="new-password" data-testid="new-user-password" />
      <select value={f.role} onChange={(e) => setF({ ...f, role: e.target.value })} aria-label={t('role')} data-testid="new-user-role">{ROLES.map((r) => <option key={r} value={r}>{valueLabel(t, 'role', r)}</option>)}</select>
      <select value={f.org} onChange={(e) => setF({ ...f, org: e.target.value })} aria-label={t('organisation')} data-testid="new-user-org">
        <option value="">—</option>
        {orgs.map((o) => <option key={o.id} value={o.name}>{o.name}</option>)}
      </select>
      <button type="submit" className="btn primary" data-testid="new-user-submit">{t('createUser')}</button>
    </form>
  );
}
