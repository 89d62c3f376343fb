import type { Command } from 'commander';
import { configFrom, fmtInt } from './common.js';
import { withStores } from './with-stores.js';
import type { AppContext } from '../app/context.js';
import type { Config } from '../config/schema.js';
import type { SendSummary } from '../notify/send-digests.js';

export function registerNotify(program: Command): void {
  const n = program.command('notify').description('notification rounds: digests of cases per recipient, by e-mail and webhook');
  n.command('round').option('--send', 'send the digests right away').option('--json', 'print JSON')
    .description('group the cases that need telling into digests (nothing is taken twice)')
    .action(async (o: { send?: boolean; json?: boolean }, cmd: Command) => {
      const config = configFrom(cmd);
      const out = await withStores(config, async (ctx) => {
        const round = await (await import('../notify/digest-round.js')).createRound(ctx.state, { escalationEmails: config.notify.escalationEmails, remindDays: config.notify.remindDays });
        const sent = o.send ? await sendNow(ctx, config) : undefined;
        return { round, sent };
      });
      if (o.json) {
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        return;
      }
      const r = out.round;
      process.stdout.write(r.round === null ? 'nothing to tell\n' : `round ${r.round}: ${fmtInt(r.cases)} cases for ${fmtInt(r.recipients)} recipients in ${fmtInt(r.deliveries)} deliveries (${fmtInt(r.withoutContact)} cases escalated: nobody to tell)\n`);
      if (out.sent) process.stdout.write(`sent ${out.sent.sent}, retrying ${out.sent.retrying}, failed ${out.sent.failed}; ${fmtInt(out.sent.casesNotified)} cases notified\n`);
    });
  n.command('send').option('--json', 'print JSON').description('send the deliveries that are due (new and retries)')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const config = configFrom(cmd);
      const s = await withStores(config, (ctx) => sendNow(ctx, config));
      process.stdout.write(o.json ? `${JSON.stringify(s, null, 2)}\n` : `sent ${s.sent}, retrying ${s.retrying}, failed ${s.failed}; ${fmtInt(s.casesNotified)} cases notified\n`);
    });
}

async function sendNow(ctx: AppContext, config: Config): Promise<SendSummary> {
  const { smtpMailer } = await import('../notify/channels/email.js');
  const mailer = config.notify.smtp.url ? smtpMailer({ url: config.notify.smtp.url, from: config.notify.smtp.from }) : undefined;
  try {
    return await (await import('../notify/send-digests.js')).sendDueDigests(ctx.state, {
      ...(mailer ? { mailer } : {}), maxAttempts: config.notify.maxAttempts, backoffSeconds: config.notify.backoffSeconds, webhookTimeoutMs: config.notify.webhookTimeoutMs,
    });
  } finally {
    mailer?.close();
  }
}
