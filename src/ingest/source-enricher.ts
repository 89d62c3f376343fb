/** What the packet encoder (native-packets.ts) needs from enrichment (see enrich/): numbers and interned strings only. */
export interface SourceEnricher {
  asn4(ip: number): number;
  country4(ip: number): string;
  asn6(addr: Uint8Array, offset: number): number;
  country6(addr: Uint8Array, offset: number): string;
}

/** An enricher that knows nothing (no enrichment imported). */
export const NO_ENRICHMENT: SourceEnricher = {
  asn4: () => 0,
  country4: () => '',
  asn6: () => 0,
  country6: () => '',
};
