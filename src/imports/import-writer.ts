/**
 * Stores one import batch. Rows with content beyond the port (banners, HTTP, TLS, SSH, nmap
 * versions) go through `writeServices`, the one writer of service observations. Port-only rows
 * (ZMap, Masscan status records: most of a large survey) go through a narrow insert of the
 * columns they use — the rest take their column defaults, which are exactly `serviceRow`'s — with
 * the same enrichment, settings and deduplication token. Sending 11 columns instead of 52
 * is what keeps a million-row ZMap file at a few seconds (docs/imports.md gives the figures).
 */
import type { EventsStore } from '../store/types.js';
import type { IpEnricher } from '../enrich/index.js';
import type { ServiceFinding, ServiceRow } from '../schema/service-observation.js';
import { enrichServiceRow, writeServices } from '../services/service-writer.js';
import { batchRows, type RowBatch } from './collector.js';

const NARROW_COLUMNS = 'time, ip, port, transport, source, run_id, status, service, asn, org, country';
const NARROW_STRUCTURE = "time DateTime64(3, 'UTC'), ip IPv6, port UInt16, transport LowCardinality(String), source LowCardinality(String), run_id String, status LowCardinality(String), service LowCardinality(String), asn UInt32, org String, country String";

export interface BatchWriter {
  (batch: RowBatch, token: string): Promise<number>;
}

export function importWriter(events: EventsStore, enricher: IpEnricher): BatchWriter {
  return (batch, token) => (batch.rich ? writeServices(events, enricher, batchRows(batch), { dedupToken: token }) : writeNarrow(events, enricher, batch.findings, token, batch.now));
}

/** JSON of a string, with a cache for the few distinct values a column such as org repeats. */
function strCache(): (s: string) => string {
  const m = new Map<string, string>();
  return (s) => {
    let j = m.get(s);
    if (j === undefined) {
      j = JSON.stringify(s);
      if (m.size < 100_000) m.set(s, j);
    }
    return j;
  };
}

/**
 * Port-only findings (CORE_FIELDS) or rows: the columns a port-only row has, the others left to
 * their defaults. Enriched as writeServices enriches (enrichServiceRow on the same few fields).
 */
export async function writeNarrow(events: EventsStore, enricher: IpEnricher, rows: readonly (ServiceFinding | ServiceRow)[], token: string, now: number = Date.now()): Promise<number> {
  if (rows.length === 0) return 0;
  const str = strCache();
  const parts: string[] = new Array<string>(rows.length);
  const e = { ip: '', asn: 0, country: '', org: '' };
  const tails = new Map<string, string>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as ServiceFinding;
    e.ip = r.ip;
    e.asn = r.asn ?? 0;
    e.country = r.country ?? '';
    e.org = r.org ?? '';
    if (!enricher.empty) enrichServiceRow(e as ServiceRow, enricher);
    const t = r.time ?? now;
    const time = typeof t === 'number' ? t : JSON.stringify(t);
    // ip has been checked (digits, hex, '.', ':'), transport and status are from a fixed set. The
    // rest of a row repeats from row to row: its JSON is made once per distinct combination.
    const tailKey = `${r.transport}|${r.status ?? 'open'}|${r.service ?? ''}|${e.asn}|${e.country}|${e.org}|${r.source ?? ''}|${r.run_id ?? ''}`;
    let tail = tails.get(tailKey);
    if (tail === undefined) {
      tail = `,"transport":"${r.transport}","source":${str(r.source ?? '')},"run_id":${str(r.run_id ?? '')},"status":"${r.status ?? 'open'}","service":${str(r.service ?? '')},"asn":${e.asn},"org":${str(e.org)},"country":${str(e.country)}}`;
      if (tails.size < 100_000) tails.set(tailKey, tail);
    }
    parts[i] = `{"time":${time},"ip":"${r.ip}","port":${r.port}${tail}`;
  }
  const body = Buffer.from(parts.join('\n') + '\n');
  await events.withBatch('JSONEachRow', NARROW_STRUCTURE, [body], (source) =>
    events.exec(`INSERT INTO services (${NARROW_COLUMNS}) SELECT ${NARROW_COLUMNS} FROM ${source}`, {}, {
      // As writeServices: one block per batch so that the token names exactly these rows.
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
