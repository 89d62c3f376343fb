/**
 * Port-only service rows as RowBinary: the bytes ClickHouse reads without parsing text. A row is
 * its time, its address (16 bytes), its port, then a tail — transport, source, run_id, status,
 * service, asn, org, country — that repeats from row to row and is encoded once per distinct
 * combination. The two array columns are sent (empty) rather than left to their defaults: filling
 * an Array(LowCardinality(String)) default cost the store as much as the rest of the row.
 */
import type { IpEnricher } from '../enrich/index.js';
import { parseIPv4, parseIPv6, writeIPv6Bytes } from '../net/ip.js';
import { SERVICE_FIELDS, type ServiceFinding, type ServiceRow } from '../schema/service-observation.js';
import { SakimoriError } from '../errors.js';

/**
 * The service columns a port-only row carries after its time, in the order `encode` writes them;
 * the other columns take their defaults. Which columns, and their order, are the encoder's byte
 * layout; their types come from the service registry.
 */
const NARROW_COLUMNS: readonly (keyof ServiceRow)[] = ['ip', 'port', 'transport', 'source', 'run_id', 'status', 'service', 'asn', 'org', 'country', 'cve_evidence', 'tags'];

/** A registry column as the file declares it: RowBinary writes a LowCardinality(T) as a T. */
function fileColumn(name: keyof ServiceRow): string {
  const field = SERVICE_FIELDS.find((f) => f.name === name);
  if (field === undefined) throw new Error(`narrow rows: ${name} is not a service column`);
  return `${name} ${/^LowCardinality\((.*)\)$/.exec(field.ch)?.[1] ?? field.ch}`;
}

/** The file's columns; time is milliseconds, or text when a row carries its time as text. */
export const NARROW_ROW_STRUCTURE = ['time_ms Int64', 'time_text String', ...NARROW_COLUMNS.map(fileColumn)].join(', ');

/** The values for `INSERT INTO services (NARROW_TARGET_COLUMNS)`, in that order. */
export const NARROW_SELECT = [
  "if(time_text = '', fromUnixTimestamp64Milli(time_ms, 'UTC'), parseDateTime64BestEffort(time_text, 3, 'UTC'))",
  ...NARROW_COLUMNS,
].join(', ');
export const NARROW_TARGET_COLUMNS = ['time', ...NARROW_COLUMNS].join(', ');

export interface NarrowBlock {
  /** Valid until the encoder's next `encode`. */
  bytes: Uint8Array;
  rows: number;
  /** No two rows share (ip, port, transport): the current view has nothing to collapse in it. */
  uniqueKeys: boolean;
}

const te = new TextEncoder();

/** A string as RowBinary: LEB128 length, UTF-8 bytes. */
function pushString(out: number[], s: string): void {
  const b = te.encode(s);
  let n = b.length;
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  for (const x of b) out.push(x);
}

export class NarrowRowEncoder {
  private buf = new Uint8Array(1 << 20);
  private view = new DataView(this.buf.buffer);
  private readonly tails = new Map<string, Uint8Array>();
  private readonly keys4 = new Set<number>();
  private readonly keys6 = new Set<string>();
  private readonly enriched = { asn: 0, country: '', org: '' };

  constructor(private readonly enricher: IpEnricher) {}

