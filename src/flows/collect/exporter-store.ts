/**
 * Exporter statistics in the state store (flow_exporters, state migration 022), so that
 * `report flows` and the console show them after a restart. Counters are added to what is
 * stored (several collectors and ingests may hear one exporter); the rest is the latest.
 */
import type { StateStore } from '../../store/types.js';
import type { ExportProtocol } from '../datagram.js';
import type { ExporterRow } from './exporter-stats.js';

type Q = Pick<StateStore, 'query'>;

/** An exporter's row as stored: the statistics' counters, its templates, times as ISO 8601. */
export type StoredExporter = Omit<ExporterRow, 'samplingRates' | 'firstSeenMs' | 'lastSeenMs' | 'nextSequence'> & {
  readonly samplingRates: number[];
  readonly templates: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
};

/** Adds the deltas of `ExporterStats.takeDeltas()`; `templates` says how many templates each has now. */
export async function saveExporterDeltas(state: Q, rows: readonly ExporterRow[], templates?: (exporter: string, domain: number) => number): Promise<void> {
  for (const r of rows) {
    await state.query(
      `INSERT INTO flow_exporters (exporter, domain, protocol, datagrams, records, lost, restarts, sampling_rates, records_per_second, templates, next_sequence, first_seen, last_seen)
       VALUES ($1, $2, $3, $4, $5, GREATEST($6::bigint, 0), $7, $8::integer[], $9, $10, $11, to_timestamp($12::double precision / 1000), to_timestamp($13::double precision / 1000))
       ON CONFLICT (exporter, domain, protocol) DO UPDATE SET
         datagrams = flow_exporters.datagrams + EXCLUDED.datagrams,
         records = flow_exporters.records + EXCLUDED.records,
         lost = GREATEST(flow_exporters.lost + $6::bigint, 0),
         restarts = flow_exporters.restarts + EXCLUDED.restarts,
         sampling_rates = ARRAY(SELECT DISTINCT x FROM unnest(flow_exporters.sampling_rates || EXCLUDED.sampling_rates) AS u(x) ORDER BY x LIMIT 16),
         records_per_second = EXCLUDED.records_per_second,
         templates = EXCLUDED.templates,
         next_sequence = EXCLUDED.next_sequence,
         first_seen = LEAST(flow_exporters.first_seen, EXCLUDED.first_seen),
         last_seen = GREATEST(flow_exporters.last_seen, EXCLUDED.last_seen)`,
      [r.exporter, r.domain, r.protocol, r.datagrams, r.records, r.lost, r.restarts, r.samplingRates, r.recordsPerSecond,
        templates?.(r.exporter, r.domain) ?? 0, r.nextSequence, r.firstSeenMs, r.lastSeenMs],
    );
  }
}

interface Row {
  exporter: string; domain: string | number; protocol: ExportProtocol; datagrams: string | number; records: string | number; lost: string | number;
  restarts: string | number; sampling_rates: number[]; records_per_second: number; templates: number; first_seen: string | Date; last_seen: string | Date;
}

const iso = (t: string | Date): string => new Date(t).toISOString();

/** Every exporter heard, busiest first; `seenSinceMs` keeps only those heard since then. */
export async function listExporters(state: Q, seenSinceMs?: number): Promise<StoredExporter[]> {
  const rows = await state.query<Row>(
    `SELECT exporter, domain, protocol, datagrams, records, lost, restarts, sampling_rates, records_per_second, templates, first_seen, last_seen
       FROM flow_exporters WHERE $1::double precision IS NULL OR last_seen >= to_timestamp($1::double precision / 1000)
      ORDER BY records DESC, exporter, domain, protocol`,
    [seenSinceMs ?? null],
  );
  return rows.map((r) => ({
    exporter: r.exporter, domain: Number(r.domain), protocol: r.protocol, datagrams: Number(r.datagrams), records: Number(r.records), lost: Number(r.lost),
    lostUnit: r.protocol === 'netflow5' || r.protocol === 'ipfix' ? 'records' : 'datagrams', restarts: Number(r.restarts),
    samplingRates: r.sampling_rates.map(Number), recordsPerSecond: Number(r.records_per_second), templates: Number(r.templates),
    firstSeen: iso(r.first_seen), lastSeen: iso(r.last_seen),
  }));
}
