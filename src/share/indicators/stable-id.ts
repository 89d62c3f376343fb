/**
 * Stable STIX ids for what the hub generates: a UUIDv5 (RFC 9562 section 5.5: SHA-1 of the
 * namespace's 16 bytes and the name) of a name that says what the object is about, so the next
 * run names the same indicator by the same id and publishes a new version of it, not a duplicate.
 */
import { createHash } from 'node:crypto';

/** Our namespace for generated ids (a fixed random UUID, not STIX's SCO namespace). */
export const SAKIMORI_NAMESPACE = '6d1f3b0e-8c47-4a52-9e1d-2b7c5f0a9e34';

const NS_BYTES = Buffer.from(SAKIMORI_NAMESPACE.replace(/-/g, ''), 'hex');

export function uuidV5(name: string, namespace: Buffer = NS_BYTES): string {
  const h = createHash('sha1').update(namespace).update(name, 'utf8').digest();
  h[6] = ((h[6] as number) & 0x0f) | 0x50;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** `type--uuidv5(hub|type|key)`: the same hub, type and key give the same id. */
export function stableId(type: string, hubId: string, key: string): string {
  return `${type}--${uuidV5(`${hubId}|${type}|${key}`)}`;
}
