import { PacketBatch } from '../decode/packet-batch.js';
import { SkipCounters } from '../decode/skip-reasons.js';
import { SakimoriError, messageOf } from '../errors.js';
import { countBytes, gunzip, peek } from './byte-streams.js';
import { CarryBuffer } from './carry-buffer.js';
import type { FrameSink } from './frame-sink.js';
import { FORMAT_PROBE_BYTES, captureFormat, isGzip } from './capture-format.js';
import { PcapParser } from './pcap/pcap-parser.js';
import { PcapngParser } from './pcapng/pcapng-parser.js';
import type { InputProblem, RecordParser } from './record-parser.js';

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
  /** Records not stored, per reason ('non-ip', 'ipv4-truncated', 'unknown-interface', …). */
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
  /** File name for messages. */
  name: string;
  /** Reused: the reader calls onBatch when it is full and once at the end if not empty, then resets it. */
  batch: PacketBatch;
  onBatch: (batch: PacketBatch, progress: { bytes: number; records: number }) => Promise<void>;
  /** Aborting stops the reading: readCapture rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Reads a pcap or pcapng capture, gzip-compressed or not, from a stream of chunks.
 *
 * Records are decoded in place from the chunk they are in; only a record that straddles chunks
 * is copied (into a carry buffer). A batch is handed over exactly when it is full, so the same
 * input always gives the same batch boundaries however it is chunked. A wrong magic number
 * throws CAPTURE_BAD_MAGIC before any batch; a cut or broken file keeps every complete record
 * before the damage and says where it was (`truncated`, `corrupt`). Errors thrown by `onBatch`
 * are passed on untouched.
 */
