/**
 * Probe core benchmark, against responders in a network namespace this benchmark creates (root
 * and iproute2 needed; nothing outside the namespace is ever contacted):
 *
 * - `held`: 10,000 connections opened through the probe gate (scope guard, socket bound, rate
 *   limiter, audit) to a responder in the namespace and held open at the same time — must end
 *   with 0 errors (no EMFILE) and the peak of open sockets equal to the target.
 * - `inflight`: a scan of a silent /18 (every SYN dropped in the namespace) with 10,000 connects
 *   in flight at once, bounded by the socket semaphore below `ulimit -n`.
 * - `rate`: the achieved connect rate against the configured one (2,000 and 5,000 conn/s by
 *   default), measured by the scanner and, when tcpdump is installed, on the wire (SYNs captured
 *   on the host end of the veth); the ratio must stay within 5%.
 *
 * Peer: none (ZMap/masscan send raw SYNs and are not comparable with connect scans); the fd limit
 * used is printed instead.
 *
 *   node dist/bench/probe.js [--connections 10000] [--rates 2000,5000] [--seconds 3]
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { MemoryAuditLog } from '../src/probe/audit/audit-log.js';
import { ProbeGate } from '../src/probe/probe-context.js';
import { RateLimiter } from '../src/probe/rate/rate-limiter.js';
import { Semaphore } from '../src/probe/rate/semaphore.js';
import { ensureFdLimit, socketBudget } from '../src/probe/scan/fd-limit.js';
import { tcpScan } from '../src/probe/scan/tcp-scanner.js';
import { CidrSet } from '../src/net/cidr-set.js';
import { formatIPv4 } from '../src/net/ip.js';
import { ScopeGuard } from '../src/probe/scope/scope-guard.js';
import type { Scope } from '../src/probe/scope/scope.js';
import type { Socket } from 'node:net';
import { captureSyns, createNetns, netnsUnavailable, type Netns } from '../test/helpers/netns.js';
import { argValue, emit, which } from './lib.js';

const run = promisify(execFile);

const RESPONDER = `
const net = require('node:net');
const held = [];
net.createServer((c) => { c.on('error', () => {}); held.push(c); }).listen(Number(process.argv[1]), '0.0.0.0', 65535);
setTimeout(() => process.stdout.write('ready\\n'), 100);
`;

function scopeOf(cidrs: string[]): Scope {
  return { id: 'bench', name: 'bench', owner: 'bench', legalBasis: 'namespace created by the benchmark', note: '', credentialChecks: false, cidrs, validFrom: new Date(Date.now() - 60_000), validTo: new Date(Date.now() + 86_400_000) };
}

const openFds = (): number => readdirSync('/proc/self/fd').length;

async function held(ns: Netns, range: string, n: number, budget: number, fdSoft: number): Promise<void> {
  const guard = new ScopeGuard(scopeOf([range]), []);
  const sockets = new Semaphore(budget);
  const audit = new MemoryAuditLog();
  const gate = new ProbeGate({ guard, limiter: new RateLimiter({ rate: 20_000, perHostRate: 1000 }), sockets, audit, runId: 'bench', connectTimeoutMs: 10_000, signal: new AbortController().signal });
  const set = new CidrSet([range]);
  const conns: Socket[] = [];
  let errors = 0;
  const errorCodes = new Map<string, number>();
  const t0 = performance.now();
  const fds0 = openFds();
  await Promise.all(Array.from({ length: n }, async (_, i) => {
    const ip = formatIPv4(set.at4(i % set.size4));
    try {
      const s = await gate.open({ ip, port: 8080, transport: 'tcp' }, 'bench');
      s.on('error', () => undefined);
      conns.push(s);
    } catch (e) {
      errors++;
      const code = (e as { code?: string }).code ?? 'other';
      errorCodes.set(code, (errorCodes.get(code) ?? 0) + 1);
    }
  }));
  const secs = (performance.now() - t0) / 1000;
  const fdsAtPeak = openFds() - fds0;
  emit({
    bench: 'probe', case: 'held', connections: n, open: conns.length, errors, errorCodes: Object.fromEntries(errorCodes), peakSockets: sockets.peak,
    fdsAtPeak, fdSoftLimit: fdSoft, socketBudget: budget, seconds: Number(secs.toFixed(2)), auditRecords: audit.records.length, namespace: ns.name,
  });
  for (const s of conns) s.destroy();
}

async function inflight(ns: Netns, n: number, budget: number, fdSoft: number): Promise<void> {
  // A silent /18: routed into the namespace, which neither owns nor forwards it.
  const third = Number(ns.prefix.split('.')[2]);
  const base = (third % 4) * 64;
  const range = `10.216.${base}.0/18`;
  await run('ip', ['route', 'add', range, 'via', ns.nsIp, 'dev', ns.hostIf]);
  try {
    const guard = new ScopeGuard(scopeOf([range]), []);
    const sockets = new Semaphore(budget);
    const gate = new ProbeGate({ guard, limiter: new RateLimiter({ rate: 50_000, perHostRate: 100 }), sockets, audit: new MemoryAuditLog(), runId: 'bench', connectTimeoutMs: 2000, signal: new AbortController().signal });
    let peakFds = 0;
    const fds0 = openFds();
    const sampler = setInterval(() => { peakFds = Math.max(peakFds, openFds() - fds0); }, 50);
    const final = await tcpScan({ gate, targets: guard.allowed, ports: [23], concurrency: n, timeoutMs: 2000, retries: 0, seed: 1 });
    clearInterval(sampler);
    emit({ bench: 'probe', case: 'inflight', targets: final.total, concurrency: n, peakSockets: sockets.peak, peakFds, timeouts: final.timeout, errors: final.error, fdSoftLimit: fdSoft, socketBudget: budget, seconds: Number((final.elapsedMs / 1000).toFixed(2)) });
  } finally {
    await run('ip', ['route', 'del', range]).catch(() => undefined);
  }
}

async function rate(ns: Netns, range: string, configured: number, seconds: number): Promise<void> {
  const hosts = 256;
  const ports = Math.max(1, Math.round((configured * seconds) / hosts));
  const portList = Array.from({ length: ports }, (_, i) => (i === 0 ? 8080 : 30_000 + i));
  const guard = new ScopeGuard(scopeOf([range]), []);
  const gate = new ProbeGate({ guard, limiter: new RateLimiter({ rate: configured, perHostRate: Math.max(10, (configured / hosts) * 4) }), sockets: new Semaphore(4000), audit: new MemoryAuditLog(), runId: 'bench', connectTimeoutMs: 2000, signal: new AbortController().signal });
  const cap = which('tcpdump') ? await captureSyns(ns.hostIf) : undefined;
  const final = await tcpScan({ gate, targets: guard.allowed, ports: portList, concurrency: 2000, timeoutMs: 2000, retries: 0, seed: 3 });
  const syns = cap ? await cap.stop() : [];
  const achieved = final.attempts / (final.elapsedMs / 1000);
  const times = syns.map((s) => s.t).sort((a, b) => a - b);
  const span = times.length > 1 ? (times.at(-1) ?? 0) - (times[0] ?? 0) : 0;
  const wire = span > 0 ? (syns.length - 1) / span : null;
  emit({
    bench: 'probe', case: 'rate', configured, connects: final.attempts, open: final.open, closed: final.closed, errors: final.error + final.timeout,
    seconds: Number((final.elapsedMs / 1000).toFixed(2)), achieved: Math.round(achieved), ratio: Number((achieved / configured).toFixed(4)),
    wireSyns: cap ? syns.length : null, wireRate: wire === null ? null : Math.round(wire), wireRatio: wire === null ? null : Number((wire / configured).toFixed(4)),
  });
}

async function main(): Promise<void> {
  const why = await netnsUnavailable();
  if (why) {
    emit({ bench: 'probe', skipped: why });
    return;
  }
  const n = Number(argValue('connections', '10000'));
  const rates = argValue('rates', '2000,5000').split(',').map(Number);
  const seconds = Number(argValue('seconds', '3'));
  const limit = await ensureFdLimit(n);
  const budget = socketBudget(n, limit);
  emit({ bench: 'probe', case: 'fd-limit', soft: limit.soft, hard: limit.hard, raised: limit.raised, socketBudget: budget });
  const ns = await createNetns({ anyIp: true });
  try {
    await ns.exec('sysctl', ['-qw', 'net.core.somaxconn=65535', 'net.ipv4.tcp_max_syn_backlog=65535']).catch(() => undefined);
    const responder = ns.spawn(process.execPath, ['-e', RESPONDER, '8080']);
    await new Promise<void>((resolve, reject) => {
      responder.stdout?.once('data', () => resolve());
      responder.once('exit', (code) => reject(new Error(`responder exited with ${code}`)));
    });
    const range = ns.anyIp ?? '';
    await held(ns, range, n, budget, limit.soft);
    await inflight(ns, n, budget, limit.soft);
    // The held connections' responder is restarted so that rate runs see a fresh one.
    responder.kill('SIGKILL');
    const fresh = ns.spawn(process.execPath, ['-e', RESPONDER.replace('held.push(c);', 'c.destroy();'), '8080']);
    await new Promise<void>((resolve) => fresh.stdout?.once('data', () => resolve()));
    for (const r of rates) await rate(ns, range, r, seconds);
  } finally {
    await ns.close();
  }
}

await main();
