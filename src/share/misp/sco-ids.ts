/**
 * Deterministic ids of the few SCOs MISP attributes become (STIX 2.1 section 2.9: UUIDv5 of the
 * JCS-canonical id-contributing properties under the STIX namespace). The hub's general
 * `scoId` belongs to stix/ids.ts (branch i16-stix); this covers only flat values and hashes,
 * whose canonical form is plain sorted-key JSON, and is to give way to that one once merged.
 */
import { createHash } from 'node:crypto';

const STIX_NAMESPACE = Buffer.from('00abedb4aa42466c9c01fed23315a9b7', 'hex');

type Canon = string | number | readonly Canon[] | { readonly [k: string]: Canon };

/** RFC 8785 for strings, integers, arrays and objects (no floats or literals needed here). */
function canonical(v: Canon): string {
  if (typeof v === 'string' || typeof v === 'number') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${(v as readonly Canon[]).map(canonical).join(',')}]`;
  const o = v as { readonly [k: string]: Canon };
  // JCS sorts by UTF-16 code units, which is what the default sort compares.
  return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k] as Canon)}`).join(',')}}`;
}

export function uuidV5(namespace: Uint8Array, name: string): string {
  const h = createHash('sha1').update(namespace).update(name, 'utf8').digest();
  h[6] = ((h[6] as number) & 0x0f) | 0x50;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export function scoIdOf(type: string, idContributing: { readonly [k: string]: Canon }): string {
  return `${type}--${uuidV5(STIX_NAMESPACE, canonical(idContributing))}`;
}
