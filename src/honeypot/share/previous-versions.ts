/**
 * What a collection already holds of the honeypot indicators about to be published: the last
 * version of each id, read from the hub's object store itself (no state of its own), so a
 * re-publish makes a new version only when something a consumer sees changed.
 */
import type { StateStore } from '../../store/types.js';
import { readObjects } from '../../share/taxii/object-store.js';

export interface PreviousVersion {
  readonly created: Date;
  readonly modified: Date;
  readonly validFrom: Date;
  readonly validUntil: Date | null;
  readonly confidence: number;
  readonly revoked: boolean;
  /** The stored body, to compare with a new version. */
  readonly body: Readonly<Record<string, unknown>>;
}

const CHUNK = 1000;

export async function previousVersions(state: Pick<StateStore, 'query'>, collectionId: string, ids: readonly string[]): Promise<Map<string, PreviousVersion>> {
  const out = new Map<string, PreviousVersion>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const page = await readObjects(state, collectionId, { ids: chunk, versions: ['last'], types: ['indicator'], limit: chunk.length });
    for (const o of page.objects) {
      const b = JSON.parse(o.body) as Record<string, unknown>;
      const date = (k: string): Date | null => (typeof b[k] === 'string' ? new Date(b[k]) : null);
      out.set(o.id, {
        created: date('created') ?? new Date(o.version), modified: date('modified') ?? new Date(o.version),
        validFrom: date('valid_from') ?? new Date(o.version), validUntil: date('valid_until'),
        confidence: typeof b['confidence'] === 'number' ? b['confidence'] : 0, revoked: b['revoked'] === true, body: b,
      });
    }
  }
  return out;
}
