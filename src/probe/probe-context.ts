/**
 * The real ProbeContext: every connection a survey makes — the scanner's and the modules' —
 * passes here. In order: the scope guard (a refused target never gets a socket), the socket
 * bound (file descriptors), the rate limiters, then the connect with its timeout; each attempt
 * that created a socket is appended to the audit log (never a password: only the credential
 * list id). Credentials are handed to modules only when the scope enables credential checks.
 *
 * The guard may change while the run goes on (an exclusion added, the scope ended): the
 * current one is checked once more in the same tick as each connect, and a change closes the
 * sockets, open or connecting, whose target it now refuses.
 */
import { setMaxListeners } from 'node:events';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { SakimoriError } from '../errors.js';
import type { AuditSink } from './audit/audit-log.js';
import type { ConnectOptions, CredentialList, ProbeContext, ProbeTarget } from './module.js';
import type { RateLimiter } from './rate/rate-limiter.js';
import type { Semaphore } from './rate/semaphore.js';
import { staticGuard, type GuardChange, type GuardSource } from './scope/live-guard.js';
import { ScopeGuard } from './scope/scope-guard.js';
import { SourceAddresses } from './source-address.js';

export type ConnectOutcome = 'open' | 'closed' | 'timeout' | 'error';

export interface ProbeGateOptions {
  /** A fixed guard, or one kept current while the run goes on (scope/live-guard.ts). */
  readonly guard: ScopeGuard | GuardSource;
  readonly limiter: RateLimiter;
  /** Bounds sockets open at once (scanner and modules together). */
  readonly sockets: Semaphore;
  readonly audit: AuditSink;
  readonly runId: string | null;
  readonly connectTimeoutMs: number;
  readonly signal: AbortSignal;
  /** Epoch milliseconds (audit times, scope validity). */
  readonly now?: () => number;
}

/** Counters of what the gate let through or refused. */
export interface GateStats {
  refused: number;
  attempts: number;
  open: number;
  closed: number;
  timeout: number;
  error: number;
  /** Connections closed because a new guard refused their target (exclusion added, scope ended). */
  cut: number;
}

export class ConnectTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(target: ProbeTarget, ms: number) {
    super(`connect to ${target.ip}:${target.port} timed out after ${ms} ms`);
  }
}

export class ProbeGate {
  readonly stats: GateStats = { refused: 0, attempts: 0, open: 0, closed: 0, timeout: 0, error: 0, cut: 0 };
  readonly guards: GuardSource;
  private readonly now: () => number;
  private readonly sources = new SourceAddresses();
  /** Cancels of the attempts in flight: one abort listener for all (not one per socket). */
  private readonly inFlight = new Set<() => void>();
  /** Every socket of this gate, connecting or open, with how to close it when its target is refused. */
  private readonly tracked = new Map<Socket, { ip: string; cut: (e: Error) => void }>();
  private readonly unsubscribe: () => void;

  constructor(readonly opts: ProbeGateOptions) {
    this.now = opts.now ?? Date.now;
    this.guards = opts.guard instanceof ScopeGuard ? staticGuard(opts.guard) : opts.guard;
    // Thousands of waiters (socket permits, rate slots) listen to the run's signal at once.
    setMaxListeners(0, opts.signal);
    opts.signal.addEventListener('abort', () => { for (const cancel of [...this.inFlight]) cancel(); }, { once: true });
    this.unsubscribe = this.guards.onChange((c) => this.cutRefused(c));
  }

  /** The guard in force now. */
  get guard(): ScopeGuard {
    return this.guards.current;
  }

  /** Stops following guard changes (the run is over). */
  close(): void {
    this.unsubscribe();
  }

  private cutRefused(c: GuardChange): void {
    const now = this.now();
    for (const [, entry] of [...this.tracked]) {
      const e = c.guard.checkTarget(entry.ip, now);
      if (e) {
        this.stats.cut++;
        entry.cut(e);
      }
    }
  }

  /** Throws SCOPE_DENIED / SCOPE_EXPIRED (and counts it) when the target may not be probed. */
  check(ip: string): void {
    const e = this.guard.checkTarget(ip, this.now());
    if (e) {
      this.stats.refused++;
      throw e;
    }
  }

  /**
   * Waits for a socket permit, a rate slot and a guard recent enough to trust, checking the
   * scope before and after waiting (it may change meanwhile). Returns the release function of
   * the permit. The caller checks once more in the tick it connects in (`admitted`).
   */
  private async admit(ip: string): Promise<() => void> {
    const { sockets, limiter, signal } = this.opts;
    this.check(ip);
    await sockets.acquire(signal);
    let released = false;
    const release = (): void => {
      if (!released) {
        released = true;
        sockets.release();
      }
    };
    try {
      await limiter.acquire(ip, signal);
      this.check(ip);
      // Known before the connect, so that a refused one is audited with its source too.
      if (this.sources.peek(ip) === undefined) await this.sources.lookup(ip);
      await this.guards.fresh(signal);
    } catch (e) {
      release();
      throw e;
    }
    return release;
  }

  /** The last check, with no await between it and the connect: the guard cannot change in between. */
  private admitted(ip: string, release: () => void): void {
    try {
      this.check(ip);
    } catch (e) {
      release();
      throw e;
    }
  }

  private record(target: ProbeTarget, module: string, at: number, source: string | undefined, credentialListId: string | undefined): void {
    this.opts.audit.append({
      at, runId: this.opts.runId, sourceIp: source ?? this.sources.peek(target.ip) ?? null, targetIp: target.ip, port: target.port, module, credentialList: credentialListId ?? null,
    });
  }

