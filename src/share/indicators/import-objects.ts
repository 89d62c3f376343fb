/**
 * `share import FILE --collection ID`: a STIX bundle (or one object) or a MISP event, stored in
 * a collection through the object store. A MISP event is converted by the MISP part
 * (`mispToStix`); objects that fail are reported one by one and the rest stored. Feedback on
 * the hub's own indicators among them (peers' sightings, opinions, notes) is recorded.
 */
import type { Principal } from '../../auth/principal.js';
import type { StateStore } from '../../store/types.js';
import { SakimoriError } from '../../errors.js';
import { writableCollection } from '../taxii/collections.js';
import { putObjects } from '../taxii/object-store.js';
import { mispToStix } from '../misp/misp-to-stix.js';
import type { StixObject } from '../stix/types.js';
import { recordFeedback } from './feedback.js';
import { hubIdentity } from './hub-identity.js';

export interface ImportResult {
  readonly collection: { id: string; title: string };
  readonly format: 'stix' | 'misp';
  readonly objects: number;
  readonly stored: number;
  readonly failures: { id: string; message: string }[];
  /** What could not be converted (a MISP attribute and why), with where it is. */
  readonly issues: { path: string; message: string }[];
  /** Peers' feedback on our indicators that was new. */
  readonly feedback: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A MISP event: `{"Event": {…}}` or the event itself (MISP's own exports use both). */
function isMispEvent(doc: Record<string, unknown>): boolean {
  return isRecord(doc['Event']) || (doc['type'] === undefined && ('Attribute' in doc || 'info' in doc || 'uuid' in doc));
}

export function readImport(text: string, hubId: string): { format: 'stix' | 'misp'; objects: unknown[]; issues: { path: string; message: string }[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new SakimoriError('BAD_REQUEST', `the file is not JSON: ${(e as Error).message}`, { field: 'file' });
  }
  if (!isRecord(doc)) throw new SakimoriError('BAD_REQUEST', 'expected a STIX bundle, a STIX object or a MISP event (a JSON object)', { field: 'file' });
  if (doc['type'] === 'bundle') {
    if (!Array.isArray(doc['objects'])) throw new SakimoriError('BAD_REQUEST', 'the bundle has no "objects" array', { field: 'objects' });
    return { format: 'stix', objects: doc['objects'], issues: [] };
  }
  if (typeof doc['type'] === 'string' && typeof doc['id'] === 'string') return { format: 'stix', objects: [doc], issues: [] };
  if (isMispEvent(doc)) {
    const m = mispToStix(doc, { createdByRef: hubId });
    return { format: 'misp', objects: m.objects, issues: m.issues.map((i) => ({ path: i.path, message: i.message })) };
  }
  throw new SakimoriError('BAD_REQUEST', 'expected a STIX bundle, a STIX object or a MISP event', { field: 'file' });
}

export async function importObjects(state: StateStore, who: Pick<Principal, 'userId' | 'orgId' | 'role' | 'scopes'>, collectionRef: string, text: string): Promise<ImportResult> {
  const collection = await writableCollection(state, collectionRef, who);
  const hub = await hubIdentity(state);
  const { format, objects, issues } = readImport(text, hub.id);
  const r = await putObjects(state, collection.id, objects, { userId: who.userId, orgId: who.orgId });
  const ok = new Set(r.successes.map((s) => `${s.id} ${s.version}`));
  const stored = objects.filter((o): o is StixObject => isRecord(o) && typeof o['id'] === 'string'
    && ok.has(`${String(o['id'])} ${String(o['modified'] ?? o['created'] ?? '')}`));
  const feedback = await recordFeedback(state, stored, hub.id);
  return {
    collection: { id: collection.id, title: collection.title }, format, objects: objects.length,
    stored: r.successes.length, failures: r.failures, issues, feedback,
  };
}
