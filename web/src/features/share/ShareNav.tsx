import { useI18n } from '../../i18n/index.js';
import { Link } from '../../router.js';
import { useAuth } from '../../auth.js';

/** The hub's pages: collections and objects for everyone; feeds and the egress audit for those who run or answer for it. */
export function ShareNav({ current }: { current: 'collections' | 'publish' | 'reports' | 'feeds' | 'egress' }) {
  const { t } = useI18n();
  const { auth } = useAuth();
  const role = auth.state === 'signed-in' ? auth.me.user.role : undefined;
  const tab = (to: string, name: typeof current, label: string) => (
    <Link to={to} className={current === name ? 'tab active' : 'tab'} testId={`share-tab-${name}`}>{label}</Link>
  );
  return (
    <nav className="tabs" aria-label={t('shareTitle')}>
      {tab('/share', 'collections', t('shareCollections'))}
      {(role === 'platform-admin' || role === 'analyst') && tab('/share/publish', 'publish', t('sharePublish'))}
      {tab('/share/reports', 'reports', t('shareReports'))}
      {role === 'platform-admin' && tab('/share/feeds', 'feeds', t('shareFeeds'))}
      {(role === 'platform-admin' || role === 'org-admin') && tab('/share/egress', 'egress', t('shareEgress'))}
      {/* Flows live here rather than in the header, which is full at 1280 px: exporters and candidates for operators, corroboration for carriers. */}
      <Link to={role === 'platform-admin' || role === 'analyst' ? '/flows' : '/flows/corroboration'} className="tab" testId="share-tab-flows">{t('shareFlows')}</Link>
    </nav>
  );
}
