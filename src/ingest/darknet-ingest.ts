import { createHash } from 'node:crypto';
import { PacketBatch } from '../decode/packet-batch.js';
import { readCapture, type CaptureSummary } from '../sources/capture.js';
import { openInput } from '../sources/input.js';
import { classifyBatch, type ClassifyOptions } from '../classify/packet-class.js';
import type { Fingerprinter } from '../classify/fingerprints.js';
import type { EventsStore, StateStore } from '../store/types.js';
import { SakimoriError, isSakimoriError, messageOf } from '../errors.js';
import type { SourceEnricher } from './source-enricher.js';
import { NATIVE_STRUCTURE, PacketNativeEncoder, nativeSelectList, type NativeBlock } from './native-packets.js';
import { quote } from '../store/events/sql-literals.js';
import { SourceSorter } from './sort-by-source.js';
import { MergePause } from '../store/events/merge-pause.js';
import { sourceKeyOf } from './source-key.js';
import type { IngestMetrics } from './ingest-metrics.js';
import { BatchAggregator, type BatchAggregates } from './batch-aggregates.js';
import { PACKET_KEY_STRUCTURE, PacketKeyEncoder, PacketKeys, packetKeysInsert } from './packet-keys.js';
import { beginBatch, commitBatch, findOverlap, markStored, storedKeys, type Overlap } from './overlap.js';
import { HOURLY_STRUCTURE, HOUR_SETS_STRUCTURE, SOURCE_DAY_STRUCTURE, SOURCE_HOUR_STRUCTURE, SOURCE_PORT_DAY_STRUCTURE, aggregateInsertSql, type InsertSelect } from './aggregate-blocks.js';

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
  /** Merges paused by the caller, who resumes them (see store/events/merge-pause.ts); default: paused for this call. */
  merges?: MergePause;
  /** Where to count what is stored (the context's registry, ingest/ingest-metrics.ts); default: not counted. */
  metrics?: IngestMetrics;
  /** Days raw packets and packet keys are kept (`darknet.retentionDays`); default 90. */
  retentionDays?: number;
}

export interface FileResult {
  file: string;
  status: 'ingested' | 'already-ingested' | 'failed';
  /** Packets decoded from the file. */
  packets: number;
  /** Packets stored by this run. */
  newPackets: number;
  /**
   * Packets that were already stored, by an earlier run of this input or by another input that
   * overlaps it (a prefix, a continuation, a rotated neighbour), and were not counted again.
   */
  duplicatePackets: number;
  batches: number;
  capture?: CaptureSummary;
  error?: { code: string; message: string };
}

const INSERT_SETTINGS = (token: string, rows: number): Record<string, string | number> => ({
  insert_deduplication_token: token,
  deduplicate_blocks_in_dependent_materialized_views: 1,
  parallel_view_processing: 1,
  // One thread per insert: the other core decodes the next batch meanwhile (two cores fighting
  // over three threads were slower than one each).
  max_threads: 1,
  // Every block is already aggregated by its key (the views' GROUP BY, the ingest's own
  // aggregation): merging it again on insert cost 3-4× the insert of darknet_source_day.
  optimize_on_insert: 0,
  // One batch is one block, so the deduplication token maps to exactly one block per target.
  min_insert_block_size_rows: rows + 1,
  max_insert_block_size: rows + 1,
  min_insert_block_size_bytes: 0,
});

/**
 * Ingests capture files into the darknet tables, each packet exactly once, also when inputs
 * overlap: packets already stored by another input (or an earlier run of this one) are left out
 * of the batch (ingest/overlap.ts, ingest/packet-keys.ts). What remains is inserted with a token,
 * the hash of its encoded rows, by which every target table deduplicates, and the state store
 * records the batch as begun before its inserts and as committed after them. Killing the process
 * at any point and running again converges to the counts of one clean run.
 */
export async function ingestDarknetFiles(deps: IngestDeps, files: readonly string[], opts: IngestOptions): Promise<FileResult[]> {
  const results: FileResult[] = [];
  // A caller that goes on to read what was ingested (daily reports) may hold the pause until then.
  const merges = opts.merges ?? new MergePause(deps.events);
  if (!opts.merges) await merges.begin();
  try {
    for (const file of files) {
      if (opts.signal?.aborted) break;
      const r = await ingestOne(deps, file, opts, merges);
      opts.metrics?.packets.inc({ sensor: opts.sensor }, r.newPackets);
      results.push(r);
    }
  } finally {
    if (!opts.merges) await merges.end();
  }
  return results;
}

