/**
 * What the hub last published of each C&C candidate per collection (`flow_cnc_published`,
 * migration 023): the ids' creation time, the seen-window so far and the objects' content, so a
 * re-run makes a new version only when a consumer would see a difference, and a candidate
 * excluded later (a warning list, our own sensor) can be revoked.
 */
import type { StateStore } from '../../store/types.js';

type Q = Pick<StateStore, 'query'>;

export interface PublishedCandidate {
  /** The collection ('' when generated on its own). */
  readonly scope: string;
  /** The canonical `server|port|proto`. */
  readonly key: string;
  readonly indicatorId: string;
  readonly created: Date;
  readonly modified: Date;
  readonly firstSeen: Date;
  readonly lastSeen: Date;
  readonly confidence: number;
  readonly revoked: boolean;
  /** The published indicator and infrastructure without `modified` (JSON): what a consumer sees. */
  readonly content: string;
}

interface Row {
  collection_id: string; candidate: string; indicator_id: string; created: Date; modified: Date;
  first_seen: Date; last_seen: Date; confidence: number; revoked: boolean; content: string;
}

export async function loadPublished(state: Q, scope: string): Promise<Map<string, PublishedCandidate>> {
  const rows = await state.query<Row>(
    'SELECT collection_id, candidate, indicator_id, created, modified, first_seen, last_seen, confidence, revoked, content FROM flow_cnc_published WHERE collection_id = $1',
    [scope],
  );
  return new Map(rows.map((r) => [r.candidate, {
    scope: r.collection_id, key: r.candidate, indicatorId: r.indicator_id, created: new Date(r.created), modified: new Date(r.modified),
    firstSeen: new Date(r.first_seen), lastSeen: new Date(r.last_seen), confidence: r.confidence, revoked: r.revoked, content: r.content,
  }]));
}

export async function savePublished(state: Q, list: readonly PublishedCandidate[]): Promise<void> {
  if (list.length === 0) return;
  const col = <T>(f: (p: PublishedCandidate) => T): T[] => list.map(f);
  await state.query(
    `INSERT INTO flow_cnc_published (collection_id, candidate, indicator_id, created, modified, first_seen, last_seen, confidence, revoked, content)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[], $7::timestamptz[], $8::int[], $9::boolean[], $10::text[])
     ON CONFLICT (collection_id, candidate) DO UPDATE SET
       modified = EXCLUDED.modified, first_seen = EXCLUDED.first_seen, last_seen = EXCLUDED.last_seen,
       confidence = EXCLUDED.confidence, revoked = EXCLUDED.revoked, content = EXCLUDED.content`,
    [
      col((p) => p.scope), col((p) => p.key), col((p) => p.indicatorId), col((p) => p.created.toISOString()), col((p) => p.modified.toISOString()),
      col((p) => p.firstSeen.toISOString()), col((p) => p.lastSeen.toISOString()), col((p) => p.confidence), col((p) => p.revoked), col((p) => p.content),
    ],
  );
}
