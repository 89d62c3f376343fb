/**
 * Ingest's own metrics, defined on the registry it is given (each component defines its own, so
 * no layer imports another's globals). One set per registry: prom-client refuses a name twice.
 */
import { Counter, type Registry } from 'prom-client';

export interface IngestMetrics {
  /** Darknet packets stored (new ones: a re-read file adds nothing). */
  readonly packets: Counter<'sensor'>;
}

const made = new WeakMap<Registry, IngestMetrics>();

export function ingestMetrics(registry: Registry): IngestMetrics {
  let m = made.get(registry);
  if (!m) {
    m = {
      packets: new Counter({ name: 'sakimori_ingested_packets_total', help: 'Darknet packets stored', labelNames: ['sensor'], registers: [registry] }),
    };
    made.set(registry, m);
  }
  return m;
}
