/**
 * The demo's mail sink: a Mailer that keeps each message in the state store (`demo_outbox`)
 * instead of speaking SMTP, so the demo needs no mail server (smtp-server is a devDependency)
 * and the console can show what was sent. A Message-ID already kept is not kept twice.
 */
import type { StateStore } from '../../store/types.js';
import type { Mailer } from './email.js';

export function outboxMailer(state: Pick<StateStore, 'query'>, now: () => Date): Mailer {
  return {
    async send(m) {
      await state.query(
        'INSERT INTO demo_outbox (message_id, sent_at, recipient, subject, body) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (message_id) DO NOTHING',
        [m.messageId, now(), m.to, m.subject, m.text],
      );
      return { ok: true };
    },
    close: () => undefined,
  };
}

export interface OutboxView { messageId: string; sentAt: string; recipient: string; subject: string; text: string }

export async function listOutbox(state: Pick<StateStore, 'query'>, limit = 100, offset = 0): Promise<{ total: number; messages: OutboxView[] }> {
  const [t] = await state.query<{ n: number }>('SELECT count(*)::int AS n FROM demo_outbox');
  const rows = await state.query<{ message_id: string; sent_at: Date; recipient: string; subject: string; body: string }>(
    'SELECT message_id, sent_at, recipient, subject, body FROM demo_outbox ORDER BY sent_at DESC, message_id LIMIT $1 OFFSET $2', [limit, offset],
  );
  return { total: t?.n ?? 0, messages: rows.map((r) => ({ messageId: r.message_id, sentAt: r.sent_at.toISOString(), recipient: r.recipient, subject: r.subject, text: r.body })) };
}
