/**
 * The flow collector's metrics on the registry it is given (each component defines its own, as
 * ingest/ingest-metrics.ts does; one set per registry).
 */
import { Counter, type Registry } from 'prom-client';

export interface CollectMetrics {
  readonly datagrams: Counter<'protocol'>;
  readonly records: Counter;
  /** Datagrams not decoded (a skip reason) or not kept (the write queue was full). */
  readonly dropped: Counter<'reason'>;
  readonly stored: Counter;
}

const made = new WeakMap<Registry, CollectMetrics>();

export function collectMetrics(registry: Registry): CollectMetrics {
  let m = made.get(registry);
  if (!m) {
    m = {
      datagrams: new Counter({ name: 'sakimori_flow_datagrams_total', help: 'Flow export datagrams received and decoded, by protocol', labelNames: ['protocol'], registers: [registry] }),
      records: new Counter({ name: 'sakimori_flow_records_total', help: 'Flow records decoded by the collector', registers: [registry] }),
      dropped: new Counter({ name: 'sakimori_flow_dropped_total', help: 'Flow datagrams dropped (undecodable, or the write queue full) and records lost to a failed write', labelNames: ['reason'], registers: [registry] }),
      stored: new Counter({ name: 'sakimori_flow_stored_records_total', help: 'Flow records stored by the collector', registers: [registry] }),
    };
    made.set(registry, m);
  }
  return m;
}
