/**
 * Capture file writers (classic pcap and a minimal pcapng) that write records straight into large
 * preallocated buffers and hand them to a Node writable with back-pressure. The hot loop of a
 * generator asks for room, writes the frame bytes itself at `frameOffset`, then commits:
 *
 *   if (w.room < MAX_RECORD) await w.flush();
 *   const len = writeFrame(w.buf, w.frameOffset);
 *   w.commit(len, seconds, nanos);
 *
 * No object is created per packet. A buffer is reused only after the stream has acknowledged the
 * write that referenced it (its write callback), so a slow consumer stops the producer instead of
 * letting memory grow.
 */

export const LINKTYPE_ETHERNET = 1;
/** LINKTYPE_RAW: the frame starts at the IPv4 or IPv6 header (not DLT_RAW's 12/14). */
export const LINKTYPE_RAW = 101;

export type LinkTypeName = 'ethernet' | 'raw';

export interface CaptureWriterOptions {
  linkType?: LinkTypeName | number;
  /** Timestamps with nanosecond resolution (pcap magic 0xa1b23c4d, pcapng if_tsresol 9). */
  nanosecond?: boolean;
  /** Write the file in big-endian byte order (default little-endian, as on x86 and ARM). */
  bigEndian?: boolean;
  snaplen?: number;
  /** Bytes per buffer; two are used in turn. */
  bufferSize?: number;
}

export interface CaptureWriter {
  /** The buffer the next frame is written into. Changes after `flush`. */
  readonly buf: Buffer;
  /** Where the frame bytes of the next record start in `buf`. */
  readonly frameOffset: number;
  /** Bytes still free in `buf` for frame bytes (record framing already accounted for). */
  readonly room: number;
  /** Bytes handed to the stream so far (headers included). */
  readonly bytesWritten: number;
  readonly records: number;
  /** Closes the record whose frame was written at `frameOffset`. */
  commit(frameLen: number, seconds: number, nanos: number, origLen?: number): void;
  /** Hands the filled part of the buffer to the stream; resolves once a free buffer is ready. */
  flush(): Promise<void>;
  /** Flushes everything and resolves when the stream has acknowledged every write. Does not end the stream. */
  finish(): Promise<void>;
}

export function linkTypeNumber(t: LinkTypeName | number | undefined): number {
  if (t === undefined || t === 'ethernet') return LINKTYPE_ETHERNET;
  if (t === 'raw') return LINKTYPE_RAW;
  return t;
}

const DEFAULT_BUFFER = 8 * 1024 * 1024;
const DEFAULT_SNAPLEN = 262144;

/** Two buffers written in turn; each remembers the stream write that still references it. */
abstract class BufferedWriter implements CaptureWriter {
  buf: Buffer;
  protected pos = 0;
  protected readonly le: boolean;
  private readonly pool: Buffer[];
  private readonly pending: (Promise<void> | undefined)[];
  private current = 0;
  private written = 0;
  records = 0;

  constructor(private readonly out: NodeJS.WritableStream, opts: CaptureWriterOptions, protected readonly recordOverhead: number) {
    const size = Math.max(64 * 1024, opts.bufferSize ?? DEFAULT_BUFFER);
    this.pool = [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)];
    this.pending = [undefined, undefined];
    this.buf = this.pool[0] as Buffer;
    this.le = opts.bigEndian !== true;
  }

  get frameOffset(): number {
    return this.pos + this.headerBytes();
  }

  get room(): number {
    return this.buf.length - this.pos - this.recordOverhead;
  }

  get bytesWritten(): number {
    return this.written + this.pos;
  }

  /** Bytes of record framing before the frame (16 for pcap, 28 for an EPB). */
  protected abstract headerBytes(): number;
  abstract commit(frameLen: number, seconds: number, nanos: number, origLen?: number): void;

  protected u32(off: number, v: number): void {
    const b = this.buf;
    if (this.le) {
      b[off] = v; b[off + 1] = v >>> 8; b[off + 2] = v >>> 16; b[off + 3] = v >>> 24;
    } else {
      b[off] = v >>> 24; b[off + 1] = v >>> 16; b[off + 2] = v >>> 8; b[off + 3] = v;
    }
  }

  protected u16(off: number, v: number): void {
    const b = this.buf;
    if (this.le) { b[off] = v; b[off + 1] = v >>> 8; } else { b[off] = v >>> 8; b[off + 1] = v; }
  }

  async flush(): Promise<void> {
    if (this.pos > 0) {
      const chunk = this.buf.subarray(0, this.pos);
      const slot = this.current;
      this.written += this.pos;
      this.pending[slot] = new Promise<void>((resolve, reject) => {
        this.out.write(chunk, (err?: Error | null) => (err ? reject(err) : resolve()));
      });
      // Keep an unobserved rejection from crashing the process before someone awaits it.
      this.pending[slot]?.catch(() => undefined);
      this.current = (slot + 1) % this.pool.length;
      this.buf = this.pool[this.current] as Buffer;
      this.pos = 0;
    }
    const busy = this.pending[this.current];
    if (busy) {
      await busy;
      this.pending[this.current] = undefined;
    }
  }

  async finish(): Promise<void> {
    await this.flush();
    for (let i = 0; i < this.pending.length; i++) {
      const p = this.pending[i];
      if (p) await p;
      this.pending[i] = undefined;
    }
  }
}

