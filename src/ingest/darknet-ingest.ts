import { createHash } from 'node:crypto';
import { PacketBatch } from '../decode/packet-batch.js';
import { readCapture, type CaptureSummary } from '../sources/capture.js';
import { openInput } from '../sources/input.js';
import { classifyBatch, type ClassifyOptions } from '../analyze/packet-class.js';
import type { Fingerprinter } from '../analyze/fingerprints.js';
import type { EventsStore, StateStore } from '../store/types.js';
import { isSakimoriError, messageOf } from '../errors.js';
import type { SourceEnricher } from './rowbinary-packets.js';
import { NATIVE_STRUCTURE, PacketNativeEncoder, nativeSelectList, type NativeBlock } from './native-packets.js';
import { quote } from '../store/events/sql-literals.js';
import { SourceSorter } from './sort-by-source.js';
import { sourceKeyOf } from './source-key.js';

export interface IngestDeps {
  events: EventsStore;
  state: StateStore;
  enricher: SourceEnricher;
  fingerprinter: Fingerprinter;
  classify: ClassifyOptions;
}

export interface IngestOptions {
  sensor: string;
  batchSize: number;
  /** Called as bytes are consumed, for progress bars. */
  onProgress?: (p: { file: string; bytes: number; size?: number; packets: number }) => void;
  signal?: AbortSignal;
}

export interface FileResult {
  file: string;
  status: 'ingested' | 'already-ingested' | 'failed';
  /** Packets decoded from the file. */
  packets: number;
  /** Packets stored by this run (0 for batches that an earlier run had stored). */
  newPackets: number;
  /** Packets in batches already stored by an earlier run, not counted again. */
  duplicatePackets: number;
  batches: number;
  capture?: CaptureSummary;
  error?: { code: string; message: string };
}

const INSERT_SETTINGS = (token: string, rows: number): Record<string, string | number> => ({
  insert_deduplication_token: token,
  deduplicate_blocks_in_dependent_materialized_views: 1,
  parallel_view_processing: 1,
  // One batch is one block, so the deduplication token maps to exactly one block per target.
  min_insert_block_size_rows: rows + 1,
  max_insert_block_size: rows + 1,
  min_insert_block_size_bytes: 0,
});

/**
 * Ingests capture files into the darknet tables, each batch exactly once: a batch's insert token
 * is the hash of its encoded rows, every target table deduplicates by it, and the state store
 * records committed batches. Killing the process at any point and running again converges to the
 * counts of one clean run.
 */
export async function ingestDarknetFiles(deps: IngestDeps, files: readonly string[], opts: IngestOptions): Promise<FileResult[]> {
  const results: FileResult[] = [];
  for (const file of files) {
    if (opts.signal?.aborted) break;
    results.push(await ingestOne(deps, file, opts));
  }
  return results;
}

async function ingestOne(deps: IngestDeps, file: string, opts: IngestOptions): Promise<FileResult> {
  const result: FileResult = { file, status: 'ingested', packets: 0, newPackets: 0, duplicatePackets: 0, batches: 0 };
  try {
    const key = await sourceKeyOf(file, opts.sensor);
    if (key && (await alreadyIngested(deps.state, key))) {
      result.status = 'already-ingested';
      return result;
    }
    const input = openInput(file);
    const runKey = key ?? `stream:${Date.now()}:${process.pid}`;
    // A resumed input keeps the batch size it started with, so its batches (and tokens) are the same.
    const [row] = await deps.state.query<{ batch_size: number | null }>(
      `INSERT INTO ingest_files (source_key, name, sensor, status, started_at, batch_size) VALUES ($1, $2, $3, 'running', now(), $4)
       ON CONFLICT (source_key) DO UPDATE SET status = 'running', started_at = now()
       RETURNING batch_size`,
      [runKey, input.name, opts.sensor, opts.batchSize],
    );
    const batchSize = row?.batch_size ?? opts.batchSize;
    const encoders = [0, 1].map(() => new PacketNativeEncoder(deps.enricher, batchSize));
    const sorter = new SourceSorter(batchSize);
    const insertSql = (source: string): string => `INSERT INTO darknet_ingest SELECT ${nativeSelectList(quote(opts.sensor))} FROM ${source}`;
    let inFlight: Promise<void> = Promise.resolve();
    let seq = 0;

    /** Stores one block; `consumed` resolves once the block's bytes have been handed over. */
    const store = async (block: NativeBlock, batchSeq: number, consumed: () => void): Promise<void> => {
      const count = block.rows;
      const h = createHash('sha256').update(`${opts.sensor}\0`);
      for (const c of block.chunks) h.update(c);
      const token = h.digest('hex');
      const done = await deps.state.query<{ token: string }>('SELECT token FROM ingest_batches WHERE token = $1', [token]);
      if (done.length > 0) {
        consumed();
        result.duplicatePackets += count;
        return;
      }
      await deps.events.withBatch('Native', NATIVE_STRUCTURE, block.chunks, (source) => {
        consumed();
        return deps.events.exec(insertSql(source), undefined, INSERT_SETTINGS(token, count));
      });
      await deps.state.query(
        'INSERT INTO ingest_batches (token, source_key, seq, packets, committed_at) VALUES ($1, $2, $3, $4, now()) ON CONFLICT (token) DO NOTHING',
        [token, runKey, batchSeq, count],
      );
      result.newPackets += count;
    };

    const summary = await readCapture(input.stream, {
      name: input.name,
      batch: new PacketBatch(batchSize),
      signal: opts.signal,
      onBatch: async (batch, progress) => {
        classifyBatch(batch, deps.classify);
        deps.fingerprinter.tagBatch(batch);
        sorter.sort(batch);
        const count = batch.length;
        // The block points into the batch, which the reader refills as soon as we return: return
        // once the store has taken the bytes (spool file written), and let the insert run on
        // while the next batch is decoded. At most one insert is in flight.
        const block = (encoders[seq % 2] as PacketNativeEncoder).encode(batch);
        await inFlight;
        let consumed!: () => void;
        const taken = new Promise<void>((r) => { consumed = r; });
        inFlight = store(block, seq, consumed);
        inFlight.catch(() => undefined);
        await Promise.race([taken, inFlight]);
        seq++;
        result.packets += count;
        result.batches++;
        opts.onProgress?.({ file, bytes: progress.bytes, size: input.size, packets: result.packets });
      },
    });
    await inFlight;
    result.capture = summary;
    await deps.state.query(
      `UPDATE ingest_files SET status = $2, packets = $3, records = $4, bytes = $5, skipped = $6, truncated = $7, finished_at = now()
       WHERE source_key = $1`,
      [runKey, 'complete', summary.packets, summary.records, summary.bytes, JSON.stringify(summary.skipped),
        summary.truncated || summary.corrupt ? JSON.stringify(summary.truncated ?? summary.corrupt) : null],
    );
    return result;
  } catch (e) {
    result.status = 'failed';
    result.error = isSakimoriError(e) ? { code: e.code, message: e.message } : { code: 'INTERNAL', message: messageOf(e) };
    return result;
  }
}

async function alreadyIngested(state: StateStore, key: string): Promise<boolean> {
  const rows = await state.query<{ status: string }>('SELECT status FROM ingest_files WHERE source_key = $1', [key]);
  return rows[0]?.status === 'complete';
}
