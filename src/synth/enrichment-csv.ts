import { parsePrefix4 } from './prefixes.js';
import { formatIPv4, formatIPv6Bytes } from '../net/ip.js';
import { DEFAULT_DARKNET4 } from './darknet-space.js';
import { SourceNetworks, type SynthNetwork } from './source-networks.js';

/**
 * Enrichment tables for the synthetic sources, in ip-location-db's CSV forms (no header):
 *   asn:     ip_range_start,ip_range_end,autonomous_system_number,autonomous_system_organization
 *   country: ip_range_start,ip_range_end,country_code
 * They cover every source any capture of the same seed (and darknet) can contain.
 */
export interface EnrichmentCsv { asn: string; country: string }

export function synthEnrichmentRows(opts: { seed?: number; darknet4?: string[] } = {}): EnrichmentCsv {
  const nets = new SourceNetworks((opts.seed ?? 1) >>> 0, (opts.darknet4 ?? DEFAULT_DARKNET4).map(parsePrefix4));
  const sorted = [...nets.networks].sort((a, b) => a.family - b.family || a.base - b.base);
  const asn: string[] = [];
  const country: string[] = [];
  for (const n of sorted) {
    const [start, end] = bounds(n);
    asn.push(`${start},${end},${n.org.asn},${n.org.name}`);
    country.push(`${start},${end},${n.org.country}`);
  }
  return { asn: `${asn.join('\n')}\n`, country: `${country.join('\n')}\n` };
}

function bounds(n: SynthNetwork): [string, string] {
  if (n.family === 4) return [formatIPv4(n.base), formatIPv4((n.base + n.size - 1) >>> 0)];
  const lo = new Uint8Array(16);
  const hi = new Uint8Array(16).fill(0xff);
  for (let i = 0; i < 4; i++) { lo[i] = (n.base >>> (24 - 8 * i)) & 255; hi[i] = lo[i] as number; }
  return [formatIPv6Bytes(lo), formatIPv6Bytes(hi)];
}

/** Writes the two CSVs to the given streams (not ended). */
export async function synthEnrichmentCsv(opts: { seed?: number; darknet4?: string[] }, out: { asn?: NodeJS.WritableStream; country?: NodeJS.WritableStream }): Promise<void> {
  const rows = synthEnrichmentRows(opts);
  const put = (s: NodeJS.WritableStream | undefined, text: string): Promise<void> =>
    s ? new Promise((resolve, reject) => { s.write(text, (e?: Error | null) => (e ? reject(e) : resolve())); }) : Promise.resolve();
  await Promise.all([put(out.asn, rows.asn), put(out.country, rows.country)]);
}
