import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { PacketBatch } from '../decode/packet-batch.js';
import { SkipCounters } from '../decode/skip-reasons.js';
import { SakimoriError, messageOf } from '../errors.js';
import { PcapParser, PCAP_MAGIC_NS, PCAP_MAGIC_US } from './pcap/pcap-parser.js';
import { PcapngParser, PCAPNG_SHB } from './pcapng/pcapng-parser.js';
import { CORRUPT, NEED_MORE, u32be, u32le, type InputProblem, type RecordParser } from './record-parser.js';

export interface CaptureSummary {
  name: string;
  format: 'pcap' | 'pcapng';
  gzip: boolean;
  /** Complete capture records seen. */
  records: number;
  /** Packets decoded and committed into batches. */
  packets: number;
  /** (Decompressed) bytes consumed. */
  bytes: number;
  /** Frames not stored, per reason. */
  skipped: Record<string, number>;
  linkTypes: number[];
  /** The input ended inside a header, record or block. */
  truncated?: InputProblem;
  /** The structure is broken (absurd lengths): reading stopped there, everything before is kept. */
  corrupt?: InputProblem;
  firstTsMicros?: number;
  lastTsMicros?: number;
}

export interface ReadCaptureOptions {
  name: string;
  /** Reused: the reader calls onBatch when it is full and once at the end if not empty, then resets it. */
  batch: PacketBatch;
  onBatch: (batch: PacketBatch, progress: { bytes: number; records: number }) => Promise<void>;
  signal?: AbortSignal;
}

/**
 * Reads a pcap or pcapng capture, gzip-compressed or not, from a stream of chunks. Records are
 * decoded in place from the chunk they are in; only a record that straddles two chunks is copied.
 */
export async function readCapture(input: AsyncIterable<Uint8Array>, opts: ReadCaptureOptions): Promise<CaptureSummary> {
  const counted = { raw: 0 };
  const source = countBytes(input, counted);
  const head = await peek(source, 4);
  if (head.bytes.length < 4) {
    throw new SakimoriError('CAPTURE_BAD_MAGIC', head.bytes.length === 0 ? 'the input is empty' : 'the input is shorter than a capture header', { file: opts.name });
  }
  const gzip = head.bytes[0] === 0x1f && head.bytes[1] === 0x8b;
  let stream: AsyncIterable<Uint8Array> = head.stream;
  let first = head.bytes;
  if (gzip) {
    const gunzip = Readable.from(head.stream).pipe(createGunzip({ chunkSize: 1 << 20 }));
    const h = await peek(gunzipChunks(gunzip), 4);
    stream = h.stream;
    first = h.bytes;
    if (first.length < 4) throw new SakimoriError('CAPTURE_BAD_MAGIC', 'the compressed input holds no capture header', { file: opts.name });
  }
  const parser = parserFor(first, opts.name);
  const skip = new SkipCounters();
  const batch = opts.batch;
  batch.reset();
  let packets = 0;
  let firstTs: number | undefined;
  let lastTs: number | undefined;
  let absolute = 0; // offset of data[0] in the (decompressed) input
  let carry: Uint8Array | undefined;
  let truncated: InputProblem | undefined;

  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    if (firstTs === undefined) firstTs = batch.tsMicros[0];
    for (let i = 0; i < batch.length; i++) {
      const t = batch.tsMicros[i]!;
      if (firstTs === undefined || t < firstTs) firstTs = t;
      if (lastTs === undefined || t > lastTs) lastTs = t;
    }
    packets += batch.length;
    await opts.onBatch(batch, { bytes: counted.raw, records: parser.records });
    batch.reset();
  };

  let stopped = false;
  try {
    for await (const chunk of stream) {
      if (opts.signal?.aborted) break;
      let data: Uint8Array = chunk;
      let pos = 0;
      if (carry && carry.length > 0) {
        // A record straddles the previous chunk and this one: decode it (and whatever follows it
        // within a short stitch) from a copy of the carried bytes plus the head of this chunk,
        // then go on in the chunk itself. Copying the whole chunk every time cost a copy of the
        // entire input.
        const stitch = concat(carry, chunk.subarray(0, Math.min(chunk.length, STITCH_BYTES)));
        let sp = 0;
        while (sp < carry.length) {
          const n = parser.next(stitch, sp, stitch.length, absolute + sp, batch, skip);
          if (n === NEED_MORE) break;
          if (n === CORRUPT) {
            stopped = true;
            break;
          }
          sp += n;
          if (batch.full) await flush();
        }
        if (sp >= carry.length && !stopped) {
          absolute += carry.length;
          pos = sp - carry.length;
        } else {
          // A record longer than the stitch (or a corrupt one): the whole chunk, as before.
          data = stitch.length === carry.length + chunk.length ? stitch : concat(carry, chunk);
          pos = sp;
        }
      }
      const end = data.length;
      for (; !stopped;) {
        const n = parser.next(data, pos, end, absolute + pos, batch, skip);
        if (n === NEED_MORE) break;
        if (n === CORRUPT) {
          stopped = true;
          break;
        }
        pos += n;
        if (batch.full) await flush();
      }
      absolute += pos;
      carry = pos < end ? data.slice(pos) : undefined;
      if (stopped) break;
    }
  } catch (e) {
    // A stream that fails part-way (a broken gzip member, a read error) ends the input here.
    truncated = { offset: absolute, record: parser.records, message: `input ended with an error: ${messageOf(e)}` };
  }
  await flush();
  if (!stopped && !truncated && carry && carry.length > 0) {
    truncated = { offset: absolute, record: parser.records, message: `the input ends inside a record (${carry.length} bytes left over)` };
  }
  const summary: CaptureSummary = {
    name: opts.name,
    format: parser.format,
    gzip,
    records: parser.records,
    packets,
    bytes: absolute + (carry?.length ?? 0),
    skipped: skip.toRecord(),
    linkTypes: [...new Set(parser.linkTypes)],
  };
  if (truncated) summary.truncated = truncated;
  if (parser.corrupt) summary.corrupt = parser.corrupt;
  if (firstTs !== undefined) summary.firstTsMicros = firstTs;
  if (lastTs !== undefined) summary.lastTsMicros = lastTs;
  return summary;
}

