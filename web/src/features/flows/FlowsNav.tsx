import { useI18n } from '../../i18n/index.js';
import { Link } from '../../router.js';
import { useAuth } from '../../auth.js';

/** The flow pages: exporters and candidates for platform admins and analysts; corroboration for every carrier. */
export function FlowsNav({ current }: { current: 'exporters' | 'candidates' | 'server' | 'corroboration' }) {
  const { t } = useI18n();
  const { auth } = useAuth();
  const role = auth.state === 'signed-in' ? auth.me.user.role : undefined;
  const operator = role === 'platform-admin' || role === 'analyst';
  const tab = (to: string, name: typeof current, label: string) => (
    <Link to={to} className={current === name ? 'tab active' : 'tab'} testId={`flows-tab-${name}`}>{label}</Link>
  );
  return (
    <nav className="tabs" aria-label={t('flowsTitle')}>
      {operator && tab('/flows', 'exporters', t('flowsExporters'))}
      {operator && tab('/flows/candidates', 'candidates', t('flowsCandidates'))}
      {tab('/flows/corroboration', 'corroboration', t('flowsCorroboration'))}
      <Link to="/share" className="tab" testId="flows-tab-share">{t('navShare')}</Link>
    </nav>
  );
}
