import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nProvider, useI18n } from './i18n/index.js';
import { Header } from './components/Header.js';
import { Dashboard } from './features/dashboard/Dashboard.js';
import { HostPage } from './features/host/HostPage.js';
import { useRoute } from './router.js';
import { AuthProvider, useAuth } from './auth.js';
import { LoginPage } from './features/auth/LoginPage.js';
import { CasesPage } from './features/cases/CasesPage.js';
import { EffectsPage } from './features/effects/EffectsPage.js';
import { SearchPage } from './features/search/SearchPage.js';
import { OrgsPage } from './features/orgs/OrgsPage.js';
import { SurveysPage } from './features/surveys/SurveysPage.js';
import { OutboxPage } from './features/outbox/OutboxPage.js';
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
        : route.page === 'cases' ? <CasesPage {...(route.state ? { state: route.state } : {})} {...(route.kind ? { kind: route.kind } : {})} />
        : route.page === 'search' ? <SearchPage key={`${route.q}:${route.offset}`} q={route.q} offset={route.offset} />
        : route.page === 'orgs' ? <OrgsPage />
        : route.page === 'outbox' ? <OutboxPage />
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
