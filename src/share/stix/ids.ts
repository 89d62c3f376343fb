/**
 * STIX 2.1 identifiers (section 2.9): `object-type--UUID`. SDOs, SROs and meta-objects get a
 * random UUIDv4; SCOs a UUIDv5 in the STIX namespace of the RFC 8785 text of their
 * "ID Contributing Properties" (section 3.4 and each SCO's table), so that every producer names
 * the same observable alike and a hub deduplicates them.
 */
import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson } from './jcs.js';
import type { JsonValue } from './types.js';

export const SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

/**
 * Type names (section 3.1): lowercase ASCII letters, digits and hyphens, starting with a letter,
 * 3 to 250 characters; custom and extension names follow the same rule.
 */
const TYPE_NAME = /^[a-z][a-z0-9-]{1,248}[a-z0-9]$/;
/** RFC 4122: version nibble 1–5 and the RFC 4122 variant (10xx); hex digits are "case insensitive on input" (RFC 4122 section 3). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export function isTypeName(s: string): boolean {
  return TYPE_NAME.test(s) && !s.includes('--');
}

export interface ParsedId { readonly type: string; readonly uuid: string }

/** Splits an identifier, or says why it is not one. */
export function parseId(id: string): ParsedId | string {
  const at = id.indexOf('--');
  if (at < 0) return `"${id}" is not an identifier (type--UUID)`;
  const type = id.slice(0, at);
  const uuid = id.slice(at + 2);
  if (!isTypeName(type)) return `"${type}" is not a STIX type name (lowercase a-z, 0-9, '-', 3-250 characters, starting with a letter)`;
  if (!UUID.test(uuid)) return `"${uuid}" is not an RFC 4122 UUID (hex, version 1-5, variant 10xx)`;
  return { type, uuid };
}

export function isId(id: string, type?: string): boolean {
  const p = parseId(id);
  return typeof p !== 'string' && (type === undefined || p.type === type);
}

export function idType(id: string): string | undefined {
  const p = parseId(id);
  return typeof p === 'string' ? undefined : p.type;
}

export function newId(type: string): string {
  return `${type}--${randomUUID()}`;
}

/** RFC 4122 section 4.3: SHA-1 of namespace bytes then name, version 5, RFC 4122 variant. */
export function uuidV5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = createHash('sha1').update(ns).update(name, 'utf8').digest();
  h[6] = ((h[6] as number) & 0x0f) | 0x50;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** Each SCO type's ID Contributing Properties, as its table in section 6 names them. */
export const ID_CONTRIBUTING: Readonly<Record<string, readonly string[]>> = {
  artifact: ['hashes', 'payload_bin'],
  'autonomous-system': ['number'],
  directory: ['path'],
  'domain-name': ['value'],
  'email-addr': ['value'],
  'email-message': ['from_ref', 'subject', 'body'],
  file: ['hashes', 'name', 'extensions', 'parent_directory_ref'],
  'ipv4-addr': ['value'],
  'ipv6-addr': ['value'],
  'mac-addr': ['value'],
  mutex: ['name'],
  'network-traffic': ['start', 'end', 'src_ref', 'dst_ref', 'src_port', 'dst_port', 'protocols', 'extensions'],
  process: [],
  software: ['name', 'cpe', 'swid', 'vendor', 'version'],
  url: ['value'],
  'user-account': ['account_type', 'user_id', 'account_login'],
  'windows-registry-key': ['key', 'values'],
  'x509-certificate': ['hashes', 'serial_number'],
};

/** "include only one hash … from this ordered list [MD5, SHA-1, SHA-256, SHA-512]". */
const HASH_PREFERENCE = ['MD5', 'SHA-1', 'SHA-256', 'SHA-512'];

function oneHash(hashes: JsonValue): JsonValue {
  if (hashes === null || typeof hashes !== 'object' || Array.isArray(hashes)) return hashes;
  const h = hashes as Readonly<Record<string, JsonValue>>;
  const keys = Object.keys(h);
  // A hash outside the list is used only when none of the list is there; then the first by
  // canonical (sorted) name, so the choice does not depend on the producer's member order.
  const pick = HASH_PREFERENCE.find((k) => k in h) ?? [...keys].sort()[0];
  return pick === undefined ? {} : { [pick]: h[pick] as JsonValue };
}

/**
 * The id of an SCO from its properties: UUIDv5 of the JCS text of the contributing properties
 * present (a `_ref` contributes the identifier it holds, as written). When the type names none,
 * or none is present, a UUIDv4 (section 2.9: "then a UUIDv4 MUST be used"). A type outside the
 * spec's SCOs has no contributing properties we know of, so it gets a UUIDv4 too.
 */
export function scoId(type: string, properties: Readonly<Record<string, JsonValue | undefined>>): string {
  const names = ID_CONTRIBUTING[type] ?? [];
  const picked: Record<string, JsonValue> = {};
  for (const n of names) {
    const v = properties[n];
    if (v === undefined) continue;
    picked[n] = n === 'hashes' ? oneHash(v) : v;
  }
  if (Object.keys(picked).length === 0) return newId(type);
  return `${type}--${uuidV5(SCO_NAMESPACE, canonicalJson(picked))}`;
}

/** Whether an SCO's id is the one its contributing properties give (false when a UUIDv4 is due). */
export function isDeterministicScoId(o: Readonly<Record<string, JsonValue | undefined>> & { readonly type: string; readonly id: string }): boolean {
  const expected = scoId(o.type, o);
  const p = parseId(expected);
  return typeof p !== 'string' && p.uuid[14] === '5' && expected === o.id;
}
