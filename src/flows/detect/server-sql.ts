/**
 * Per candidate server (server, port, proto), from the pair rows (pair-sql.ts): the parts of its
 * score (docs/flows.md, "Scores") and the score itself.
 *
 * - beacon, size-regularity: the best beaconing pair's timing and size regularity.
 * - server (DISCLOSURE): small flows of little variance across all its clients, clients that
 *   reach it through the whole window rather than in the day's rhythm, and unanswered flows.
 * - client-grouping (BotMiner): the clients that beacon to it are alike (their median interval
 *   and size agree), or also beacon to other rare servers (peers of a P2P botnet, a bot's second
 *   C&C).
 * - rarity: few clients across the ISP. When some client beacons strongly, only the clients
 *   that beacon well are counted: NTP and update checks beacon from thousands of clients and
 *   fall away, and so does a resolver on which beaconing is common; a cloud address with many
 *   benign users and a few bots keeps the bots' rarity.
 * - darknet: the server, or the clients that beacon to it, were sources in our darknet.
 * - indicator: an imported indicator's address pattern covers the server.
 *
 * score = 1 − (1 − behaviour·rarity)(1 − wD·darknet·rarity·gate)(1 − wI·indicator), gate = min(1, beacon / beaconing).
 */
import { CNC_THRESHOLDS as T, CNC_WEIGHTS as W } from './weights.js';

/** Parameters: n0 (Float64), ilo/ihi (Array(String): indicator ranges), darkFrom/darkTo (Date). */
export function serverScoreSql(scratch: string): string {
  const b = T.beaconing;
  return `
  WITH rare_beacons AS (
    SELECT client, toUInt32(count()) AS rare FROM ${scratch}
    WHERE beacon >= ${b} AND (server, port, proto) IN (
      SELECT server, port, proto FROM ${scratch}
      WHERE (server, port, proto) IN (SELECT server, port, proto FROM ${scratch} WHERE beacon >= ${b})
      GROUP BY server, port, proto HAVING count() <= {n0:Float64})
    GROUP BY client)
  SELECT server, port, proto, clients, bclients, first_seen AS first, last_seen AS last, best_client, ival, isize,
    beacon_max AS beacon, size_reg, server_part, grouping, rarity, darknet, indicator,
    ${W.beacon} * beacon_max + ${W.size} * size_reg + ${W.server} * server_part + ${W.grouping} * grouping AS behaviour,
    1 - (1 - behaviour * rarity) * (1 - ${W.darknet} * darknet * rarity * least(1, beacon_max / ${b})) * (1 - ${W.indicator} * indicator) AS score
  FROM (
    SELECT server, port, proto,
      toUInt32(count()) AS clients, toUInt32(countIf(beacon >= ${T.strongBeacon})) AS bclients,
      min(first) AS first_seen, max(last) AS last_seen,
      max(beacon) AS beacon_max, argMax(size, beacon) AS size_reg, argMax(client, beacon) AS best_client,
      argMax(med_ival, beacon) AS ival, argMax(med_size, beacon) AS isize,
      sum(n) AS flows,
      if(flows >= 4, 1 - least(1, sqrt(greatest(0, sum(up_sq) / flows - pow(sum(up_sum) / flows, 2))) / greatest(1, sum(up_sum) / flows)), 0) AS size_steady,
      0.4 * size_steady + 0.4 * least(1, avg(active)) + 0.2 * (1 - least(1, sum(nrev) / greatest(1, flows))) AS server_part,
      toUInt32(countIf(beacon >= ${b})) AS g,
      if(g >= 2, least(1, (g - 1) / 2) * (1 - least(1, (stddevPopIf(med_ival, beacon >= ${b}) / greatest(1, avgIf(med_ival, beacon >= ${b}))
        + stddevPopIf(med_size, beacon >= ${b}) / greatest(1, avgIf(med_size, beacon >= ${b}))) / 2)), 0) AS alike,
      countIf(beacon >= ${b} AND rare >= 2) / greatest(1, g) AS cobeacon,
      greatest(alike, cobeacon) AS grouping,
      if(bclients > 0, toUInt32(countIf(beacon >= ${T.countedBeacon})), clients) AS n_eff,
      1 / (1 + pow(n_eff / {n0:Float64}, 3)) AS rarity,
      greatest(toUInt8(server IN (SELECT src FROM darknet_source_day WHERE day >= {darkFrom:Date} AND day <= {darkTo:Date})),
               if(g > 0, avgIf(dark, beacon >= ${b}), 0)) AS darknet,
      toUInt8(arrayExists((l, h) -> server >= toIPv6(l) AND server <= toIPv6(h), {ilo:Array(String)}, {ihi:Array(String)})) AS indicator
    FROM ${scratch} AS p LEFT JOIN rare_beacons AS r ON p.client = r.client
    GROUP BY server, port, proto
  )`;
}
