/**
 * Writes service observations to the events store: enriched with ASN, organisation and country
 * when the finding has none, as one JSONEachRow block per call, deduplicated by a token so that a
 * re-import or a resumed survey batch counts nothing twice.
 */
import { createHash } from 'node:crypto';
import type { EventsStore } from '../store/types.js';
import type { IpEnricher } from '../enrich/index.js';
import { ipBytes } from '../enrich/index.js';
import { SERVICE_FIELDS, serviceStructure, type ServiceRow } from '../schema/service-observation.js';
import type { ServicePostProcessor } from './post-process.js';

export interface ServiceWriteOptions {
  /**
   * Same token, same rows → stored once. Give one that names the input and the batch
   * (file hash + batch number, run id + batch number); default: hash of the rows' JSON.
   */
  dedupToken?: string;
  /** Run on each row, in order, before enrichment (fingerprint rules, CVEs): see post-process.ts. */
  postProcessors?: readonly ServicePostProcessor[];
}

const STRUCTURE = serviceStructure();
const COLUMNS = SERVICE_FIELDS.map((f) => f.name).join(', ');

/** Fills asn/org/country from the enrichment tables where the row has none. */
export function enrichServiceRow(row: ServiceRow, enricher: IpEnricher): void {
  if (enricher.empty || row.asn !== 0) return;
  const b = ipBytes(row.ip);
  row.asn = enricher.asn6(b, 0);
  if (!row.country) row.country = enricher.country6(b, 0);
  if (!row.org && row.asn) row.org = enricher.orgOfAsn(row.asn);
}

/** Returns the number of rows handed to the store (0 for an empty batch). */
export async function writeServices(
  events: EventsStore,
  enricher: IpEnricher,
  rows: readonly ServiceRow[],
  opts: ServiceWriteOptions = {},
): Promise<number> {
  if (rows.length === 0) return 0;
  const lines: string[] = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as ServiceRow;
    if (opts.postProcessors) for (const p of opts.postProcessors) p(r);
    enrichServiceRow(r, enricher);
    lines[i] = JSON.stringify(r);
  }
  const body = Buffer.from(lines.join('\n') + '\n');
  const token = opts.dedupToken ?? createHash('sha256').update(body).digest('hex');
  await events.withBatch('JSONEachRow', STRUCTURE, [body], (source) =>
    events.exec(`INSERT INTO services (${COLUMNS}) SELECT ${COLUMNS} FROM ${source}`, {}, {
      insert_deduplication_token: token,
      deduplicate_blocks_in_dependent_materialized_views: 1,
      min_insert_block_size_rows: rows.length + 1,
      max_insert_block_size: rows.length + 1,
      min_insert_block_size_bytes: 0,
      date_time_input_format: 'best_effort',
    }),
  );
  return rows.length;
}
