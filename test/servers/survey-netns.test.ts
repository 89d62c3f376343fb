/**
 * The survey against real responders in a network namespace, with tcpdump on the host end of the
 * veth: no SYN ever leaves for an address outside the scope or excluded, the open ports are found
 * exactly, a silent host gets exactly 1 + retries SYNs, and the achieved rate holds within 5%.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEnricher } from '../../src/enrich/index.js';
import { queryAudit } from '../../src/probe/audit/audit-log.js';
import type { L7Module } from '../../src/probe/module.js';
import { addExclusion, createScope } from '../../src/probe/scope/scope-store.js';
import { runSurvey } from '../../src/probe/survey-runner.js';
import { openStores } from '../../src/store/open-stores.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../src/probe/audit/audit-log.js';
import { ProbeGate } from '../../src/probe/probe-context.js';
import { RateLimiter } from '../../src/probe/rate/rate-limiter.js';
import { Semaphore } from '../../src/probe/rate/semaphore.js';
import { tcpScan, type ScanResult } from '../../src/probe/scan/tcp-scanner.js';
import { ScopeGuard } from '../../src/probe/scope/scope-guard.js';
import type { Exclusion, Scope } from '../../src/probe/scope/scope.js';
import { captureSyns, createNetns, silentHost, netnsUnavailable, type Netns } from '../helpers/netns.js';

const PORTS = [2323, 8080, 9999];
/** A responder inside the namespace: listens on every address (incl. the any-IP range) on the given ports. */
const RESPONDER = `
const net = require('node:net');
for (const p of process.argv.slice(1).map(Number)) {
  net.createServer((c) => { c.on('error', () => {}); c.end('hello\\r\\n'); }).listen(p, '0.0.0.0', 4096);
}
setTimeout(() => process.stdout.write('ready\\n'), 100);
`;

function startResponder(ns: Netns, ports: readonly number[]): Promise<ChildProcess> {
  const c = ns.spawn(process.execPath, ['-e', RESPONDER, ...ports.map(String)]);
  return new Promise((resolve, reject) => {
    c.stdout?.once('data', () => resolve(c));
    c.once('exit', (code) => reject(new Error(`responder exited with ${code}`)));
  });
}

function scope(cidrs: string[]): Scope {
  return { id: 'ns', name: 'netns', owner: 'test', legalBasis: 'namespace created by the test', note: '', credentialChecks: false, cidrs, validFrom: new Date(Date.now() - 60_000), validTo: new Date(Date.now() + 3_600_000) };
}

function gateFor(s: Scope, exclusions: Exclusion[], rate: number, perHost: number, sockets: number, timeoutMs: number): { gate: ProbeGate; guard: ScopeGuard; audit: MemoryAuditLog } {
  const guard = new ScopeGuard(s, exclusions);
  const audit = new MemoryAuditLog();
  const gate = new ProbeGate({ guard, limiter: new RateLimiter({ rate, perHostRate: perHost }), sockets: new Semaphore(sockets), audit, runId: 'netns', connectTimeoutMs: timeoutMs, signal: new AbortController().signal });
  return { gate, guard, audit };
}

const why = await netnsUnavailable();

describe.skipIf(why !== undefined)('survey in a network namespace', () => {
  let ns: Netns;
  let responder: ChildProcess;
  beforeAll(async () => {
    // .2–.9 (but .7) and .12 on the namespace end of the link.
    ns = await createNetns({ extraHosts: [3, 4, 5, 6, 8, 9, 12] });
    responder = await startResponder(ns, [2323, 8080]); // 9999 stays closed
  });
  afterAll(async () => {
    responder?.kill('SIGKILL');
    await ns?.close();
  });

  it('never sends a SYN outside the scope or to an exclusion, finds the open ports exactly, and stops after 1 + retries attempts', async () => {
    const p = ns.prefix;
    // Scope .0–.7; exclusions .5 (scope) and .6 (global). Outside: .8, .9, .12 — all live responders.
    const s = scope([`${p}.0/29`]);
    await silentHost(ns, `${p}.7`); // .7 is silent: its SYNs reach the namespace and are dropped
    const { gate, guard, audit } = gateFor(s, [
      { scopeId: 'ns', cidr: `${p}.5/32`, reason: 'opt-out' },
      { scopeId: null, cidr: `${p}.6/32`, reason: 'global' },
      { scopeId: 'other', cidr: `${p}.2/32`, reason: 'another scope' },
    ], 500, 100, 64, 400);
    const cap = await captureSyns(ns.hostIf);
    const results: ScanResult[] = [];
    const retries = 2;
    const final = await tcpScan({ gate, targets: guard.allowed, ports: PORTS, concurrency: 32, timeoutMs: 400, retries, seed: 11, onResult: (r) => results.push(r) });
    const syns = await cap.stop();

    const allowedOnWire = new Set([`${p}.0`, `${p}.2`, `${p}.3`, `${p}.4`, `${p}.7`]);
    const stray = syns.filter((x) => !allowedOnWire.has(x.dst));
    expect(stray, JSON.stringify(stray.slice(0, 5))).toEqual([]);
    // Every live in-scope address was actually probed on the wire, on every port.
    for (const h of [2, 3, 4]) for (const port of PORTS) expect(syns.some((x) => x.dst === `${p}.${h}` && x.port === port), `${h}:${port}`).toBe(true);

    const open = results.filter((r) => r.status === 'open').map((r) => `${r.ip}:${r.port}`).sort();
    expect(open).toEqual([2, 3, 4].flatMap((h) => [2323, 8080].map((port) => `${p}.${h}:${port}`)).sort());
    expect(final).toMatchObject({ total: 24, excluded: 6, done: 24 });
    // The silent host: exactly 1 + retries SYNs per port, and reported as timeout.
    for (const port of PORTS) {
      expect(syns.filter((x) => x.dst === `${p}.7` && x.port === port)).toHaveLength(1 + retries);
      expect(results.find((r) => r.ip === `${p}.7` && r.port === port)).toMatchObject({ status: 'timeout', attempts: 1 + retries });
    }
    expect(audit.records.some((r) => [`${p}.5`, `${p}.6`, `${p}.8`, `${p}.9`, `${p}.12`].includes(r.targetIp))).toBe(false);
    expect(audit.records).toHaveLength(final.attempts);
  });
});

