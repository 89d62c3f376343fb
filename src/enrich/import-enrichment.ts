/**
 * `importEnrichment`: one file → one layer table in `<dataDir>/enrich/`, replacing that layer
 * atomically, plus a manifest entry. The other layer is left as it was, so an ASN file and a
 * country file from different sources combine.
 *
 * Layer choice with `layer: 'auto'`: ASN when the file carries ASNs (iptoasn and MMDB files may
 * carry both), otherwise country. Ask for `layer: 'country'` to take the countries of such a file.
 */
import { mkdir, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { SakimoriError } from '../errors.js';
import type { BadLineLog } from './bad-lines.js';
import { FORMAT_OF, looksLikeMmdb, sniffTextVariant, VARIANTS_OF } from './detect-format.js';
import { importTextRanges } from './import-text.js';
import { buildLayerTables, rangeCount, type LayerKind } from './layer-tables.js';
import { encodeLayer, writeFileAtomic } from './layer-file.js';
import { enrichDir, layerPath, recordImport, type EnrichFormat, type EnrichImportSummary } from './manifest.js';
import { importMmdb } from './mmdb/import-mmdb.js';
import { EnrichSink } from './range-collector.js';

export interface EnrichImportOptions {
  format?: EnrichFormat;
  layer?: LayerKind | 'auto';
  onProgress?: (lines: number) => void;
}

export async function importEnrichment(dataDir: string, file: string, opts: EnrichImportOptions = {}): Promise<EnrichImportSummary> {
  try {
    if (!(await stat(file)).isFile()) throw new Error('not a regular file');
  } catch (e) {
    const notFound = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new SakimoriError(notFound ? 'INPUT_NOT_FOUND' : 'INPUT_READ_FAILED', notFound ? undefined : String(e), { file });
  }
  const wanted = opts.layer ?? 'auto';
  const sink = new EnrichSink();
  let format: EnrichFormat;
  let variant: string;
  let lines: number;
  let bad: BadLineLog;

  if (opts.format === 'mmdb' || (opts.format === undefined && (await looksLikeMmdb(file)))) {
    const r = await importMmdb(file, sink);
    format = 'mmdb';
    variant = `mmdb:${r.databaseType}`;
    lines = r.networks;
    bad = r.bad;
    opts.onProgress?.(lines);
  } else {
    const allowed = opts.format ? VARIANTS_OF[opts.format] : Object.values(VARIANTS_OF).flat();
    const textVariant = await sniffTextVariant(file, allowed);
    if (textVariant === null) {
      throw new SakimoriError('ENRICH_BAD_FORMAT', `no line matches ${opts.format ?? 'any supported format'} (${allowed.join(', ')})`, { file });
    }
    const r = await importTextRanges(file, textVariant, sink, opts.onProgress);
    format = FORMAT_OF[textVariant];
    variant = textVariant;
    lines = r.lines;
    bad = r.bad;
    if (r.validLines === 0) throw new SakimoriError('ENRICH_BAD_FORMAT', `no valid ${textVariant} line`, { file });
  }

  const layer: LayerKind = wanted !== 'auto' ? wanted : sink.asn.size > 0 ? 'asn' : 'country';
  const ranges = layer === 'asn' ? sink.asn : sink.country;
  if (ranges.size === 0) {
    // Writing an empty table would silently wipe the layer: refuse instead.
    throw new SakimoriError('ENRICH_BAD_FORMAT', `the file holds no ${layer} data`, { file, format });
  }
  const tables = layer === 'asn' ? buildLayerTables('asn', ranges, [], sink.orgs) : buildLayerTables('country', ranges, sink.countries.strings);

  await mkdir(enrichDir(dataDir), { recursive: true });
  await writeFileAtomic(layerPath(dataDir, layer), encodeLayer(tables));
  const summary: EnrichImportSummary = {
    file: basename(file),
    format,
    variant,
    layer,
    ranges: rangeCount(tables),
    lines,
    skippedLines: bad.count,
    badLines: bad.first,
    importedAt: new Date().toISOString(),
  };
  await recordImport(dataDir, summary);
  return summary;
}
