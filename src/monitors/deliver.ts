/**
 * Sends the monitor deliveries that are due: webhooks and e-mails, each retried with exponential
 * back-off until it succeeds or runs out of attempts (then `failed`, with the last error kept).
 * A delivery is claimed (`sending`) before it is sent and marked `sent` right after, so nothing is
 * sent twice by two workers; after a crash in between, a claim older than the lease is retried
 * (the Idempotency-Key / Message-ID let the receiver recognise the repeat).
 */
import type { StateStore } from '../store/types.js';
import { postWebhook } from '../notify/channels/webhook.js';
import { claimDue, nextAttempt } from '../notify/claim-due.js';
import type { Mailer } from '../notify/channels/email.js';
import { alertSubject, alertText, type AlertPayload } from './alert-message.js';

export interface DeliverOptions {
  mailer?: Mailer;
  now?: () => Date;
  maxAttempts?: number;
  /** First retry after this many seconds, doubling each time. */
  backoffSeconds?: number;
  webhookTimeoutMs?: number;
  /** A `sending` claim older than this is considered abandoned (crash) and retried. */
  leaseSeconds?: number;
}

export interface DeliverySummary { sent: number; retrying: number; failed: number }

interface Due { id: number; channel: string; target: string; payload: AlertPayload; attempts: number }

export async function deliverDue(state: StateStore, opts: DeliverOptions = {}): Promise<DeliverySummary> {
  const now = opts.now ?? (() => new Date());
  const maxAttempts = opts.maxAttempts ?? 6;
  const backoff = opts.backoffSeconds ?? 60;
  const lease = opts.leaseSeconds ?? 300;
  const summary: DeliverySummary = { sent: 0, retrying: 0, failed: 0 };
  for (;;) {
    const t = now();
    const d = await claimDue<Due>(state, 'monitor_deliveries', 'id, channel, target, payload, attempts', t, lease);
    if (!d) return summary;
    const result = await send(d, opts);
    const attempts = d.attempts + 1;
    if (result.ok) {
      await state.query(`UPDATE monitor_deliveries SET status = 'sent', attempts = $2, sent_at = $3, last_error = NULL WHERE id = $1`, [d.id, attempts, now()]);
      summary.sent++;
    } else if (result.permanent || attempts >= maxAttempts) {
      await state.query(`UPDATE monitor_deliveries SET status = 'failed', attempts = $2, last_error = $3 WHERE id = $1`, [d.id, attempts, result.error ?? 'failed']);
      summary.failed++;
    } else {
      const next = nextAttempt(now(), backoff, attempts);
      await state.query(`UPDATE monitor_deliveries SET status = 'retrying', attempts = $2, last_error = $3, next_attempt_at = $4 WHERE id = $1`, [d.id, attempts, result.error ?? 'failed', next]);
      summary.retrying++;
    }
  }
}

async function send(d: Due, opts: DeliverOptions): Promise<{ ok: boolean; error?: string; permanent?: boolean }> {
  if (d.channel === 'webhook') return postWebhook(d.target, { event: 'monitor.alert', deliveryId: d.id, ...d.payload }, `sakimori-monitor-delivery-${d.id}`, opts.webhookTimeoutMs);
  if (d.channel === 'email') {
    if (!opts.mailer) return { ok: false, error: 'no SMTP server configured (notify.smtp.url)' };
    return opts.mailer.send({ to: d.target, subject: alertSubject(d.payload), text: alertText(d.payload), messageId: `<monitor-delivery-${d.id}@sakimori>` });
  }
  return { ok: false, error: `unknown channel ${d.channel}`, permanent: true };
}
