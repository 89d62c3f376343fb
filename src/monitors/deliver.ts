/**
 * Sends the monitor deliveries that are due: webhooks and e-mails, each retried with exponential
 * back-off until it succeeds or runs out of attempts (then `failed`, with the last error kept).
 * A delivery is claimed (`sending`) before it is sent and marked `sent` right after, so nothing is
 * sent twice by two workers; after a crash in between, a claim older than the lease is retried
 * (the Idempotency-Key / Message-ID let the receiver recognise the repeat).
 *
 * A webhook is checked against the webhook policy when it is sent, not only when its monitor was
 * made (the configuration or the name's addresses may have changed since): a refusal is a
 * permanent failure.
 */
import type { StateStore } from '../store/types.js';
import { postWebhook } from '../notify/channels/webhook.js';
import type { Resolve } from '../net/outbound.js';
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
  /** CIDRs webhooks may reach although private, loopback… (notify.webhookAllow); none when absent. */
  webhookAllow?: readonly string[];
  /** Host name → addresses for webhooks (tests); the system resolver when absent. */
  resolve?: Resolve;
  /** Only the deliveries of these monitors (a member's run); every due one when absent. */
  monitorIds?: readonly string[];
}

/**
 * Counts, and failures by coarse class only ("connection failed", "HTTP 5xx", "refused by
 * policy", "mail failed"…): the detail stays in `last_error` for the operator.
 */
export interface DeliverySummary { sent: number; retrying: number; failed: number; errors: Record<string, number> }

export interface DeliveryReport extends DeliverySummary {
  /** The same, per monitor id. */
  byMonitor: Map<string, DeliverySummary>;
}

export const emptySummary = (): DeliverySummary => ({ sent: 0, retrying: 0, failed: 0, errors: {} });

interface Due { id: number; monitor_id: string; channel: string; target: string; payload: AlertPayload; attempts: number }
interface SendResult { ok: boolean; error?: string; errorClass?: string; permanent?: boolean }

const COLUMNS = 'id, monitor_id, channel, target, payload, attempts';

/** claimDue (the one way a due delivery is taken), narrowed to some monitors. */
async function claimDueOf(state: StateStore, monitorIds: readonly string[], now: Date, leaseSeconds: number): Promise<Due | undefined> {
  const [row] = await state.query<Due>(
    `UPDATE monitor_deliveries SET status = 'sending', next_attempt_at = $1::timestamptz + ($2 || ' seconds')::interval
     WHERE id = (SELECT id FROM monitor_deliveries WHERE status IN ('pending', 'retrying', 'sending') AND next_attempt_at <= $1 AND monitor_id = ANY ($3::text[])
                 ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
     RETURNING ${COLUMNS}`,
    [now, String(leaseSeconds), [...monitorIds]],
  );
  return row;
}

export async function deliverDue(state: StateStore, opts: DeliverOptions = {}): Promise<DeliveryReport> {
  const now = opts.now ?? (() => new Date());
  const maxAttempts = opts.maxAttempts ?? 6;
  const backoff = opts.backoffSeconds ?? 60;
  const lease = opts.leaseSeconds ?? 300;
  const report: DeliveryReport = { ...emptySummary(), byMonitor: new Map() };
  const count = (d: Due, outcome: 'sent' | 'retrying' | 'failed', errorClass?: string): void => {
    let own = report.byMonitor.get(d.monitor_id);
    if (!own) report.byMonitor.set(d.monitor_id, (own = emptySummary()));
    for (const s of [report, own]) {
      s[outcome]++;
      if (errorClass) s.errors[errorClass] = (s.errors[errorClass] ?? 0) + 1;
    }
  };
  for (;;) {
    const t = now();
    const d = opts.monitorIds
      ? await claimDueOf(state, opts.monitorIds, t, lease)
      : await claimDue<Due>(state, 'monitor_deliveries', COLUMNS, t, lease);
    if (!d) return report;
    const result = await send(d, opts);
    const attempts = d.attempts + 1;
    if (result.ok) {
      await state.query(`UPDATE monitor_deliveries SET status = 'sent', attempts = $2, sent_at = $3, last_error = NULL WHERE id = $1`, [d.id, attempts, now()]);
      count(d, 'sent');
    } else if (result.permanent || attempts >= maxAttempts) {
      await state.query(`UPDATE monitor_deliveries SET status = 'failed', attempts = $2, last_error = $3 WHERE id = $1`, [d.id, attempts, result.error ?? 'failed']);
      count(d, 'failed', result.errorClass);
    } else {
      const next = nextAttempt(now(), backoff, attempts);
      await state.query(`UPDATE monitor_deliveries SET status = 'retrying', attempts = $2, last_error = $3, next_attempt_at = $4 WHERE id = $1`, [d.id, attempts, result.error ?? 'failed', next]);
      count(d, 'retrying', result.errorClass);
    }
  }
}

async function send(d: Due, opts: DeliverOptions): Promise<SendResult> {
  if (d.channel === 'webhook') {
    const policy = { allow: opts.webhookAllow ?? [], ...(opts.resolve ? { resolve: opts.resolve } : {}) };
    return postWebhook(d.target, { event: 'monitor.alert', deliveryId: d.id, ...d.payload }, `sakimori-monitor-delivery-${d.id}`, opts.webhookTimeoutMs, policy);
  }
  if (d.channel === 'email') {
    if (!opts.mailer) return { ok: false, error: 'no SMTP server configured (notify.smtp.url)', errorClass: 'mail failed' };
    const r = await opts.mailer.send({ to: d.target, subject: alertSubject(d.payload), text: alertText(d.payload), messageId: `<monitor-delivery-${d.id}@sakimori>` });
    return r.ok ? r : { ...r, errorClass: r.permanent ? 'mail rejected' : 'mail failed' };
  }
  return { ok: false, error: `unknown channel ${d.channel}`, errorClass: 'unknown channel', permanent: true };
}
