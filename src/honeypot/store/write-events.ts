/**
 * Writes honeypot events (schema/honeypot-event.ts) into `honeypot_events`: one Native block
 * per call (native-events.ts), each source address enriched (AS, country) once per call. The insert carries a deduplication token, so a retried batch (a re-run after a
 * kill, a sensor's repeated flush) is stored once. Every writer of honeypot events — the file
 * ingests and our own sensor — goes through here.
 */
import { createHash } from 'node:crypto';
import type { EventsStore } from '../../store/types.js';
import type { IpEnricher } from '../../enrich/enricher.js';
import { ipBytes } from '../../net/ip.js';
import { HONEYPOT_EVENT_FIELDS, type HoneypotEventRow } from '../../schema/honeypot-event.js';
import { NATIVE_STRUCTURE, nativeEventChunks } from './native-events.js';

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

/** Stores the rows; returns how many were handed to the store. Rows are completed in place (stored_at, enrichment). */
export async function writeHoneypotEvents(events: EventsStore, rows: HoneypotEventRow[], opts: HoneypotWriteOptions = {}): Promise<number> {
  if (rows.length === 0) return 0;
  const storedAt = storedAtText(opts.storedAtMs ?? Date.now());
  const enricher = opts.enricher && !opts.enricher.empty ? opts.enricher : undefined;
  const seen = new Map<string, { asn: number; country: string }>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as HoneypotEventRow;
    r.stored_at ??= storedAt;
    // The staged block's structure has no defaults: its 0 would read as "failed".
    r.success ??= -1;
    if (enricher && !r.src_asn) {
      let e = seen.get(r.src);
      if (!e) {
        // Readers hand over valid addresses only; an invalid one would fail the insert anyway.
        const b = ipBytes(r.src);
        e = { asn: enricher.asn6(b, 0), country: enricher.country6(b, 0) };
        seen.set(r.src, e);
      }
      if (e.asn) r.src_asn = e.asn;
      if (e.country && !r.src_country) r.src_country = e.country;
    }
  }
  const chunks = nativeEventChunks(rows);
  let token = opts.token;
  if (token === undefined) {
    const h = createHash('sha256');
    for (const c of chunks) h.update(c);
    token = `honeypot:${h.digest('hex')}`;
  }
  await events.withBatch('Native', NATIVE_STRUCTURE, chunks, (source) =>
    events.exec(`INSERT INTO honeypot_events (${COLUMNS}) SELECT ${COLUMNS} FROM ${source}`, {}, {
      insert_deduplication_token: token,
      min_insert_block_size_rows: rows.length + 1,
      max_insert_block_size: rows.length + 1,
      min_insert_block_size_bytes: 0,
    }),
  );
  return rows.length;
}
