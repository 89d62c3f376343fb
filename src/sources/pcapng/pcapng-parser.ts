import type { PacketBatch } from '../../decode/packet-batch.js';
import { decodeFrame } from '../../decode/decode-frame.js';
import { SKIP, type SkipCounters } from '../../decode/skip-reasons.js';
import { CORRUPT, NEED_MORE, u16be, u16le, u32be, u32le, type InputProblem, type RecordParser } from '../record-parser.js';

export const PCAPNG_SHB = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const IDB = 1;
const OPB = 2; // obsolete Packet Block
const SPB = 3;
const EPB = 6;
const OPT_ENDOFOPT = 0;
const OPT_IF_TSRESOL = 9;
const OPT_IF_TSOFFSET = 14;
/** A sanity bound on one block: anything larger is corruption, not a packet. */
const MAX_BLOCK = 64 * 1024 * 1024;

interface Iface {
  linkType: number;
  snaplen: number;
  /** Timestamp units per second. */
  unitsPerSecond: number;
  /** Seconds to add (if_tsoffset). */
  offsetSeconds: number;
}

/**
 * pcapng (draft-ietf-opsawg-pcapng): sections, each with its byte order and its interfaces.
 * EPB, SPB and the obsolete Packet Block carry packets; every other block is skipped by length.
 */
export class PcapngParser implements RecordParser {
  readonly format = 'pcapng' as const;
  readonly linkTypes: number[] = [];
  records = 0;
  corrupt?: InputProblem;
  private le = true;
  private ifaces: Iface[] = [];

  next(d: Uint8Array, pos: number, end: number, absolute: number, batch: PacketBatch, skip: SkipCounters): number {
    if (end - pos < 12) return NEED_MORE;
    const typeLe = u32le(d, pos);
    if (typeLe === PCAPNG_SHB) {
      const bom = u32le(d, pos + 8);
      if (bom === BYTE_ORDER_MAGIC) this.le = true;
      else if (u32be(d, pos + 8) === BYTE_ORDER_MAGIC) this.le = false;
      else return this.fail(absolute, 'section header with an unknown byte-order magic');
    }
    const le = this.le;
    const type = le ? typeLe : u32be(d, pos);
    const total = le ? u32le(d, pos + 4) : u32be(d, pos + 4);
    if (total < 12 || total % 4 !== 0 || total > MAX_BLOCK) return this.fail(absolute, `block of type ${type} has an invalid length ${total}`);
    if (end - pos < total) return NEED_MORE;
    const trailer = le ? u32le(d, pos + total - 4) : u32be(d, pos + total - 4);
    if (trailer !== total) return this.fail(absolute, `block of type ${type}: trailing length ${trailer} differs from ${total}`);
    const body = pos + 8;
    const bodyEnd = pos + total - 4;
    switch (type) {
      case PCAPNG_SHB:
        this.ifaces = [];
        break;
      case IDB: {
        if (bodyEnd - body < 8) return this.fail(absolute, 'interface description block too short');
        const iface: Iface = {
          linkType: le ? u16le(d, body) : u16be(d, body),
          snaplen: le ? u32le(d, body + 4) : u32be(d, body + 4),
          unitsPerSecond: 1e6,
          offsetSeconds: 0,
        };
        this.readIfaceOptions(d, body + 8, bodyEnd, iface);
        this.ifaces.push(iface);
        this.linkTypes.push(iface.linkType);
        break;
      }
      case EPB: case OPB: {
        if (bodyEnd - body < 20) return this.fail(absolute, 'packet block too short');
        const ifIndex = type === EPB ? (le ? u32le(d, body) : u32be(d, body)) : (le ? u16le(d, body) : u16be(d, body));
        const hi = le ? u32le(d, body + 4) : u32be(d, body + 4);
        const lo = le ? u32le(d, body + 8) : u32be(d, body + 8);
        const caplen = le ? u32le(d, body + 12) : u32be(d, body + 12);
        const orig = le ? u32le(d, body + 16) : u32be(d, body + 16);
        if (body + 20 + caplen > bodyEnd) return this.fail(absolute, `captured length ${caplen} exceeds its block`);
        this.records++;
        const iface = this.ifaces[ifIndex];
        if (!iface) {
          skip.add(SKIP['unknown-interface']);
          break;
        }
        decodeFrame(d, body + 20, caplen, iface.linkType, batch, timestampMicros(hi, lo, iface), orig, ifIndex & 0xff, skip);
        break;
      }
      case SPB: {
        if (bodyEnd - body < 4) return this.fail(absolute, 'simple packet block too short');
        const orig = le ? u32le(d, body) : u32be(d, body);
        this.records++;
        const iface = this.ifaces[0];
        if (!iface) {
          skip.add(SKIP['unknown-interface']);
          break;
        }
        let caplen = Math.min(orig, bodyEnd - body - 4);
        if (iface.snaplen > 0) caplen = Math.min(caplen, iface.snaplen);
        // An SPB has no timestamp: it takes the time of the previous packet.
        const ts = batch.length > 0 ? batch.tsMicros[batch.length - 1]! : 0;
        decodeFrame(d, body + 4, caplen, iface.linkType, batch, ts, orig, 0, skip);
        break;
      }
      default:
        break; // NRB, ISB, DSB, custom blocks …
    }
    return total;
  }

  private readIfaceOptions(d: Uint8Array, p: number, end: number, iface: Iface): void {
    const le = this.le;
    while (end - p >= 4) {
      const code = le ? u16le(d, p) : u16be(d, p);
      const len = le ? u16le(d, p + 2) : u16be(d, p + 2);
      const v = p + 4;
      if (code === OPT_ENDOFOPT || v + len > end) return;
      if (code === OPT_IF_TSRESOL && len >= 1) {
        const r = d[v]!;
        iface.unitsPerSecond = r & 0x80 ? 2 ** (r & 0x7f) : 10 ** r;
      } else if (code === OPT_IF_TSOFFSET && len >= 8) {
        const lo = le ? u32le(d, v) : u32be(d, v + 4);
        const hi = le ? u32le(d, v + 4) : u32be(d, v);
        iface.offsetSeconds = (hi | 0) * 4294967296 + lo;
      }
      p = v + ((len + 3) & ~3);
    }
  }

  private fail(offset: number, message: string): number {
    this.corrupt = { offset, record: this.records, message };
    return CORRUPT;
  }
}

/**
 * A 64-bit timestamp in interface units → microseconds, exactly for decimal resolutions finer
 * than a microsecond (no 64-bit product is formed: hi·2³² is split as hi·q·D + hi·r).
 */
export function timestampMicros(hi: number, lo: number, iface: { unitsPerSecond: number; offsetSeconds: number }): number {
  const u = iface.unitsPerSecond;
  let micros: number;
  if (u === 1e6) micros = hi * 4294967296 + lo;
  else if (u > 1e6 && u % 1e6 === 0) {
    const div = u / 1e6;
    const q = Math.floor(4294967296 / div);
    const r = 4294967296 - q * div;
    micros = hi * q + Math.floor((hi * r + lo) / div);
  } else micros = Math.floor(((hi * 4294967296 + lo) * 1e6) / u);
  return micros + iface.offsetSeconds * 1e6;
}
