import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nProvider, useI18n } from './i18n/index.js';
import { Header } from './components/Header.js';
import { Dashboard } from './features/dashboard/Dashboard.js';
import { HostPage } from './features/host/HostPage.js';
import { usePath } from './router.js';
import './styles.css';

function App() {
  const path = usePath();
  const { lang } = useI18n();
  const url = new URL(path, location.origin);
  const host = /^\/hosts\/(.+)$/.exec(url.pathname);
  const day = url.searchParams.get('day') ?? undefined;
  return (
    <div className={`app lang-${lang}`}>
      <Header />
      {host ? <HostPage ip={decodeURIComponent(host[1] ?? '')} /> : <Dashboard day={day && /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : undefined} />}
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
