/**
 * Per client–server pair (server, port, proto, client), in ClickHouse: the pair's client→server
 * start times and sizes as arrays, and from them RITA-style beacon scores (docs/flows.md,
 * "Scores"): timing regularity (MAD/median of the intervals, tempered by their Bowley skew, by
 * how evenly the connections fill the hours they span and by how much of the window they cover) and size
 * regularity (skew, MAD/median and the share of the mode, in 5 % bins), weighed by how many
 * connections back them. The result goes into a scratch table, one row per pair; the arrays
 * never leave the engine. The GROUP BY is the table's order, so it streams
 * (optimize_aggregation_in_order) instead of holding every pair's arrays at once.
 */
import { sampledPacketsSql } from '../synth/sampling.js';

export const PAIR_COLUMNS = `server IPv6, port UInt16, proto UInt8, client IPv6, n UInt32, nrev UInt32, up_sum Float64, up_sq Float64,
  first DateTime64(3, 'UTC'), last DateTime64(3, 'UTC'), dark UInt8, timing Float32, size Float32, beacon Float32, med_ival Float32, med_size Float32, active Float32`;

export interface PairSqlOptions {
  /** The `dir` values of client→server and server→client records to read (1, 2 by prefixes; 3, 4 by ports). */
  readonly dirs: readonly [number, number];
  /** 1-in-N thinning of the stored packets at query time (1 = as stored). */
  readonly sample: number;
}

/** Flows of the window, oriented, thinned when asked, with estimated octets (`est`) and whether client→server (`up`). */
function rowsSql(o: PairSqlOptions): string {
  const where = `start >= {from:DateTime64(3)} AND start < {to:DateTime64(3)} AND dir IN (${o.dirs[0]}, ${o.dirs[1]})`;
  if (o.sample <= 1) {
    return `SELECT server, server_port AS port, proto, client, start, dir = ${o.dirs[0]} AS up, toFloat64(octets) * sampling AS est FROM flows_raw WHERE ${where}`;
  }
  const kept = sampledPacketsSql('packets', o.sample, 'cityHash64(client, server, server_port, proto, start, dir, octets)');
  return `SELECT server, port, proto, client, start, up, est FROM (
      SELECT server, server_port AS port, proto, client, start, dir = ${o.dirs[0]} AS up, ${kept} AS kept,
             if(packets = 0, 0, toFloat64(octets) * kept / packets) * sampling * ${o.sample} AS est
      FROM flows_raw WHERE ${where}) WHERE kept > 0`;
}

/** Three quartiles of an array, a Bowley skew score (1 = symmetric) and a MAD/median score (1 = all alike). */
const regularity = (a: string, q: string): string => `
    arrayReduce('quantilesExact(0.25, 0.5, 0.75)', ${a}) AS ${q},
    if(${q}[3] > ${q}[1], 1 - abs((${q}[1] + ${q}[3] - 2 * ${q}[2]) / (${q}[3] - ${q}[1])), 1) AS ${q}_skew,
    if(${q}[2] > 0, greatest(0, 1 - arrayReduce('quantileExact(0.5)', arrayMap(x -> abs(toFloat64(x) - ${q}[2]), ${a})) / ${q}[2]), 0) AS ${q}_madm`;

/** INSERT … SELECT of one row per pair into `scratch`. Parameters: from, to (DateTime64(3)), windowS, darkFrom, darkTo (Date). */
export function pairInsertSql(scratch: string, o: PairSqlOptions): string {
  return `INSERT INTO ${scratch}
  SELECT server, port, proto, client, n, nrev, up_sum, up_sq, first, last, dark, timing, size,
         if(k >= 3, least(1, (k + 2) / 8) * (0.65 * timing + 0.35 * size), 0) AS beacon, qi[2] AS med_ival, qs[2] AS med_size, hours / ({windowS:Float64} / 3600) AS active
  FROM (
    SELECT *,
      arrayPopFront(arrayDifference(ts)) AS iv, length(iv) AS k, ${regularity('iv', 'qi')},
      greatest(1, (toUnixTimestamp64Milli(last) - toUnixTimestamp64Milli(first)) / 1000) AS span,
      hours / greatest(1, least(ceil(span / 3600), n)) AS fill,
      least(1, span / ({windowS:Float64} / 2)) AS cover,
      if(k >= 3, qi_madm * (0.5 + 0.25 * qi_skew + 0.25 * least(1, fill)) * (0.5 + 0.5 * cover), 0) AS timing,
      ${regularity('sz', 'qs')},
      arrayMap(x -> intDiv(x, greatest(1, toUInt32(qs[2] / 20))), sz) AS bins,
      arrayCount(b -> b = arrayReduce('topK(1)', bins)[1], bins) / greatest(1, length(bins)) AS mode_share,
      if(length(sz) >= 4, (qs_skew + 2 * qs_madm + mode_share) / 4, 0) AS size
    FROM (
      SELECT server, port, proto, client,
        toUInt32(countIf(up)) AS n, toUInt32(countIf(NOT up)) AS nrev,
        sumIf(est, up) AS up_sum, sumIf(est * est, up) AS up_sq,
        min(start) AS first, max(start) AS last,
        arraySort(groupArrayIf(toUInt32(toUnixTimestamp(start)), up)) AS ts,
        groupArrayIf(toUInt32(least(est, 4000000000)), up) AS sz,
        uniqExactIf(toStartOfHour(start), up) AS hours,
        toUInt8(client IN (SELECT src FROM darknet_source_day WHERE day >= {darkFrom:Date} AND day <= {darkTo:Date})) AS dark
      FROM (${rowsSql(o)})
      GROUP BY server, port, proto, client
    )
  )`;
}
