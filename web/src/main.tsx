import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nProvider, useI18n } from './i18n/index.js';
import { Header } from './components/Header.js';
import { Dashboard } from './features/dashboard/Dashboard.js';
import { HostPage } from './features/host/HostPage.js';
import { useRoute } from './router.js';
import { ExportersPage } from './features/flows/ExportersPage.js';
import { CandidatesPage } from './features/flows/CandidatesPage.js';
import { ServerPage } from './features/flows/ServerPage.js';
import { CorroborationPage } from './features/flows/CorroborationPage.js';
import { HoneypotPage } from './features/honeypot/HoneypotPage.js';
import { CampaignsPage } from './features/honeypot/CampaignsPage.js';
import { CampaignPage } from './features/honeypot/CampaignPage.js';
import { AuthProvider, useAuth } from './auth.js';
import { LoginPage } from './features/auth/LoginPage.js';
import { CasesPage } from './features/cases/CasesPage.js';
import { CaseDetailPage } from './features/cases/CaseDetailPage.js';
import { MonitorsPage } from './features/monitors/MonitorsPage.js';
import { EffectsPage } from './features/effects/EffectsPage.js';
import { SearchPage } from './features/search/SearchPage.js';
import { FieldReference } from './features/search/FieldReference.js';
import { OrgsPage } from './features/orgs/OrgsPage.js';
import { SurveysPage } from './features/surveys/SurveysPage.js';
import { OutboxPage } from './features/outbox/OutboxPage.js';
import { SharePage } from './features/share/SharePage.js';
import { ShareObjectPage } from './features/share/ShareObjectPage.js';
import { FeedsPage } from './features/share/FeedsPage.js';
import { EgressPage } from './features/share/EgressPage.js';
import { PublishPage } from './features/share/PublishPage.js';
import { ReportsPage } from './features/share/ReportsPage.js';
import { Loading } from './components/Panel.js';
import './styles.css';

function App() {
  const route = useRoute();
  const { lang } = useI18n();
  const { auth } = useAuth();
  return (
    <div className={`app lang-${lang}`}>
      <Header />
      {auth.state === 'checking' ? <Loading /> : auth.state === 'signed-out' ? <LoginPage /> : route.page === 'host'
        ? <HostPage key={route.ip} ip={route.ip} />
        : route.page === 'cases' ? <CasesPage key={route.ip ?? ''} {...route} />
        : route.page === 'case' ? <CaseDetailPage key={route.id} id={route.id} />
        : route.page === 'monitors' ? <MonitorsPage {...(route.monitor ? { monitor: route.monitor } : {})} />
        : route.page === 'search' ? <SearchPage key={`${route.q}:${route.offset}:${route.sort}`} q={route.q} offset={route.offset} sort={route.sort} />
        : route.page === 'fields' ? <FieldReference />
        : route.page === 'orgs' ? <OrgsPage />
        : route.page === 'outbox' ? <OutboxPage />
        : route.page === 'share' ? <SharePage {...(route.collection ? { collection: route.collection } : {})} {...(route.type ? { type: route.type } : {})} />
        : route.page === 'share-object' ? <ShareObjectPage key={`${route.collection}:${route.id}`} id={route.id} collection={route.collection} />
        : route.page === 'share-feeds' ? <FeedsPage />
        : route.page === 'share-egress' ? <EgressPage />
        : route.page === 'share-publish' ? <PublishPage />
        : route.page === 'share-reports' ? <ReportsPage />
        : route.page === 'flows' ? <ExportersPage />
        : route.page === 'flows-candidates' ? <CandidatesPage />
        : route.page === 'flows-server' ? <ServerPage key={`${route.ip}|${route.port}|${route.proto}`} ip={route.ip} port={route.port} proto={route.proto} />
        : route.page === 'flows-corroboration' ? <CorroborationPage {...(route.org ? { org: route.org } : {})} />
        : route.page === 'honeypot' ? <HoneypotPage {...(route.from ? { from: route.from } : {})} {...(route.to ? { to: route.to } : {})} />
        : route.page === 'campaigns' ? <CampaignsPage />
        : route.page === 'campaign' ? <CampaignPage key={route.id} id={route.id} />
        : route.page === 'surveys' ? <SurveysPage />
        : route.page === 'effects' ? <EffectsPage {...(route.by ? { by: route.by } : {})} />
        : <Dashboard day={route.day} from={route.from} to={route.to} />}
    </div>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <I18nProvider>
        <AuthProvider>
          <App />
        </AuthProvider>
      </I18nProvider>
    </StrictMode>,
  );
}
