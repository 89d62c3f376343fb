import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateState } from '../../store/migrate.js';
import { PgliteStateStore } from '../../store/state/pglite-store.js';
import type { StateStore } from '../../store/types.js';
import { MemoryAuditLog } from '../audit/audit-log.js';
import { ProbeGate } from '../probe-context.js';
import { RateLimiter } from '../rate/rate-limiter.js';
import { Semaphore } from '../rate/semaphore.js';
import { LiveScopeGuard, type GuardChange, type GuardSource } from './live-guard.js';
import { ExcludedTargetError, ScopeGuard } from './scope-guard.js';
import { addExclusion, createScope, removeExclusion, removeScope } from './scope-store.js';
import type { Scope } from './scope.js';

const valid = { owner: 'o', legalBasis: 'l', validFrom: new Date(Date.now() - 60_000), validTo: new Date(Date.now() + 3_600_000) };

describe('LiveScopeGuard on PGlite', () => {
  let s: PgliteStateStore;
  beforeAll(async () => {
    s = await PgliteStateStore.open();
    await migrateState(s);
  });
  afterAll(async () => s.close());

  it('applies and lifts exclusions added in this process at once, with what changed', async () => {
    await createScope(s, { ...valid, name: 'l1', cidrs: ['10.0.0.0/8'], confirmLarge: true });
    // A poll far away: only the in-process notice can make it current.
    const live = await LiveScopeGuard.open(s, 'l1', { refreshMs: 60_000 });
    const changes: GuardChange[] = [];
    live.onChange((c) => changes.push(c));
    live.start();
    try {
      const ex = await addExclusion(s, 'l1', { cidr: '10.9.0.0/16', reason: 'hospital' });
      await expect.poll(() => live.current.checkTarget('10.9.1.1'), { timeout: 2000, interval: 5 }).toBeInstanceOf(ExcludedTargetError);
      expect(live.current.checkTarget('10.8.1.1')).toBeUndefined();
      expect(changes.at(-1)?.added).toEqual([{ id: ex.id, scopeId: ex.scopeId, cidr: '10.9.0.0/16', reason: 'hospital' }]);
      await removeExclusion(s, ex.id ?? 0);
      await expect.poll(() => live.current.checkTarget('10.9.1.1'), { timeout: 2000, interval: 5 }).toBeUndefined();
      expect(changes.at(-1)?.removed.map((e) => e.id)).toEqual([ex.id]);
      expect(changes.every((c) => c.ended === undefined)).toBe(true);
    } finally {
      live.close();
    }
  });

  it('ends, once, when the scope is removed', async () => {
    await createScope(s, { ...valid, name: 'l2', cidrs: ['10.0.0.0/8'], confirmLarge: true });
    const live = await LiveScopeGuard.open(s, 'l2', { refreshMs: 20 });
    const ended: string[] = [];
    live.onChange((c) => { if (c.ended) ended.push(c.ended.message); });
    live.start();
    try {
      await removeScope(s, 'l2');
      await expect.poll(() => live.current.checkTarget('10.1.1.1')?.code, { timeout: 2000, interval: 5 }).toBe('SCOPE_EXPIRED');
      await new Promise((r) => setTimeout(r, 100));
      expect(ended).toHaveLength(1);
      expect(ended[0]).toMatch(/scope "l2" was removed/);
    } finally {
      live.close();
    }
  });

  it('fail-closed: holds connections while the last read is too old, lets them go after a fresh one', async () => {
    await createScope(s, { ...valid, name: 'l3', cidrs: ['10.0.0.0/8'], confirmLarge: true });
    let hold: Promise<void> | undefined;
    const slow: Pick<StateStore, 'query'> = {
      async query<T>(sql: string, params?: readonly unknown[]): Promise<T[]> {
        if (hold) await hold;
        return s.query<T>(sql, params);
      },
    };
    const live = await LiveScopeGuard.open(slow, 'l3', { refreshMs: 10, maxStaleMs: 50 });
    live.start();
    try {
      let release = (): void => undefined;
      hold = new Promise<void>((r) => { release = r; });
      await new Promise((r) => setTimeout(r, 150));
      let passed = false;
      const waiting = live.fresh(new AbortController().signal).then(() => { passed = true; });
      await new Promise((r) => setTimeout(r, 100));
      expect(passed).toBe(false);
      hold = undefined;
      release();
      await waiting;
      expect(passed).toBe(true);
    } finally {
      live.close();
    }
  });
});

describe('ProbeGate following a changing guard', () => {
  let server: Server;
  let port = 0;
  const held: Socket[] = [];
  beforeAll(async () => {
    server = createServer((c) => { c.on('error', () => undefined); held.push(c); }); // accepts, never speaks
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const c of held) c.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('closes an open module socket whose target becomes excluded and refuses the next connect', async () => {
    const scope: Scope = { id: 's', name: 'loop', note: '', credentialChecks: false, cidrs: ['127.0.0.0/29'], ...valid };
    const listeners = new Set<(c: GuardChange) => void>();
    let current = new ScopeGuard(scope, []);
    const source: GuardSource = { get current() { return current; }, fresh: () => Promise.resolve(), onChange: (fn) => { listeners.add(fn); return () => listeners.delete(fn); } };
    const gate = new ProbeGate({ guard: source, limiter: new RateLimiter({ rate: 1000 }), sockets: new Semaphore(4), audit: new MemoryAuditLog(), runId: 'r', connectTimeoutMs: 1000, signal: new AbortController().signal });
    const sock = await gate.open({ ip: '127.0.0.1', port, transport: 'tcp' }, 'telnet');
    const closed = new Promise((r) => sock.once('close', r));
    current = new ScopeGuard(scope, [{ id: 7, scopeId: null, cidr: '127.0.0.1/32', reason: 'opt-out' }]);
    for (const l of listeners) l({ guard: current, at: Date.now(), added: current.exclusions, removed: [] });
    await closed;
    expect(gate.stats.cut).toBe(1);
    await expect(gate.open({ ip: '127.0.0.1', port, transport: 'tcp' }, 'telnet')).rejects.toBeInstanceOf(ExcludedTargetError);
    await expect(gate.probePort({ ip: '127.0.0.1', port, transport: 'tcp' })).rejects.toThrow(/exclusion 7 127\.0\.0\.1\/32 \(opt-out\)/);
    gate.close();
  });
});
