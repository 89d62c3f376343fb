/**
 * Monitors as the CLI, the API and the server's schedule use them: evaluate one or all enabled
 * monitors, then send what is due, with the SMTP settings of the configuration.
 */
import type { AppContext } from '../app/context.js';
import { smtpMailer } from '../notify/channels/email.js';
import { deliverDue, type DeliverySummary } from './deliver.js';
import { getMonitor, listMonitors } from './monitor-store.js';
import { runMonitor, type MonitorRunResult } from './run-monitor.js';
import { monitorFinder } from './find-services.js';

export interface MonitorsRun { runs: MonitorRunResult[]; delivery: DeliverySummary }

export async function runMonitors(ctx: Pick<AppContext, 'events' | 'state' | 'config'>, idOrName?: string, now?: Date): Promise<MonitorsRun> {
  const monitors = idOrName ? [await getMonitor(ctx.state, idOrName)] : (await listMonitors(ctx.state)).filter((m) => m.enabled);
  const find = monitorFinder(ctx.events);
  const runs: MonitorRunResult[] = [];
  for (const m of monitors) runs.push(await runMonitor(ctx.state, find, m, now ? { now } : {}));
  return { runs, delivery: await deliverNow(ctx) };
}

export async function deliverNow(ctx: Pick<AppContext, 'state' | 'config'>): Promise<DeliverySummary> {
  const n = ctx.config.notify;
  const mailer = n.smtp.url ? smtpMailer({ url: n.smtp.url, from: n.smtp.from }) : undefined;
  try {
    return await deliverDue(ctx.state, {
      ...(mailer ? { mailer } : {}), maxAttempts: n.maxAttempts, backoffSeconds: n.backoffSeconds, webhookTimeoutMs: n.webhookTimeoutMs,
    });
  } finally {
    mailer?.close();
  }
}
