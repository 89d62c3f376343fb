/**
 * The server evaluates monitors on a timer (monitors.intervalMinutes) and sends due deliveries
 * (retries) every minute. Runs never overlap; an error is logged and the next tick tries again.
 */
import type { AppContext } from '../app/context.js';
import { deliverNow, runMonitors } from './monitor-service.js';
import { UNRESTRICTED } from '../store/need-to-know.js';

export interface Logger { info(o: object, msg: string): void; error(o: object, msg: string): void }

export function scheduleMonitors(ctx: AppContext, log: Logger): { stop(): void; kick(): void } {
  let busy = false;
  const tick = async (evaluate: boolean): Promise<void> => {
    if (busy) return;
    busy = true;
    try {
      if (evaluate) {
        // The scheduler runs every organisation's monitors, as the operator.
        const r = await runMonitors(ctx, undefined, undefined, UNRESTRICTED);
        if (r.runs.length) log.info({ monitors: r.runs.length, alerted: r.runs.reduce((a, x) => a + x.alerted.length, 0), delivery: r.delivery }, 'monitors evaluated');
      } else {
        const { byMonitor: _, ...d } = await deliverNow(ctx);
        if (d.sent + d.retrying + d.failed > 0) log.info({ delivery: d }, 'monitor deliveries');
      }
    } catch (e) {
      log.error({ err: e }, 'monitor run failed');
    } finally {
      busy = false;
    }
  };
  const evalTimer = setInterval(() => void tick(true), ctx.config.monitors.intervalMinutes * 60_000);
  const retryTimer = setInterval(() => void tick(false), 60_000);
  evalTimer.unref();
  retryTimer.unref();
  return {
    stop: () => { clearInterval(evalTimer); clearInterval(retryTimer); },
    kick: () => void tick(true),
  };
}
