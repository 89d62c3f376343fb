/**
 * Sightings of peers' indicators (issue 16, item 6): the indicators in a collection that the hub
 * did not create are matched against our darknet (sources of any day) and survey (hosts with an
 * open service); a match becomes a sighting of the peer's indicator with its count (days a
 * darknet source was seen, plus hosts the survey found) and first/last seen, made by the hub
 * and sighted where the hub is: `where_sighted_refs` names the hub's identity, never a member's
 * network. A sighting is one object per peer indicator, versioned like our indicators.
 */
import type { EventsStore, StateStore } from '../../store/types.js';
import { cidrBounds } from '../../net/cidr.js';
import type { StixObject } from '../stix/types.js';
import { TLP2_IDS, type Tlp } from '../stix/tlp.js';
import { addressBlocks } from './pattern-addresses.js';
import { stableId } from './stable-id.js';

export interface Observed { count: number; firstSeen: Date; lastSeen: Date }

interface Row { n: number; f: string; l: string }

const ISO = (col: string): string => `formatDateTime(${col}, '%Y-%m-%dT%H:%i:%S.%fZ', 'UTC')`;
const toDate = (s: string): Date => new Date(s.replace(/(\.\d{3})\d*Z$/, '$1Z'));

/** What our darknet and survey saw of the addresses of one pattern's terms; undefined when nothing. */
export async function observedTerms(events: EventsStore, terms: readonly { readonly cidr: string }[]): Promise<Observed | undefined> {
  let count = 0;
  let first: Date | undefined;
  let last: Date | undefined;
  for (const t of terms) {
    const [lo, hi] = cidrBounds(t.cidr);
    const [d] = await events.query<Row>(
      `SELECT count() AS n, ${ISO('min(first_seen)')} AS f, ${ISO('max(last_seen)')} AS l
       FROM (SELECT day, src, min(first_seen) AS first_seen, max(last_seen) AS last_seen FROM darknet_source_day
             WHERE src >= toIPv6({lo:String}) AND src <= toIPv6({hi:String}) GROUP BY day, src)`,
      { lo, hi },
    );
    const [s] = await events.query<Row>(
      `SELECT uniqExact(ip) AS n, ${ISO('min(time)')} AS f, ${ISO('max(time)')} AS l
       FROM services_current FINAL WHERE status = 'open' AND ip >= toIPv6({lo:String}) AND ip <= toIPv6({hi:String})`,
      { lo, hi },
    );
    for (const r of [d, s]) {
      if (!r || Number(r.n) === 0) continue;
      count += Number(r.n);
      const f = toDate(r.f), l = toDate(r.l);
      if (!first || f < first) first = f;
      if (!last || l > last) last = l;
    }
  }
  return first && last ? { count, firstSeen: first, lastSeen: last } : undefined;
}

interface Made { indicator_id: string; sighting_id: string; created: Date; modified: Date; first_seen: Date; last_seen: Date; count: number }

export interface MatchResult {
  readonly peerIndicators: number;
  /** Peer indicators whose pattern names no address we can match. */
  readonly unmatchable: number;
  readonly sighted: number;
  /** New sighting versions (to publish). */
  readonly objects: StixObject[];
  readonly save: () => Promise<void>;
}

/** Sightings of the peer indicators among `objects` (latest versions), as new versions where something changed. */
export async function matchPeerIndicators(
  deps: { events: EventsStore; state: Pick<StateStore, 'query'> },
  hubId: string,
  objects: readonly StixObject[],
  o: { now: Date; tlp: Tlp },
): Promise<MatchResult> {
  const peers = objects.filter((x) => x.type === 'indicator' && x.created_by_ref !== hubId && x.revoked !== true);
  const made = new Map((await deps.state.query<Made>('SELECT * FROM share_sightings_made')).map((r) => [r.indicator_id, r]));
  const out: StixObject[] = [];
  const rows: Made[] = [];
  let unmatchable = 0, sighted = 0;
  for (const ind of peers) {
    // Through the STIX pattern matcher: the address blocks an observation of one address satisfies alone.
    const terms = ind['pattern_type'] === 'stix' || ind['pattern_type'] === undefined ? addressBlocks(typeof ind['pattern'] === 'string' ? ind['pattern'] : '') : undefined;
    if (!terms) { unmatchable++; continue; }
    const seen = await observedTerms(deps.events, terms);
    if (!seen) continue;
    sighted++;
    const prev = made.get(ind.id);
    if (prev && prev.count === seen.count && new Date(prev.first_seen).getTime() === seen.firstSeen.getTime() && new Date(prev.last_seen).getTime() === seen.lastSeen.getTime()) continue;
    const created = prev ? new Date(prev.created) : o.now;
    const modified = prev && new Date(prev.modified).getTime() >= o.now.getTime() ? new Date(new Date(prev.modified).getTime() + 1) : o.now;
    const id = prev?.sighting_id ?? stableId('sighting', hubId, ind.id);
    out.push({
      type: 'sighting', spec_version: '2.1', id, created: created.toISOString(), modified: modified.toISOString(), created_by_ref: hubId,
      sighting_of_ref: ind.id, count: Math.min(seen.count, 999_999_999),
      first_seen: seen.firstSeen.toISOString(),
      // last_seen must not be before first_seen; equal is allowed.
      last_seen: seen.lastSeen.toISOString(),
      where_sighted_refs: [hubId],
      description: 'Seen by the hub\'s darknet telescope or survey.',
      object_marking_refs: [TLP2_IDS[o.tlp]],
    });
    rows.push({ indicator_id: ind.id, sighting_id: id, created, modified, first_seen: seen.firstSeen, last_seen: seen.lastSeen, count: seen.count });
  }
  const save = async (): Promise<void> => {
    if (rows.length === 0) return;
    const col = <T>(f: (m: Made) => T): T[] => rows.map(f);
    await deps.state.query(
      `INSERT INTO share_sightings_made (indicator_id, sighting_id, created, modified, first_seen, last_seen, count)
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[], $7::int[])
       ON CONFLICT (indicator_id) DO UPDATE SET modified = EXCLUDED.modified, first_seen = EXCLUDED.first_seen, last_seen = EXCLUDED.last_seen, count = EXCLUDED.count`,
      [col((m) => m.indicator_id), col((m) => m.sighting_id), col((m) => m.created.toISOString()), col((m) => m.modified.toISOString()),
        col((m) => m.first_seen.toISOString()), col((m) => m.last_seen.toISOString()), col((m) => Math.min(m.count, 2_000_000_000))],
    );
  };
  return { peerIndicators: peers.length, unmatchable, sighted, objects: out, save };
}
