/**
 * The scope guard of a running survey, kept current: an exclusion (an opt-out, a hospital) added
 * while the survey runs must stop all traffic to it within 1 s, and a scope that ends or is
 * removed stops the run.
 *
 * - Every `refreshMs` (250 ms) one cheap query compares the scope's validity, CIDRs and the
 *   count and highest id of its exclusions with what the guard holds; only a difference reloads
 *   them. An exclusion written by any process that shares the state store is seen this way.
 * - `addExclusion` & co. in this process notify at once (scope-changes.ts): no wait for the poll.
 * - Fail-closed: `fresh()` holds new connections while the last successful read started more than
 *   `maxStaleMs` (750 ms) ago. A read that started after an exclusion's commit sees it, so no
 *   connection can start more than that long after the commit, however slow the machine or the
 *   store. Unreadable for `failAfterMs` (30 s): the run stops.
 */
import { SakimoriError, messageOf } from '../../errors.js';
import type { StateStore } from '../../store/types.js';
import { onScopeChange } from './scope-changes.js';
import { ScopeGuard } from './scope-guard.js';
import { getScope, listExclusions } from './scope-store.js';
import type { Exclusion } from './scope.js';

export interface GuardChange {
  /** The guard in force from `at` on. */
  readonly guard: ScopeGuard;
  /** Epoch milliseconds when it took effect. */
  readonly at: number;
  readonly added: readonly Exclusion[];
  readonly removed: readonly Exclusion[];
  /** Set once when the scope stopped allowing probes (validity over, removed, store unreadable). */
  readonly ended?: SakimoriError;
}

/** What the probe gate needs: the guard right now, and whether it may be trusted. */
export interface GuardSource {
  readonly current: ScopeGuard;
  /** Resolves when `current` is recent enough to connect on; rejects when `signal` aborts. */
  fresh(signal: AbortSignal): Promise<void>;
  /** Returns the function that unsubscribes. */
  onChange(fn: (c: GuardChange) => void): () => void;
}

/** A guard that never changes (tests, dry runs). */
export function staticGuard(guard: ScopeGuard): GuardSource {
  return { current: guard, fresh: () => Promise.resolve(), onChange: () => () => undefined };
}

export interface LiveGuardOptions {
  readonly refreshMs?: number;
  readonly maxStaleMs?: number;
  readonly failAfterMs?: number;
}

interface Version { from: number; to: number; credentialChecks: boolean; cidrs: string; n: number; maxId: number }

const sameVersion = (a: Version, b: Version): boolean =>
  a.from === b.from && a.to === b.to && a.credentialChecks === b.credentialChecks && a.cidrs === b.cidrs && a.n === b.n && a.maxId === b.maxId;

const exclusionKey = (e: Exclusion): string => (e.id !== undefined ? `#${e.id}` : `${e.scopeId ?? ''}|${e.cidr}`);

export class LiveScopeGuard implements GuardSource {
  private guard: ScopeGuard;
  private version: Version | undefined;
  private readonly listeners = new Set<(c: GuardChange) => void>();
  private readonly waiters = new Set<() => void>();
  /** performance.now() when the last successful read started. */
  private freshSince: number;
  private reading: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private endedReported = false;
  private closed = false;
  private readonly refreshMs: number;
  private readonly maxStaleMs: number;
  private readonly failAfterMs: number;

  private constructor(private readonly state: Pick<StateStore, 'query'>, guard: ScopeGuard, version: Version, startedAt: number, o: LiveGuardOptions) {
    this.guard = guard;
    this.version = version;
    this.freshSince = startedAt;
    this.refreshMs = o.refreshMs ?? 250;
    this.maxStaleMs = o.maxStaleMs ?? 750;
    this.failAfterMs = o.failAfterMs ?? 30_000;
  }

  /** Loads the scope (id or name) and its exclusions; call `start()` when the run begins. */
  static async open(state: Pick<StateStore, 'query'>, ref: string, o: LiveGuardOptions = {}): Promise<LiveScopeGuard> {
    const startedAt = performance.now();
    const { id } = await getScope(state, ref);
    // The version before the contents: a change in between then differs at the next poll.
    const version = await readVersion(state, id);
    if (!version) throw new SakimoriError('SCOPE_NOT_FOUND', `"${ref}"`, { scope: ref });
    const guard = new ScopeGuard(await getScope(state, id), await listExclusions(state, id));
    return new LiveScopeGuard(state, guard, version, startedAt, o);
  }

  get current(): ScopeGuard {
    return this.guard;
  }

  onChange(fn: (c: GuardChange) => void): () => void {
    this.listeners.add(fn);
    return () => { this.listeners.delete(fn); };
  }

