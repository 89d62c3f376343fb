/**
 * A notification round and a send as the configuration says (SMTP server, escalation addresses,
 * retries): the one way the CLI and the API run them, so both answer alike.
 */
import type { Config } from '../config/schema.js';
import type { StateStore } from '../store/types.js';
import { smtpMailer } from './channels/email.js';
import { createRound, type RoundSummary } from './digest-round.js';
import { waitingDeliveries, type Waiting } from './list-deliveries.js';
import { sendDueDigests, type SendSummary } from './send-digests.js';

/** What a send did, and what still waits for a later try. */
export type SendResult = SendSummary & { waiting: Waiting };

export async function sendNow(state: StateStore, config: Config): Promise<SendResult> {
  const mailer = config.notify.smtp.url ? smtpMailer({ url: config.notify.smtp.url, from: config.notify.smtp.from }) : undefined;
  try {
    const s = await sendDueDigests(state, {
      ...(mailer ? { mailer } : {}), maxAttempts: config.notify.maxAttempts, backoffSeconds: config.notify.backoffSeconds, webhookTimeoutMs: config.notify.webhookTimeoutMs,
    });
    return { ...s, waiting: await waitingDeliveries(state) };
  } finally {
    mailer?.close();
  }
}

export async function roundNow(state: StateStore, config: Config, send: boolean): Promise<{ round: RoundSummary; sent: SendResult | null }> {
  const round = await createRound(state, { escalationEmails: config.notify.escalationEmails, remindDays: config.notify.remindDays });
  return { round, sent: send ? await sendNow(state, config) : null };
}
