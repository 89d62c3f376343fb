import type { ReactNode } from 'react';
import { ApiError } from '../api.js';
import { useI18n } from '../i18n/index.js';

export function Panel({ title, children, wide, testId, aside }: { title: ReactNode; children: ReactNode; wide?: boolean; testId?: string; aside?: ReactNode }) {
  return (
    <section className={wide ? 'panel wide' : 'panel'} data-testid={testId}>
      <header className="panel-head">
        <h2>{title}</h2>
        {aside && <div className="panel-aside">{aside}</div>}
      </header>
      {children}
    </section>
  );
}

/** A headline figure: the formatted value shown, the raw value in data-value for tests and tools. */
export function Stat({ label, value, raw, testId, hint, sub }: { label: string; value: ReactNode; raw: number | string; testId: string; hint?: string; sub?: ReactNode }) {
  return (
    <div className="stat" title={hint}>
      <div className="stat-label">{label}</div>
      <div className="stat-value" data-testid={testId} data-value={String(raw)}>{value}</div>
      {sub && <div className="stat-sub">{sub}</div>}
    </div>
  );
}

export function Message({ kind, children, testId }: { kind: 'info' | 'error'; children: ReactNode; testId?: string }) {
  return <div className={`message ${kind}`} role={kind === 'error' ? 'alert' : 'status'} data-testid={testId}>{children}</div>;
}

/** What went wrong with an API call, in the reader's language, with the API's code and a retry. */
export function ErrorMessage({ error, retry }: { error: Error; retry?: () => void }) {
  const { t } = useI18n();
  const api = error instanceof ApiError ? error : undefined;
  const headline = api?.code === 'NETWORK' ? t('networkError') : api?.code === 'BAD_RESPONSE' ? t('badResponse') : t('apiError');
  return (
    <Message kind="error" testId="api-error">
      <div className="message-title">{headline}</div>
      <div className="message-detail">
        {api && <code>{api.status ? `HTTP ${api.status} · ` : ''}{api.code}</code>} {error.message}
        {api && <span className="muted"> — {api.path}</span>}
      </div>
      {retry && <button type="button" className="btn" onClick={retry}>{t('retry')}</button>}
    </Message>
  );
}

export function Loading() {
  const { t } = useI18n();
  return <Message kind="info" testId="loading">{t('loading')}</Message>;
}
