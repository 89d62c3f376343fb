import { useState } from 'react';
import { demoApi, type OutboxMessage } from '../../api.js';
import { useI18n } from '../../i18n/index.js';
import { ErrorMessage, Loading, Panel, Stat } from '../../components/Panel.js';
import { useLoad } from '../../useLoad.js';

/**
 * What the demo "sent": its local mail sink keeps every notice, reminder and escalation instead
 * of handing them to an SMTP server. Newest first; a row opens the message's text.
 */
export function OutboxPage() {
  const { t, num, time } = useI18n();
  const r = useLoad('outbox', (s) => demoApi.outbox(200, s));
  const [open, setOpen] = useState<string | null>(null);
  return (
    <main className="page" data-testid="outbox-page">
      <h1 className="page-title">{t('outboxTitle')}</h1>
      <p className="muted small">{t('outboxIntro')}</p>
      {r.state === 'loading' && <Loading />}
      {r.state === 'error' && <ErrorMessage error={r.error} retry={r.reload} />}
      {r.state === 'done' && (
        <>
          <div className="stats">
            <Stat label={t('outboxMessages')} value={num(r.data.total)} raw={r.data.total} testId="outbox-total" />
            <Stat label={t('outboxRecipients')} value={num(new Set(r.data.messages.map((m) => m.recipient)).size)} raw={new Set(r.data.messages.map((m) => m.recipient)).size} testId="outbox-recipients" />
          </div>
          <Panel title={t('outboxMessages')} wide testId="outbox-panel">
            {r.data.messages.length === 0 ? <p className="muted" data-testid="outbox-empty">{t('outboxEmpty')}</p> : (
              <table className="tbl">
                <thead><tr><th>{t('outboxSentAt')}</th><th>{t('outboxTo')}</th><th>{t('outboxSubject')}</th></tr></thead>
                <tbody>
                  {r.data.messages.map((m: OutboxMessage) => (
                    <MessageRow key={m.messageId} m={m} open={open === m.messageId} toggle={() => setOpen(open === m.messageId ? null : m.messageId)} when={time(m.sentAt, false)} />
                  ))}
                </tbody>
              </table>
            )}
          </Panel>
        </>
      )}
    </main>
  );
}

function MessageRow({ m, open, toggle, when }: { m: OutboxMessage; open: boolean; toggle: () => void; when: string }) {
  const { t } = useI18n();
  return (
    <>
      <tr data-testid="outbox-row" data-recipient={m.recipient}>
        <td className="nowrap">{when}</td>
        <td>{m.recipient}</td>
        <td>
          <button type="button" className="link-btn" onClick={toggle} aria-expanded={open} data-testid="outbox-open">{m.subject}</button>
        </td>
      </tr>
      {open && (
        <tr>
          <td colSpan={3}>
            <pre className="mail-text" aria-label={t('outboxText')} data-testid="outbox-text">{m.text}</pre>
          </td>
        </tr>
      )}
    </>
  );
}
