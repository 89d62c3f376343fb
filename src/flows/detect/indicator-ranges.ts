/**
 * The address ranges named by indicators imported into the sharing hub (peers' indicators, not
 * the hub's own): the latest version of each indicator whose STIX pattern the hub's address
 * matcher reads (share/indicators/pattern-addresses.ts), as [start, end] in the IPv6 column's form.
 */
import type { StateStore } from '../../store/types.js';
import { addressBlocks } from '../../share/indicators/pattern-addresses.js';
import { cidrBounds } from '../../net/cidr.js';

export interface IndicatorRanges {
  readonly lo: string[];
  readonly hi: string[];
}

export async function importedIndicatorRanges(state: Pick<StateStore, 'query'>): Promise<IndicatorRanges> {
  const hub = await state.query<{ id: string }>('SELECT id FROM share_hub_identity');
  const rows = await state.query<{ body: string }>(
    `SELECT DISTINCT ON (stix_id) body FROM share_objects WHERE type = 'indicator' ORDER BY stix_id, version DESC`,
  );
  const own = hub[0]?.id;
  const lo: string[] = [];
  const hi: string[] = [];
  for (const r of rows) {
    let o: { pattern?: unknown; created_by_ref?: unknown; revoked?: unknown };
    try {
      o = JSON.parse(r.body) as typeof o;
    } catch {
      continue;
    }
    if (typeof o.pattern !== 'string' || o.revoked === true || (own !== undefined && o.created_by_ref === own)) continue;
    for (const t of addressBlocks(o.pattern) ?? []) {
      const [a, b] = cidrBounds(t.cidr);
      lo.push(a);
      hi.push(b);
    }
  }
  return { lo, hi };
}
