import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAuditLog } from './audit/audit-log.js';
import type { CredentialList } from './module.js';
import { createProbeContext, ProbeGate } from './probe-context.js';
import { RateLimiter } from './rate/rate-limiter.js';
import { Semaphore } from './rate/semaphore.js';
import { ScopeGuard } from './scope/scope-guard.js';
import type { Scope } from './scope/scope.js';

const scope: Scope = {
  id: 's', name: 'loop', owner: 'o', legalBasis: 'test', note: '', credentialChecks: false,
  cidrs: ['127.0.0.0/29'], validFrom: new Date(Date.now() - 60_000), validTo: new Date(Date.now() + 3_600_000),
};
const creds: CredentialList = { id: 'defaults-v1', entries: [{ id: 'e1', username: 'root', password: 'sekret-xyz' }] };

function gate(s: Scope = scope, audit = new MemoryAuditLog(), timeout = 1000, signal = new AbortController().signal): { gate: ProbeGate; audit: MemoryAuditLog; sockets: Semaphore } {
  const sockets = new Semaphore(4);
  const guard = new ScopeGuard(s, [{ scopeId: null, cidr: '127.0.0.3/32', reason: 'opt-out' }]);
  return { gate: new ProbeGate({ guard, limiter: new RateLimiter({ rate: 1000 }), sockets, audit, runId: 'run-1', connectTimeoutMs: timeout, signal }), audit, sockets };
}

describe('ProbeGate and the survey ProbeContext', () => {
  let server: Server;
  let silent: Server;
  let port = 0;
  let silentPort = 0;
  let closedPort = 0;
  const held: Socket[] = [];
  beforeAll(async () => {
    server = createServer((c) => { c.on('error', () => undefined); c.end('hello\r\n'); });
    silent = createServer((c) => { c.on('error', () => undefined); held.push(c); }); // accepts, never speaks (a TLS handshake stalls)
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
    silentPort = (silent.address() as AddressInfo).port;
    const tmp = createServer();
    await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', r));
    closedPort = (tmp.address() as AddressInfo).port;
    await new Promise<void>((r) => tmp.close(() => r()));
  });
  afterAll(async () => {
    for (const c of held) c.destroy();
    await new Promise<void>((r) => server.close(() => r()));
    await new Promise<void>((r) => silent.close(() => r()));
  });

  it('reports open and closed ports and audits each attempt with its source address', async () => {
    const { gate: g, audit, sockets } = gate();
    expect(await g.probePort({ ip: '127.0.0.1', port, transport: 'tcp' })).toBe('open');
    expect(await g.probePort({ ip: '127.0.0.1', port: closedPort, transport: 'tcp' })).toBe('closed');
    expect(audit.records).toHaveLength(2);
    expect(audit.records[0]).toMatchObject({ runId: 'run-1', sourceIp: '127.0.0.1', targetIp: '127.0.0.1', port, module: 'scan', credentialList: null });
    // A refused connect has no local address any more; the route's source is recorded instead.
    expect(audit.records[1]).toMatchObject({ sourceIp: '127.0.0.1', port: closedPort });
    await new Promise((r) => setTimeout(r, 20));
    expect(sockets.held).toBe(0);
  });

  it('refuses out-of-scope and excluded targets before any socket exists', async () => {
    const { gate: g, audit, sockets } = gate();
    await expect(g.probePort({ ip: '127.0.0.9', port, transport: 'tcp' })).rejects.toMatchObject({ code: 'SCOPE_DENIED' });
    await expect(g.probePort({ ip: '127.0.0.3', port, transport: 'tcp' })).rejects.toThrow(/opt-out/);
    await expect(g.open({ ip: '10.0.0.1', port, transport: 'tcp' }, 'telnet')).rejects.toMatchObject({ code: 'SCOPE_DENIED' });
    expect(audit.records).toHaveLength(0);
    expect(g.stats.attempts).toBe(0);
    expect(g.stats.refused).toBe(3);
    expect(sockets.peak).toBe(0);
  });

  it('refuses every target of an expired scope', async () => {
    const { gate: g } = gate({ ...scope, validTo: new Date(Date.now() - 1) });
    await expect(g.probePort({ ip: '127.0.0.1', port, transport: 'tcp' })).rejects.toMatchObject({ code: 'SCOPE_EXPIRED' });
  });

  it('gives modules a socket, holds the permit until it closes, and times out a stalled TLS handshake', async () => {
    const { gate: g, audit, sockets } = gate(scope, new MemoryAuditLog(), 300);
    const ctx = createProbeContext(g, { readTimeoutMs: 500, maxCredentialAttempts: 5, credentials: creds });
    const s = await ctx.connect({ ip: '127.0.0.1', port, transport: 'tcp' }, 'telnet');
    expect(sockets.held).toBe(1);
    const data = await new Promise<string>((r) => s.once('data', (d: Buffer) => r(d.toString())));
    expect(data).toBe('hello\r\n');
    await new Promise((r) => s.once('close', r));
    expect(sockets.held).toBe(0);
    const t0 = Date.now();
    await expect(ctx.connect({ ip: '127.0.0.1', port: silentPort, transport: 'tcp' }, 'tls', { tls: true })).rejects.toThrow(/timed out after 300 ms/);
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(audit.records.map((r) => r.module)).toEqual(['telnet', 'tls']);
  });

  it('hides credentials unless the scope enables them, and never audits a password', async () => {
    const off = createProbeContext(gate().gate, { readTimeoutMs: 500, maxCredentialAttempts: 5, credentials: creds });
    expect(off.credentials).toBeUndefined();
    expect(off.maxCredentialAttempts).toBe(0);
    await expect(off.connect({ ip: '127.0.0.1', port, transport: 'tcp' }, 'telnet', { credentialListId: 'defaults-v1' })).rejects.toThrow(/credential checks are not enabled/);

    const { gate: g, audit } = gate({ ...scope, credentialChecks: true });
    const on = createProbeContext(g, { readTimeoutMs: 500, maxCredentialAttempts: 5, credentials: creds });
    expect(on.credentials?.id).toBe('defaults-v1');
    const s = await on.connect({ ip: '127.0.0.1', port, transport: 'tcp' }, 'telnet', { credentialListId: 'defaults-v1' });
    s.destroy();
    expect(audit.records[0]?.credentialList).toBe('defaults-v1');
    expect(JSON.stringify(audit.records)).not.toContain('sekret-xyz');
  });

  it('ends attempts in flight when the run is aborted', async () => {
    const ac = new AbortController();
    const { gate: g, sockets } = gate(scope, new MemoryAuditLog(), 10_000, ac.signal);
    const p = g.open({ ip: '127.0.0.1', port: silentPort, transport: 'tcp' }, 'tls', { tls: true });
    setTimeout(() => ac.abort(new Error('stopped')), 50);
    await expect(p).rejects.toThrow('stopped');
    await new Promise((r) => setTimeout(r, 20));
    expect(sockets.held).toBe(0);
  });
});
