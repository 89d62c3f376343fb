/**
 * Issue 18, item 3: one address's profile (`host IP`: darknet, exposure, honeypots, flows, shared
 * indicators, timeline, verdict) stays fast however many honeypot events are stored, because
 * every query names the exact address (honeypot_events is ordered by (src, ts)). N events over A
 * addresses (8 events a session: connect, two logins, two commands, a download, a version, a
 * close) plus one heavy hitter with H events; then the profile of R random addresses in process
 * and through the API as admin, and of the heavy hitter (its timeline is bounded to 500 entries).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../src/util/package-root.js';
import { configSchema } from '../src/config/schema.js';
import { openContext } from '../src/app/context.js';
import { buildApp } from '../src/api/app.js';
import { createUser } from '../src/auth/users.js';
import { createApiKey } from '../src/auth/api-keys.js';
import { addressProfile } from '../src/correlate/profile/address-profile.js';
import { UNRESTRICTED } from '../src/store/need-to-know.js';
import { peerPrincipal } from '../src/api/auth-plugin.js';
import { argValue, emit, median } from './lib.js';

const events = Number(argValue('events', '8000000'));
const addresses = Number(argValue('addresses', '200000'));
const heavy = Number(argValue('heavy', '200000'));
const runs = Number(argValue('runs', '101'));
const dir = join(packageRoot(), 'bench', 'out', 'host-profile-data');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const ctx = await openContext(configSchema.parse({ dataDir: dir, log: { level: 'silent' } }));
const app = await buildApp(ctx);
const BASE = 167772160; // 10.0.0.0
const ipOf = (n: number): string => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
const fill = (n: number, src: string): Promise<void> => ctx.events.exec(
  `INSERT INTO honeypot_events (stored_at, ts, honeypot, sensor, session, kind, proto, src, dst_port, username, password, success, input, url, sha256)
   SELECT now(), toDateTime64('2026-11-01 00:00:00', 6, 'UTC') + toIntervalSecond(intDiv(number, 8) % 2592000) + toIntervalMillisecond(number % 8),
          'cowrie', 's1', toString(intDiv(number, 8)),
          ['session.connect', 'login', 'login', 'command', 'command', 'download', 'client.version', 'session.close'][number % 8 + 1], 'telnet',
          ${src}, 23, if(number % 8 IN (1, 2), 'root', ''), if(number % 8 IN (1, 2), ['xc3511', 'admin', '1234', 'vizxv'][number % 4 + 1], ''),
          multiIf(number % 8 = 2, 1, number % 8 = 1, 0, -1), if(number % 8 IN (3, 4), ['cat /proc/mounts', '/bin/busybox ECCHI', 'enable'][number % 3 + 1], ''),
          if(number % 8 = 5, concat('http://203.0.113.', toString(number % 200), '/bins/mirai.arm7'), ''), if(number % 8 = 5, lower(hex(SHA256(toString(number % 200)))), '')
   FROM numbers({n:UInt64})`,
  { n },
);
try {
  let t = performance.now();
  await fill(events, `IPv4ToIPv6(toIPv4(${BASE} + intDiv(number, 8) % ${addresses}))`);
  await fill(heavy, `toIPv6('10.255.255.1')`);
  const fillSeconds = (performance.now() - t) / 1000;
  await createUser(ctx.state, { username: 'admin', password: 'bench password long enough', role: 'platform-admin' });
  const { key } = await createApiKey(ctx.state, 'admin', 'bench', ['read']);
  const headers = { authorization: `Bearer ${key}` };
  const ips = Array.from({ length: runs }, (_, i) => ipOf(BASE + ((i * 7919) % addresses)));
  const viewer = peerPrincipal();
  for (const ip of ips.slice(0, 5)) await addressProfile(ctx, ip, UNRESTRICTED, viewer, 'rest');
  const inProcess: number[] = [];
  const api: number[] = [];
  let sessions = 0;
  for (const ip of ips) {
    t = performance.now();
    const p = await addressProfile(ctx, ip, UNRESTRICTED, viewer, 'rest');
    inProcess.push(performance.now() - t);
    sessions += p?.honeypot?.sessions ?? 0;
    t = performance.now();
    const r = await app.inject({ url: `/api/v1/hosts/${ip}`, headers });
    api.push(performance.now() - t);
    if (r.statusCode !== 200) throw new Error(`${ip}: HTTP ${r.statusCode} ${r.body.slice(0, 200)}`);
  }
  const heavyTimes: number[] = [];
  let heavyProfile: Awaited<ReturnType<typeof addressProfile>>;
  for (let i = 0; i < 5; i++) {
    t = performance.now();
    heavyProfile = await addressProfile(ctx, '10.255.255.1', UNRESTRICTED, viewer, 'rest');
    heavyTimes.push(performance.now() - t);
  }
  const p95 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? 0;
  const ms = (x: number): number => Number(x.toFixed(1));
  emit({
    bench: 'host-profile', events: events + heavy, addresses: addresses + 1, fillSeconds: ms(fillSeconds), runs,
    inProcessMedianMs: ms(median(inProcess)), inProcessP95Ms: ms(p95(inProcess)), apiMedianMs: ms(median(api)), apiP95Ms: ms(p95(api)),
    sessionsPerProfile: ms(sessions / runs), loadavg: loadavg().map((x) => Number(x.toFixed(2))),
  });
  emit({
    bench: 'host-profile-heavy', events: heavy, sessions: heavyProfile?.honeypot?.sessions, timeline: heavyProfile?.timeline.length,
    timelineTruncated: heavyProfile?.timelineTruncated, medianMs: ms(median(heavyTimes)), loadavg: loadavg().map((x) => Number(x.toFixed(2))),
  });
} finally {
  await app.close();
  await ctx.close();
}
