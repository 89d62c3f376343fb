/** Enrichment: IP → ASN, organisation, country, from imported CSV, iptoasn, pfx2as and MMDB files. */
export { createEnricher, type EnricherLayers, type IpEnricher } from './enricher.js';
export { enricherFromRows, layersFromRows, type AsnRow, type CountryRow, type EnrichRows } from './from-rows.js';
export { importEnrichment, type EnrichImportOptions } from './import-enrichment.js';
export { loadEnricher } from './load-enricher.js';
export { readManifest, type BadLine, type EnrichFormat, type EnrichImportSummary, type EnrichManifest } from './manifest.js';
export type { LayerKind, LayerTables, RangeTable4, RangeTable6 } from './layer-tables.js';
