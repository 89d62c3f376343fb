/**
 * `sakimori ingest honeypot`: Cowrie JSON, Dionaea JSON or SQLite, and Conpot JSON logs
 * (gzip-compressed or not; `-` for stdin) into honeypot_events, each event exactly once, as the
 * flow ingest does it (ingest/file-batches.ts with HONEYPOT_FILE_TABLES): a file ingested before
 * stores nothing and says so; a run killed in the middle of a file and run again cuts the same
 * batches with the same tokens, so the batches already committed are not sent and what a killed
 * insert left is completed, never doubled, by ClickHouse's insert deduplication. Bad lines are
 * counted by reason with the first line of each; the rest is ingested. Rows go to the store only
 * through writeHoneypotEvents, which fills each source's AS and country.
 */
import { createHash } from 'node:crypto';
import type { EventsStore, StateStore } from '../../store/types.js';
import type { IpEnricher } from '../../enrich/enricher.js';
import type { HoneypotEventRow } from '../../schema/honeypot-event.js';
import { SakimoriError, isSakimoriError, messageOf } from '../../errors.js';
import { openInput } from '../../sources/input.js';
import { countBytes, gunzip, peek } from '../../sources/byte-streams.js';
import { isGzip } from '../../sources/capture-format.js';
import { sourceKeyOf } from '../../ingest/source-key.js';
import type { InputProblem } from '../../sources/record-parser.js';
import { HONEYPOT_FILE_TABLES as T, beginBatch, beginFile, commitBatch, completedFile, finishFile } from '../../ingest/file-batches.js';
import { encodeHoneypotEvents, writeHoneypotBlocks } from '../store/write-events.js';
import type { NativeEventBlock } from '../store/native-events.js';
import type { HoneypotLineReader } from '../readers/line-reader.js';
import { CowrieReader } from '../readers/cowrie.js';
import { DionaeaJsonReader } from '../readers/dionaea-json.js';
import { DionaeaSqliteReader, dionaeaSqliteLines } from '../readers/dionaea-sqlite.js';
import { ConpotReader } from '../readers/conpot.js';
import { DETECT_BYTES, detectHoneypotFormat, type HoneypotFileFormat, type HoneypotFormat } from './detect-format.js';
import { readLines } from './lines.js';

export interface HoneypotIngestDeps {
  readonly events: EventsStore;
  readonly state: StateStore;
  /** Fills src_asn and src_country (the context's enricher). */
  readonly enricher?: IpEnricher;
}

export interface HoneypotIngestProgress { readonly file: string; readonly bytes: number; readonly size?: number; readonly records: number }

export interface HoneypotIngestOptions {
  /** The format of every file; default: by content, per file. */
  readonly format?: HoneypotFormat;
  /** Events per batch (the unit of exactly-once). */
  readonly batchSize?: number;
  readonly onProgress?: (p: HoneypotIngestProgress) => void;
  readonly signal?: AbortSignal;
  /** The time of ingest (tests); default now. */
  readonly now?: () => number;
}

export interface HoneypotFileResult {
  file: string;
  status: 'ingested' | 'already-ingested' | 'failed';
  format?: HoneypotFileFormat;
  gzip?: boolean;
  /** Lines read (rows of the query, for SQLite). */
  lines: number;
  /** Events read from the file. */
  records: number;
  /** Events stored by this run. */
  newRecords: number;
  /** Events already stored by an earlier run (a repeated or resumed file). */
  duplicateRecords: number;
  batches: number;
  bytes: number;
  /** Not stored, by reason. */
  skipped: Record<string, number>;
  /** Stored but odd, by reason. */
  anomalies: Record<string, number>;
  /** Reason → the first line it was seen on. */
  firstLine: Record<string, number>;
  truncated?: InputProblem;
  error?: { code: string; message: string };
}

export interface HoneypotIngestRun {
  seconds: number;
  records: number;
  newRecords: number;
  skipped: Record<string, number>;
  anomalies: Record<string, number>;
  files: HoneypotFileResult[];
}

export const HONEYPOT_BATCH_SIZE = 50_000;
/**
 * A batch is encoded this many rows at a time as it fills: rows kept for a whole batch outlive
 * the garbage collector's young generation and cost a microsecond each to copy (a third of the
 * reader's time); encoded, they are a few buffers outside the heap.
 */
