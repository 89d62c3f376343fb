/**
 * Writes honeypot events (schema/honeypot-event.ts) into `honeypot_events`: one Native block
 * per call (native-events.ts), each source address enriched (AS, country) once per call. The insert carries a deduplication token, so a retried batch (a re-run after a
 * kill, a sensor's repeated flush) is stored once. Every writer of honeypot events — the file
 * ingests and our own sensor — goes through here.
 */
import { createHash } from 'node:crypto';
import type { EventsStore } from '../../store/types.js';
import type { IpEnricher } from '../../enrich/enricher.js';
import { HONEYPOT_EVENT_FIELDS, type HoneypotEventRow } from '../../schema/honeypot-event.js';
import { NATIVE_STRUCTURE, nativeEventBlock, type NativeEventBlock } from './native-events.js';

const COLUMNS = HONEYPOT_EVENT_FIELDS.map((f) => f.name).join(', ');

export interface HoneypotWriteOptions {
  /** The insert's deduplication token; default: a hash of the block. */
  readonly token?: string;
  /** Time of storing (ms); default now. Fixed per file by the ingest so a re-run sends the same block. */
  readonly storedAtMs?: number;
  /** Fills src_asn and src_country where a row has none. */
  readonly enricher?: IpEnricher;
}

/** ISO 8601 UTC with the seconds only (the stored_at column is whole seconds). */
export function storedAtText(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The rows as one Native block, completed as the writer completes them (stored_at, success, AS and country; the rows are not changed). */
export function encodeHoneypotEvents(rows: readonly HoneypotEventRow[], opts: Omit<HoneypotWriteOptions, 'token'> = {}): NativeEventBlock {
  const enricher = opts.enricher && !opts.enricher.empty ? opts.enricher : undefined;
  return nativeEventBlock(rows, {
    storedAt: storedAtText(opts.storedAtMs ?? Date.now()),
    ...(enricher ? { enrich: (b: Uint8Array) => ({ asn: enricher.asn6(b, 0), country: enricher.country6(b, 0) }) } : {}),
  });
}

/** Stores the rows; returns how many were handed to the store. */
export async function writeHoneypotEvents(events: EventsStore, rows: readonly HoneypotEventRow[], opts: HoneypotWriteOptions = {}): Promise<number> {
  if (rows.length === 0) return 0;
  return writeHoneypotBlocks(events, [encodeHoneypotEvents(rows, opts)], opts.token);
}

/**
 * Stores blocks made by encodeHoneypotEvents as one insert (one token, one part): a large batch
 * is encoded a few thousand rows at a time, so that its rows die young instead of being copied
 * by the garbage collector while the batch fills.
 */
export async function writeHoneypotBlocks(events: EventsStore, blocks: readonly NativeEventBlock[], token?: string): Promise<number> {
  const rows = blocks.reduce((n, b) => n + b.rows, 0);
  if (rows === 0) return 0;
  const chunks = blocks.flatMap((b) => b.chunks);
  let t = token;
  if (t === undefined) {
    const h = createHash('sha256');
    for (const c of chunks) h.update(c);
    t = `honeypot:${h.digest('hex')}`;
  }
  await events.withBatch('Native', NATIVE_STRUCTURE, chunks, (source) =>
    events.exec(`INSERT INTO honeypot_events (${COLUMNS}) SELECT ${COLUMNS} FROM ${source}`, {}, {
      insert_deduplication_token: t,
      min_insert_block_size_rows: rows + 1,
      max_insert_block_size: rows + 1,
      min_insert_block_size_bytes: 0,
    }),
  );
  return rows;
}
