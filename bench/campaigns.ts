/**
 * Issue 18 figure: campaigns over 1,000,000 addresses with 10,000,000 honeypot events in at most
 * 60 s. The events are generated in ClickHouse (INSERT … SELECT FROM numbers()), ten per address,
 * with planted campaigns as the truth: the first `--planted` addresses (default 300,000) belong
 * to `--campaigns` campaigns (default 500, address a in campaign a % 500), a third tied by a
 * dropper URL on its own host and its hash, a third by a pushed file's hash, a third by a
 * dictionary of three pairs of its own. Every address also does what everyone does: common
 * credential pairs, common SSH clients on ports 22/23, a shared script on a CDN host and a path
 * of its own there. Prints the computation's seconds per stage, peak RSS, and how many planted
 * campaigns were recovered exactly (same members, nothing else), with purity and false campaigns.
 * JSON lines; `--events N --addresses N --planted N --campaigns N` for other sizes.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { packageRoot } from '../src/util/package-root.js';
import { openStores } from '../src/store/open-stores.js';
import { computeCampaigns } from '../src/correlate/campaigns/compute-campaigns.js';
import { parseIPv4 } from '../src/net/ip.js';
import { argValue, emit } from './lib.js';

const addresses = Number(argValue('addresses', '1000000'));
const events = Number(argValue('events', '10000000'));
const planted = Number(argValue('planted', '300000'));
const campaigns = Number(argValue('campaigns', '500'));
const perAddress = Math.max(1, Math.round(events / addresses));
const dir = join(packageRoot(), 'bench', 'out', 'campaigns-data');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const BASE = 167772160; // 10.0.0.0: address a is 10.0.0.0 + a
const stores = await openStores({ dataDir: dir });
try {
  const t0 = Date.now();
  // e = j * addresses + a: the j-th event of address a; c = a % campaigns its planted campaign (a < planted).
  await stores.events.exec(
    `INSERT INTO honeypot_events (stored_at, ts, honeypot, sensor, session, kind, proto, src, dst_port, src_asn, src_country, username, password, success, input, url, url_host, sha256, size, client)
     SELECT now(), toDateTime64('2026-11-01 00:00:00', 6, 'UTC') + toIntervalSecond((a * 13 + j * 3600) % 2592000), 'cowrie', 's1',
            concat(toString(a), '-', toString(j)), kind, if(dport = 22, 'ssh', 'telnet'), IPv4ToIPv6(toIPv4(${BASE} + a)), dport,
            64500 + a % 1000, ['JP', 'US', 'CN', 'BR'][a % 4 + 1],
            if(kind = 'login', if(plant = 2 AND j < 5, concat('u', toString(c)), ['root', 'admin', 'user', 'guest', 'support'][(a * 7 + j) % 5 + 1]), ''),
            if(kind = 'login', if(plant = 2 AND j < 5, concat('p', toString(c), '-', toString(j)), ['root', 'admin', '12345', 'password', 'xc3511', 'vizxv'][(a * 3 + j) % 6 + 1]), ''),
            if(kind = 'login', 0, -1), if(kind = 'command', 'uname -a', ''),
            multiIf(kind != 'download', '', plant = 0, concat('http://', host, '/bins/mirai.arm7'), a % 2 = 0, 'http://cdn.example/common.sh', concat('http://cdn.example/u/', toString(a), '.sh')),
            multiIf(kind != 'download', '', plant = 0, host, 'cdn.example'),
            multiIf(kind = 'download' AND plant = 0, lower(hex(SHA256(concat('d', toString(c))))),
                    kind = 'upload' AND plant = 1, lower(hex(SHA256(concat('u', toString(c))))),
                    kind = 'upload', lower(hex(SHA256(toString(a)))), ''),
            if(kind IN ('download', 'upload'), 1000, 0),
            if(kind = 'client.version', ['SSH-2.0-Go', 'SSH-2.0-libssh2_1.8.0', 'SSH-2.0-PUTTY', 'SSH-2.0-OpenSSH_7.4', ''][a % 5 + 1], '')
     FROM (
       SELECT number % {n:UInt64} AS a, intDiv(number, {n:UInt64}) AS j, a % {cs:UInt64} AS c,
              if(a < {planted:UInt64}, c % 3, 9) AS plant,
              concat('198.18.', toString(intDiv(c, 256)), '.', toString(c % 256)) AS host,
              multiIf(j = 0, 'session.connect', j = 1, 'client.version', j <= 5, 'login', j = 6, 'command', j = 7, 'download',
                      j = 8, if(plant = 1 OR a % 10 = 0, 'upload', 'command'), 'session.close') AS kind,
              if(j = 1 OR a % 2 = 0, 22, 23) AS dport
       FROM numbers({total:UInt64})
     )`,
    { n: addresses, cs: campaigns, planted, total: addresses * perAddress },
  );
  // Merged first, as stored events are by the time anyone computes campaigns: background merges
  // of the fresh parts would otherwise compete with the computation for the same cores.
  await stores.events.exec('OPTIMIZE TABLE honeypot_events FINAL');
  const [stored] = await stores.events.query<{ n: number; s: number }>('SELECT count() AS n, uniqExact(src) AS s FROM honeypot_events');
  emit({ bench: 'campaigns-input', events: stored?.n ?? 0, addresses: stored?.s ?? 0, planted, campaigns, loadSeconds: (Date.now() - t0) / 1000 });

  const rss0 = process.resourceUsage().maxRSS;
  const cpu0 = process.cpuUsage();
  const sum = await computeCampaigns(stores);
  const cpu = process.cpuUsage(cpu0);
  const rssKiB = process.resourceUsage().maxRSS;
  // Recovery: the campaign of each planted campaign's first member must hold exactly its members.
  const rows = await stores.state.query<{ ip: string; campaign: string }>('SELECT host(ip) AS ip, campaign FROM campaign_members');
  const byCampaign = new Map<string, number[]>();
  for (const r of rows) {
    const a = parseIPv4(r.ip) - BASE;
    const l = byCampaign.get(r.campaign) ?? [];
    l.push(a);
    byCampaign.set(r.campaign, l);
  }
  const labelOf = (a: number): number => (a < planted ? a % campaigns : -1 - a);
  const expectedSize = (c: number): number => Math.floor(planted / campaigns) + (c < planted % campaigns ? 1 : 0);
  let exact = 0;
  let majority = 0;
  let falseCampaigns = 0;
  for (const members of byCampaign.values()) {
    const count = new Map<number, number>();
    for (const a of members) count.set(labelOf(a), (count.get(labelOf(a)) ?? 0) + 1);
    const [label, n] = [...count].sort((x, y) => y[1] - x[1])[0] ?? [-1, 0];
    majority += n;
    if (label < 0) falseCampaigns++;
    else if (n === members.length && n === expectedSize(label)) exact++;
  }
  emit({
    bench: 'campaigns-compute', addresses: sum.addresses, events: stored?.n ?? 0, seconds: sum.ms.total / 1000, limitSeconds: 60,
    stagesMs: sum.ms, campaigns: sum.campaigns, members: sum.members, planted: campaigns, recoveredExactly: exact,
    recall: exact / campaigns, purity: rows.length ? majority / rows.length : 0, falseCampaigns,
    ties: sum.ties, commonTies: sum.commonTies, largestCommon: sum.largestCommon.slice(0, 3),
    // CPU seconds of this process (chDB's threads and PGlite included): less at the mercy of a loaded machine than the wall time.
    cpuSeconds: Math.round((cpu.user + cpu.system) / 1e4) / 100,
    peakRssMiB: Math.round(rssKiB / 1024), rssBeforeMiB: Math.round(rss0 / 1024), loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
  });
} finally {
  await stores.close();
}
