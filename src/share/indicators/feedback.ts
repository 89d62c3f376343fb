/**
 * Peers' feedback on the hub's indicators (issue 16, item 6): a sighting of one of ours from
 * another organisation raises its confidence; an opinion that disagrees, or a note that calls it
 * a false positive, lowers it, and enough of them revoke it. Each object version is recorded
 * once (`share_feedback`), and only the latest version of each object counts, so a peer that
 * posts the same sighting again, or revises its opinion, is not counted twice.
 */
import type { StateStore } from '../../store/types.js';
import type { StixObject } from '../stix/types.js';

/** Each sighting by a peer: +5, at most +20 in all. */
const SIGHTING_STEP = 5;
const SIGHTING_MAX = 20;
/** Each unit of objection weight: −15. */
const OBJECTION_STEP = 15;
/** Objection weight that revokes: two strong objections, or four that disagree. */
export const REVOKE_WEIGHT = 4;

const FALSE_POSITIVE = /false[\s-]?positive|benign|誤検知/i;

export function adjustedConfidence(base: number, peerSightings: number, objections: number): number {
  const up = Math.min(SIGHTING_MAX, SIGHTING_STEP * peerSightings);
  return Math.max(0, Math.min(100, Math.round(base + up - OBJECTION_STEP * objections)));
}

export function revokedByPeers(objections: number): boolean {
  return objections >= REVOKE_WEIGHT;
}

interface Feedback { objectId: string; version: string; indicatorId: string; kind: 'sighting' | 'opinion' | 'note'; fromRef: string; opinion: string; count: number; negative: boolean }

const refs = (o: StixObject, key: string): string[] => {
  const v = o[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
};

/** The feedback in a set of objects about indicators created by `hubId` (objects by the hub itself are not feedback). */
export function feedbackOf(objects: readonly StixObject[], hubId: string, ours: ReadonlySet<string>): Feedback[] {
  const out: Feedback[] = [];
  for (const o of objects) {
    if (o.created_by_ref === hubId) continue;
    const version = o.modified ?? o.created ?? '';
    const base = { objectId: o.id, version, fromRef: o.created_by_ref ?? '' };
    if (o.type === 'sighting' && typeof o['sighting_of_ref'] === 'string' && ours.has(o['sighting_of_ref'])) {
      const count = typeof o['count'] === 'number' && o['count'] >= 0 ? Math.min(o['count'], 999_999_999) : 1;
      out.push({ ...base, indicatorId: o['sighting_of_ref'], kind: 'sighting', opinion: '', count, negative: false });
    } else if (o.type === 'opinion') {
      const opinion = typeof o['opinion'] === 'string' ? o['opinion'] : '';
      const negative = opinion === 'disagree' || opinion === 'strongly-disagree';
      for (const id of refs(o, 'object_refs')) if (ours.has(id)) out.push({ ...base, indicatorId: id, kind: 'opinion', opinion, count: 1, negative });
    } else if (o.type === 'note') {
      const text = `${typeof o['abstract'] === 'string' ? o['abstract'] : ''} ${typeof o['content'] === 'string' ? o['content'] : ''}`;
      const negative = FALSE_POSITIVE.test(text);
      for (const id of refs(o, 'object_refs')) if (ours.has(id)) out.push({ ...base, indicatorId: id, kind: 'note', opinion: negative ? 'false-positive' : '', count: 1, negative });
    }
  }
  return out;
}

/** Records the feedback in `objects`; returns how many object versions were new. */
export async function recordFeedback(state: Pick<StateStore, 'query'>, objects: readonly StixObject[], hubId: string): Promise<number> {
  const candidates = new Set<string>();
  for (const o of objects) {
    if (typeof o['sighting_of_ref'] === 'string') candidates.add(o['sighting_of_ref']);
    for (const id of refs(o, 'object_refs')) candidates.add(id);
  }
  if (candidates.size === 0) return 0;
  const known = await state.query<{ id: string }>('SELECT id FROM share_indicators WHERE id = ANY($1::text[])', [[...candidates]]);
  const list = feedbackOf(objects, hubId, new Set(known.map((r) => r.id)));
  if (list.length === 0) return 0;
  const col = <T>(f: (x: Feedback) => T): T[] => list.map(f);
  const added = await state.query<{ object_id: string }>(
    `INSERT INTO share_feedback (object_id, version, indicator_id, kind, from_ref, opinion, count, negative)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::boolean[])
     ON CONFLICT (object_id, version) DO NOTHING RETURNING object_id`,
    [col((f) => f.objectId), col((f) => f.version), col((f) => f.indicatorId), col((f) => f.kind), col((f) => f.fromRef), col((f) => f.opinion), col((f) => f.count), col((f) => f.negative)],
  );
  return added.length;
}

export interface PeerFeedback { sightings: number; objections: number }

/**
 * Per indicator id: the peers' sightings (each sighting object once) and the weight of their
 * objections (strongly-disagree and false-positive notes 2, disagree 1), latest versions only.
 */
export async function peerFeedback(state: Pick<StateStore, 'query'>): Promise<Map<string, PeerFeedback>> {
  const rows = await state.query<{ indicator_id: string; sightings: number; objections: number }>(
    `SELECT indicator_id,
            count(*) FILTER (WHERE kind = 'sighting')::int AS sightings,
            coalesce(sum(CASE WHEN NOT negative THEN 0 WHEN opinion = 'disagree' THEN 1 ELSE 2 END), 0)::int AS objections
     FROM (SELECT DISTINCT ON (object_id, indicator_id) * FROM share_feedback ORDER BY object_id, indicator_id, version DESC) latest
     GROUP BY indicator_id`,
  );
  return new Map(rows.map((r) => [r.indicator_id, { sightings: r.sightings, objections: r.objections }]));
}
