/**
 * Honeypot events as one ClickHouse Native block: columns of bytes built straight from the rows,
 * so the store copies them instead of parsing 26 text fields per event (JSONEachRow cost about
 * 12 µs of CPU per event in chDB, most of the ingest). LowCardinality columns are sent as String
 * (the INSERT … SELECT converts them); a field a row leaves out is its column's default, as the
 * DDL says (`success` -1, addresses ::).
 */
import { ipBytes } from '../../net/ip.js';
import { HONEYPOT_EVENT_FIELDS, type HoneypotEventRow } from '../../schema/honeypot-event.js';
import { nativeChunks, type NativeColumn } from '../../ingest/native-block.js';

type Row = Readonly<Record<string, unknown>>;

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Microseconds since the epoch of an ISO 8601 time (no zone: UTC), to the microsecond. */
export function isoMicros(text: string): number {
  const m = ISO.exec(text);
  if (!m) {
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) throw new RangeError(`not a time: ${text.slice(0, 60)}`);
    return ms * 1000;
  }
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  let sec = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) / 1000;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    sec -= sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2, 4) || '0') * 60);
  }
  const micros = frac ? Number(frac.padEnd(6, '0').slice(0, 6)) : 0;
  return sec * 1e6 + micros;
}

function varintLength(v: number): number {
  let n = 1;
  while (v >= 0x80) { v = Math.floor(v / 128); n++; }
  return n;
}

function stringColumn(rows: readonly Row[], name: string): Uint8Array {
  const texts = new Array<string>(rows.length);
  const lengths = new Uint32Array(rows.length);
  let total = 0;
  for (let i = 0; i < rows.length; i++) {
    const v = rows[i]?.[name];
    const t = v === undefined || v === null ? '' : String(v);
    texts[i] = t;
    const n = t.length === 0 ? 0 : Buffer.byteLength(t);
    lengths[i] = n;
    total += varintLength(n) + n;
  }
  const out = Buffer.allocUnsafe(total);
  let o = 0;
  for (let i = 0; i < rows.length; i++) {
    let n = lengths[i] as number;
    const len = n;
    while (n >= 0x80) { out[o++] = (n & 0x7f) | 0x80; n = Math.floor(n / 128); }
    out[o++] = n;
    if (len) o += out.write(texts[i] as string, o, 'utf8');
  }
  return out;
}

function ipv6Column(rows: readonly Row[], name: string): Uint8Array {
  const out = new Uint8Array(rows.length * 16);
  const cache = new Map<string, Uint8Array>();
  for (let i = 0; i < rows.length; i++) {
    const v = rows[i]?.[name];
    if (typeof v !== 'string' || v === '') continue;
    let b = cache.get(v);
    if (!b) { b = ipBytes(v); cache.set(v, b); }
    out.set(b, i * 16);
  }
  return out;
}

function numberColumn(rows: readonly Row[], name: string, type: string): Uint8Array {
  const n = rows.length;
  const num = (i: number, d: number): number => { const v = rows[i]?.[name]; return typeof v === 'number' && Number.isFinite(v) ? v : d; };
  switch (type) {
    case 'UInt16': { const a = new Uint16Array(n); for (let i = 0; i < n; i++) a[i] = num(i, 0); return new Uint8Array(a.buffer); }
    case 'UInt32': { const a = new Uint32Array(n); for (let i = 0; i < n; i++) a[i] = num(i, 0); return new Uint8Array(a.buffer); }
    case 'Int8': { const a = new Int8Array(n); for (let i = 0; i < n; i++) a[i] = num(i, -1); return new Uint8Array(a.buffer); }
    case 'Float64': { const a = new Float64Array(n); for (let i = 0; i < n; i++) a[i] = num(i, 0); return new Uint8Array(a.buffer); }
    case 'UInt64': {
      const a = new Uint32Array(n * 2);
      for (let i = 0; i < n; i++) { const v = Math.max(0, Math.floor(num(i, 0))); const hi = Math.floor(v / 4294967296); a[i * 2] = v - hi * 4294967296; a[i * 2 + 1] = hi; }
      return new Uint8Array(a.buffer);
    }
    default: throw new Error(`honeypot event column ${name}: no Native encoder for ${type}`);
  }
}

/** Int64 microseconds (DateTime64(6)) or UInt32 seconds (DateTime) from ISO text. */
function timeColumn(rows: readonly Row[], name: string, micros: boolean): Uint8Array {
  const n = rows.length;
  if (!micros) {
    const a = new Uint32Array(n);
    for (let i = 0; i < n; i++) { const v = rows[i]?.[name]; a[i] = typeof v === 'string' ? Math.floor(isoMicros(v) / 1e6) : 0; }
    return new Uint8Array(a.buffer);
  }
  const a = new Int32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const v = rows[i]?.[name];
    const t = typeof v === 'string' ? isoMicros(v) : 0;
    const hi = Math.floor(t / 4294967296);
    a[i * 2] = (t - hi * 4294967296) | 0;
    a[i * 2 + 1] = hi;
  }
  return new Uint8Array(a.buffer);
}

const BLOCK_TYPE = (ch: string): string => (ch.startsWith('LowCardinality(') ? 'String' : ch);

/** `name Type, …` of the block (LowCardinality sent as String). */
export const NATIVE_STRUCTURE = HONEYPOT_EVENT_FIELDS.map((f) => `${f.name} ${BLOCK_TYPE(f.ch)}`).join(', ');

/** The chunks of one Native block holding the rows. */
export function nativeEventChunks(rows: readonly HoneypotEventRow[]): Uint8Array[] {
  const r = rows as unknown as readonly Row[];
  const columns: NativeColumn[] = HONEYPOT_EVENT_FIELDS.map((f) => {
    const type = BLOCK_TYPE(f.ch);
    let data: Uint8Array;
    if (type === 'String') data = stringColumn(r, f.name);
    else if (type === 'IPv6') data = ipv6Column(r, f.name);
    else if (type.startsWith('DateTime64')) data = timeColumn(r, f.name, true);
    else if (type.startsWith('DateTime')) data = timeColumn(r, f.name, false);
    else data = numberColumn(r, f.name, type);
    return { name: f.name, type, data: [data] };
  });
  return nativeChunks(rows.length, columns);
}
