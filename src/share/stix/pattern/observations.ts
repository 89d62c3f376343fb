/**
 * Observations for `evaluate` from STIX observed-data (section 4.14): its time is
 * `first_observed`; its objects are the SCOs named in `object_refs` (found among the other
 * objects given) or, in the deprecated form, the `objects` dictionary, whose keys are the local
 * identifiers its references use. Section 9.7.4: only the SCOs listed in `object_refs` may be
 * followed; a reference to anything else is "not found".
 */
import { isRecord } from '../issues.js';
import { timestampMillis } from '../timestamps.js';
import type { PatternObservation } from './evaluate.js';

export function observationsFromStix(objects: readonly unknown[]): PatternObservation[] {
  const byId = new Map<string, Readonly<Record<string, unknown>>>();
  for (const o of objects) if (isRecord(o) && typeof o.id === 'string') byId.set(o.id, o);
  const out: PatternObservation[] = [];
  for (const o of objects) {
    if (!isRecord(o) || o.type !== 'observed-data' || typeof o.first_observed !== 'string') continue;
    const time = timestampMillis(o.first_observed);
    if (time === undefined) continue;
    if (Array.isArray(o.object_refs)) {
      const scos = o.object_refs.map((r) => (typeof r === 'string' ? byId.get(r) : undefined)).filter((x): x is Readonly<Record<string, unknown>> => x !== undefined);
      out.push({ time, objects: scos });
    } else if (isRecord(o.objects)) {
      // The local keys ("0", "1") are what the deprecated form's references hold.
      const scos = Object.entries(o.objects).filter((e): e is [string, Readonly<Record<string, unknown>>] => isRecord(e[1])).map(([key, sco]) => ({ ...sco, id: key }));
      out.push({ time, objects: scos });
    }
  }
  return out;
}
