import type { PacketBatch } from '../../decode/packet-batch.js';
import { decodeFrame } from '../../decode/decode-frame.js';
import type { SkipCounters } from '../../decode/skip-reasons.js';
import type { FrameSink } from '../frame-sink.js';
import { u32be, u32le, type InputProblem, type RecordParser } from '../record-parser.js';

export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
/**
 * The modified ("Kuznetzov") format of patched Linux libpcaps (editcap -F modpcap): microsecond
 * timestamps, and records whose header has 8 more bytes (ifindex, protocol, packet type, pad).
 */
export const PCAP_MAGIC_MODIFIED = 0xa1b2cd34;
const FILE_HEADER = 24;
const RECORD_HEADER = 16;
const MODIFIED_RECORD_HEADER = 24;
/** Where the record header has the captured length: before 2.3 the two lengths were the other way round. */
const LENGTHS_NEW = 0;
const LENGTHS_OLD = 1;
/** Version 2.3 files were written both ways: the smaller of the two is the captured length. */
const LENGTHS_EITHER = 2;
/**
 * libpcap's MAXIMUM_SNAPLEN: no link type we decode has longer records, so a record beyond it
 * (and beyond the file's snapshot length) is a broken length field, not a packet.
 */
const MAX_RECORD = 262_144;
/** Whatever the header says, no record is buffered beyond this: past it the file is corrupt. */
const MAX_ANY_RECORD = 16 * 1024 * 1024;

/**
 * Classic libpcap format: a 24-byte file header, then records of a 16-byte header and the frame.
 * Either byte order; microsecond or nanosecond timestamps (nanoseconds are truncated); the
 * modified format's 24-byte record headers; the old order of the record lengths (before 2.3).
 */
export class PcapParser implements RecordParser {
  readonly format = 'pcap' as const;
  readonly linkTypes: number[] = [];
  records = 0;
  want = FILE_HEADER;
  corrupt?: InputProblem;
  private headerDone = false;
  private le = true;
  private nano = false;
  private recordHeader = RECORD_HEADER;
  private lengths = LENGTHS_NEW;
  private maxRecord = MAX_RECORD;
  private linkType = 0;

  /** With `frames`, each frame goes there undecoded and `batch` is not used. */
  constructor(private readonly batch: PacketBatch, private readonly skip: SkipCounters, private readonly frames?: FrameSink) {}

  parse(d: Uint8Array, start: number, end: number, absolute: number): number {
    let pos = start;
    if (!this.headerDone) {
      if (end - pos < FILE_HEADER) {
        this.want = FILE_HEADER;
        return 0;
      }
      if (!this.readFileHeader(d, pos, absolute)) return 0;
      pos += FILE_HEADER;
    }
    const b = this.batch;
    const skip = this.skip;
    const le = this.le;
    const nano = this.nano;
    const hdr = this.recordHeader;
    const lengths = this.lengths;
    const linkType = this.linkType;
    const frames = this.frames;
    while (frames === undefined ? b.length < b.capacity : !frames.full) {
      if (end - pos < hdr) {
        this.want = hdr;
        break;
      }
      let incl = le ? u32le(d, pos + 8) : u32be(d, pos + 8);
      let orig = le ? u32le(d, pos + 12) : u32be(d, pos + 12);
      if (lengths !== LENGTHS_NEW && (lengths === LENGTHS_OLD || incl > orig)) {
        const t = incl;
        incl = orig;
        orig = t;
      }
      if (incl > this.maxRecord) {
        this.corrupt = { offset: absolute + pos - start, record: this.records, message: `record length ${incl} is beyond any plausible snapshot length (${this.maxRecord})` };
        break;
      }
      if (end - pos < hdr + incl) {
        this.want = hdr + incl;
        break;
      }
      this.records++;
      // A record longer than the file's snapshot length is still decoded whole: libpcap and
      // Wireshark keep such records (old writers set the snapshot length wrongly; the modified
      // format's cooked captures exceed it by 14), and the bytes are there.
      const sec = le ? u32le(d, pos) : u32be(d, pos);
      const frac = le ? u32le(d, pos + 4) : u32be(d, pos + 4);
      const micros = sec * 1e6 + (nano ? Math.floor(frac / 1000) : frac);
      if (frames === undefined) decodeFrame(d, pos + hdr, incl, linkType, b, micros, orig, 0, skip);
      else frames.frame(d, pos + hdr, incl, linkType, micros, orig, 0);
      pos += hdr + incl;
    }
    return pos - start;
  }

  private readFileHeader(d: Uint8Array, pos: number, absolute: number): boolean {
    const magicLe = u32le(d, pos);
    const magicBe = u32be(d, pos);
    if (isPcapMagic(magicLe)) this.le = true;
    else if (isPcapMagic(magicBe)) this.le = false;
    else {
      this.corrupt = { offset: absolute, record: 0, message: 'not a pcap file header' };
      return false;
    }
    const magic = this.le ? magicLe : magicBe;
    this.nano = magic === PCAP_MAGIC_NS;
    this.recordHeader = magic === PCAP_MAGIC_MODIFIED ? MODIFIED_RECORD_HEADER : RECORD_HEADER;
    // libpcap's rule for the order of the two record lengths (see LENGTHS_*); 543.0 is DG/UX.
    const major = this.le ? d[pos + 4]! | (d[pos + 5]! << 8) : (d[pos + 4]! << 8) | d[pos + 5]!;
    const minor = this.le ? d[pos + 6]! | (d[pos + 7]! << 8) : (d[pos + 6]! << 8) | d[pos + 7]!;
    this.lengths = (major === 2 && minor < 3) || major === 543 ? LENGTHS_OLD : major === 2 && minor === 3 ? LENGTHS_EITHER : LENGTHS_NEW;
    const snaplen = this.le ? u32le(d, pos + 16) : u32be(d, pos + 16);
    // A file may declare a snapshot length above libpcap's usual maximum (some link types have
    // longer frames): trust it up to a bound that keeps a broken length from buffering gigabytes.
    this.maxRecord = Math.max(MAX_RECORD, Math.min(snaplen, MAX_ANY_RECORD));
    // Only the lower 16 bits are the link type; the upper ones carry the FCS length, the P bit
    // (0x04000000) and reserved bits that readers must ignore (draft-ietf-opsawg-pcap).
    this.linkType = (this.le ? u32le(d, pos + 20) : u32be(d, pos + 20)) & 0xffff;
    this.linkTypes.push(this.linkType);
    this.headerDone = true;
    return true;
  }
}

/** The magic numbers of the classic format, read in one byte order. */
export function isPcapMagic(m: number): boolean {
  return m === PCAP_MAGIC_US || m === PCAP_MAGIC_NS || m === PCAP_MAGIC_MODIFIED;
}
