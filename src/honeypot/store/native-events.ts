/**
 * Honeypot events as one ClickHouse Native block: columns of bytes built straight from the rows,
 * so the store copies them instead of parsing 26 text fields per event (JSONEachRow cost about
 * 12 µs of CPU per event in chDB, most of the ingest). LowCardinality columns are sent as String
 * (the INSERT … SELECT converts them); a field a row leaves out is its column's default, as the
 * DDL says (`success` -1, addresses ::).
 *
 * One pass over the rows, reading each row's fields by name into 26 column builders: rows come in
 * a dozen shapes (each kind sets other fields), and reading them a column at a time by a computed
 * name cost a microsecond per row, a tenth of the ingest's budget (bench/honeypot-ingest.ts).
 */
import { ipBytes } from '../../net/ip.js';
import { isoMicrosFast } from '../../util/iso-time.js';
import { HONEYPOT_EVENT_FIELDS, type HoneypotEventRow } from '../../schema/honeypot-event.js';
import { nativeChunks, type NativeColumn } from '../../ingest/native-block.js';

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Microseconds since the epoch of an ISO 8601 time (no zone: UTC), to the microsecond. */
export function isoMicros(text: string): number {
  const fast = isoMicrosFast(text);
  if (fast === fast) return fast;
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

/** A String column being written: per value its UTF-8 length (varint) and bytes. */
class StringColumn {
  private buf: Buffer;
  private o = 0;

  constructor(rows: number, perRow: number) {
    this.buf = Buffer.allocUnsafe(rows * perRow + 4096);
  }

  /**
   * Most values are short ASCII (kinds, session ids, user names): copied a character at a time,
   * which costs less than a Buffer.write call each; anything else goes through Buffer.write.
   */
  add(v: string | undefined): void {
    if (v === undefined || v === '') {
      if (this.o + 1 > this.buf.length) this.grow(1);
      this.buf[this.o++] = 0;
      return;
    }
    const len = v.length;
    if (this.o + len * 3 + 5 > this.buf.length) this.grow(len * 3 + 5);
    const out = this.buf;
    let o = this.o;
    if (len < 43) {
      // Up to 42 characters are at most 126 bytes: a one-byte length, written once they are.
      let k = 0;
      for (; k < len; k++) {
        const ch = v.charCodeAt(k);
        if (ch >= 0x80) break;
        out[o + 1 + k] = ch;
      }
      const n = k === len ? len : out.write(v, o + 1, 'utf8');
      out[o] = n;
      this.o = o + 1 + n;
      return;
    }
    let n = Buffer.byteLength(v);
    while (n >= 0x80) { out[o++] = (n & 0x7f) | 0x80; n = Math.floor(n / 128); }
    out[o++] = n;
    this.o = o + out.write(v, o, 'utf8');
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.o);
  }

  private grow(need: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.o + need));
    this.buf.copy(next, 0, 0, this.o);
    this.buf = next;
  }
}

/** An IPv6 column: 16 bytes per row, from address text (zeros, i.e. ::, when none). */
class AddressColumn {
  readonly out: Uint8Array;
  private readonly cache = new Map<string, Uint8Array>();
  // One session's events come together: the address of the row before is the likeliest.
  private prev = '';
  private prevBytes: Uint8Array | undefined;

  constructor(rows: number) {
    this.out = new Uint8Array(rows * 16);
  }

  /** The address's 16 bytes (also stored at row i). */
  set(i: number, v: string | undefined): Uint8Array | undefined {
    if (v === undefined || v === '') return undefined;
    let b = v === this.prev ? this.prevBytes : this.cache.get(v);
    if (!b) { b = ipBytes(v); this.cache.set(v, b); }
    this.prev = v;
    this.prevBytes = b;
    this.out.set(b, i * 16);
    return b;
  }
}

/** What a block's rows leave out and the writer fills: the time of storing, AS and country by address. */
export interface BlockDefaults {
  /** ISO time of storing for rows without stored_at. */
  readonly storedAt: string;
  /** AS and country of a source address (16 bytes), for rows without src_asn / src_country. */
  readonly enrich?: (src: Uint8Array) => { asn: number; country: string };
}

const TWO32 = 4294967296;

