import { Registry } from 'prom-client';
import type { Config } from '../config/schema.js';
import { openStores } from '../store/open-stores.js';
import type { EventsStore, StateStore } from '../store/types.js';
import { loadEnricher, type IpEnricher } from '../enrich/index.js';
import { BUILTIN_FINGERPRINTS, Fingerprinter } from '../classify/fingerprints.js';
import type { ReportDeps } from '../analyze/darknet-report.js';
import { applyRetention } from './retention.js';
import { applyQueryLimits } from '../store/events/query-limits.js';

/** What a running command needs: the stores, enrichment and fingerprints, opened once. */
export interface AppContext {
  config: Config;
  events: EventsStore;
  state: StateStore;
  enricher: IpEnricher;
  fingerprinter: Fingerprinter;
  report: ReportDeps;
  /** The process's metrics: each component defines its own on it (api/api-metrics.ts, ingest/ingest-metrics.ts). */
  metrics: Registry;
  close(): Promise<void>;
}

export async function openContext(config: Config): Promise<AppContext> {
  const stores = await openStores({ dataDir: config.dataDir, clickhouseUrl: config.clickhouseUrl, postgresUrl: config.postgresUrl });
  try {
    applyQueryLimits(stores.events, config.limits.queries);
    await applyRetention(stores.events, config.darknet.retentionDays);
    const enricher = await loadEnricher(config.dataDir);
    const fingerprinter = new Fingerprinter(BUILTIN_FINGERPRINTS);
    return {
      config,
      events: stores.events,
      state: stores.state,
      enricher,
      fingerprinter,
      report: { events: stores.events, config, fingerprints: fingerprinter.fingerprints, orgOfAsn: (a) => enricher.orgOfAsn(a) },
      metrics: new Registry(),
      close: () => stores.close(),
    };
  } catch (e) {
    await stores.close();
    throw e;
  }
}
