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
 * Unless `--other-ties 0`, flows and darknet days are planted too: the URL-tied campaigns' members
 * are flow clients of their loader host's C&C port (`cnc` ties), every address a client of one
 * ordinary server; every address a tagged darknet source with a common port set, the hash-tied
 * campaigns' members with a port of their own besides (`darknet-tool` ties). The tie counts per
 * kind are printed. JSON lines; `--events N --addresses N --planted N --campaigns N` for other sizes.
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
const otherTies = argValue('other-ties', '1') !== '0';
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
  if (otherTies) {
    // Flows: the members of each URL-tied campaign are clients of their loader host on 6667 (its
    // C&C: a cnc tie), and every address is a client of one ordinary server (no tie).
    await stores.events.exec(
      `INSERT INTO flows_raw (stored_at, keep_days, start, end, kind, exporter, domain, src, dst, sport, dport, proto, tcp_flags, octets, packets,
                              rev_octets, rev_packets, sampling, in_if, out_if, src_as, dst_as, client, server, server_port, dir, agg_keep_days)
       SELECT now(), 7, t, t + toIntervalSecond(5), 3, toIPv6('::ffff:192.0.2.254'), 0, client, server, 40000 + a % 20000, port, 6, 24, 300, 5,
              0, 0, 1, 0, 0, 0, 0, client, server, port, 1, 400
       FROM (
         SELECT number % {n:UInt64} AS a, intDiv(number, {n:UInt64}) AS j, a % {cs:UInt64} AS c,
                IPv4ToIPv6(toIPv4(${BASE} + a)) AS client, toDateTime64('2026-11-10 00:00:00', 3, 'UTC') + toIntervalSecond(a % 86400) AS t,
                if(j = 0, toIPv6('::ffff:192.0.2.80'), toIPv6(concat('::ffff:198.18.', toString(intDiv(c, 256)), '.', toString(c % 256)))) AS server,
                if(j = 0, 443, 6667) AS port
         FROM numbers({total:UInt64})
       ) WHERE j = 0 OR (a < {planted:UInt64} AND c % 3 = 0)`,
      { n: addresses, cs: campaigns, planted, total: addresses * 2 },
    );
    // Darknet: every address scanned on one day with a tag (Mirai or Masscan by parity) and a common
    // port set; the members of each hash-tied campaign also probed a port of their own (a rare combination).
    await stores.events.exec(
      `INSERT INTO darknet_source_day (day, sensor, src, first_seen, last_seen, packets, pkts_scan, pkts_backscatter, pkts_other, tag_hits, tag_inapplicable,
                                       ports, dsts, port_set, dst_set, exact_sets, asn, country)
       SELECT toDate('2026-11-10'), 'bench', IPv4ToIPv6(toIPv4(${BASE} + a)), t, t, 10, 10, 0, 0, ([toUInt8(a % 2)], [toUInt64(10)]), ([], []), ([], []), ([], []),
              multiIf(a < {planted:UInt64} AND c % 3 = 1, [toUInt32(393239), toUInt32(393216 + 10000 + c)], a % 3 = 0, [toUInt32(393239), toUInt32(395539)], [toUInt32(393239)]),
              [toUInt32(a % 65536)], 1, 64500 + a % 1000, 'JP'
       FROM (SELECT number AS a, a % {cs:UInt64} AS c, toDateTime64('2026-11-10 01:00:00', 6, 'UTC') AS t FROM numbers({n:UInt64}))`,
      { n: addresses, cs: campaigns, planted },
    );
    await stores.events.exec('OPTIMIZE TABLE flows_raw FINAL');
    await stores.events.exec('OPTIMIZE TABLE darknet_source_day FINAL');
  }
  // Merged first, as stored events are by the time anyone computes campaigns: background merges
  // of the fresh parts would otherwise compete with the computation for the same cores.
  await stores.events.exec('OPTIMIZE TABLE honeypot_events FINAL');
  const [stored] = await stores.events.query<{ n: number; s: number }>('SELECT count() AS n, uniqExact(src) AS s FROM honeypot_events');
  const [other] = await stores.events.query<{ f: number; d: number }>('SELECT (SELECT count() FROM flows_raw) AS f, (SELECT count() FROM darknet_source_day) AS d');
  emit({
    bench: 'campaigns-input', events: stored?.n ?? 0, addresses: stored?.s ?? 0, planted, campaigns, flows: Number(other?.f ?? 0), darknetSourceDays: Number(other?.d ?? 0),
    loadSeconds: (Date.now() - t0) / 1000,
  });

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
