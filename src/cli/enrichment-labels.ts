/**
 * AS and country as the CLI prints them. Without the IP → AS and country tables every address
 * has AS 0 and no country: that reads as "unknown", and the command says once how to import them.
 */
import { existsSync } from 'node:fs';
import { layerPath } from '../enrich/manifest.js';

export const asLabel = (asn: number): string => (asn ? `AS${asn}` : 'AS unknown');
export const countryLabel = (cc: string): string => cc || 'country unknown';

/** On standard error, once per command: which tables are missing and how to import them, when the output showed an unknown. */
export function hintMissingEnrichment(dataDir: string, showedUnknown: boolean): void {
  if (!showedUnknown) return;
  const missing = (['asn', 'country'] as const).filter((k) => !existsSync(layerPath(dataDir, k)));
  if (missing.length === 0) return;
  const what = missing.map((k) => (k === 'asn' ? 'IP → AS' : 'IP → country')).join(' and ');
  process.stderr.write(`hint: no ${what} table is imported, so ${missing.map((k) => (k === 'asn' ? 'AS' : 'country')).join(' and ')} show as unknown; `
    + 'import one with `sakimori enrich import <file>` (an ip-location-db or iptoasn CSV, a RouteViews pfx2as file or an MMDB file)\n');
}
