import type { PacketBatch } from '../../decode/packet-batch.js';
import { decodeFrame } from '../../decode/decode-frame.js';
import { SKIP, type SkipCounters } from '../../decode/skip-reasons.js';
import type { FrameSink } from '../frame-sink.js';
import { u16be, u16le, u32be, u32le, type InputProblem, type RecordParser } from '../record-parser.js';
import { timestampMicros, unitsPerSecond, type IfaceClock } from './timestamp.js';

export const PCAPNG_SHB = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const IDB = 1;
const OPB = 2; // obsolete Packet Block
const SPB = 3;
const EPB = 6;
const OPT_ENDOFOPT = 0;
const OPT_IF_TSRESOL = 9;
const OPT_IF_TSOFFSET = 14;
const BLOCK_HEADER = 12; // type, total length … trailing total length
/** SHB: header, byte-order magic, versions, section length. */
const MIN_SHB = 28;
/** A sanity bound on one block: anything larger is corruption, not a packet or metadata. */
const MAX_BLOCK = 16 * 1024 * 1024;

interface Iface extends IfaceClock {
  linkType: number;
  snaplen: number;
}

/**
 * pcapng (draft-ietf-opsawg-pcapng): sections, each with its own byte order and interfaces.
 * EPB, SPB and the obsolete Packet Block carry packets; every other block (NRB, ISB, DSB,
 * custom, unknown) is skipped by its length.
 */
export class PcapngParser implements RecordParser {
  readonly format = 'pcapng' as const;
  readonly linkTypes: number[] = [];
  records = 0;
  want = BLOCK_HEADER;
  corrupt?: InputProblem;
  private le = true;
  private ifaces: Iface[] = [];
  /** An SPB has no timestamp: it takes the previous packet's, whatever batch that went to. */
  private lastTs = 0;

  /** With `frames`, each frame goes there undecoded and `batch` is not used. */
  constructor(private readonly batch: PacketBatch, private readonly skip: SkipCounters, private readonly frames?: FrameSink) {}

  parse(d: Uint8Array, start: number, end: number, absolute: number): number {
    const b = this.batch;
    let pos = start;
    const frames = this.frames;
    while (frames === undefined ? b.length < b.capacity : !frames.full) {
      if (end - pos < BLOCK_HEADER) {
        this.want = BLOCK_HEADER;
        break;
      }
      const at = absolute + pos - start;
      if (u32le(d, pos) === PCAPNG_SHB) {
        // The type is a palindrome; the byte-order magic that follows sets the section's order.
        if (u32le(d, pos + 8) === BYTE_ORDER_MAGIC) this.le = true;
        else if (u32be(d, pos + 8) === BYTE_ORDER_MAGIC) this.le = false;
        else {
          this.fail(at, 'section header block with an unknown byte-order magic');
          break;
        }
      }
      const le = this.le;
      const type = le ? u32le(d, pos) : u32be(d, pos);
      const total = le ? u32le(d, pos + 4) : u32be(d, pos + 4);
      if (total < BLOCK_HEADER || total % 4 !== 0 || total > MAX_BLOCK || (type === PCAPNG_SHB && total < MIN_SHB)) {
        this.fail(at, `block of type ${type} has an invalid length ${total}`);
        break;
      }
      if (end - pos < total) {
        this.want = total;
        break;
      }
      const trailer = le ? u32le(d, pos + total - 4) : u32be(d, pos + total - 4);
      if (trailer !== total) {
        this.fail(at, `block of type ${type}: trailing length ${trailer} differs from ${total}`);
        break;
      }
      if (!this.block(d, type, pos + 8, pos + total - 4, at)) break;
      pos += total;
    }
    return pos - start;
  }

