/**
 * Global and per-host connection rates as a precise scheduler (GCRA, "virtual scheduling"):
 * each connection is given a start slot, slots are 1/rate apart, so over a run the achieved
 * rate equals the configured one instead of drifting with timer jitter as a refilled token
 * bucket does. A small burst tolerance lets callers that woke late catch up without ever
 * exceeding `rate × elapsed + burst`.
 *
 * Per host: a host's next slot is never earlier than 1/perHostRate after its previous start.
 * A host that must wait does so before it takes a global slot, so one busy host does not hold
 * the global schedule for everyone else.
 */
import { systemClock, type Clock } from './clock.js';

export interface RateLimiterOptions {
  /** Connections per second over all hosts (0 or Infinity: unlimited). */
  readonly rate: number;
  /** Connections per second to one host (0 or Infinity: unlimited). */
  readonly perHostRate?: number;
  /** Connections that may start at once after an idle spell (default: 1% of a second, at least 1). */
  readonly burst?: number;
  readonly clock?: Clock;
}

/** Waits shorter than this are not slept (timers are ~1 ms coarse); the schedule still holds. */
const MIN_SLEEP_MS = 1;
/** Per-host entries whose slot is this far in the past are dropped. */
const HOST_PRUNE_EVERY = 10_000;

export class RateLimiter {
  private readonly intervalMs: number;
  private readonly hostIntervalMs: number;
  private readonly toleranceMs: number;
  private readonly clock: Clock;
  private nextGlobal = -Infinity;
  private readonly nextHost = new Map<string, number>();
  private sincePrune = 0;
  /** Connections granted so far. */
  granted = 0;

  constructor(opts: RateLimiterOptions) {
    this.clock = opts.clock ?? systemClock;
    this.intervalMs = opts.rate > 0 && Number.isFinite(opts.rate) ? 1000 / opts.rate : 0;
    const ph = opts.perHostRate ?? 0;
    this.hostIntervalMs = ph > 0 && Number.isFinite(ph) ? 1000 / ph : 0;
    const burst = opts.burst ?? Math.max(1, Math.floor((opts.rate > 0 && Number.isFinite(opts.rate) ? opts.rate : 0) / 100));
    this.toleranceMs = this.intervalMs * Math.max(0, burst - 1);
  }

  /**
   * Resolves when a connection to `host` may start; rejects when `signal` aborts. Each call
   * that resolves counts as one connection.
   */
  async acquire(host: string, signal?: AbortSignal): Promise<void> {
    // Host first: wait (without a global slot) until the host may be contacted again.
    if (this.hostIntervalMs > 0) {
      for (;;) {
        const wait = (this.nextHost.get(host) ?? -Infinity) - this.clock.now();
        if (wait <= 0) break;
        await this.clock.sleep(wait, signal);
      }
    }
    const now = this.clock.now();
    let start = now;
    if (this.intervalMs > 0) {
      start = Math.max(this.nextGlobal, now - this.toleranceMs);
      this.nextGlobal = start + this.intervalMs;
      start = Math.max(start, now);
    }
    if (this.hostIntervalMs > 0) {
      this.nextHost.set(host, start + this.hostIntervalMs);
      if (++this.sincePrune >= HOST_PRUNE_EVERY) this.prune(now);
    }
    this.granted++;
    const wait = start - now;
    if (wait >= MIN_SLEEP_MS) await this.clock.sleep(wait, signal);
    else if (signal?.aborted) throw signal.reason;
  }

  /** Hosts currently remembered (for tests: entries are pruned). */
  get hostsTracked(): number {
    return this.nextHost.size;
  }

  private prune(now: number): void {
    this.sincePrune = 0;
    for (const [h, t] of this.nextHost) if (t <= now) this.nextHost.delete(h);
  }
}