/** A stand-in L7 module: reads the greeting; recognises "hello". */
const helloModule: L7Module = {
  name: 'hello',
  defaultPorts: [2323],
  async probe(target, ctx) {
    const sock = await ctx.connect(target, 'hello');
    const line = await new Promise<string>((resolve) => {
      const timer = setTimeout(() => resolve(''), ctx.readTimeoutMs);
      sock.once('data', (d: Buffer) => { clearTimeout(timer); resolve(d.toString().trim()); });
      sock.once('close', () => { clearTimeout(timer); resolve(''); });
    });
    sock.destroy();
    return { finding: { ...target, banner: line }, identified: line === 'hello' };
  },
};

describe.skipIf(why !== undefined)('a whole survey run in a network namespace', () => {
  let ns: Netns;
  let responder: ChildProcess;
  let dir = '';
  beforeAll(async () => {
    ns = await createNetns({ extraHosts: [3, 4, 5, 9] });
    responder = await startResponder(ns, [2323, 8080]);
    dir = await mkdtemp(join(tmpdir(), 'sakimori-netns-survey-'));
  });
  afterAll(async () => {
    responder?.kill('SIGKILL');
    await ns?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('scope in the state store → scan → modules → services and audit, with no SYN outside the scope', async () => {
    const p = ns.prefix;
    const stores = await openStores({ dataDir: dir });
    try {
      await createScope(stores.state, { name: 'ns', owner: 'test', legalBasis: 'namespace created by the test', cidrs: [`${p}.2/31`, `${p}.4/31`], validFrom: new Date(Date.now() - 60_000), validTo: new Date(Date.now() + 3_600_000) });
      await addExclusion(stores.state, 'ns', { cidr: `${p}.5/32`, reason: 'opt-out' });
      const cap = await captureSyns(ns.hostIf);
      const sum = await runSurvey({
        state: stores.state, events: stores.events, enricher: createEnricher({}), scope: 'ns', modules: [helloModule], ports: [2323, 8080, 9999],
        settings: { ratePerSecond: 300, perHostRatePerSecond: 50, concurrency: 16, connectTimeoutMs: 400, readTimeoutMs: 300, retries: 1, maxCredentialAttempts: 0 },
      });
      const syns = await cap.stop();
      expect(syns.filter((x) => ![`${p}.2`, `${p}.3`, `${p}.4`].includes(x.dst))).toEqual([]);
      expect(sum).toMatchObject({ status: 'done', services: 6, scan: { total: 12, excluded: 3, open: 6 } });
      const rows = await stores.events.query<{ ip: string; port: number; service: string }>('SELECT toString(ip) AS ip, port, service FROM services ORDER BY ip, port');
      expect(rows).toEqual([2, 3, 4].flatMap((h) => [
        { ip: `::ffff:${p}.${h}`, port: 2323, service: 'hello' },
        { ip: `::ffff:${p}.${h}`, port: 8080, service: 'hello' },
      ]));
      const audit = await queryAudit(stores.state, { runId: sum.runId, limit: 10_000 });
      expect(audit.filter((a) => a.module === 'scan')).toHaveLength(9);
      expect(audit.filter((a) => a.module === 'hello')).toHaveLength(6);
      expect(audit.every((a) => a.sourceIp === ns.hostIp)).toBe(true);
      // Each SYN on the wire is one audited connection.
      expect(syns).toHaveLength(audit.length);
    } finally {
      await stores.close();
    }
  });
});

describe.skipIf(why !== undefined)('survey rate in a network namespace', () => {
  let ns: Netns;
  let responder: ChildProcess;
  let range = '';
  beforeAll(async () => {
    ns = await createNetns({ anyIp: true });
    range = ns.anyIp ?? '';
    responder = await startResponder(ns, [8080]);
  });
  afterAll(async () => {
    responder?.kill('SIGKILL');
    await ns?.close();
  });

  it('holds the configured rate within 5% on the wire', async () => {
    const rate = 2000;
    // 256 addresses × 24 ports = 6,144 connects ≈ 3 s at 2,000/s; per host 24 ports at ≤ 50/s.
    const ports = Array.from({ length: 24 }, (_, i) => (i === 0 ? 8080 : 20_000 + i));
    const { gate, guard } = gateFor(scope([range]), [], rate, 50, 2000, 1000);
    const cap = await captureSyns(ns.hostIf);
    const final = await tcpScan({ gate, targets: guard.allowed, ports, concurrency: 1000, timeoutMs: 1000, retries: 0, seed: 5 });
    const syns = await cap.stop();
    expect(final.open).toBe(256);
    expect(final.closed).toBe(256 * 23);
    expect(syns.length).toBe(final.attempts);
    const times = syns.map((x) => x.t).sort((a, b) => a - b);
    const span = (times.at(-1) ?? 0) - (times[0] ?? 0);
    const wire = (syns.length - 1) / span;
    expect(Math.abs(wire / rate - 1), `wire rate ${wire.toFixed(0)}/s`).toBeLessThan(0.05);
  });
});