  /** One complete block with its body in d[body, bodyEnd). False when it is corrupt. */
  private block(d: Uint8Array, type: number, body: number, bodyEnd: number, at: number): boolean {
    const le = this.le;
    switch (type) {
      case PCAPNG_SHB:
        this.ifaces = []; // interface ids are numbered per section
        return true;
      case IDB: {
        if (bodyEnd - body < 8) return this.fail(at, 'interface description block too short');
        const iface: Iface = {
          linkType: le ? u16le(d, body) : u16be(d, body),
          snaplen: le ? u32le(d, body + 4) : u32be(d, body + 4),
          unitsPerSecond: 1e6,
          offsetSeconds: 0,
        };
        this.readIfaceOptions(d, body + 8, bodyEnd, iface);
        this.ifaces.push(iface);
        this.linkTypes.push(iface.linkType);
        return true;
      }
      case EPB: case OPB: {
        this.records++;
        // The block's framing was checked (both lengths agree), so a packet block whose fields
        // do not fit in it is skipped alone and the blocks after it are still read.
        if (bodyEnd - body < 20) {
          this.skip.add(SKIP['pcapng-bad-packet-block']);
          return true;
        }
        // The OPB has a 16-bit interface id followed by a 16-bit drop count.
        const ifIndex = type === EPB ? (le ? u32le(d, body) : u32be(d, body)) : (le ? u16le(d, body) : u16be(d, body));
        const hi = le ? u32le(d, body + 4) : u32be(d, body + 4);
        const lo = le ? u32le(d, body + 8) : u32be(d, body + 8);
        const caplen = le ? u32le(d, body + 12) : u32be(d, body + 12);
        const orig = le ? u32le(d, body + 16) : u32be(d, body + 16);
        const iface = this.ifaces[ifIndex];
        if (caplen > bodyEnd - body - 20) this.skip.add(SKIP['pcapng-bad-packet-block']);
        else if (!iface) this.skip.add(SKIP['unknown-interface']);
        else {
          // A captured length above the interface's snapshot length is kept whole, as libpcap
          // and Wireshark keep it: the bytes are in the block, only the writer's IDB is off.
          const ts = timestampMicros(hi, lo, iface);
          this.lastTs = ts;
          this.emit(d, body + 20, caplen, iface.linkType, ts, orig, ifIndex & 0xff);
        }
        return true;
      }
      case SPB: {
        this.records++;
        if (bodyEnd - body < 4) {
          this.skip.add(SKIP['pcapng-bad-packet-block']);
          return true;
        }
        const orig = le ? u32le(d, body) : u32be(d, body);
        const iface = this.ifaces[0];
        if (!iface) {
          this.skip.add(SKIP['unknown-interface']);
          return true;
        }
        // The captured part is the smaller of the original length, the interface's snapshot
        // length and what the block holds (the rest of the block is padding).
        let caplen = Math.min(orig, bodyEnd - body - 4);
        if (iface.snaplen > 0 && caplen > iface.snaplen) caplen = iface.snaplen;
        this.emit(d, body + 4, caplen, iface.linkType, this.lastTs, orig, 0);
        return true;
      }
      default:
        return true; // NRB, ISB, DSB, custom blocks …: nothing we need
    }
  }

  private emit(d: Uint8Array, off: number, caplen: number, linkType: number, ts: number, orig: number, iface: number): void {
    if (this.frames === undefined) decodeFrame(d, off, caplen, linkType, this.batch, ts, orig, iface, this.skip);
    else this.frames.frame(d, off, caplen, linkType, ts, orig, iface);
  }

  /** IDB options: code, length, value padded to 32 bits; opt_endofopt or the body's end stops. */
  private readIfaceOptions(d: Uint8Array, p: number, end: number, iface: Iface): void {
    const le = this.le;
    while (end - p >= 4) {
      const code = le ? u16le(d, p) : u16be(d, p);
      const len = le ? u16le(d, p + 2) : u16be(d, p + 2);
      const v = p + 4;
      if (code === OPT_ENDOFOPT || v + len > end) return;
      if (code === OPT_IF_TSRESOL && len >= 1) {
        iface.unitsPerSecond = unitsPerSecond(d[v]!);
      } else if (code === OPT_IF_TSOFFSET && len >= 8) {
        // A signed 64-bit number of seconds, in the section's byte order.
        const lo = le ? u32le(d, v) : u32be(d, v + 4);
        const hi = le ? u32le(d, v + 4) : u32be(d, v);
        iface.offsetSeconds = (hi | 0) * 4294967296 + lo;
      }
      p = v + ((len + 3) & ~3);
    }
  }

  private fail(offset: number, message: string): false {
    this.corrupt = { offset, record: this.records, message };
    return false;
  }
}
