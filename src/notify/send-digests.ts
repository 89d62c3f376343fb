/**
 * Sends the digests that are due. Each delivery is claimed (`sending`, with a lease), sent, and
 * then — in one transaction — marked sent together with its cases (→ notified, with an event
 * naming the channel and round). A failure is recorded on the delivery and as an event on each
 * of its cases, and retried with back-off; a permanent one (the address bounced: SMTP 5xx)
 * fails at once. A process killed after sending but before recording repeats that one digest
 * after the lease (same Message-ID / Idempotency-Key); one killed anywhere else repeats nothing.
 */
import type { StateStore } from '../store/types.js';
import type { Mailer } from './channels/email.js';
import { postWebhook } from './channels/webhook.js';
import { claimDue, nextAttempt } from './claim-due.js';
import { digestCsv, digestEmail, type DigestCase } from './digest-content.js';

export interface SendOptions {
  mailer?: Mailer;
  now?: () => Date;
  maxAttempts?: number;
  backoffSeconds?: number;
  leaseSeconds?: number;
  webhookTimeoutMs?: number;
  /** For fault tests: called after each recorded delivery; throwing stops the round there. */
  afterEach?: (deliveryId: number) => void;
  /** Deliveries in flight at once (each claims its own; SMTP and webhook waits overlap). */
  concurrency?: number;
}

export interface SendSummary {
  sent: number; retrying: number; failed: number; casesNotified: number;
  /** Why deliveries were not sent in this run: the error of each failed attempt, with how many had it (as a monitor's delivery summary). */
  errors: Record<string, number>;
}

interface Due { id: number; round_id: number; recipient: string; recipient_name: string; language: string; channel: string; target: string; case_ids: number[]; attempts: number }

export async function sendDueDigests(state: StateStore, opts: SendOptions = {}): Promise<SendSummary> {
  const s: SendSummary = { sent: 0, retrying: 0, failed: 0, casesNotified: 0, errors: {} };
  let stop = false;
  const worker = async (): Promise<void> => {
    try {
      while (!stop && (await sendOne(state, opts, s)));
    } catch (e) {
      stop = true;
      throw e;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, worker));
  return s;
}

/** Claims, sends and records one due delivery; false when none is due. */
async function sendOne(state: StateStore, opts: SendOptions, s: SendSummary): Promise<boolean> {
  const now = opts.now ?? (() => new Date());
  {
    const t = now();
    const d = await claimDue<Due>(state, 'deliveries', 'id, round_id, recipient, recipient_name, language, channel, target, case_ids, attempts', t, opts.leaseSeconds ?? 300);
    if (!d) return false;
    const cases = await state.query<DigestCase>(
      'SELECT id, host(ip) AS ip, kind, state, asn, device_model, detail, first_seen, last_seen FROM cases WHERE id = ANY ($1::bigint[]) ORDER BY id',
      [d.case_ids],
    );
    const result = await deliver(d, cases, t, opts);
    const attempts = d.attempts + 1;
    if (result.ok) {
      const n = await state.transaction(async (tx) => {
        await tx.query("UPDATE deliveries SET status = 'sent', attempts = $2, sent_at = $3, last_error = NULL WHERE id = $1", [d.id, attempts, now()]);
        if (d.channel === 'escalation') return 0;
        const moved = await tx.query<{ id: number; from_state: string; to_state: string }>(
          `WITH c AS (SELECT id, state FROM cases WHERE id = ANY ($1::bigint[]) AND state IN ('new', 'reopened', 'notified', 'acknowledged') FOR UPDATE),
           u AS (UPDATE cases SET state = CASE WHEN cases.state = 'acknowledged' THEN 'acknowledged' ELSE 'notified' END, notified_at = $2
                 FROM c WHERE cases.id = c.id RETURNING cases.id, c.state AS from_state, cases.state AS to_state)
           INSERT INTO case_events (case_id, at, from_state, to_state, reason, evidence) SELECT id, $2, from_state, to_state, $3, $4 FROM u RETURNING case_id AS id, from_state, to_state`,
          [d.case_ids, now(), `notified by ${d.channel} to ${d.target} (round ${d.round_id}, delivery ${d.id})`, JSON.stringify({ round: Number(d.round_id), delivery: Number(d.id), channel: d.channel })],
        );
        // A case told by two addresses of one organisation is notified once.
        return moved.filter((m) => m.from_state !== m.to_state).length;
      });
      s.sent++;
      s.casesNotified += n;
    } else {
      const permanent = result.permanent || attempts >= (opts.maxAttempts ?? 6);
      const next = nextAttempt(now(), opts.backoffSeconds ?? 60, attempts);
      await state.transaction(async (tx) => {
        await tx.query('UPDATE deliveries SET status = $2, attempts = $3, last_error = $4, next_attempt_at = $5 WHERE id = $1', [d.id, permanent ? 'failed' : 'retrying', attempts, result.error ?? 'failed', next]);
        await tx.query(
          'INSERT INTO case_events (case_id, at, from_state, to_state, reason) SELECT id, $2, state, state, $3 FROM cases WHERE id = ANY ($1::bigint[])',
          [d.case_ids, now(), `delivery ${d.id} by ${d.channel} to ${d.target} ${permanent ? 'failed for good' : `failed, retry ${attempts}`}: ${result.error ?? 'unknown error'}`],
        );
      });
      if (permanent) s.failed++;
      else s.retrying++;
      const reason = result.error ?? 'failed';
      s.errors[reason] = (s.errors[reason] ?? 0) + 1;
    }
    opts.afterEach?.(d.id);
    return true;
  }
}

async function deliver(d: Due, cases: DigestCase[], at: Date, opts: SendOptions): Promise<{ ok: boolean; error?: string; permanent?: boolean }> {
  const lang = d.language === 'en' ? 'en' : 'ja';
  const name = d.recipient_name || d.target;
  if (d.channel === 'webhook') {
    return postWebhook(d.target, {
      event: 'cases.digest', deliveryId: d.id, round: d.round_id, recipient: name,
      cases: cases.map((c) => ({ id: Number(c.id), ip: c.ip, kind: c.kind, state: c.state, asn: Number(c.asn), deviceModel: c.device_model, detail: c.detail, firstSeen: c.first_seen.toISOString(), lastSeen: c.last_seen.toISOString() })),
    }, `sakimori-delivery-${d.id}`, opts.webhookTimeoutMs);
  }
  if (!opts.mailer) return { ok: false, error: 'no SMTP server configured (notify.smtp.url)' };
  const mail = digestEmail(lang, name, cases, Number(d.round_id));
  const subject = d.channel === 'escalation' ? `[Sakimori] escalation: ${cases.length} cases without a reachable recipient (${d.recipient})` : mail.subject;
  return opts.mailer.send({
    to: d.target, subject, text: mail.text, messageId: `<delivery-${d.id}@sakimori>`,
    attachments: [{ filename: `sakimori-round-${d.round_id}.csv`, content: digestCsv(cases, at), contentType: 'text/csv; charset=utf-8' }],
  });
}
