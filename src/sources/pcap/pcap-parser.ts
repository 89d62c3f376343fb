import type { PacketBatch } from '../../decode/packet-batch.js';
import { decodeFrame } from '../../decode/decode-frame.js';
import { SKIP, type SkipCounters } from '../../decode/skip-reasons.js';
import { CORRUPT, NEED_MORE, u32be, u32le, type InputProblem, type RecordParser } from '../record-parser.js';

/** Largest record we accept whatever the snaplen says (tcpdump's own maximum is 256 KiB). */
const MAX_RECORD = 262_144;

export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;

/**
 * Classic libpcap format: a 24-byte file header, then records of a 16-byte header and the frame.
 * Either byte order; microsecond or nanosecond timestamps.
 */
export class PcapParser implements RecordParser {
  readonly format = 'pcap' as const;
  readonly linkTypes: number[] = [];
  records = 0;
  corrupt?: InputProblem;
  private headerDone = false;
  private le = true;
  private nano = false;
  private snaplen = 0;
  private linkType = 0;

  next(d: Uint8Array, pos: number, end: number, absolute: number, batch: PacketBatch, skip: SkipCounters): number {
    if (!this.headerDone) {
      if (end - pos < 24) return NEED_MORE;
      const magicLe = u32le(d, pos);
      const magicBe = u32be(d, pos);
      if (magicLe === PCAP_MAGIC_US || magicLe === PCAP_MAGIC_NS) this.le = true;
      else if (magicBe === PCAP_MAGIC_US || magicBe === PCAP_MAGIC_NS) this.le = false;
      else return this.fail(absolute, 'not a pcap file header');
      this.nano = (this.le ? magicLe : magicBe) === PCAP_MAGIC_NS;
      this.snaplen = this.le ? u32le(d, pos + 16) : u32be(d, pos + 16);
      // The upper bits of the link-type field may carry FCS information.
      this.linkType = (this.le ? u32le(d, pos + 20) : u32be(d, pos + 20)) & 0x0fffffff;
      this.linkTypes.push(this.linkType);
      this.headerDone = true;
      return 24;
    }
    if (end - pos < 16) return NEED_MORE;
    const le = this.le;
    const sec = le ? u32le(d, pos) : u32be(d, pos);
    const frac = le ? u32le(d, pos + 4) : u32be(d, pos + 4);
    const incl = le ? u32le(d, pos + 8) : u32be(d, pos + 8);
    const orig = le ? u32le(d, pos + 12) : u32be(d, pos + 12);
    if (incl > MAX_RECORD && incl > this.snaplen) {
      return this.fail(absolute, `record length ${incl} exceeds the snapshot length ${this.snaplen}`);
    }
    if (end - pos < 16 + incl) return NEED_MORE;
    this.records++;
    if (this.snaplen > 0 && incl > this.snaplen && incl > 65535) skip.add(SKIP['caplen-exceeds-snaplen']);
    else {
      const micros = sec * 1e6 + (this.nano ? Math.floor(frac / 1000) : frac);
      decodeFrame(d, pos + 16, incl, this.linkType, batch, micros, orig, 0, skip);
    }
    return 16 + incl;
  }

  private fail(offset: number, message: string): number {
    this.corrupt = { offset, record: this.records, message };
    return CORRUPT;
  }
}
