/**
 * Port discovery: an asynchronous TCP connect scan over (scope CIDRs minus exclusions) × ports.
 * Targets are generated lazily in a random order (a cyclic-group permutation, as ZMap does), so
 * a /8 × 100 ports costs no memory and no host sees its addresses or ports in sequence. Up to
 * `concurrency` connects are in flight; every one goes through the probe gate (scope, socket
 * bound, rate limits, audit). A target that times out is tried again up to `retries` times; a
 * refusal (RST) is definitive. A target excluded while the scan runs is skipped from then on,
 * retries included; any other scope refusal stops the scan.
 */
import { SakimoriError } from '../../errors.js';
import { formatIp } from '../../net/ip.js';
import type { CidrSet } from '../../net/cidr-set.js';
import { ExcludedTargetError } from '../scope/scope-guard.js';
import type { ConnectOutcome, ProbeGate } from '../probe-context.js';
import { CyclicPermutation, MAX_PERMUTATION } from './permutation.js';

export interface ScanResult {
  readonly ip: string;
  readonly port: number;
  /** 'timeout' after every attempt timed out; 'error' for other failures (unreachable …). */
  readonly status: ConnectOutcome;
  readonly attempts: number;
  /** Epoch milliseconds of the last attempt. */
  readonly time: number;
}

export interface ScanProgress {
  readonly total: number;
  readonly done: number;
  readonly open: number;
  readonly closed: number;
  readonly timeout: number;
  readonly error: number;
  /** Targets skipped because an exclusion covers them (no packet sent). */
  readonly excluded: number;
  /** Connection attempts finished (retries included). */
  readonly attempts: number;
  readonly elapsedMs: number;
}

export interface ScanOptions {
  readonly gate: ProbeGate;
  /** Addresses to walk (normally the scope's CIDRs; the gate still checks each one). */
  readonly targets: CidrSet;
  readonly ports: readonly number[];
  /** Connects in flight at once (bounded further by the gate's socket semaphore). */
  readonly concurrency: number;
  readonly timeoutMs: number;
  /** Further attempts after a timeout or error (0: one attempt per target). */
  readonly retries: number;
  /** Order of the walk (default: time-based). */
  readonly seed?: number;
  readonly onResult?: (r: ScanResult) => void;
  readonly onProgress?: (p: ScanProgress) => void;
  readonly progressEveryMs?: number;
  /** When also given to the gate, aborting ends the scan promptly. */
  readonly signal?: AbortSignal;
}

/** Scans everything and resolves with the final counters; rejects if aborted or refused by scope validity. */
export async function tcpScan(opts: ScanOptions): Promise<ScanProgress> {
  const { gate, targets, ports } = opts;
  if (ports.length === 0) throw new SakimoriError('BAD_REQUEST', 'no ports to scan');
  for (const p of ports) if (!Number.isInteger(p) || p < 1 || p > 65535) throw new SakimoriError('BAD_REQUEST', `not a port: ${p}`);
  const hosts = targets.size;
  const totalBig = hosts * BigInt(ports.length);
  if (totalBig > BigInt(MAX_PERMUTATION)) {
    throw new SakimoriError('SCOPE_INVALID', `${totalBig} targets (${hosts} addresses × ${ports.length} ports) are too many for one run; split the scope or use fewer ports`);
  }
  const total = Number(totalBig);
  const perm = new CyclicPermutation(total, opts.seed ?? Date.now());
  const nPorts = ports.length;
  const started = performance.now();
  const c = { done: 0, open: 0, closed: 0, timeout: 0, error: 0, excluded: 0, attempts: 0 };
  const progress = (): ScanProgress => ({ total, ...c, elapsedMs: performance.now() - started });
  let fatal: unknown;
  const every = opts.progressEveryMs ?? 250;
  const ticker = opts.onProgress ? setInterval(() => opts.onProgress?.(progress()), every) : undefined;

  const nextTarget = (): { ip: string; port: number } | undefined => {
    for (;;) {
      const i = perm.next();
      if (i < 0) return undefined;
      const hostIndex = Math.floor(i / nPorts);
      const port = ports[i - hostIndex * nPorts] as number;
      const addr = hosts <= BigInt(Number.MAX_SAFE_INTEGER) && targets.size6 === 0n
        ? { family: 4 as const, value: targets.at4(hostIndex) }
        : targets.at(BigInt(hostIndex));
      // Excluded targets are skipped here, without waiting for a rate slot.
      if (!gate.guard.permits(addr)) {
        c.excluded++;
        c.done++;
        continue;
      }
      return { ip: formatIp(addr), port };
    }
  };

  const worker = async (): Promise<void> => {
    while (fatal === undefined && !opts.signal?.aborted) {
      const t = nextTarget();
      if (!t) return;
      let status: ConnectOutcome = 'error';
      let attempts = 0;
      let excluded = false;
      while (attempts <= opts.retries) {
        attempts++;
        try {
          status = await gate.probePort({ ip: t.ip, port: t.port, transport: 'tcp' }, opts.timeoutMs);
        } catch (e) {
          if (e instanceof ExcludedTargetError) {
            excluded = true;
            break;
          }
          fatal ??= e;
          return;
        }
        // Counted when finished: one waiting for its rate slot has not been sent yet.
        c.attempts++;
        if (status === 'open' || status === 'closed' || opts.signal?.aborted) break;
      }
      c.done++;
      if (excluded) {
        c.excluded++;
        continue;
      }
      c[status]++;
      opts.onResult?.({ ip: t.ip, port: t.port, status, attempts, time: Date.now() });
    }
  };

  try {
    const n = Math.max(1, Math.min(opts.concurrency, total));
    await Promise.all(Array.from({ length: n }, worker));
  } finally {
    if (ticker) clearInterval(ticker);
  }
  if (fatal !== undefined) throw fatal;
  if (opts.signal?.aborted) throw opts.signal.reason;
  const final = progress();
  opts.onProgress?.(final);
  return final;
}
