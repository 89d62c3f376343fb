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
import { UNRESTRICTED, type Restriction } from '../auth/need-to-know.js';
import { constituencyOf } from '../orgs/org-store.js';

export interface MonitorsRun { runs: MonitorRunResult[]; delivery: DeliverySummary }

export async function runMonitors(ctx: Pick<AppContext, 'events' | 'state' | 'config'>, idOrName?: string, now?: Date, restriction: Restriction = UNRESTRICTED): Promise<MonitorsRun> {
  const monitors = idOrName ? [await getMonitor(ctx.state, idOrName, restriction)] : (await listMonitors(ctx.state, restriction)).filter((m) => m.enabled);
  const runs: MonitorRunResult[] = [];
  for (const m of monitors) {
    // An organisation's monitor sees its constituency as it is now, whatever ranges it was made with.
    const own = m.orgId ? { kind: 'constituency' as const, orgId: m.orgId, ...(await constituencyOf(ctx.state, m.orgId)) } : UNRESTRICTED;
    runs.push(await runMonitor(ctx.state, monitorFinder(ctx.events, own), m, now ? { now } : {}));
  }
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