/** The block's columns from the rows, by field name. */
function encodeColumns(rows: readonly HoneypotEventRow[], defaults: BlockDefaults): { data: Record<keyof HoneypotEventRow, Uint8Array>; success: Int8Array } {
  const n = rows.length;
  const storedAt = new Uint32Array(n);
  const ts = new Int32Array(n * 2);
  const honeypot = new StringColumn(n, 8);
  const sensor = new StringColumn(n, 8);
  const session = new StringColumn(n, 16);
  const kind = new StringColumn(n, 12);
  const proto = new StringColumn(n, 6);
  const src = new AddressColumn(n);
  const srcPort = new Uint16Array(n);
  const dst = new AddressColumn(n);
  const dstPort = new Uint16Array(n);
  const srcAsn = new Uint32Array(n);
  const srcCountry = new StringColumn(n, 3);
  const username = new StringColumn(n, 4);
  const password = new StringColumn(n, 4);
  const success = new Int8Array(n);
  const input = new StringColumn(n, 8);
  const url = new StringColumn(n, 2);
  const urlHost = new StringColumn(n, 2);
  const sha256 = new StringColumn(n, 2);
  const size = new Uint32Array(n * 2);
  const target = new StringColumn(n, 1);
  const client = new StringColumn(n, 4);
  const fingerprint = new StringColumn(n, 4);
  const duration = new Float64Array(n);
  const detail = new StringColumn(n, 16);
  const enriched = new Map<Uint8Array, { asn: number; country: string }>();
  let storedText = '';
  let storedSeconds = 0;
  const num = (v: number | undefined, d: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : d);
  for (let i = 0; i < n; i++) {
    const r = rows[i] as HoneypotEventRow;
    const st = r.stored_at ?? defaults.storedAt;
    // stored_at: one value for a whole block, read once.
    if (st !== storedText) { storedText = st; storedSeconds = Math.floor(isoMicros(st) / 1e6); }
    storedAt[i] = storedSeconds;
    const t = isoMicros(r.ts);
    const hi = Math.floor(t / TWO32);
    ts[i * 2] = (t - hi * TWO32) | 0;
    ts[i * 2 + 1] = hi;
    honeypot.add(r.honeypot);
    sensor.add(r.sensor);
    session.add(r.session);
    kind.add(r.kind);
    proto.add(r.proto);
    const sb = src.set(i, r.src);
    srcPort[i] = num(r.src_port, 0);
    dst.set(i, r.dst);
    dstPort[i] = num(r.dst_port, 0);
    let asn = num(r.src_asn, 0);
    let country = r.src_country;
    if (defaults.enrich && sb && (!asn || !country)) {
      let e = enriched.get(sb);
      if (!e) { e = defaults.enrich(sb); enriched.set(sb, e); }
      if (!asn) asn = e.asn;
      if (!country) country = e.country;
    }
    srcAsn[i] = asn;
    srcCountry.add(country);
    username.add(r.username);
    password.add(r.password);
    // The staged block's structure has no defaults: its 0 would read as "failed".
    success[i] = num(r.success, -1);
    input.add(r.input);
    url.add(r.url);
    urlHost.add(r.url_host);
    sha256.add(r.sha256);
    const z = Math.max(0, Math.floor(num(r.size, 0)));
    const zhi = Math.floor(z / TWO32);
    size[i * 2] = z - zhi * TWO32;
    size[i * 2 + 1] = zhi;
    target.add(r.target);
    client.add(r.client);
    fingerprint.add(r.fingerprint);
    duration[i] = num(r.duration, 0);
    detail.add(r.detail);
  }
  const b = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const data = {
    stored_at: b(storedAt), ts: b(ts), honeypot: honeypot.bytes(), sensor: sensor.bytes(), session: session.bytes(), kind: kind.bytes(),
    proto: proto.bytes(), src: src.out, src_port: b(srcPort), dst: dst.out, dst_port: b(dstPort), src_asn: b(srcAsn),
    src_country: srcCountry.bytes(), username: username.bytes(), password: password.bytes(), success: b(success), input: input.bytes(),
    url: url.bytes(), url_host: urlHost.bytes(), sha256: sha256.bytes(), size: b(size), target: target.bytes(), client: client.bytes(),
    fingerprint: fingerprint.bytes(), duration: b(duration), detail: detail.bytes(),
  };
  return { data, success };
}

const BLOCK_TYPE = (ch: string): string => (ch.startsWith('LowCardinality(') ? 'String' : ch);

/** The type each column is encoded as above; checked against the schema when this module loads. */
const ENCODED_AS: Readonly<Record<keyof HoneypotEventRow, string>> = {
  stored_at: "DateTime('UTC')", ts: "DateTime64(6, 'UTC')", honeypot: 'String', sensor: 'String', session: 'String', kind: 'String', proto: 'String',
  src: 'IPv6', src_port: 'UInt16', dst: 'IPv6', dst_port: 'UInt16', src_asn: 'UInt32', src_country: 'String', username: 'String',
  password: 'String', success: 'Int8', input: 'String', url: 'String', url_host: 'String', sha256: 'String', size: 'UInt64',
  target: 'String', client: 'String', fingerprint: 'String', duration: 'Float64', detail: 'String',
};
for (const f of HONEYPOT_EVENT_FIELDS) {
  const as = (ENCODED_AS as Readonly<Record<string, string>>)[f.name];
  if (as !== BLOCK_TYPE(f.ch)) throw new Error(`honeypot event column ${f.name}: the Native encoder writes ${as ?? 'nothing'}, the schema says ${f.ch}`);
}
if (Object.keys(ENCODED_AS).length !== HONEYPOT_EVENT_FIELDS.length) throw new Error('honeypot event columns: the Native encoder and the schema list different fields');

/** `name Type, …` of the block (LowCardinality sent as String). */
export const NATIVE_STRUCTURE = HONEYPOT_EVENT_FIELDS.map((f) => `${f.name} ${BLOCK_TYPE(f.ch)}`).join(', ');

/**
 * One Native block holding the rows, in the schema's column order. `success` is the block's own
 * success column: a login or command's outcome learnt after the block was made (Cowrie logs it as
 * the next event) is set there.
 */
export interface NativeEventBlock {
  readonly chunks: Uint8Array[];
  readonly rows: number;
  readonly success: Int8Array;
}

export function nativeEventBlock(rows: readonly HoneypotEventRow[], defaults: BlockDefaults): NativeEventBlock {
  const { data, success } = encodeColumns(rows, defaults);
  const byName = data as Readonly<Record<string, Uint8Array>>;
  const columns: NativeColumn[] = HONEYPOT_EVENT_FIELDS.map((f) => ({ name: f.name, type: BLOCK_TYPE(f.ch), data: [byName[f.name] as Uint8Array] }));
  return { chunks: nativeChunks(rows.length, columns), rows: rows.length, success };
}