const SEAL_ROWS = 4096;
/** Longer lines are not log events (Cowrie caps what it logs well below this). */
const MAX_LINE = 8 << 20;
const KEY_SCOPE = 'honeypot';

function add(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
}

export async function ingestHoneypotFiles(deps: HoneypotIngestDeps, files: readonly string[], opts: HoneypotIngestOptions = {}): Promise<HoneypotIngestRun> {
  const started = Date.now();
  const results: HoneypotFileResult[] = [];
  for (const file of files) {
    if (opts.signal?.aborted) break;
    results.push(await ingestOne(deps, file, opts));
  }
  const skipped: Record<string, number> = {};
  const anomalies: Record<string, number> = {};
  for (const r of results) { add(skipped, r.skipped); add(anomalies, r.anomalies); }
  return {
    seconds: (Date.now() - started) / 1000,
    records: results.reduce((a, r) => a + r.records, 0),
    newRecords: results.reduce((a, r) => a + r.newRecords, 0),
    skipped, anomalies, files: results,
  };
}

function readerFor(format: HoneypotFileFormat, nowMs: number): HoneypotLineReader {
  switch (format) {
    case 'cowrie': return new CowrieReader(nowMs);
    case 'dionaea-json': return new DionaeaJsonReader(nowMs);
    case 'dionaea-sqlite': return new DionaeaSqliteReader(nowMs);
    case 'conpot': return new ConpotReader(nowMs);
  }
}

/** A token for a batch: the file, its place, and which lines it holds (the same cut of the same file matches). */
function batchToken(key: string, seq: number, n: number, firstLine: number, lastLine: number): string {
  return `honeypot:${createHash('sha256').update(`${key}\0${seq}\0${n}\0${firstLine}\0${lastLine}`).digest('hex')}`;
}

