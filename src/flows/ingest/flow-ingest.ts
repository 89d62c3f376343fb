/**
 * `sakimori ingest flows`: flow files (pcap/pcapng of export datagrams, Argus CSV, Zeek
 * conn.log, nfdump CSV; gzip-compressed or not; `-` for stdin) into flows_raw and its hourly
 * aggregates, each record exactly once. The files of one command are one stream, in order, with
 * one decoding (one template cache: a v9/IPFIX template in the first file decodes the data of
 * the next). A file ingested before stores nothing and says so; a run killed in the middle of a
 * file and run again sends the same batches with the same tokens (ingest/file-batches.ts), and
 * what a killed insert left is completed, never doubled, by ClickHouse's insert deduplication.
 * Bad input is counted by reason and said where; the rest is ingested.
 */
import { createHash } from 'node:crypto';
import type { EventsStore, StateStore } from '../../store/types.js';
import type { CidrSet } from '../../net/cidr-set.js';
import { SakimoriError, isSakimoriError, messageOf } from '../../errors.js';
import { openInput } from '../../sources/input.js';
import { countBytes, gunzip, peek } from '../../sources/byte-streams.js';
import { isGzip } from '../../sources/capture-format.js';
import { sourceKeyOf } from '../../ingest/source-key.js';
import type { InputProblem } from '../../sources/record-parser.js';
import { FlowBatch } from '../flow-batch.js';
import { FlowSkipCounters } from '../flow-skips.js';
import type { FlowDecoding } from '../flow-decoding.js';
import type { FlowFileFormat, FlowReadSummary } from '../reader.js';
import { writeFlows } from '../store/write-flows.js';
import { ExporterStats, type ExporterRow } from '../collect/exporter-stats.js';
import { saveExporterDeltas } from '../collect/exporter-store.js';
import { DETECT_BYTES, detectFlowFormat } from './detect-format.js';
import { FLOW_FILE_TABLES as T, beginBatch, beginFile, commitBatch, completedFile, finishFile } from '../../ingest/file-batches.js';

export interface FlowIngestDeps {
  readonly events: EventsStore;
  readonly state: StateStore;
  /** A fresh decoding for this command (flows/decoders.ts). */
  readonly decoding: FlowDecoding;
}

export interface FlowIngestProgress { readonly file: string; readonly bytes: number; readonly size?: number; readonly records: number }

export interface FlowIngestOptions {
  /** The format of every file; default: by content, per file. */
  readonly format?: FlowFileFormat;
  readonly internal?: CidrSet | null;
  readonly keepDays: number;
  readonly aggregateKeepDays: number;
  /** Records per batch (the unit of exactly-once). */
  readonly batchSize: number;
  /** IANA time zone of Argus time stamps, which carry none (default UTC). */
  readonly timeZone?: string;
  readonly onProgress?: (p: FlowIngestProgress) => void;
  readonly signal?: AbortSignal;
  /** The time of ingest (tests); default now. */
  readonly now?: () => number;
}

export interface FlowFileResult {
  file: string;
  status: 'ingested' | 'already-ingested' | 'failed';
  format?: FlowFileFormat;
  gzip?: boolean;
  /** Flow records read from the file. */
  records: number;
  /** Records stored by this run. */
  newRecords: number;
  /** Records already stored by an earlier run (a repeated or resumed file). */
  duplicateRecords: number;
  batches: number;
  bytes: number;
  /** Lines, capture records or datagrams seen. */
  units: number;
  skipped: Record<string, number>;
  truncated?: InputProblem;
  corrupt?: InputProblem;
  error?: { code: string; message: string };
}

export interface FlowIngestRun {
  seconds: number;
  records: number;
  newRecords: number;
  skipped: Record<string, number>;
  files: FlowFileResult[];
  exporters: ExporterRow[];
}

/** Files of one command: the key under which flow files are known (not a darknet sensor). */
const KEY_SCOPE = 'flows';

export async function ingestFlowFiles(deps: FlowIngestDeps, files: readonly string[], opts: FlowIngestOptions): Promise<FlowIngestRun> {
  const started = Date.now();
  const stats = new ExporterStats();
  const results: FlowFileResult[] = [];
  for (let k = 0; k < files.length; k++) {
    if (opts.signal?.aborted) break;
    const file = files[k] as string;
    results.push(await ingestOne(deps, file, opts, stats, k < files.length - 1));
  }
  const exporters = stats.rows();
  await saveExporterDeltas(deps.state, stats.takeDeltas(), deps.decoding.templateCount?.bind(deps.decoding));
  const skipped: Record<string, number> = {};
  for (const r of results) for (const [reason, n] of Object.entries(r.skipped)) skipped[reason] = (skipped[reason] ?? 0) + n;
  return {
    seconds: (Date.now() - started) / 1000,
    records: results.reduce((a, r) => a + r.records, 0),
    newRecords: results.reduce((a, r) => a + r.newRecords, 0),
    skipped, files: results, exporters,
  };
}

