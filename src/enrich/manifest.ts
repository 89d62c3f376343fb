/**
 * `<dataDir>/enrich/manifest.json`: which file each layer was imported from, when, and how it
 * went. Written atomically after the layer's table, so it never names a table that is not there.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LayerKind } from './layer-tables.js';
import { writeFileAtomic } from './layer-file.js';

export type EnrichFormat = 'csv' | 'iptoasn' | 'pfx2as' | 'mmdb';

export interface BadLine {
  /** 1-based line number (MMDB: 0, see `where`). */
  line: number;
  reason: string;
  /** The start of the offending text, or for MMDB the place in the file. */
  text: string;
}

export interface EnrichImportSummary {
  file: string;
  format: EnrichFormat;
  /** The detected variant, e.g. `csv-asn`, `csv-country`, `mmdb:GeoLite2-ASN`. */
  variant: string;
  layer: LayerKind;
  ranges: { v4: number; v6: number };
  /** Lines (MMDB: data records) read. */
  lines: number;
  skippedLines: number;
  /** The first few skipped lines with their numbers. */
  badLines: BadLine[];
  importedAt: string;
}

export interface EnrichManifest {
  layers: Partial<Record<LayerKind, EnrichImportSummary>>;
}

export const enrichDir = (dataDir: string): string => join(dataDir, 'enrich');
export const layerPath = (dataDir: string, kind: LayerKind): string => join(enrichDir(dataDir), `${kind}.bin`);
const manifestPath = (dataDir: string): string => join(enrichDir(dataDir), 'manifest.json');

export async function readManifest(dataDir: string): Promise<EnrichManifest> {
  try {
    const parsed = JSON.parse(await readFile(manifestPath(dataDir), 'utf8')) as Partial<EnrichManifest>;
    return { layers: parsed.layers ?? {} };
  } catch {
    // A missing or unreadable manifest only loses history; the tables themselves are intact.
    return { layers: {} };
  }
}

export async function recordImport(dataDir: string, summary: EnrichImportSummary): Promise<void> {
  const manifest = await readManifest(dataDir);
  manifest.layers[summary.layer] = summary;
  await writeFileAtomic(manifestPath(dataDir), JSON.stringify(manifest, null, 2) + '\n');
}