async function ingestOne(deps: HoneypotIngestDeps, file: string, opts: HoneypotIngestOptions): Promise<HoneypotFileResult> {
  const result: HoneypotFileResult = { file, status: 'ingested', lines: 0, records: 0, newRecords: 0, duplicateRecords: 0, batches: 0, bytes: 0, skipped: {}, anomalies: {}, firstLine: {} };
  let reader: HoneypotLineReader | undefined;
  const keep = (): void => {
    if (!reader) return;
    result.skipped = { ...reader.counts.skipped };
    result.anomalies = { ...reader.counts.anomalies };
    result.firstLine = { ...reader.counts.firstLine };
  };
  // The batch being stored while the next is read; awaited before this returns, whatever happens.
  let inflight: Promise<void> = Promise.resolve();
  try {
    const key = await sourceKeyOf(file, KEY_SCOPE);
    const done = key ? await completedFile(deps.state, T, key) : undefined;
    if (done !== undefined) {
      result.status = 'already-ingested';
      result.records = done;
      result.duplicateRecords = done;
      return result;
    }
    const input = openInput(file);
    const raw = { bytes: 0 };
    const first = await peek(countBytes(input.stream, raw), DETECT_BYTES);
    const gzip = isGzip(first.head);
    const { head, stream } = gzip ? await peek(gunzip(first.stream), DETECT_BYTES) : first;
    const format = detectHoneypotFormat(head, input.name, opts.format);
    result.format = format;
    result.gzip = gzip;
    let lines: AsyncIterable<Uint8Array> = stream;
    if (format === 'dionaea-sqlite') {
      if (gzip || file === '-') throw new SakimoriError('IMPORT_BAD_FORMAT', 'a Dionaea SQLite log is read from a plain file: decompress it (or save standard input) first', { file: input.name });
      // sqlite3 reads the file itself: stop reading it here.
      await (stream as AsyncGenerator<Uint8Array>).return?.(undefined);
      lines = dionaeaSqliteLines(file);
    }
    const nowMs = (opts.now ?? Date.now)();
    reader = readerFor(format, nowMs);
    const runKey = key ?? `stream:${nowMs}:${process.pid}:${Math.random().toString(36).slice(2)}`;
    const begun = await beginFile(deps.state, T, { key: runKey, name: input.name, batchSize: opts.batchSize ?? HONEYPOT_BATCH_SIZE, storedAtMs: nowMs });
    const r = reader;
    // The rows of the batch not yet encoded. The array is the batch's identity for the reader (a
    // Cowrie command's outcome is folded into its line's row while both are in one batch), so it
    // is emptied, not replaced, when its rows are encoded, and replaced when the batch is handed over.
    let rows: HoneypotEventRow[] = [];
    let sealed: NativeEventBlock[] = [];
    let sealedRows = 0;
    // Encoded rows whose outcome may still be learnt: a command without one yet.
    let open: { row: HoneypotEventRow; block: NativeEventBlock; index: number }[] = [];
    const encoding = { storedAtMs: begun.storedAtMs, ...(deps.enricher ? { enricher: deps.enricher } : {}) };
    const seal = (): void => {
      if (rows.length === 0) return;
      const block = encodeHoneypotEvents(rows, encoding);
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i] as HoneypotEventRow;
        if (row.kind === 'command' && row.success === undefined) open.push({ row, block, index: i });
      }
      sealed.push(block);
      sealedRows += rows.length;
      rows.length = 0;
    };
    let seq = 0;
    let batchFirst = 1;
    let lastLine = 0;
    // One batch is stored while the next is read (the store works off the event loop); batches
    // still begin, insert and commit strictly in order, so exactly-once is as without the overlap.
    let failure: { error: unknown } | undefined;
    const settle = async (): Promise<void> => {
      await inflight;
      if (failure) throw failure.error;
    };
    const store = async (blocks: NativeEventBlock[], n: number, token: string, s: number): Promise<void> => {
      if (await beginBatch(deps.state, T, { token, key: runKey, seq: s, records: n })) {
        result.duplicateRecords += n;
      } else {
        await writeHoneypotBlocks(deps.events, blocks, token);
        await commitBatch(deps.state, T, token);
        result.newRecords += n;
      }
      opts.onProgress?.({ file, bytes: raw.bytes, ...(input.size !== undefined ? { size: input.size } : {}), records: result.records });
    };
    const flush = async (): Promise<void> => {
      await settle();
      seal();
      if (sealedRows === 0) return;
      if (opts.signal?.aborted) throw new SakimoriError('INGEST_INTERRUPTED', 'stopped before the file was complete; run the same command again to complete it', { file: input.name });
      for (const o of open) if (o.row.success !== undefined) o.block.success[o.index] = o.row.success;
      const blocks = sealed;
      const n = sealedRows;
      const token = batchToken(runKey, seq, n, batchFirst, lastLine);
      result.records += n;
      result.batches++;
      inflight = store(blocks, n, token, seq).catch((e: unknown) => { failure = { error: e }; });
      seq++;
      rows = [];
      sealed = [];
      sealedRows = 0;
      open = [];
      batchFirst = lastLine + 1;
    };
    const summary = await readLines(lines, async (chunk, firstNo) => {
      for (let i = 0; i < chunk.length; i++) {
        const text = chunk[i] as string;
        lastLine = firstNo + i;
        if (text.length === 0 || text.trim() === '') continue;
        r.line(text, lastLine, rows);
        if (rows.length >= SEAL_ROWS) seal();
        if (sealedRows + rows.length >= begun.batchSize) await flush();
      }
    }, { maxLine: MAX_LINE, tooLong: (no) => r.counts.skip('line-too-long', no), ...(opts.signal ? { signal: opts.signal } : {}) });
    r.end();
    await flush();
    await settle();
    if (opts.signal?.aborted) throw new SakimoriError('INGEST_INTERRUPTED', 'stopped before the file was complete; run the same command again to complete it', { file: input.name });
    result.lines = summary.lines;
    result.bytes = raw.bytes;
    keep();
    if (summary.problem) {
      // The sqlite3 command failing is no truncation: the file could not be read.
      if (format === 'dionaea-sqlite') throw new SakimoriError('INPUT_READ_FAILED', summary.problem.message, { file: input.name });
      result.truncated = summary.problem;
    }
    await finishFile(deps.state, T, runKey, { format, records: result.records, bytes: raw.bytes, skipped: result.skipped, problem: summary.problem, anomalies: result.anomalies });
    return result;
  } catch (e) {
    await inflight;
    keep();
    result.status = 'failed';
    result.error = isSakimoriError(e) ? { code: e.code, message: e.message } : { code: 'INTERNAL', message: messageOf(e) };
    return result;
  }
}