  /** Starts polling and listening for changes made in this process. */
  start(): void {
    if (this.closed || this.timer) return;
    this.unsubscribe = onScopeChange(() => void this.refresh());
    const tick = (): void => {
      this.timer = setTimeout(() => {
        void this.refresh().finally(() => { if (!this.closed) tick(); });
      }, this.refreshMs);
      this.timer.unref();
    };
    tick();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.unsubscribe?.();
    for (const w of [...this.waiters]) w();
  }

  fresh(signal: AbortSignal): Promise<void> {
    if (this.closed || performance.now() - this.freshSince <= this.maxStaleMs) return Promise.resolve();
    if (signal.aborted) return Promise.reject(signal.reason);
    void this.refresh();
    return new Promise<void>((resolve, reject) => {
      const done = (): void => { signal.removeEventListener('abort', onAbort); this.waiters.delete(done); resolve(); };
      const onAbort = (): void => { this.waiters.delete(done); reject(signal.reason); };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(done);
    });
  }

  /** Re-reads the store now; reads are serialised, and one asked for during a read runs after it. */
  refresh(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = (async () => {
      do {
        this.again = false;
        await this.readOnce();
      } while (this.again && !this.closed);
    })().finally(() => { this.reading = undefined; });
    return this.reading;
  }

  private async readOnce(): Promise<void> {
    const startedAt = performance.now();
    const scope = this.guard.scope;
    try {
      const v = await readVersion(this.state, scope.id);
      if (!v) {
        if (!this.guard.ended) this.swap(new ScopeGuard(scope, this.guard.exclusions, new SakimoriError('SCOPE_EXPIRED', `scope "${scope.name}" was removed`, { scope: scope.name })));
      } else if (!this.version || !sameVersion(v, this.version)) {
        const next = new ScopeGuard(await getScope(this.state, scope.id), await listExclusions(this.state, scope.id));
        this.version = v;
        this.swap(next);
      }
      this.freshSince = startedAt;
      // A read that took too long is no proof for now: held connections wait for another one.
      if (performance.now() - startedAt <= this.maxStaleMs) for (const w of [...this.waiters]) w();
      else if (this.waiters.size > 0) this.again = true;
    } catch (e) {
      if (!this.guard.ended && performance.now() - this.freshSince > this.failAfterMs) {
        this.swap(new ScopeGuard(scope, this.guard.exclusions, new SakimoriError('STORE_QUERY_FAILED', `exclusions of scope "${scope.name}" could not be read for ${Math.round(this.failAfterMs / 1000)} s: ${messageOf(e)}`, { scope: scope.name })));
      }
      // Held connections stay held; the next poll tries again.
    }
    // The validity window ends by the clock alone: the run is told so, not only its next connection.
    const expired = this.guard.checkTime();
    if (expired && !this.endedReported) this.emit({ guard: this.guard, at: Date.now(), added: [], removed: [] }, expired);
  }

  private swap(next: ScopeGuard): void {
    const prev = this.guard;
    this.guard = next;
    const before = new Set(prev.exclusions.map(exclusionKey));
    const after = new Set(next.exclusions.map(exclusionKey));
    this.emit({
      guard: next, at: Date.now(),
      added: next.exclusions.filter((e) => !before.has(exclusionKey(e))),
      removed: prev.exclusions.filter((e) => !after.has(exclusionKey(e))),
    }, next.checkTime());
  }

  /** Listeners hear of every new guard (they re-check open connections) and of the end once. */
  private emit(c: GuardChange, ended: SakimoriError | undefined): void {
    const first = ended !== undefined && !this.endedReported;
    if (first) this.endedReported = true;
    const change = first ? { ...c, ended } : c;
    for (const l of [...this.listeners]) {
      try {
        l(change);
      } catch {
        // A listener's own failure must not stop the guard from being kept current.
      }
    }
  }
}

async function readVersion(state: Pick<StateStore, 'query'>, scopeId: string): Promise<Version | undefined> {
  const [r] = await state.query<{ valid_from: Date; valid_to: Date; credential_checks: boolean; cidrs: string; n: number; max_id: number }>(
    `SELECT s.valid_from, s.valid_to, s.credential_checks, md5(s.cidrs::text) AS cidrs,
       (SELECT count(*)::int FROM scope_exclusions e WHERE e.scope_id IS NULL OR e.scope_id = s.id) AS n,
       (SELECT coalesce(max(e.id), 0)::bigint FROM scope_exclusions e WHERE e.scope_id IS NULL OR e.scope_id = s.id) AS max_id
     FROM scopes s WHERE s.id = $1`,
    [scopeId],
  );
  if (!r) return undefined;
  return {
    from: new Date(r.valid_from).getTime(), to: new Date(r.valid_to).getTime(), credentialChecks: r.credential_checks, cidrs: r.cidrs,
    n: Number(r.n), maxId: Number(r.max_id),
  };
}