export async function readCapture(input: AsyncIterable<Uint8Array>, opts: ReadCaptureOptions): Promise<CaptureSummary> {
  const { name, batch, signal } = opts;
  const { raw, gzip, format, stream } = await openCapture(input, name, signal);
  const skip = new SkipCounters();
  batch.reset();
  const parser: RecordParser = format === 'pcap' ? new PcapParser(batch, skip) : new PcapngParser(batch, skip);
  let packets = 0;
  let firstTs = Infinity;
  let lastTs = -Infinity;

  const flush = async (): Promise<void> => {
    const n = batch.length;
    if (n === 0) return;
    // Locals in the loop: writing the closure's variables per packet would box every double.
    const ts = batch.tsMicros;
    let lo = firstTs;
    let hi = lastTs;
    for (let i = 0; i < n; i++) {
      const t = ts[i]!;
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
    firstTs = lo;
    lastTs = hi;
    packets += n;
    await opts.onBatch(batch, { bytes: raw.bytes, records: parser.records });
    batch.reset();
    signal?.throwIfAborted();
  };

  const read = await pump(stream, parser, () => batch.full, flush, signal);
  await flush();
  const summary: CaptureSummary = {
    name,
    format,
    gzip,
    records: parser.records,
    packets,
    bytes: read.bytes,
    skipped: skip.toRecord(),
    linkTypes: [...new Set(parser.linkTypes)],
  };
  if (read.truncated) summary.truncated = read.truncated;
  if (parser.corrupt) summary.corrupt = parser.corrupt;
  if (packets > 0) {
    summary.firstTsMicros = firstTs;
    summary.lastTsMicros = lastTs;
  }
  return summary;
}

export type CaptureFramesSummary = Omit<CaptureSummary, 'packets' | 'firstTsMicros' | 'lastTsMicros'>;

export interface ReadCaptureFramesOptions {
  /** File name for messages. */
  name: string;
  /** Takes every captured frame undecoded, in order. */
  sink: FrameSink;
  /** Called when the sink is full and once at the end; the sink must not be full afterwards. */
  onFull: (progress: { bytes: number; records: number }) => Promise<void>;
  signal?: AbortSignal;
}

/**
 * Reads a pcap or pcapng capture (gzip or not) like `readCapture`, handing every frame to a
 * FrameSink where it lies instead of decoding it into a PacketBatch: for readers that look
 * inside frames for something else (flow-export datagrams). Same errors, same `truncated` and
 * `corrupt`.
 */
export async function readCaptureFrames(input: AsyncIterable<Uint8Array>, opts: ReadCaptureFramesOptions): Promise<CaptureFramesSummary> {
  const { name, sink, signal } = opts;
  const { raw, gzip, format, stream } = await openCapture(input, name, signal);
  const skip = new SkipCounters();
  const unused = new PacketBatch(0);
  const parser: RecordParser = format === 'pcap' ? new PcapParser(unused, skip, sink) : new PcapngParser(unused, skip, sink);
  const flush = async (): Promise<void> => {
    await opts.onFull({ bytes: raw.bytes, records: parser.records });
    signal?.throwIfAborted();
  };
  const read = await pump(stream, parser, () => sink.full, flush, signal);
  await flush();
  const summary: CaptureFramesSummary = {
    name, format, gzip, records: parser.records, bytes: read.bytes, skipped: skip.toRecord(), linkTypes: [...new Set(parser.linkTypes)],
  };
  if (read.truncated) summary.truncated = read.truncated;
  if (parser.corrupt) summary.corrupt = parser.corrupt;
  return summary;
}

/** The input's format, with gzip undone; `raw.bytes` counts the bytes read from the input. */
async function openCapture(
  input: AsyncIterable<Uint8Array>, name: string, signal: AbortSignal | undefined,
): Promise<{ raw: { bytes: number }; gzip: boolean; format: 'pcap' | 'pcapng'; stream: AsyncIterable<Uint8Array> }> {
  signal?.throwIfAborted();
  const raw = { bytes: 0 };
  const first = await peekOrFail(countBytes(input, raw), FORMAT_PROBE_BYTES, name, 'INPUT_READ_FAILED');
  const gzip = isGzip(first.head);
  const { head, stream } = gzip ? await peekOrFail(gunzip(first.stream), FORMAT_PROBE_BYTES, name, 'CAPTURE_BAD_MAGIC') : first;
  return { raw, gzip, format: captureFormat(head, name), stream };
}

/**
 * Feeds the stream's chunks to the parser, calling `flush` whenever `full()` says so; returns
 * the (decompressed) bytes consumed and where the input ended early. The caller flushes last.
 */
async function pump(
  stream: AsyncIterable<Uint8Array>, parser: RecordParser, full: () => boolean, flush: () => Promise<void>, signal: AbortSignal | undefined,
): Promise<{ bytes: number; truncated?: InputProblem }> {
  const carry = new CarryBuffer();
  let absolute = 0; // offset in the (decompressed) input of the first byte not yet consumed
  let truncated: InputProblem | undefined;
  const it = stream[Symbol.asyncIterator]();
  try {
    while (!parser.corrupt) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await it.next();
      } catch (e) {
        // A stream failing part-way (a cut or damaged gzip member, a read error) ends the input.
        truncated = { offset: absolute, record: parser.records, message: `the input ended with an error: ${messageOf(e)}` };
        break;
      }
      if (next.done) break;
      signal?.throwIfAborted();
      const chunk = next.value;
      const end = chunk.length;
      let pos = 0;

      // 1. Complete the record that began in an earlier chunk, taking only the bytes it needs.
      while (carry.length > 0 && !parser.corrupt) {
        if (carry.length < parser.want) {
          const take = Math.min(parser.want - carry.length, end - pos);
          carry.append(chunk, pos, take);
          pos += take;
          if (carry.length < parser.want) break; // this chunk is used up
        }
        const n = parser.parse(carry.bytes, 0, carry.length, absolute);
        absolute += n;
        carry.consume(n);
        if (full()) await flush();
        else if (n === 0 && !parser.corrupt && parser.want <= carry.length) {
          throw new Error(`capture parser stalled at offset ${absolute}`); // a bug, never input
        }
      }

      // 2. Every record wholly inside the chunk, decoded where it lies.
      while (carry.length === 0 && !parser.corrupt) {
        const n = parser.parse(chunk, pos, end, absolute);
        pos += n;
        absolute += n;
        if (full()) await flush();
        else {
          if (!parser.corrupt) carry.append(chunk, pos, end - pos); // the start of a straddling record
          break;
        }
      }
    }
  } finally {
    if (parser.corrupt || truncated === undefined) await it.return?.();
  }
  if (!truncated && !parser.corrupt && carry.length > 0) {
    truncated = { offset: absolute, record: parser.records, message: `the input ends inside a record (${carry.length} of ${parser.want} bytes)` };
  }
  return truncated ? { bytes: absolute + carry.length, truncated } : { bytes: absolute + carry.length };
}

/** `peek`, with a failure before the first bytes turned into a SakimoriError naming the file. */
async function peekOrFail(
  input: AsyncIterable<Uint8Array>, n: number, name: string, code: 'INPUT_READ_FAILED' | 'CAPTURE_BAD_MAGIC',
): ReturnType<typeof peek> {
  try {
    return await peek(input, n);
  } catch (e) {
    const what = code === 'CAPTURE_BAD_MAGIC' ? `gzip data that cannot be decompressed: ${messageOf(e)}` : messageOf(e);
    throw new SakimoriError(code, what, { file: name });
  }
}
