/**
 * Stores one import batch. Rows with content beyond the port (banners, HTTP, TLS, SSH, nmap
 * versions) go through the service writer (`prepareFindings`, `storeServices`), the one writer of service observations. Port-only rows
 * (ZMap, Masscan status records: most of a large survey) go through a narrow insert of the
 * columns they use — the rest take their column defaults, which are exactly `serviceRow`'s — with
 * the same enrichment, settings and deduplication token: 11 columns as RowBinary instead of 52 as
 * JSON (docs/imports.md gives the figures).
 */
import type { EventsStore } from '../store/types.js';
import type { IpEnricher } from '../enrich/index.js';
import type { ServiceFinding, ServiceRow } from '../schema/service-observation.js';
import { prepareFindings, storeServices } from '../services/service-writer.js';
import type { RowBatch } from './collector.js';
import { NARROW_ROW_STRUCTURE, NARROW_SELECT, NARROW_TARGET_COLUMNS, NarrowRowEncoder, type NarrowBlock } from './narrow-rows.js';

/**
 * Stores one batch, after every batch handed to it before (a failed one fails those after it).
 * It may prepare the batch at once; the caller holds at most two unfinished calls.
 */
export interface BatchWriter {
  (batch: RowBatch, token: string): Promise<number>;
}

export function importWriter(events: EventsStore, enricher: IpEnricher): BatchWriter {
  // Two encoders in turn: one batch is encoded while the one before it is stored.
  const encoders = [new NarrowRowEncoder(enricher), new NarrowRowEncoder(enricher)];
  let turn = 0;
  let last: Promise<unknown> = Promise.resolve();
  return (batch, token) => {
    const prev = last;
    let done: Promise<number>;
    if (batch.rich) {
      const prepared = prepareFindings(enricher, batch.findings, batch.now, { dedupToken: token });
      done = prev.then(() => storeServices(events, prepared));
    } else {
      const block = (encoders[turn++ % 2] as NarrowRowEncoder).encode(batch.findings, batch.now);
      done = prev.then(() => storeNarrow(events, block, token));
    }
    last = done;
    return done;
  };
}

/**
 * Port-only findings (CORE_FIELDS) or rows: the columns a port-only row has, the others left to
 * their defaults, sent as RowBinary (narrow-rows.ts). Enriched as writeServices enriches.
 */
export async function writeNarrow(events: EventsStore, enricher: IpEnricher, rows: readonly (ServiceFinding | ServiceRow)[], token: string, now: number = Date.now()): Promise<number> {
  return storeNarrow(events, new NarrowRowEncoder(enricher).encode(rows, now), token);
}

async function storeNarrow(events: EventsStore, block: NarrowBlock, token: string): Promise<number> {
  const rows = block.rows;
  if (rows === 0) return 0;
  await events.withBatch('RowBinary', NARROW_ROW_STRUCTURE, [block.bytes], (source) =>
    events.exec(`INSERT INTO services (${NARROW_TARGET_COLUMNS}) SELECT ${NARROW_SELECT} FROM ${source}`, {}, {
      // As writeServices: one block per batch so that the token names exactly these rows.
      insert_deduplication_token: token,
      deduplicate_blocks_in_dependent_materialized_views: 1,
      min_insert_block_size_rows: rows + 1,
      max_insert_block_size: rows + 1,
      min_insert_block_size_bytes: 0,
      // Collapsing a block with no repeated key finds nothing and costs most of the current
      // view's insert; with repeats it must run, so that one part never holds two rows of a key.
      ...(block.uniqueKeys ? { optimize_on_insert: 0 } : {}),
    }),
  );
  return rows;
}
