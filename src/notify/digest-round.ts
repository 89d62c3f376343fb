/**
 * A notification round: the cases that need telling (new, reopened, or notified longer ago than
 * the reminder interval), grouped per recipient into one digest per channel target — the
 * organisation's e-mails and webhooks, an RIR abuse mailbox, or an escalation to the platform's
 * own addresses for cases nobody can be told about. Created in one transaction; cases already in
 * an unsent delivery are not taken again, so two rounds never tell about one case twice.
 */
import type { StateStore } from '../store/types.js';

export interface RoundOptions { now?: Date; remindDays?: number; escalationEmails?: readonly string[] }
export interface RoundSummary { round: number | null; cases: number; recipients: number; deliveries: number; withoutContact: number }

interface Candidate { id: number; recipient: string; recipient_name: string }
interface Org { id: string; name: string; emails: string[]; webhooks: string[]; language: string }

export async function createRound(state: StateStore, opts: RoundOptions = {}): Promise<RoundSummary> {
  const now = opts.now ?? new Date();
  const remind = new Date(now.getTime() - (opts.remindDays ?? 30) * 86_400_000);
  return state.transaction(async (tx) => {
    const cand = await tx.query<Candidate>(
      `SELECT c.id, c.recipient, c.recipient_name FROM cases c
       WHERE (c.state IN ('new', 'reopened') OR (c.state IN ('notified', 'acknowledged') AND c.notified_at < $1 AND c.recipient <> 'unassigned'))
         AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.status IN ('pending', 'sending', 'retrying') AND c.id = ANY (d.case_ids))
         AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.to_state = c.state AND e.reason LIKE 'escalated%')
       ORDER BY c.recipient, c.id`,
      [remind],
    );
    if (cand.length === 0) return { round: null, cases: 0, recipients: 0, deliveries: 0, withoutContact: 0 };
    const byRecipient = new Map<string, Candidate[]>();
    for (const c of cand) {
      let l = byRecipient.get(c.recipient);
      if (!l) byRecipient.set(c.recipient, (l = []));
      l.push(c);
    }
    const orgIds = [...byRecipient.keys()].filter((k) => k.startsWith('org:')).map((k) => k.slice(4));
    const orgs = new Map((await tx.query<Org>('SELECT id, name, emails, webhooks, language FROM organisations WHERE id = ANY ($1::text[])', [orgIds])).map((o) => [`org:${o.id}`, o]));
    // An address that bounced for good is not tried again: its cases are escalated instead.
    const dead = new Set((await tx.query<{ target: string }>("SELECT DISTINCT target FROM deliveries WHERE status = 'failed' AND channel <> 'escalation'")).map((r) => r.target));
    const [round] = await tx.query<{ id: number }>('INSERT INTO notify_rounds (created_at, cases, recipients) VALUES ($1, $2, $3) RETURNING id', [now, cand.length, byRecipient.size]);
    const roundId = Number(round?.id);
    const rows: { recipient: string; recipient_name: string; language: string; channel: string; target: string; case_ids: number[] }[] = [];
    let withoutContact = 0;
    for (const [recipient, cases] of byRecipient) {
      const ids = cases.map((c) => Number(c.id));
      const name = cases[0]?.recipient_name ?? '';
      let targets: { channel: string; target: string; language: string }[] = [];
      const org = orgs.get(recipient);
      if (org) {
        for (const e of org.emails) targets.push({ channel: 'email', target: e, language: org.language });
        for (const w of org.webhooks) targets.push({ channel: 'webhook', target: w, language: org.language });
      } else if (recipient.startsWith('email:')) {
        targets.push({ channel: 'email', target: recipient.slice(6), language: 'en' });
      }
      const bounced = targets.filter((t) => dead.has(t.target)).map((t) => t.target);
      targets = targets.filter((t) => !dead.has(t.target));
      if (targets.length === 0) {
        // Nobody to tell: the platform's own people decide (an RIR lookup, a phone call).
        withoutContact += ids.length;
        for (const e of opts.escalationEmails ?? []) targets.push({ channel: 'escalation', target: e, language: 'ja' });
        await tx.query(
          `INSERT INTO case_events (case_id, at, from_state, to_state, reason) SELECT id, $2, state, state, $3 FROM cases WHERE id = ANY ($1::bigint[])`,
          [ids, now, `escalated: ${recipient === 'unassigned' ? 'no registered organisation or RIR contact' : bounced.length ? `delivery to ${bounced.join(', ')} failed for good` : 'the recipient has no e-mail or webhook'}${targets.length ? ` (to ${targets.map((t) => t.target).join(', ')})` : ' (no escalation address configured: notify.escalationEmails)'}`],
        );
      }
      for (const t of targets) rows.push({ recipient, recipient_name: org?.name ?? name, language: t.language, channel: t.channel, target: t.target, case_ids: ids });
    }
    for (let i = 0; i < rows.length; i += 5000) {
      await tx.query(
        `INSERT INTO deliveries (round_id, recipient, recipient_name, language, channel, target, case_ids, next_attempt_at)
         SELECT $1, d.recipient, d.recipient_name, d.language, d.channel, d.target, ARRAY(SELECT jsonb_array_elements_text(d.case_ids)::bigint), $3
         FROM jsonb_to_recordset($2::jsonb) AS d(recipient text, recipient_name text, language text, channel text, target text, case_ids jsonb)`,
        [roundId, JSON.stringify(rows.slice(i, i + 5000)), now],
      );
    }
    return { round: roundId, cases: cand.length, recipients: byRecipient.size, deliveries: rows.length, withoutContact };
  });
}
