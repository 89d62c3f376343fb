import type { Command } from 'commander';
import { configFrom, fmtInt } from './common.js';
import { callJson, viaStoresOrServer } from './with-context.js';
import type { RoundSummary } from '../notify/digest-round.js';
import type { SendResult } from '../notify/notify-now.js';
import { DELIVERY_STATES, type DeliveryState, type DeliveryView } from '../notify/list-deliveries.js';
import { UNRESTRICTED } from '../store/need-to-know.js';
import { SakimoriError } from '../errors.js';

export function registerNotify(program: Command): void {
  const n = program.command('notify').description('notification rounds: digests of cases per recipient, by e-mail and webhook');
  n.command('round').option('--send', 'send the digests right away').option('--json', 'print JSON')
    .description('group the cases that need telling into digests (nothing is taken twice)')
    .action(async (o: { send?: boolean; json?: boolean }, cmd: Command) => {
      const config = configFrom(cmd);
      const out = await viaStoresOrServer<{ round: RoundSummary; sent: SendResult | null }>(config,
        async (ctx) => (await import('../notify/notify-now.js')).roundNow(ctx.state, config, o.send ?? false),
        (url) => callJson('POST', `${url}api/v1/notify/rounds`, { send: o.send ?? false }));
      if (o.json) {
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        return;
      }
      const r = out.round;
      process.stdout.write(r.round === null ? 'nothing to tell\n' : `round ${r.round}: ${fmtInt(r.cases)} cases for ${fmtInt(r.recipients)} recipients in ${fmtInt(r.deliveries)} deliveries (${fmtInt(r.withoutContact)} cases escalated: nobody to tell)\n`);
      if (out.sent) process.stdout.write(sendReport(out.sent));
    });
  n.command('send').option('--json', 'print JSON').description('send the deliveries that are due (new and retries); says why any were not sent')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const config = configFrom(cmd);
      const s = await viaStoresOrServer<SendResult>(config,
        async (ctx) => (await import('../notify/notify-now.js')).sendNow(ctx.state, config),
        (url) => callJson('POST', `${url}api/v1/notify/send`));
      process.stdout.write(o.json ? `${JSON.stringify(s, null, 2)}\n` : sendReport(s));
    });
  n.command('deliveries')
    .option('--state <state>', `only ${DELIVERY_STATES.join('|')}`)
    .option('--recipient <r>', 'only org:<id> or email:<address>')
    .option('--case <id>', 'only the deliveries of the digest holding this case', (v) => Number(v))
    .option('--limit <n>', 'rows, newest first', (v) => Number(v), 50)
    .option('--json', 'print JSON')
    .description('list the deliveries of case digests: recipient, channel, state, attempts, next try, last error')
    .action(async (o: { state?: string; recipient?: string; case?: number; limit: number; json?: boolean }, cmd: Command) => {
      if (o.state !== undefined && !(DELIVERY_STATES as readonly string[]).includes(o.state)) throw new SakimoriError('BAD_REQUEST', `--state must be one of ${DELIVERY_STATES.join(', ')}`, { field: 'state' });
      if (o.case !== undefined && !(Number.isInteger(o.case) && o.case > 0)) throw new SakimoriError('BAD_REQUEST', '--case must be a case number', { field: 'case' });
      if (!(Number.isInteger(o.limit) && o.limit >= 1 && o.limit <= 10_000)) throw new SakimoriError('BAD_REQUEST', '--limit must be a whole number from 1 to 10000', { field: 'limit' });
      const filter = { ...(o.state ? { state: o.state as DeliveryState } : {}), ...(o.recipient ? { recipient: o.recipient } : {}), ...(o.case ? { caseId: o.case } : {}), limit: o.limit };
      const query = new URLSearchParams({ ...(o.state ? { state: o.state } : {}), ...(o.recipient ? { recipient: o.recipient } : {}), ...(o.case ? { case: String(o.case) } : {}), limit: String(o.limit) });
      const rows = await viaStoresOrServer<DeliveryView[]>(configFrom(cmd),
        async (ctx) => (await import('../notify/list-deliveries.js')).listDeliveries(ctx.state, UNRESTRICTED, filter),
        (url) => callJson('GET', `${url}api/v1/deliveries?${query}`));
      process.stdout.write(o.json ? `${JSON.stringify(rows, null, 2)}\n` : deliveryTable(rows));
    });
}

/** What to do about a reason a delivery was not sent. */
function hintFor(reason: string): string {
  if (reason.startsWith('no SMTP server configured')) return 'set notify.smtp.url (and notify.smtp.from) in the configuration file, then run `sakimori notify send` again';
  return 'see `sakimori notify deliveries --state retrying` (or --state failed) for each delivery and its next try';
}

const plural = (n: number, one: string, many = `${one}s`): string => `${fmtInt(n)} ${n === 1 ? one : many}`;
const utc = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** The summary of a send: counts, then each reason not sent with its count and what to do, then what waits for a later try. */
export function sendReport(s: SendResult): string {
  const lines = [`sent ${s.sent}, retrying ${s.retrying}, failed ${s.failed}; ${fmtInt(s.casesNotified)} cases notified`];
  const reasons = Object.entries(s.errors).sort((a, b) => b[1] - a[1]);
  if (reasons.length) {
    lines.push('not sent:');
    for (const [reason, count] of reasons) lines.push(`  ${plural(count, 'delivery', 'deliveries')}: ${reason}`, `    → ${hintFor(reason)}`);
  }
  if (s.waiting.deliveries > 0) {
    lines.push(`${plural(s.waiting.deliveries, 'delivery', 'deliveries')} ${s.waiting.deliveries === 1 ? 'waits' : 'wait'} for a later try (the next at ${utc(s.waiting.nextAttemptAt ?? '')}): \`sakimori notify deliveries\` lists them`);
  } else if (s.sent + s.retrying + s.failed === 0) {
    lines.push('nothing was due: `sakimori notify round` makes digests of the cases that need telling');
  }
  return `${lines.join('\n')}\n`;
}

function deliveryTable(rows: readonly DeliveryView[]): string {
  if (rows.length === 0) return 'no deliveries (`sakimori notify round` makes them)\n';
  const head = ['#', 'round', 'recipient', 'channel', 'target', 'cases', 'state', 'attempts', 'next try', 'last error'];
  const body = rows.map((d) => [
    String(d.id), String(d.round), d.recipientName || d.recipient, d.channel, d.target, fmtInt(d.cases), d.state, String(d.attempts),
    d.nextAttemptAt ? utc(d.nextAttemptAt) : '–', d.lastError ?? '',
  ]);
  const widths = head.map((h, i) => Math.min(40, Math.max(h.length, ...body.map((r) => (r[i] ?? '').length))));
  const line = (r: string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c.slice(0, widths[i]).padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return `${[line(head), ...body.map(line)].join('\n')}\n`;
}