/** A token for a batch: the file, its place, and what it holds (so a different cut never matches). */
function batchToken(key: string, seq: number, b: FlowBatch): string {
  const n = b.length;
  const h = createHash('sha256').update(`${key}\0${seq}\0${n}\0`);
  h.update(b.src16.subarray(0, n * 16)).update(b.dst16.subarray(0, n * 16));
  h.update(new Uint8Array(b.startMs.buffer, 0, n * 8)).update(new Uint8Array(b.octets.buffer, 0, n * 8));
  return `flows:${h.digest('hex')}`;
}

async function ingestOne(deps: FlowIngestDeps, file: string, opts: FlowIngestOptions, stats: ExporterStats, more: boolean): Promise<FlowFileResult> {
  const result: FlowFileResult = { file, status: 'ingested', records: 0, newRecords: 0, duplicateRecords: 0, batches: 0, bytes: 0, units: 0, skipped: {} };
  const skips = new FlowSkipCounters();
  try {
    const key = await sourceKeyOf(file, KEY_SCOPE);
    const done = key ? await completedFile(deps.state, T, key) : undefined;
    // A file already stored is read again only when a later file may need its templates.
    const replayOnly = done !== undefined;
    if (replayOnly) {
      result.status = 'already-ingested';
      result.records = done;
      result.duplicateRecords = done;
      if (!more) return result;
    }
    const input = openInput(file);
    const raw = { bytes: 0 };
    const first = await peek(countBytes(input.stream, raw), DETECT_BYTES);
    const gzip = isGzip(first.head);
    const { head, stream } = gzip ? await peek(gunzip(first.stream), DETECT_BYTES) : first;
    const format = opts.format ?? detectFlowFormat(head, input.name);
    result.format = format;
    result.gzip = gzip;
    const reader = deps.decoding.readers[format];
    if (!reader) throw new SakimoriError('IMPORT_BAD_FORMAT', `this build has no ${format} reader`, { file: input.name });
    if (replayOnly && format !== 'pcap') return result;

    const runKey = key ?? `stream:${Date.now()}:${process.pid}:${Math.random().toString(36).slice(2)}`;
    const begun = replayOnly
      ? { batchSize: opts.batchSize, storedAtMs: 0 }
      : await beginFile(deps.state, T, { key: runKey, name: input.name, batchSize: opts.batchSize, storedAtMs: (opts.now ?? Date.now)() });
    let seq = 0;
    const summary: FlowReadSummary = await reader(stream, {
      name: input.name,
      batch: new FlowBatch(begun.batchSize),
      skips,
      timeZone: opts.timeZone ?? 'UTC',
      ...(opts.signal ? { signal: opts.signal } : {}),
      decodeDatagram: deps.decoding.decode,
      onDatagram: (s, exporter) => { if (!replayOnly) stats.observe(s, exporter, Date.now()); },
      onBatch: async (batch) => {
        if (replayOnly) return;
        const n = batch.length;
        const token = batchToken(runKey, seq, batch);
        result.records += n;
        result.batches++;
        if (await beginBatch(deps.state, T, { token, key: runKey, seq, records: n })) {
          result.duplicateRecords += n;
        } else {
          await writeFlows(deps.events, batch, { token, storedAtMs: begun.storedAtMs, keepDays: opts.keepDays, aggregateKeepDays: opts.aggregateKeepDays, internal: opts.internal ?? null });
          await commitBatch(deps.state, T, token);
          result.newRecords += n;
        }
        seq++;
        opts.onProgress?.({ file, bytes: raw.bytes, ...(input.size !== undefined ? { size: input.size } : {}), records: result.records });
      },
    });
    if (replayOnly) return result;
    result.units = summary.units;
    result.bytes = summary.bytes;
    result.skipped = skips.toRecord();
    if (summary.truncated) result.truncated = summary.truncated;
    if (summary.corrupt) result.corrupt = summary.corrupt;
    await finishFile(deps.state, T, runKey, { format, records: result.records, bytes: summary.bytes, skipped: result.skipped, problem: summary.truncated ?? summary.corrupt });
    return result;
  } catch (e) {
    result.status = 'failed';
    result.skipped = skips.toRecord();
    result.error = isSakimoriError(e) ? { code: e.code, message: e.message } : { code: 'INTERNAL', message: messageOf(e) };
    return result;
  }
}
