/**
 * A campaign's ports (by members), URLs and hashes (by members, then events), aggregated in
 * ClickHouse over the events of the members given: all of them when campaigns are computed, only
 * a viewer's own when an organisation's member reads them (campaign-store.ts).
 */
import type { EventsStore } from '../../store/types.js';

export interface CampaignLists { ports: { port: number; members: number }[]; urls: string[]; hashes: string[] }

/** Bytes per member row: the address (16, IPv6) and the campaign's index (UInt32, little-endian). */
export const MEMBER_ROW = 20;

/** The longest list of each kind. */
export const LIST_TOP = 20;

/** The most frequent keys first (ties by key), at most LIST_TOP. */
export function topCounts<K extends string | number>(m: ReadonlyMap<K, number>): [K, number][] {
  return [...m].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, LIST_TOP);
}

/** Lists per campaign index, from member rows (MEMBER_ROW bytes each). */
export async function listsInEvents(events: EventsStore, rows: Uint8Array): Promise<Map<number, CampaignLists>> {
  const out = new Map<number, CampaignLists>();
  if (rows.length === 0) return out;
  const got = await events.withBatch('RowBinary', 'src IPv6, c UInt32', [rows], (source) => events.query<{ c: number; what: string; v: string; n: number }>(
    `SELECT c, what, v, toUInt32(uniqExact(src)) AS n, count() AS e FROM (
       SELECT u.c AS c, e.src AS src, arrayJoin([('port', if(e.dst_port = 0, '', toString(e.dst_port))), ('url', e.url),
                                                 ('hash', if(e.kind IN ('download', 'upload'), e.sha256, ''))]) AS p, p.1 AS what, p.2 AS v
       FROM honeypot_events AS e INNER JOIN ${source} AS u ON e.src = u.src
     ) WHERE v != ''
     GROUP BY c, what, v ORDER BY c, what, n DESC, e DESC, v LIMIT ${LIST_TOP} BY c, what`,
  ));
  for (const r of got) {
    let l = out.get(r.c);
    if (!l) out.set(r.c, (l = { ports: [], urls: [], hashes: [] }));
    if (r.what === 'port') l.ports.push({ port: Number(r.v), members: r.n });
    else if (r.what === 'url') l.urls.push(r.v);
    else l.hashes.push(r.v);
  }
  return out;
}
