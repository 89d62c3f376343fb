/**
 * When the shared indicators naming an address were valid from, for its timeline: the version the
 * viewer was given (host-indicators.ts decides which, under the sharing policy) says nothing of
 * time, so the dates are read for those ids only — the first time the hub stored the indicator
 * and the `valid_from` of its newest version.
 */
import type { StateStore } from '../../store/types.js';

export interface IndicatorDates {
  /** When the hub first stored it (ISO 8601). */
  added: string;
  /** Its newest version's valid_from, or `added` when it has none. */
  validFrom: string;
}

export async function indicatorDates(state: Pick<StateStore, 'query'>, refs: readonly { id: string; collection: string }[]): Promise<Map<string, IndicatorDates>> {
  const out = new Map<string, IndicatorDates>();
  if (refs.length === 0) return out;
  const rows = await state.query<{ collection_id: string; stix_id: string; added: Date; body: string }>(
    `SELECT DISTINCT ON (collection_id, stix_id) collection_id::text AS collection_id, stix_id,
            min(date_added) OVER (PARTITION BY collection_id, stix_id) AS added, body
     FROM share_objects WHERE collection_id = ANY ($1::uuid[]) AND stix_id = ANY ($2::text[])
     ORDER BY collection_id, stix_id, version DESC`,
    [[...new Set(refs.map((r) => r.collection))], [...new Set(refs.map((r) => r.id))]],
  );
  for (const r of rows) {
    const added = new Date(r.added).toISOString();
    out.set(`${r.collection_id}|${r.stix_id}`, { added, validFrom: validFromOf(r.body) ?? added });
  }
  return out;
}

function validFromOf(body: string): string | undefined {
  try {
    const v = (JSON.parse(body) as Record<string, unknown>)['valid_from'];
    if (typeof v !== 'string') return undefined;
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : new Date(t).toISOString();
  } catch {
    return undefined;
  }
}
