import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../audit/audit-log.js';
import { ProbeGate } from '../probe-context.js';
import { RateLimiter } from '../rate/rate-limiter.js';
import { Semaphore } from '../rate/semaphore.js';
import { ScopeGuard } from '../scope/scope-guard.js';
import type { Scope } from '../scope/scope.js';
import { tcpScan, type ScanProgress, type ScanResult } from './tcp-scanner.js';

const scope: Scope = {
  id: 's', name: 'loop', owner: 'o', legalBasis: 'test', note: '', credentialChecks: false,
  cidrs: ['127.0.0.0/29'], validFrom: new Date(Date.now() - 60_000), validTo: new Date(Date.now() + 3_600_000),
};

function setup(signal = new AbortController().signal, rate = 5000): { gate: ProbeGate; audit: MemoryAuditLog; sockets: Semaphore; guard: ScopeGuard } {
  const guard = new ScopeGuard(scope, [{ scopeId: 's', cidr: '127.0.0.3/32', reason: 'opt-out' }]);
  const audit = new MemoryAuditLog();
  const sockets = new Semaphore(64);
  return { gate: new ProbeGate({ guard, limiter: new RateLimiter({ rate }), sockets, audit, runId: 'r', connectTimeoutMs: 500, signal }), audit, sockets, guard };
}

describe('tcpScan on loopback', () => {
  const servers: Server[] = [];
  const ports = [0, 0, 0];
  const open = new Set<string>();
  beforeAll(async () => {
    // Three ports on 127.0.0.1 (picked free), served on chosen addresses only.
    const first = createServer();
    await new Promise<void>((r) => first.listen(0, '127.0.0.1', r));
    const base = (first.address() as { port: number }).port;
    await new Promise<void>((r) => first.close(() => r()));
    ports[0] = base; ports[1] = base + 1; ports[2] = base + 2;
    const plan: [string, number][] = [['127.0.0.1', base], ['127.0.0.2', base + 1], ['127.0.0.3', base], ['127.0.0.5', base + 2], ['127.0.0.7', base]];
    for (const [ip, port] of plan) {
      const s = createServer((c) => { c.on('error', () => undefined); c.destroy(); });
      await new Promise<void>((r, j) => { s.once('error', j); s.listen(port, ip, r); });
      servers.push(s);
      if (ip !== '127.0.0.3') open.add(`${ip}:${port}`);
    }
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  });

  it('finds exactly the open ports, never touches the excluded address, and audits every attempt', async () => {
    const { gate, audit, guard } = setup();
    const results: ScanResult[] = [];
    const progress: ScanProgress[] = [];
    const final = await tcpScan({ gate, targets: guard.allowed, ports, concurrency: 16, timeoutMs: 500, retries: 1, seed: 7, onResult: (r) => results.push(r), onProgress: (p) => progress.push(p) });
    expect(final).toMatchObject({ total: 24, done: 24, excluded: 3, open: 4, closed: 17 });
    expect(new Set(results.filter((r) => r.status === 'open').map((r) => `${r.ip}:${r.port}`))).toEqual(open);
    expect(results.some((r) => r.ip === '127.0.0.3')).toBe(false);
    expect(audit.records.some((r) => r.targetIp === '127.0.0.3')).toBe(false);
    expect(audit.records).toHaveLength(final.attempts);
    expect(results.every((r) => r.attempts === 1)).toBe(true);
    expect(progress.at(-1)?.done).toBe(24);
  });

  it('walks targets in a scrambled order', async () => {
    const { gate, guard } = setup();
    const order: string[] = [];
    await tcpScan({ gate, targets: guard.allowed, ports, concurrency: 1, timeoutMs: 500, retries: 0, seed: 3, onResult: (r) => order.push(`${r.ip}:${r.port}`) });
    const sorted = [...order].sort();
    expect(order).not.toEqual(sorted);
    expect(order).toHaveLength(21);
  });

  it('stops promptly when aborted', async () => {
    const ac = new AbortController();
    const { gate, guard } = setup(ac.signal, 20);
    setTimeout(() => ac.abort(new Error('stopped by user')), 100);
    const t0 = Date.now();
    await expect(tcpScan({ gate, targets: guard.allowed, ports, concurrency: 4, timeoutMs: 500, retries: 0, signal: ac.signal })).rejects.toThrow('stopped by user');
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('scans IPv6 targets too', async () => {
    const s6 = createServer((c) => { c.on('error', () => undefined); c.destroy(); });
    const ok = await new Promise<boolean>((r) => { s6.once('error', () => r(false)); s6.listen(0, '::1', () => r(true)); });
    if (!ok) return; // no IPv6 loopback in this environment
    const port = (s6.address() as { port: number }).port;
    try {
      const guard = new ScopeGuard({ ...scope, cidrs: ['::1/128', '::2/128'] }, [{ scopeId: null, cidr: '::2/128', reason: 'x' }]);
      const gate = new ProbeGate({ guard, limiter: new RateLimiter({ rate: 1000 }), sockets: new Semaphore(4), audit: new MemoryAuditLog(), runId: 'r', connectTimeoutMs: 500, signal: new AbortController().signal });
      const results: ScanResult[] = [];
      const final = await tcpScan({ gate, targets: guard.allowed, ports: [port], concurrency: 2, timeoutMs: 500, retries: 0, onResult: (r) => results.push(r) });
      expect(final).toMatchObject({ total: 2, open: 1, excluded: 1 });
      expect(results).toEqual([expect.objectContaining({ ip: '::1', port, status: 'open' })]);
    } finally {
      await new Promise<void>((r) => s6.close(() => r()));
    }
  });

  it('refuses a scan that is too large or has bad ports', async () => {
    const { gate } = setup();
    const big = new ScopeGuard({ ...scope, cidrs: ['2001:db8::/48'] }, []);
    await expect(tcpScan({ gate, targets: big.allowed, ports: [80], concurrency: 1, timeoutMs: 100, retries: 0 })).rejects.toMatchObject({ code: 'SCOPE_INVALID' });
    await expect(tcpScan({ gate, targets: big.allowed, ports: [0], concurrency: 1, timeoutMs: 100, retries: 0 })).rejects.toThrow(/not a port/);
  });
});