  encode(rows: readonly (ServiceFinding | ServiceRow)[], now: number): NarrowBlock {
    this.keys4.clear();
    this.keys6.clear();
    let unique = true;
    let o = 0;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i] as ServiceFinding;
      const t = r.time ?? now;
      const text = typeof t === 'string' ? te.encode(t) : undefined;
      // Fixed part (8 + 1 + 16 + 2), the time text, and the largest tail seen so far.
      this.reserve(o + 27 + (text ? text.length + 5 : 0) + 4096);
      const v = this.view;
      const out = this.buf;
      if (typeof t === 'number') {
        const hi = Math.floor(t / 4294967296);
        v.setUint32(o, t - hi * 4294967296, true);
        v.setInt32(o + 4, hi, true);
        out[o + 8] = 0;
        o += 9;
      } else {
        v.setUint32(o, 0, true);
        v.setUint32(o + 4, 0, true);
        o += 8;
        let n = (text as Uint8Array).length;
        while (n >= 0x80) {
          out[o++] = (n & 0x7f) | 0x80;
          n >>>= 7;
        }
        out[o++] = n;
        out.set(text as Uint8Array, o);
        o += (text as Uint8Array).length;
      }
      const ipAt = o;
      const udp = r.transport === 'udp' ? 1 : 0;
      const v4 = parseIPv4(r.ip);
      if (v4 >= 0) {
        out.fill(0, o, o + 10);
        out[o + 10] = 0xff;
        out[o + 11] = 0xff;
        v.setUint32(o + 12, v4, false);
        if (unique) {
          const k = (v4 * 65536 + r.port) * 2 + udp;
          if (this.keys4.has(k)) unique = false;
          else this.keys4.add(k);
        }
      } else {
        const v6 = parseIPv6(r.ip);
        if (v6 === null) throw new SakimoriError('IMPORT_BAD_RECORD', `not an IP address: ${JSON.stringify(r.ip.slice(0, 60))}`);
        writeIPv6Bytes(v6, out, o);
        if (unique && v6 >> 32n === 0xffffn) {
          // ::ffff:a.b.c.d is the same stored address as a.b.c.d.
          const k = (Number(v6 & 0xffffffffn) * 65536 + r.port) * 2 + udp;
          if (this.keys4.has(k)) unique = false;
          else this.keys4.add(k);
        } else if (unique) {
          const k = `${v6.toString(16)}|${r.port}|${udp}`;
          if (this.keys6.has(k)) unique = false;
          else this.keys6.add(k);
        }
      }
      o += 16;
      v.setUint16(o, r.port, true);
      o += 2;
      const e = this.enriched;
      e.asn = r.asn ?? 0;
      e.country = r.country ?? '';
      e.org = r.org ?? '';
      if (!this.enricher.empty && e.asn === 0) {
        // The address is already bytes here: look it up there instead of parsing it again.
        e.asn = this.enricher.asn6(out, ipAt);
        if (!e.country) e.country = this.enricher.country6(out, ipAt);
        if (!e.org && e.asn) e.org = this.enricher.orgOfAsn(e.asn);
      }
      const tail = this.tail(r.transport, r.source ?? '', r.run_id ?? '', r.status ?? 'open', r.service ?? '', e.asn, e.org, e.country);
      this.reserve(o + tail.length);
      this.buf.set(tail, o);
      o += tail.length;
    }
    return { bytes: this.buf.subarray(0, o), rows: rows.length, uniqueKeys: unique };
  }

  private last: { v: [string, string, string, string, string, number, string, string]; t: Uint8Array } | undefined;

  private tail(transport: string, source: string, runId: string, status: string, service: string, asn: number, org: string, country: string): Uint8Array {
    // Most rows repeat the row before: compare the values before making a key.
    const l = this.last;
    if (l && l.v[0] === transport && l.v[1] === source && l.v[2] === runId && l.v[3] === status && l.v[4] === service && l.v[5] === asn && l.v[6] === org && l.v[7] === country) return l.t;
    const t = this.tailOf(transport, source, runId, status, service, asn, org, country);
    this.last = { v: [transport, source, runId, status, service, asn, org, country], t };
    return t;
  }

  private tailOf(transport: string, source: string, runId: string, status: string, service: string, asn: number, org: string, country: string): Uint8Array {
    const key = `${transport}\0${source}\0${runId}\0${status}\0${service}\0${asn}\0${org}\0${country}`;
    let t = this.tails.get(key);
    if (t === undefined) {
      const out: number[] = [];
      for (const s of [transport, source, runId, status, service]) pushString(out, s);
      out.push(asn & 255, (asn >>> 8) & 255, (asn >>> 16) & 255, (asn >>> 24) & 255);
      pushString(out, org);
      pushString(out, country);
      out.push(0, 0); // cve_evidence, tags: empty
      t = Uint8Array.from(out);
      if (this.tails.size >= 100_000) this.tails.clear();
      this.tails.set(key, t);
    }
    return t;
  }

  private reserve(n: number): void {
    if (n <= this.buf.length) return;
    const b = new Uint8Array(Math.max(n, this.buf.length * 2));
    b.set(this.buf);
    this.buf = b;
    this.view = new DataView(b.buffer);
  }
}
