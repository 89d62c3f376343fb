/** `loadEnricher`: the layers imported into a data directory, ready for lookups. */
import { createEnricher, type IpEnricher } from './enricher.js';
import { readLayerFile } from './layer-file.js';
import { layerPath } from './manifest.js';

/** An empty enricher when nothing was imported yet; a corrupt table is an ENRICH_BAD_FORMAT error. */
export async function loadEnricher(dataDir: string): Promise<IpEnricher> {
  const [asn, country] = await Promise.all([readLayerFile(layerPath(dataDir, 'asn')), readLayerFile(layerPath(dataDir, 'country'))]);
  return createEnricher({ asn: asn?.kind === 'asn' ? asn : undefined, country: country?.kind === 'country' ? country : undefined });
}
