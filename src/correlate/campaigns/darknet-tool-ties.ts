/**
 * `darknet-tool` ties: honeypot addresses that the darknet saw with the same fingerprint tags
 * (the tools their probes betray: Mirai, Masscan…) and the same set of targeted ports, over the
 * days the honeypots saw anything. A tag is carried as the darknet reports decide it
 * (classify/tag-evidence.ts: at least the fingerprint's share of the packets its test applies
 * to). Ports come from the exact per-day sets (`port_set`); a source-day whose set overflowed
 * (more than EXACT_LIMIT ports: a full-range scanner) has no exact set and ties nothing.
 */
import { carriesTagSql } from '../../classify/tag-evidence.js';
import type { Fingerprint } from '../../classify/fingerprints.js';
import { EXACT_LIMIT } from '../../schema/sketch.js';
import { quote } from '../../store/events/sql-literals.js';

/** Ports written in full in a tie's value; a longer set is shortened and named by its hash. */
const PORTS_SHOWN = 12;

/**
 * (k, v, src) rows: `mirai → tcp/23,tcp/2323`. Parameters {dFrom:Date}, {dTo:Date}: the days read.
 * Only honeypot addresses are aggregated (campaign members are addresses the honeypots saw).
 */
export function darknetToolTieSources(fingerprints: readonly Pick<Fingerprint, 'name' | 'bit' | 'minShare'>[]): string {
  const fps = [...fingerprints].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.bit - b.bit));
  if (fps.length === 0) return '';
  const tag = (f: (typeof fps)[number]): string => {
    const bit = Math.trunc(f.bit);
    const hits = `arrayElement(th.2, indexOf(th.1, ${bit}))`;
    const applicable = `(p - arrayElement(ti.2, indexOf(ti.1, ${bit})))`;
    return `if(${carriesTagSql(f.minShare, hits, applicable)}, ${quote(f.name)}, '')`;
  };
  const portText = "concat(multiIf(intDiv(c, 65536) = 6, 'tcp', intDiv(c, 65536) = 17, 'udp', intDiv(c, 65536) = 132, 'sctp', concat('proto', toString(intDiv(c, 65536)))), '/', toString(c % 65536))";
  return `
    SELECT 'darknet-tool' AS k,
           concat(tags, ' → ', arrayStringConcat(arrayMap(c -> ${portText}, arraySlice(ps, 1, ${PORTS_SHOWN})), ','),
                  if(length(ps) > ${PORTS_SHOWN}, concat(', … ', toString(length(ps)), ' ports #', lower(hex(sipHash64(ps)))), '')) AS v,
           src
    FROM (
      SELECT src, arrayStringConcat(arrayFilter(x -> x != '', [${fps.map(tag).join(', ')}]), ' + ') AS tags, ps
      FROM (
        SELECT src, sumMap(tag_hits) AS th, sumMap(tag_inapplicable) AS ti, sum(packets) AS p,
               arraySort(groupUniqArrayArray(port_set)) AS ps, min(exact_sets) AS ex, max(length(port_set)) AS widest
        FROM darknet_source_day
        WHERE day >= {dFrom:Date} AND day <= {dTo:Date} AND src IN (SELECT src FROM honeypot_events)
        GROUP BY src)
      WHERE ex = 1 AND widest <= ${EXACT_LIMIT} AND notEmpty(ps) AND notEmpty(th.1))
    WHERE tags != ''`;
}