  /**
   * One TCP connect for port discovery: the socket is reset as soon as it opens (no data, no
   * TIME_WAIT on our side). Resolves with the outcome; rejects only for scope refusal or abort.
   */
  async probePort(target: ProbeTarget, timeoutMs = this.opts.connectTimeoutMs): Promise<ConnectOutcome> {
    const release = await this.admit(target.ip);
    this.admitted(target.ip, release);
    const at = this.now();
    this.stats.attempts++;
    return new Promise<ConnectOutcome>((resolve, reject) => {
      const s = netConnect({ host: target.ip, port: target.port });
      let settled = false;
      const finish = (o: ConnectOutcome, source?: string, refusal?: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.inFlight.delete(onAbort);
        this.tracked.delete(s);
        this.stats[o]++;
        this.record(target, 'scan', at, source, undefined);
        if (refusal) reject(refusal);
        else resolve(o);
      };
      const onAbort = (): void => { s.destroy(); finish('error'); };
      const timer = setTimeout(() => { s.destroy(); finish('timeout'); }, timeoutMs);
      this.inFlight.add(onAbort);
      // Refused meanwhile: the scanner counts the target as excluded (or stops, for any other refusal).
      this.tracked.set(s, { ip: target.ip, cut: (e) => { s.destroy(); finish('error', undefined, e); } });
      s.once('connect', () => {
        const source = s.localAddress;
        s.resetAndDestroy();
        finish('open', source);
      });
      s.once('error', (e: NodeJS.ErrnoException) => {
        finish(e.code === 'ECONNREFUSED' ? 'closed' : e.code === 'ETIMEDOUT' ? 'timeout' : 'error');
      });
      s.once('close', release);
    });
  }

  /** A connection for a module: resolved once open (TLS: handshake done); the permit is held until it closes. */
  async open(target: ProbeTarget, module: string, co: ConnectOptions = {}): Promise<Socket | TLSSocket> {
    if (target.transport !== 'tcp') throw new SakimoriError('BAD_REQUEST', `module ${module}: only TCP connections are supported`, { target: target.ip });
    const release = await this.admit(target.ip);
    this.admitted(target.ip, release);
    const at = this.now();
    this.stats.attempts++;
    const timeoutMs = this.opts.connectTimeoutMs;
    return new Promise((resolve, reject) => {
      const s = co.tls
        ? tlsConnect({ host: target.ip, port: target.port, rejectUnauthorized: false, ...(co.servername ? { servername: co.servername } : {}), ...(co.alpn ? { ALPNProtocols: [...co.alpn] } : {}) })
        : netConnect({ host: target.ip, port: target.port });
      let settled = false;
      let audited = false;
      const audit = (): void => {
        if (!audited) {
          audited = true;
          this.record(target, module, at, s.localAddress, co.credentialListId);
        }
      };
      const fail = (o: ConnectOutcome, e: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.inFlight.delete(onAbort);
        this.stats[o]++;
        audit();
        s.destroy();
        reject(e);
      };
      const onAbort = (): void => fail('error', this.opts.signal.reason instanceof Error ? this.opts.signal.reason : new Error('aborted'));
      const timer = setTimeout(() => fail('timeout', new ConnectTimeoutError(target, timeoutMs)), timeoutMs);
      this.inFlight.add(onAbort);
      // Connecting: fails with the refusal (the module passes it on); open: closed under the module.
      // (No error on an open socket's destroy: a module between reads may have no error listener.)
      this.tracked.set(s, { ip: target.ip, cut: (e) => { if (settled) s.destroy(); else fail('error', e); } });
      s.once('close', () => { this.tracked.delete(s); release(); });
      s.once(co.tls ? 'secureConnect' : 'connect', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.inFlight.delete(onAbort);
        this.stats.open++;
        audit();
        resolve(s);
      });
      s.once('error', (e: NodeJS.ErrnoException) => fail(e.code === 'ECONNREFUSED' ? 'closed' : 'error', e));
    });
  }
}

export interface SurveyContextOptions {
  readonly readTimeoutMs: number;
  readonly maxCredentialAttempts: number;
  /** Handed to modules only when the scope enables credential checks. */
  readonly credentials?: CredentialList | undefined;
}

/** The ProbeContext the modules see, backed by a gate. */
export function createProbeContext(gate: ProbeGate, opts: SurveyContextOptions): ProbeContext {
  const enabled = gate.guard.scope.credentialChecks;
  const credentials = enabled ? opts.credentials : undefined;
  return {
    connectTimeoutMs: gate.opts.connectTimeoutMs,
    readTimeoutMs: opts.readTimeoutMs,
    maxCredentialAttempts: enabled ? opts.maxCredentialAttempts : 0,
    signal: gate.opts.signal,
    ...(credentials ? { credentials } : {}),
    connect(target: ProbeTarget, module: string, co: ConnectOptions = {}): Promise<Socket | TLSSocket> {
      // The current guard: a scope that turns credential checks off mid-run refuses the next attempt.
      if (co.credentialListId !== undefined && (!credentials || !gate.guard.scope.credentialChecks)) {
        return Promise.reject(new SakimoriError('SCOPE_DENIED', `credential checks are not enabled for scope "${gate.guard.scope.name}"; module ${module} may not try credentials`, { target: target.ip, scope: gate.guard.scope.name }));
      }
      return gate.open(target, module, co);
    },
  };
}
