import { useState, type FormEvent } from 'react';
import { useAuth } from '../../auth.js';
import { useI18n } from '../../i18n/index.js';
import { Message } from '../../components/Panel.js';

export function LoginPage() {
  const { t } = useI18n();
  const { auth, signIn } = useAuth();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    await signIn(username.trim(), password);
    setBusy(false);
    setPassword('');
  };
  const error = auth.state === 'signed-out' ? auth.error : undefined;
  return (
    <main className="page login" data-testid="login-page">
      <form className="login-form panel" onSubmit={(e) => void submit(e)}>
        <h1>{t('signInTitle')}</h1>
        <label>{t('username')}<input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" data-testid="login-username" required /></label>
        <label>{t('password')}<input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" data-testid="login-password" required /></label>
        {error && (
          <Message kind="error" testId="login-error">
            {error === 'AUTH_THROTTLED' ? t('loginThrottled') : error === 'AUTH_FAILED' ? t('loginFailed') : t('networkError')}
          </Message>
        )}
        <button type="submit" className="btn" disabled={busy} data-testid="login-submit">{t('signIn')}</button>
        <p className="muted small" data-testid="login-link-hint">{t('signInLinkHint')}</p>
      </form>
    </main>
  );
}
