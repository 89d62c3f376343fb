/**
 * The on-disk form of a layer, `<dataDir>/enrich/<kind>.bin`:
 *
 *   "SKENRCH1"  u32 LE header length  header JSON  zero padding to 4 bytes
 *   u32 arrays, little-endian: v4 starts, ends, values; v6 starts (4/range), ends (4/range),
 *   values; orgAsns; orgNames
 *
 * The header carries the counts and the string table. Loading is one read plus typed-array views
 * (no parsing per range), so even a City-sized table loads in milliseconds.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { SakimoriError } from '../errors.js';
import type { LayerKind, LayerTables } from './layer-tables.js';

const MAGIC = 'SKENRCH1';
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

interface LayerHeader {
  kind: LayerKind;
  v4: number;
  v6: number;
  orgs: number;
  strings: string[];
}

export function encodeLayer(t: LayerTables): Uint8Array {
  const header: LayerHeader = {
    kind: t.kind,
    v4: t.v4.values.length,
    v6: t.v6.values.length,
    orgs: t.orgAsns.length,
    strings: [...t.strings],
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const arrays = [t.v4.starts, t.v4.ends, t.v4.values, t.v6.starts, t.v6.ends, t.v6.values, t.orgAsns, t.orgNames];
  const headEnd = align4(MAGIC.length + 4 + json.length);
  const total = headEnd + arrays.reduce((sum, a) => sum + a.length * 4, 0);
  const out = Buffer.alloc(total);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(json.length, MAGIC.length);
  json.copy(out, MAGIC.length + 4);
  let at = headEnd;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++, at += 4) out.writeUInt32LE(a[i], at);
  }
  return out;
}

export function decodeLayer(bytes: Uint8Array, file: string): LayerTables {
  const bad = (detail: string): SakimoriError => new SakimoriError('ENRICH_BAD_FORMAT', detail, { file });
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 12 || buf.toString('latin1', 0, 8) !== MAGIC) throw bad('not a Sakimori enrichment table');
  const jsonLength = buf.readUInt32LE(8);
  if (12 + jsonLength > buf.length) throw bad('table header is truncated');
  let header: LayerHeader;
  try {
    header = JSON.parse(buf.toString('utf8', 12, 12 + jsonLength)) as LayerHeader;
  } catch {
    throw bad('table header is not JSON');
  }
  const counts = [header.v4, header.v4, header.v4, header.v6 * 4, header.v6 * 4, header.v6, header.orgs, header.orgs];
  if ((header.kind !== 'asn' && header.kind !== 'country') || !Array.isArray(header.strings) || counts.some((c) => !Number.isSafeInteger(c) || c < 0)) {
    throw bad('table header is invalid');
  }
  const headEnd = align4(12 + jsonLength);
  const needed = headEnd + counts.reduce((s, c) => s + c * 4, 0);
  if (needed !== buf.length) throw bad(`table size ${buf.length} does not match its header (${needed})`);
  // Typed-array views need 4-byte alignment and native byte order; copy only when not given.
  const aligned = buf.byteOffset % 4 === 0 && LITTLE_ENDIAN ? buf : copyToFreshBuffer(buf);
  let at = headEnd;
  const arrays = counts.map((c) => {
    const view = new Uint32Array(aligned.buffer, aligned.byteOffset + at, c);
    if (!LITTLE_ENDIAN) for (let i = 0; i < c; i++) view[i] = aligned.readUInt32LE(at + i * 4);
    at += c * 4;
    return view;
  });
  const [s4, e4, v4, s6, e6, v6, orgAsns, orgNames] = arrays;
  const strings = header.strings.map((s) => String(s));
  for (const v of header.kind === 'country' ? [v4, v6] : [orgNames]) {
    for (let i = 0; i < v.length; i++) if (v[i] >= strings.length) throw bad('string index out of range');
  }
  return {
    kind: header.kind,
    v4: { starts: s4, ends: e4, values: v4 },
    v6: { starts: s6, ends: e6, values: v6 },
    strings,
    orgAsns,
    orgNames,
  };
}

/** Reads a layer file; null when it does not exist. */
export async function readLayerFile(path: string): Promise<LayerTables | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  return decodeLayer(bytes, path);
}

/** Writes to a temporary name then renames, so readers see the old table or the new one. */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

function copyToFreshBuffer(b: Buffer): Buffer {
  const copy = Buffer.from(new ArrayBuffer(b.length));
  b.copy(copy);
  return copy;
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