/** Classic libpcap format: 24-byte file header, 16-byte record headers. */
export class PcapWriter extends BufferedWriter {
  private readonly nano: boolean;

  constructor(out: NodeJS.WritableStream, opts: CaptureWriterOptions = {}) {
    super(out, opts, 16);
    this.nano = opts.nanosecond === true;
    this.u32(0, this.nano ? 0xa1b23c4d : 0xa1b2c3d4);
    this.u16(4, 2);
    this.u16(6, 4);
    this.u32(8, 0); // thiszone
    this.u32(12, 0); // sigfigs
    this.u32(16, opts.snaplen ?? DEFAULT_SNAPLEN);
    this.u32(20, linkTypeNumber(opts.linkType));
    this.pos = 24;
  }

  protected headerBytes(): number {
    return 16;
  }

  commit(frameLen: number, seconds: number, nanos: number, origLen = frameLen): void {
    const p = this.pos;
    this.u32(p, seconds);
    this.u32(p + 4, this.nano ? nanos : Math.floor(nanos / 1000));
    this.u32(p + 8, frameLen);
    this.u32(p + 12, origLen);
    this.pos = p + 16 + frameLen;
    this.records++;
  }
}

const SHB = 0x0a0d0d0a;
const IDB = 1;
const EPB = 6;
const TWO32 = 4294967296;

/**
 * Minimal pcapng: one section header, one interface description (with if_tsresol when the
 * timestamps are in nanoseconds) and enhanced packet blocks. Readers that handle pcapng in
 * general (several interfaces, options) read this subset too.
 */
export class PcapngWriter extends BufferedWriter {
  private readonly nano: boolean;

  constructor(out: NodeJS.WritableStream, opts: CaptureWriterOptions = {}) {
    // An EPB is 28 bytes of header, the frame padded to 4 and the 4-byte trailing length.
    super(out, opts, 28 + 3 + 4);
    this.nano = opts.nanosecond === true;
    let p = 0;
    // Section header block, no options: type, length, byte-order magic, version 1.0, section length -1.
    this.u32(p, SHB); this.u32(p + 4, 28); this.u32(p + 8, 0x1a2b3c4d);
    this.u16(p + 12, 1); this.u16(p + 14, 0);
    this.u32(p + 16, 0xffffffff); this.u32(p + 20, 0xffffffff);
    this.u32(p + 24, 28);
    p += 28;
    // Interface description block: link type, snaplen and, for nanoseconds, if_tsresol = 9.
    const idbLen = this.nano ? 20 + 8 + 4 + 4 : 20;
    this.u32(p, IDB); this.u32(p + 4, idbLen);
    this.u16(p + 8, linkTypeNumber(opts.linkType)); this.u16(p + 10, 0);
    this.u32(p + 12, opts.snaplen ?? DEFAULT_SNAPLEN);
    let q = p + 16;
    if (this.nano) {
      this.u16(q, 9); this.u16(q + 2, 1); this.buf[q + 4] = 9; this.buf[q + 5] = 0; this.buf[q + 6] = 0; this.buf[q + 7] = 0;
      this.u16(q + 8, 0); this.u16(q + 10, 0); // opt_endofopt
      q += 12;
    }
    this.u32(q, idbLen);
    this.pos = p + idbLen;
  }

  protected headerBytes(): number {
    return 28;
  }

  commit(frameLen: number, seconds: number, nanos: number, origLen = frameLen): void {
    const p = this.pos;
    const padded = (frameLen + 3) & ~3;
    const total = 32 + padded;
    for (let i = p + 28 + frameLen; i < p + 28 + padded; i++) this.buf[i] = 0;
    let hi: number;
    let lo: number;
    if (this.nano) {
      // seconds × 1e9 + nanos exceeds 2^53: split seconds into 16-bit halves so every product stays exact.
      const sHi = Math.floor(seconds / 65536);
      const sLo = seconds % 65536;
      const x = sHi * 1e9;
      const low = (x % 65536) * 65536 + sLo * 1e9 + nanos;
      hi = Math.floor(x / 65536) + Math.floor(low / TWO32);
      lo = low % TWO32;
    } else {
      const t = seconds * 1e6 + Math.floor(nanos / 1000);
      hi = Math.floor(t / TWO32);
      lo = t % TWO32;
    }
    this.u32(p, EPB);
    this.u32(p + 4, total);
    this.u32(p + 8, 0);
    this.u32(p + 12, hi);
    this.u32(p + 16, lo);
    this.u32(p + 20, frameLen);
    this.u32(p + 24, origLen);
    this.u32(p + 28 + padded, total);
    this.pos = p + total;
    this.records++;
  }
}

export type CaptureFormat = 'pcap' | 'pcapng';

export function createCaptureWriter(format: CaptureFormat, out: NodeJS.WritableStream, opts: CaptureWriterOptions = {}): CaptureWriter {
  return format === 'pcapng' ? new PcapngWriter(out, opts) : new PcapWriter(out, opts);
}
