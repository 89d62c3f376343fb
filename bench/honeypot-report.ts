/**
 * The honeypot report and honeypot sharing over a synthetic day (issue 18): `--events N`
 * (default 10,000,000) honeypot events in sessions of ten (connect, client version, four logins,
 * two commands, a download, close) from `--sources` addresses (default 100,000), written straight
 * into honeypot_events; 1,000 download URLs on 1,000 hosts, 5,000 files. Measures the whole
 * report for the day (median of `--runs`, default 3) as an operator and as an organisation's
 * member restricted to a /20 and an AS, and a dry run of `share honeypot`. JSON lines, with the
 * load average beside each figure (the machine may be shared).
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/util/package-root.js';
import { configSchema } from '../src/config/schema.js';
import { openContext } from '../src/app/context.js';
import { peerPrincipal } from '../src/api/auth-plugin.js';
import { createCollection } from '../src/share/taxii/collections.js';
import { UNRESTRICTED, type Restriction } from '../src/store/need-to-know.js';
import { honeypotReport } from '../src/honeypot/report/honeypot-report.js';
import { publishHoneypotIndicators } from '../src/honeypot/share/publish-honeypot.js';
import { argValue, emit, median } from './lib.js';

const n = Number(argValue('events', '10000000'));
const sources = Number(argValue('sources', '100000'));
const runs = Number(argValue('runs', '3'));
const load = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const dir = join(packageRoot(), 'bench', 'out', 'honeypot-report-data');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const ctx = await openContext(configSchema.parse({ dataDir: dir, log: { level: 'silent' } }));
try {
  const day = '2026-11-10';
  const window = { from: new Date(`${day}T00:00:00Z`), to: new Date('2026-11-11T00:00:00Z') };
  const t0 = Date.now();
  await ctx.events.exec(
    `INSERT INTO honeypot_events (stored_at, ts, honeypot, sensor, session, kind, proto, src, src_port, dst, dst_port, src_asn, src_country,
                                  username, password, success, input, url, url_host, sha256, size, client)
     SELECT now(), toDateTime64({d:String}, 6, 'UTC') + toIntervalMillisecond((number * 8639) % 86400000), 'cowrie', 'bench', toString(intDiv(number, 10)),
            ['session.connect', 'client.version', 'login', 'login', 'login', 'login', 'command', 'command', 'download', 'session.close'][number % 10 + 1],
            'telnet', toIPv6(IPv4NumToString(toUInt32(754974720 + intDiv(number, 10) % {s:UInt32}))), 40000, toIPv6('203.0.113.10'), 23,
            64500 + intDiv(number, 10) % 50, 'JP',
            if(number % 10 BETWEEN 2 AND 5, ['root', 'admin', 'support', 'user'][number % 4 + 1], ''),
            if(number % 10 BETWEEN 2 AND 5, ['xc3511', 'vizxv', 'admin', '888888', '123456', 'default'][intDiv(number, 10) % 6 + 1], ''),
            if(number % 10 BETWEEN 2 AND 5, toInt8(number % 10 = 5), if(number % 10 IN (6, 7), 1, -1)),
            multiIf(number % 10 = 6, 'cat /proc/mounts', number % 10 = 7, concat('/bin/busybox ', toString(intDiv(number, 10) % 100)), ''),
            if(number % 10 = 8, concat('http://dl', toString(intDiv(number, 10) % 1000), '.example/bins/x'), ''),
            if(number % 10 = 8, concat('dl', toString(intDiv(number, 10) % 1000), '.example'), ''),
            if(number % 10 = 8, lower(hex(SHA256(toString(intDiv(number, 10) % 5000)))), ''), if(number % 10 = 8, 1000, 0),
            if(number % 10 = 1, 'SSH-2.0-Go', '')
       FROM numbers({n:UInt64})`,
    { d: day, n, s: sources },
  );
  emit({ bench: 'honeypot-report-input', events: n, sources, loadSeconds: (Date.now() - t0) / 1000, loadavg: load() });

  const member: Restriction = { kind: 'constituency', orgId: 'bench', cidrs: ['45.0.0.0/20'], asns: [64501] };
  for (const [who, r] of [['operator', UNRESTRICTED], ['member', member]] as const) {
    const times: number[] = [];
    let sessions = 0;
    for (let i = 0; i < runs; i++) {
      const a = performance.now();
      const rep = await honeypotReport(ctx.events, window, r);
      times.push(performance.now() - a);
      sessions = rep.sessions;
    }
    emit({ bench: 'honeypot-report', as: who, events: n, sessions, medianMs: Math.round(median(times)), runsMs: times.map(Math.round), loadavg: load() });
  }

  const principal = peerPrincipal();
  const col = await createCollection(ctx.state, { title: 'Honeypot (bench)' }, principal);
  const p0 = performance.now();
  const pub = await publishHoneypotIndicators(ctx, principal, { collection: col.id, tlp: 'green', window, dryRun: true, now: new Date('2026-11-11T01:00:00Z') });
  emit({ bench: 'honeypot-share-dry-run', events: n, indicators: pub.created, objects: pub.objects, seconds: (performance.now() - p0) / 1000, loadavg: load() });
} finally {
  await ctx.close();
}
