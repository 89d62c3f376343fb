/**
 * On the way in: objects that an incoming object makes victims by reference (a sighting's
 * where_sighted_refs, a targets relationship, the observables of a victim's observed-data) are
 * remembered by id, so the identity a later sighting names is held back in every version already
 * stored and every version still to come. Whoever stores objects (the object store's putObjects,
 * imports) calls `noteVictimRefs` with each accepted batch.
 */
import type { StateStore } from '../../store/types.js';
import type { StixObject } from '../stix/types.js';
import { victimRefsOf } from './classify.js';

type Q = Pick<StateStore, 'query'>;

export async function knownVictimRefs(state: Q, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await state.query<{ object_id: string; because: string }>('SELECT object_id, because FROM share_victim_refs WHERE object_id = ANY ($1::text[])', [[...new Set(ids)]]);
  return new Map(rows.map((r) => [r.object_id, r.because]));
}

/** Records the victims `objects` point at; returns the ids newly recorded. */
export async function noteVictimRefs(state: Q, objects: readonly StixObject[], anonymous: ReadonlySet<string> = new Set()): Promise<string[]> {
  const known = await knownVictimRefs(state, objects.map((o) => o.id));
  const found = victimRefsOf(objects, known, anonymous);
  if (found.size === 0) return [];
  const rows = await state.query<{ object_id: string }>(
    'INSERT INTO share_victim_refs (object_id, because) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING RETURNING object_id',
    [[...found.keys()], [...found.values()]],
  );
  return rows.map((r) => r.object_id);
}
