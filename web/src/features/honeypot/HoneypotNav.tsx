import { useI18n } from '../../i18n/index.js';
import { Link } from '../../router.js';

/** The honeypot pages: what the honeypots saw, and the campaigns that tie its attackers together. */
export function HoneypotNav({ current }: { current: 'dashboard' | 'campaigns' }) {
  const { t } = useI18n();
  const tab = (to: string, name: typeof current, label: string) => (
    <Link to={to} className={current === name ? 'tab active' : 'tab'} testId={`honeypot-tab-${name}`}>{label}</Link>
  );
  return (
    <nav className="tabs" aria-label={t('honeypotTitle')}>
      {tab('/honeypot', 'dashboard', t('honeypotDashboard'))}
      {tab('/campaigns', 'campaigns', t('campaignsTitle'))}
    </nav>
  );
}