async function ingestOne(deps: IngestDeps, file: string, opts: IngestOptions, merges: MergePause): Promise<FileResult> {
  const result: FileResult = { file, status: 'ingested', packets: 0, newPackets: 0, duplicatePackets: 0, batches: 0 };
  try {
    const key = await sourceKeyOf(file, opts.sensor);
    const done = key ? await alreadyIngested(deps.state, key) : undefined;
    if (done !== undefined) {
      result.status = 'already-ingested';
      result.packets = done;
      result.duplicatePackets = done;
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
    const keyEncoders = [0, 1].map(() => new PacketKeyEncoder(batchSize));
    const aggregators = [0, 1].map(() => new BatchAggregator());
    const sorter = new SourceSorter(batchSize);
    const keys = new PacketKeys(batchSize);
    const drop = new Uint8Array(batchSize);
    const retentionDays = opts.retentionDays ?? 90;
    /** Batches this run sent: one input never counts its own packets as already stored. */
    const own = new Set<string>();
    const insertSql = (source: string): InsertSelect => ({
      into: 'INSERT INTO darknet_ingest',
      select: `SELECT ${nativeSelectList(quote(opts.sensor))} FROM ${source}`,
    });
    let inFlight: Promise<void> = Promise.resolve();
    let lastReturn = performance.now();
    let seq = 0;

    interface Pending { block: NativeBlock; keyBlock: NativeBlock; aggs: BatchAggregates; seq: number; lo: number; hi: number; overlap: Overlap }
    /** Stores one batch; `consumed` resolves once its bytes have been handed over. */
    const store = async (p: Pending, consumed: () => void): Promise<void> => {
      const { block, aggs } = p;
      const count = block.rows;
      if (count === 0) {
        consumed();
        return;
      }
      const h = createHash('sha256').update(`${opts.sensor}\0`);
      for (const c of block.chunks) h.update(c);
      const token = h.digest('hex');
      own.add(token);
      const blocking = p.overlap.interrupted.find((b) => b.token !== token);
      if (blocking) {
        consumed();
        throw new SakimoriError(
          'INGEST_INTERRUPTED',
          `an ingest of ${blocking.name} was interrupted in the middle of a batch that overlaps this input; run that ingest again first`,
          { file: input.name, batch: p.seq },
        );
      }
      if (await beginBatch(deps.state, { token, sourceKey: runKey, seq: p.seq, packets: count, sensor: opts.sensor, lo: p.lo, hi: p.hi })) {
        consumed();
        result.duplicatePackets += count;
        return;
      }
      // The aggregate blocks first, then the packets: each insert deduplicates by its own token,
      // so a re-run after a kill anywhere in between re-sends them all and each target keeps one.
      const sensor = quote(opts.sensor);
      const parts = aggregateParts(aggs);
      const spooled = [
        ...parts.map((q) => ({ structure: q.structure, chunks: q.block.chunks })),
        { structure: NATIVE_STRUCTURE, chunks: block.chunks },
        { structure: PACKET_KEY_STRUCTURE, chunks: p.keyBlock.chunks },
      ];
      await withSpooled(deps.events, spooled, async (sources) => {
        consumed();
        const statements = parts
          .map((q, k) => ({ q, k }))
          .filter(({ q }) => q.block.rows > 0)
          .map(({ q, k }) => insertWithSettings(q.sql(sensor, sources[k] as string), INSERT_SETTINGS(`${token}:${q.suffix}`, q.block.rows)));
        statements.push(insertWithSettings(insertSql(sources[parts.length] as string), INSERT_SETTINGS(token, count)));
        // The keys last: a batch whose keys are there has all its other rows too.
        statements.push(insertWithSettings(packetKeysInsert(sensor, sources[parts.length + 1] as string), INSERT_SETTINGS(`${token}:keys`, count)));
        const t0 = performance.now();
        if (deps.events.kind === 'chdb') {
          // One call for all of them: between calls the next one would wait for the event loop,
          // which is busy decoding and sorting the next batch.
          await deps.events.exec(statements.join(';\n'));
        } else {
          for (const sql of statements) await deps.events.exec(sql);
        }
        prof('  inserts', t0);
      });
      await commitBatch(deps.state, token, retentionDays);
      result.newPackets += count;
      await merges.afterBatch();
    };

    const summary = await readCapture(input.stream, {
      name: input.name,
      batch: new PacketBatch(batchSize),
      signal: opts.signal,
      onBatch: async (batch, progress) => {
        prof('decode', lastReturn);
        let t = performance.now();
        const count = batch.length;
        keys.compute(batch);
        const { lo, hi } = timeRange(batch);
        t = prof('keys', t);
        const overlap = await findOverlap(deps.state, { sensor: opts.sensor, lo, hi, runKey, own, retentionDays });
        t = prof('overlap', t);
        let stored = 0;
        if (overlap.keyed || overlap.byTime.length > 0) {
          const known = overlap.keyed ? await storedKeys(deps.events, opts.sensor, overlap.keyed.lo, overlap.keyed.hi) : undefined;
          t = prof('  stored keys', t);
          stored = markStored(batch, keys.key, overlap, known, drop);
          t = prof('  mark stored', t);
        }
        const keyBlock = (keyEncoders[seq % 2] as PacketKeyEncoder).encode(batch, keys.key, stored > 0 ? drop : undefined);
        t = prof('encode keys', t);
        classifyBatch(batch, deps.classify);
        deps.fingerprinter.tagBatch(batch);
        t = prof('classify+tag', t);
        sorter.sort(batch, stored > 0 ? drop : undefined);
        t = prof('sort', t);
        // The block points into the batch, which the reader refills as soon as we return: return
        // once the store has taken the bytes (spool file written), and let the insert run on
        // while the next batch is decoded. At most one insert is in flight.
        const encoder = encoders[seq % 2] as PacketNativeEncoder;
        const block = encoder.encode(batch);
        t = prof('encode', t);
        const aggs = (aggregators[seq % 2] as BatchAggregator).aggregate(batch, encoder);
        t = prof('aggregate', t);
        await inFlight;
        t = prof('wait-insert', t);
        let consumed!: () => void;
        const taken = new Promise<void>((r) => { consumed = r; });
        result.duplicatePackets += stored;
        inFlight = store({ block, keyBlock, aggs, seq, lo, hi, overlap }, consumed);
        inFlight.catch(() => undefined);
        await Promise.race([taken, inFlight]);
        prof('hash+spool', t);
        lastReturn = performance.now();
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

/** `INSERT INTO t SETTINGS … SELECT …`: settings of the insert itself, one statement's own. */
/** A batch's aggregate blocks, each with its structure and the INSERT that reads it, in insert order. */
export function aggregateParts(aggs: BatchAggregates): { structure: string; block: BatchAggregates['hourly']; sql: (sensor: string, source: string) => InsertSelect; suffix: string }[] {
  return [
    { structure: SOURCE_DAY_STRUCTURE, block: aggs.sourceDay, sql: aggregateInsertSql.sourceDay, suffix: 'source_day' },
    { structure: SOURCE_PORT_DAY_STRUCTURE, block: aggs.sourcePortDay, sql: aggregateInsertSql.sourcePortDay, suffix: 'source_port_day' },
    { structure: HOUR_SETS_STRUCTURE, block: aggs.hourSets, sql: aggregateInsertSql.hourSets, suffix: 'hour_sets' },
    { structure: SOURCE_HOUR_STRUCTURE, block: aggs.sourceHour, sql: aggregateInsertSql.sourceHour, suffix: 'source_hour' },
    // After the per-source rows: a day's packets in darknet_hourly are the version of its tag
    // decisions (analyze/tag-hours.ts), which must never count a batch those rows lack.
    { structure: HOURLY_STRUCTURE, block: aggs.hourly, sql: aggregateInsertSql.hourly, suffix: 'hourly' },
  ];
}

function insertWithSettings(q: InsertSelect, settings: Record<string, string | number>): string {
  const list = Object.entries(settings)
    .map(([k, v]) => `${k} = ${typeof v === 'number' ? String(v) : quote(v)}`)
    .join(', ');
  return `${q.into} SETTINGS ${list} ${q.select}`;
}

/** Makes every block readable (`withBatch`, nested) for the duration of `fn`. */
function withSpooled<T>(
  events: EventsStore,
  blocks: readonly { structure: string; chunks: readonly Uint8Array[] }[],
  fn: (sources: string[]) => Promise<T>,
  sources: string[] = [],
): Promise<T> {
  const next = blocks[sources.length];
  if (!next) return fn(sources);
  return events.withBatch('Native', next.structure, next.chunks, (source) => withSpooled(events, blocks, fn, [...sources, source]));
}

const PROFILE = Boolean(process.env['SAKIMORI_PROFILE']);
/** With SAKIMORI_PROFILE set, prints the time since `t0` under `label` on stderr; returns now. */
function prof(label: string, t0: number): number {
  const now = performance.now();
  if (PROFILE) process.stderr.write(`${label} ${Math.round(now - t0)}ms\n`);
  return now;
}

/** The packets of an input that a completed run stored, or undefined when none completed. */
async function alreadyIngested(state: StateStore, key: string): Promise<number | undefined> {
  const rows = await state.query<{ status: string; packets: number | string }>('SELECT status, packets FROM ingest_files WHERE source_key = $1', [key]);
  const row = rows[0];
  return row?.status === 'complete' ? Number(row.packets) : undefined;
}

/** The earliest and latest capture time of a batch (µs). */
function timeRange(b: PacketBatch): { lo: number; hi: number } {
  let lo = Infinity;
  let hi = -Infinity;
  const ts = b.tsMicros;
  for (let i = 0; i < b.length; i++) {
    const t = ts[i] as number;
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  return { lo, hi };
}
