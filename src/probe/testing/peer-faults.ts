/**
 * What every module must do when the peer misbehaves at the transport level, as one set of cases
 * that each module's test file registers inside its describe: a server that never says anything,
 * one that resets the connection, a closed port, and a survey stopped in the middle of a wait.
 */
import { afterEach, expect, it } from 'vitest';
import type { L7Module, ModuleResult } from '../module.js';
import { loopbackContext, type LoopbackContextOptions } from './loopback-context.js';
import { startFakeServer } from '../ssh/testing/fake-ssh-server.js';

export function peerFaultCases(module: L7Module): void {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
  });
  const server = async (handler: Parameters<typeof startFakeServer>[0]): Promise<number> => {
    const s = await startFakeServer(handler);
    closers.push(s.close);
    return s.port;
  };
  const probe = (port: number, o: LoopbackContextOptions = {}): Promise<ModuleResult> =>
    module.probe({ ip: '127.0.0.1', port, transport: 'tcp' }, loopbackContext({ readTimeoutMs: 1000, ...o }));

  it('peer faults — silence: timeout within the read timeout', async () => {
    const port = await server(() => undefined);
    const t0 = Date.now();
    const r = await probe(port, { readTimeoutMs: 300 });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.identified).toBe(false);
    expect(r.finding.status).toBe('timeout');
    expect(r.finding.error).toMatch(/no answer within 300 ms/);
  });

  it('peer faults — reset on connect: not identified, error', async () => {
    const port = await server((s) => s.resetAndDestroy());
    const r = await probe(port);
    expect(r.identified).toBe(false);
    expect(r.finding.status).toBe('error');
    expect(r.finding.error).toMatch(new RegExp(`^${module.name}: `));
  });

  it('peer faults — refused connection: closed', async () => {
    const s = await startFakeServer(() => undefined);
    await s.close();
    const r = await probe(s.port);
    expect(r.identified).toBe(false);
    expect(r.finding.status).toBe('closed');
  });

  it('peer faults — a stopped survey ends the wait at once', async () => {
    const port = await server(() => undefined);
    const c = loopbackContext({ readTimeoutMs: 10_000 });
    setTimeout(() => c.abort(), 100);
    const t0 = Date.now();
    const r = await module.probe({ ip: '127.0.0.1', port, transport: 'tcp' }, c);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.finding.error).toMatch(/aborted/);
  });
}
