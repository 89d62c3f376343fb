/**
 * Monitors as the CLI, the API and the server's schedule use them: evaluate one or all enabled
 * monitors, then send what is due, with the SMTP settings and webhook policy of the configuration.
 *
 * A run for an organisation (a constituency restriction) sends and reports only the deliveries of
 * the monitors it ran, per monitor and with failures in coarse classes: what the answer tells is
 * about one's own alerts, never another organisation's, and not which of one's webhook ports
 * refused or timed out. The operator's and the scheduler's run (unrestricted) sends everything due.
 */
import type { AppContext } from '../app/context.js';
import { smtpMailer } from '../notify/channels/email.js';
import { deliverDue, emptySummary, type DeliveryReport, type DeliverySummary } from './deliver.js';
import { getMonitor, listMonitors } from './monitor-store.js';
import { runMonitor, type MonitorRunResult } from './run-monitor.js';
import { monitorFinder } from './find-services.js';
import { UNRESTRICTED, type Restriction } from '../store/need-to-know.js';
import { constituencyOf } from '../orgs/org-store.js';

export interface MonitorRunReport extends MonitorRunResult {
  /** This monitor's deliveries sent (or tried) by this call. */
  delivery: DeliverySummary;
}

export interface MonitorsRun { runs: MonitorRunReport[]; delivery: DeliverySummary }

type Ctx = Pick<AppContext, 'events' | 'state' | 'config'>;

/** `restriction`: the caller's; UNRESTRICTED for the operator's CLI and the server's schedule. */
export async function runMonitors(ctx: Ctx, idOrName: string | undefined, now: Date | undefined, restriction: Restriction): Promise<MonitorsRun> {
  const monitors = idOrName ? [await getMonitor(ctx.state, idOrName, restriction)] : (await listMonitors(ctx.state, restriction)).filter((m) => m.enabled);
  const runs: { m: (typeof monitors)[number]; r: MonitorRunResult }[] = [];
  for (const m of monitors) {
    // An organisation's monitor sees its constituency as it is now, whatever ranges it was made with.
    const own = m.orgId ? { kind: 'constituency' as const, orgId: m.orgId, ...(await constituencyOf(ctx.state, m.orgId)) } : UNRESTRICTED;
    runs.push({ m, r: await runMonitor(ctx.state, monitorFinder(ctx.events, own), m, now ? { now } : {}) });
  }
  const d = await deliverNow(ctx, restriction.kind === 'all' ? undefined : monitors.map((m) => m.id));
  const { byMonitor, ...total } = d;
  return { runs: runs.map(({ m, r }) => ({ ...r, delivery: byMonitor.get(m.id) ?? emptySummary() })), delivery: total };
}

/** Sends the due deliveries: of these monitors only, or every one. */
export async function deliverNow(ctx: Pick<AppContext, 'state' | 'config'>, monitorIds?: readonly string[]): Promise<DeliveryReport> {
  const n = ctx.config.notify;
  const mailer = n.smtp.url ? smtpMailer({ url: n.smtp.url, from: n.smtp.from }) : undefined;
  try {
    return await deliverDue(ctx.state, {
      ...(mailer ? { mailer } : {}), maxAttempts: n.maxAttempts, backoffSeconds: n.backoffSeconds, webhookTimeoutMs: n.webhookTimeoutMs,
      webhookAllow: n.webhookAllow, ...(monitorIds ? { monitorIds } : {}),
    });
  } finally {
    mailer?.close();
  }
}
