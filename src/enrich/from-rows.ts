/**
 * Builds an enricher in memory from plain rows: for tests, benchmarks and callers that already
 * hold their data. Rows go through the same flattening as imported files (nested ranges: the more
 * specific one wins).
 */
import { createEnricher, type IpEnricher } from './enricher.js';
import { parseIp } from '../net/ip.js';
import { buildLayerTables, type LayerTables } from './layer-tables.js';
import { EnrichSink, type RangeCollector } from './range-collector.js';

/** `start`/`end`: IP text of either family, or an IPv4 address as an unsigned 32-bit number. */
export interface AsnRow {
  start: string | number;
  end: string | number;
  asn: number;
  org?: string;
}

export interface CountryRow {
  start: string | number;
  end: string | number;
  country: string;
}

export interface EnrichRows {
  asn?: readonly AsnRow[];
  country?: readonly CountryRow[];
}

export function layersFromRows(rows: EnrichRows): { asn: LayerTables; country: LayerTables } {
  const sink = new EnrichSink();
  for (const r of rows.asn ?? []) {
    addRow(sink.asn, r.start, r.end, r.asn);
    sink.addOrg(r.asn, r.org ?? '');
  }
  for (const r of rows.country ?? []) addRow(sink.country, r.start, r.end, sink.countryIndex(r.country));
  return {
    asn: buildLayerTables('asn', sink.asn, [], sink.orgs),
    country: buildLayerTables('country', sink.country, sink.countries.strings),
  };
}

export function enricherFromRows(rows: EnrichRows): IpEnricher {
  return createEnricher(layersFromRows(rows));
}

function addRow(into: RangeCollector, start: string | number, end: string | number, value: number): void {
  if (value === 0) return;
  if (typeof start === 'number' && typeof end === 'number') {
    into.add4(start >>> 0, end >>> 0, value);
    return;
  }
  const s = parseIp(String(start));
  const e = parseIp(String(end));
  if (s === null || e === null || s.family !== e.family) throw new RangeError(`bad row ${start}-${end}`);
  if (s.family === 4 && e.family === 4) into.add4(s.value, e.value, value);
  else if (s.family === 6 && e.family === 6) into.add6(s.value, e.value, value);
}
