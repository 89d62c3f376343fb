import type { PacketBatch } from '../../decode/packet-batch.js';
import { decodeFrame } from '../../decode/decode-frame.js';
import { SKIP, type SkipCounters } from '../../decode/skip-reasons.js';
import { u32be, u32le, type InputProblem, type RecordParser } from '../record-parser.js';

export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
const FILE_HEADER = 24;
const RECORD_HEADER = 16;
/**
 * libpcap's MAXIMUM_SNAPLEN: no link type we decode has longer records, so a record beyond it
 * (and beyond the file's snapshot length) is a broken length field, not a packet.
 */
const MAX_RECORD = 262_144;
/** Whatever the header says, no record is buffered beyond this: past it the file is corrupt. */
const MAX_ANY_RECORD = 16 * 1024 * 1024;

/**
 * Classic libpcap format: a 24-byte file header, then records of a 16-byte header and the frame.
 * Either byte order; microsecond or nanosecond timestamps (nanoseconds are truncated).
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
  private snaplen = 0;
  private maxRecord = MAX_RECORD;
  private linkType = 0;

  constructor(private readonly batch: PacketBatch, private readonly skip: SkipCounters) {}

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
    const snaplen = this.snaplen;
    const linkType = this.linkType;
    while (b.length < b.capacity) {
      if (end - pos < RECORD_HEADER) {
        this.want = RECORD_HEADER;
        break;
      }
      const incl = le ? u32le(d, pos + 8) : u32be(d, pos + 8);
      if (incl > this.maxRecord) {
        this.corrupt = { offset: absolute + pos - start, record: this.records, message: `record length ${incl} is beyond any plausible snapshot length (${this.maxRecord})` };
        break;
      }
      if (end - pos < RECORD_HEADER + incl) {
        this.want = RECORD_HEADER + incl;
        break;
      }
      this.records++;
      if (snaplen > 0 && incl > snaplen) skip.add(SKIP['caplen-exceeds-snaplen']);
      else {
        const sec = le ? u32le(d, pos) : u32be(d, pos);
        const frac = le ? u32le(d, pos + 4) : u32be(d, pos + 4);
        const orig = le ? u32le(d, pos + 12) : u32be(d, pos + 12);
        const micros = sec * 1e6 + (nano ? Math.floor(frac / 1000) : frac);
        decodeFrame(d, pos + RECORD_HEADER, incl, linkType, b, micros, orig, 0, skip);
      }
      pos += RECORD_HEADER + incl;
    }
    return pos - start;
  }

  private readFileHeader(d: Uint8Array, pos: number, absolute: number): boolean {
    const magicLe = u32le(d, pos);
    const magicBe = u32be(d, pos);
    if (magicLe === PCAP_MAGIC_US || magicLe === PCAP_MAGIC_NS) this.le = true;
    else if (magicBe === PCAP_MAGIC_US || magicBe === PCAP_MAGIC_NS) this.le = false;
    else {
      this.corrupt = { offset: absolute, record: 0, message: 'not a pcap file header' };
      return false;
    }
    this.nano = (this.le ? magicLe : magicBe) === PCAP_MAGIC_NS;
    this.snaplen = this.le ? u32le(d, pos + 16) : u32be(d, pos + 16);
    // A file may declare a snapshot length above libpcap's usual maximum (some link types have
    // longer frames): trust it up to a bound that keeps a broken length from buffering gigabytes.
    this.maxRecord = Math.max(MAX_RECORD, Math.min(this.snaplen, MAX_ANY_RECORD));
    // The upper bits of the link-type field may carry FCS information (pcap-savefile(5)).
    this.linkType = (this.le ? u32le(d, pos + 20) : u32be(d, pos + 20)) & 0x0fffffff;
    this.linkTypes.push(this.linkType);
    this.headerDone = true;
    return true;
  }
}
