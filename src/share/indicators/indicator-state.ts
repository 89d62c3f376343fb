/**
 * What the hub knows of each indicator it publishes (state migration 019, `share_indicators`):
 * the next version is computed from this row and the new observations, and a version is made
 * only when something a consumer sees changed.
 */
import type { StateStore } from '../../store/types.js';
import type { Tlp } from '../stix/tlp.js';
import type { DecayKind } from './decay.js';

export interface IndicatorState {
  /** The collection it is published in ('' for indicators generated on their own). */
  readonly scope: string;
  readonly value: string;
  readonly id: string;
  readonly kind: DecayKind;
  readonly created: Date;
  readonly modified: Date;
  readonly firstSeen: Date;
  readonly lastSeen: Date;
  readonly daysSeen: number;
  readonly packets: number;
  readonly cls: string;
  readonly tags: readonly string[];
  /** From our own evidence (tag posteriors, days seen), before peers' feedback. */
  readonly baseConfidence: number;
  readonly peerSightings: number;
  /** Weight of peers' objections (disagree 1, strongly-disagree or a false-positive note 2). */
  readonly peerObjections: number;
  /** What the indicator is published with: the base with peers' feedback applied. */
  readonly confidence: number;
  readonly validUntil: Date | null;
  readonly revoked: boolean;
  readonly tlp: Tlp;
}

interface Row {
  collection_id: string; value: string; id: string; kind: DecayKind; created: Date; modified: Date; first_seen: Date; last_seen: Date;
  days_seen: number; packets: string | number; class: string; tags: string[]; base_confidence: number;
  peer_sightings: number; peer_objections: number; confidence: number; valid_until: Date | null; revoked: boolean; tlp: Tlp;
}

const COLUMNS = 'collection_id, value, id, kind, created, modified, first_seen, last_seen, days_seen, packets, class, tags, base_confidence, peer_sightings, peer_objections, confidence, valid_until, revoked, tlp';

function fromRow(r: Row): IndicatorState {
  return {
    scope: r.collection_id, value: r.value, id: r.id, kind: r.kind, created: new Date(r.created), modified: new Date(r.modified),
    firstSeen: new Date(r.first_seen), lastSeen: new Date(r.last_seen), daysSeen: r.days_seen, packets: Number(r.packets),
    cls: r.class, tags: r.tags, baseConfidence: r.base_confidence, peerSightings: r.peer_sightings,
    peerObjections: r.peer_objections, confidence: r.confidence, validUntil: r.valid_until === null ? null : new Date(r.valid_until),
    revoked: r.revoked, tlp: r.tlp,
  };
}

/** Every indicator of a collection, by value. */
export async function loadIndicators(state: Pick<StateStore, 'query'>, scope: string): Promise<Map<string, IndicatorState>> {
  const rows = await state.query<Row>(`SELECT ${COLUMNS} FROM share_indicators WHERE collection_id = $1`, [scope]);
  return new Map(rows.map((r) => [r.value, fromRow(r)]));
}

export async function indicatorsByIds(state: Pick<StateStore, 'query'>, ids: readonly string[]): Promise<IndicatorState[]> {
  if (ids.length === 0) return [];
  const rows = await state.query<Row>(`SELECT ${COLUMNS} FROM share_indicators WHERE id = ANY($1::text[])`, [ids]);
  return rows.map(fromRow);
}

const BATCH = 5000;

/** Writes new and changed indicators, a few thousand rows per statement (one round trip each). */
export async function saveIndicators(state: Pick<StateStore, 'transaction'>, list: readonly IndicatorState[]): Promise<void> {
  const text = (d: Date | null): string | null => (d === null ? null : d.toISOString());
  for (let i = 0; i < list.length; i += BATCH) {
    const b = list.slice(i, i + BATCH);
    // Staged by COPY: nineteen array parameters cost PGlite more than the upsert itself.
    await state.transaction(async (tx) => {
      await tx.exec(`CREATE TEMP TABLE IF NOT EXISTS share_indicator_stage (sc text, v text, id text, k text, c text, m text, fs text, ls text, d text, p text,
        cl text, t text, bc text, ps text, po text, cf text, vu text, r text, tlp text) ON COMMIT DELETE ROWS`);
      await tx.copyRows('share_indicator_stage', ['sc', 'v', 'id', 'k', 'c', 'm', 'fs', 'ls', 'd', 'p', 'cl', 't', 'bc', 'ps', 'po', 'cf', 'vu', 'r', 'tlp'], b.map((s) => [
        s.scope, s.value, s.id, s.kind, text(s.created), text(s.modified), text(s.firstSeen), text(s.lastSeen), String(s.daysSeen), String(s.packets),
        s.cls, s.tags.join(','), String(s.baseConfidence), String(s.peerSightings), String(s.peerObjections), String(s.confidence), text(s.validUntil), String(s.revoked), s.tlp,
      ]));
      await tx.query(
        `INSERT INTO share_indicators (${COLUMNS})
         SELECT sc, v, id, k, c::timestamptz, m::timestamptz, fs::timestamptz, ls::timestamptz, d::int, p::bigint, cl, string_to_array(t, ','),
                bc::int, ps::int, po::int, cf::int, vu::timestamptz, r::boolean, tlp
         FROM share_indicator_stage
         ON CONFLICT (collection_id, value) DO UPDATE SET
           modified = EXCLUDED.modified, first_seen = EXCLUDED.first_seen, last_seen = EXCLUDED.last_seen,
           days_seen = EXCLUDED.days_seen, packets = EXCLUDED.packets, class = EXCLUDED.class, tags = EXCLUDED.tags,
           base_confidence = EXCLUDED.base_confidence, peer_sightings = EXCLUDED.peer_sightings,
           peer_objections = EXCLUDED.peer_objections, confidence = EXCLUDED.confidence,
           valid_until = EXCLUDED.valid_until, revoked = EXCLUDED.revoked, tlp = EXCLUDED.tlp`,
      );
    });
  }
}