function parserFor(head: Uint8Array, name: string): RecordParser {
  const le = u32le(head, 0);
  const be = u32be(head, 0);
  if (le === PCAP_MAGIC_US || le === PCAP_MAGIC_NS || be === PCAP_MAGIC_US || be === PCAP_MAGIC_NS) return new PcapParser();
  if (le === PCAPNG_SHB) return new PcapngParser();
  const hex = Array.from(head.subarray(0, 4), (x) => x.toString(16).padStart(2, '0')).join(' ');
  throw new SakimoriError('CAPTURE_BAD_MAGIC', `starts with ${hex}`, { file: name });
}

/** Bytes of a new chunk copied behind a record that straddles two chunks (records are smaller). */
const STITCH_BYTES = 65_536 + 64;

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

async function* countBytes(input: AsyncIterable<Uint8Array>, counted: { raw: number }): AsyncGenerator<Uint8Array> {
  for await (const c of input) {
    counted.raw += c.length;
    yield c;
  }
}

async function* gunzipChunks(s: NodeJS.ReadableStream): AsyncGenerator<Uint8Array> {
  for await (const c of s) yield typeof c === 'string' ? Buffer.from(c) : c;
}

/** Reads at least `n` bytes (unless the input ends) and returns them with a stream that replays them. */
async function peek(input: AsyncIterable<Uint8Array>, n: number): Promise<{ bytes: Uint8Array; stream: AsyncIterable<Uint8Array> }> {
  const it = input[Symbol.asyncIterator]();
  const got: Uint8Array[] = [];
  let len = 0;
  while (len < n) {
    const r = await it.next();
    if (r.done) break;
    got.push(r.value);
    len += r.value.length;
  }
  const bytes = got.length === 1 ? (got[0] as Uint8Array) : got.reduce((a, b) => concat(a, b), new Uint8Array(0));
  async function* replay(): AsyncGenerator<Uint8Array> {
    if (bytes.length > 0) yield bytes;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  }
  return { bytes, stream: replay() };
}
