import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nProvider, useI18n } from './i18n/index.js';
import { Header } from './components/Header.js';
import { Dashboard } from './features/dashboard/Dashboard.js';
import { HostPage } from './features/host/HostPage.js';
import { useRoute } from './router.js';
import './styles.css';

function App() {
  const route = useRoute();
  const { lang } = useI18n();
  return (
    <div className={`app lang-${lang}`}>
      <Header />
      {route.page === 'host'
        ? <HostPage key={route.ip} ip={route.ip} />
        : <Dashboard day={route.day} from={route.from} to={route.to} />}
    </div>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <I18nProvider>
        <App />
      </I18nProvider>
    </StrictMode>,
  );
}
