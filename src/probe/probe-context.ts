/**
 * The real ProbeContext: every connection a survey makes — the scanner's and the modules' —
 * passes here. In order: the scope guard (a refused target never gets a socket), the socket
 * bound (file descriptors), the rate limiters, then the connect with its timeout; each attempt
 * that created a socket is appended to the audit log (never a password: only the credential
 * list id). Credentials are handed to modules only when the scope enables credential checks.
 */
import { setMaxListeners } from 'node:events';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { SakimoriError } from '../errors.js';
import type { AuditSink } from './audit/audit-log.js';
import type { ConnectOptions, CredentialList, ProbeContext, ProbeTarget } from './module.js';
import type { RateLimiter } from './rate/rate-limiter.js';
import type { Semaphore } from './rate/semaphore.js';
import type { ScopeGuard } from './scope/scope-guard.js';
import { SourceAddresses } from './source-address.js';

export type ConnectOutcome = 'open' | 'closed' | 'timeout' | 'error';

export interface ProbeGateOptions {
  readonly guard: ScopeGuard;
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
}

export class ConnectTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(target: ProbeTarget, ms: number) {
    super(`connect to ${target.ip}:${target.port} timed out after ${ms} ms`);
  }
}

export class ProbeGate {
  readonly stats: GateStats = { refused: 0, attempts: 0, open: 0, closed: 0, timeout: 0, error: 0 };
  private readonly now: () => number;
  private readonly sources = new SourceAddresses();
  /** Cancels of the attempts in flight: one abort listener for all (not one per socket). */
  private readonly inFlight = new Set<() => void>();

  constructor(readonly opts: ProbeGateOptions) {
    this.now = opts.now ?? Date.now;
    // Thousands of waiters (socket permits, rate slots) listen to the run's signal at once.
    setMaxListeners(0, opts.signal);
    opts.signal.addEventListener('abort', () => { for (const cancel of [...this.inFlight]) cancel(); }, { once: true });
  }

  /** Throws SCOPE_DENIED / SCOPE_EXPIRED (and counts it) when the target may not be probed. */
  check(ip: string): void {
    const e = this.opts.guard.checkTarget(ip, this.now());
    if (e) {
      this.stats.refused++;
      throw e;
    }
  }

  /**
   * Waits for a socket permit and a rate slot, checking the scope before and after waiting
   * (the scope may expire meanwhile). Returns the release function of the permit.
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
    } catch (e) {
      release();
      throw e;
    }
    return release;
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
    const at = this.now();
    this.stats.attempts++;
    return new Promise<ConnectOutcome>((resolve) => {
      const s = netConnect({ host: target.ip, port: target.port });
      let settled = false;
      const finish = (o: ConnectOutcome, source?: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.inFlight.delete(onAbort);
        this.stats[o]++;
        this.record(target, 'scan', at, source, undefined);
        resolve(o);
      };
      const onAbort = (): void => { s.destroy(); finish('error'); };
      const timer = setTimeout(() => { s.destroy(); finish('timeout'); }, timeoutMs);
      this.inFlight.add(onAbort);
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
      s.once('close', release);
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
  const enabled = gate.opts.guard.scope.credentialChecks;
  const credentials = enabled ? opts.credentials : undefined;
  return {
    connectTimeoutMs: gate.opts.connectTimeoutMs,
    readTimeoutMs: opts.readTimeoutMs,
    maxCredentialAttempts: enabled ? opts.maxCredentialAttempts : 0,
    signal: gate.opts.signal,
    ...(credentials ? { credentials } : {}),
    connect(target: ProbeTarget, module: string, co: ConnectOptions = {}): Promise<Socket | TLSSocket> {
      if (co.credentialListId !== undefined && !credentials) {
        return Promise.reject(new SakimoriError('SCOPE_DENIED', `credential checks are not enabled for scope "${gate.opts.guard.scope.name}"; module ${module} may not try credentials`, { target: target.ip, scope: gate.opts.guard.scope.name }));
      }
      return gate.open(target, module, co);
    },
  };
}
