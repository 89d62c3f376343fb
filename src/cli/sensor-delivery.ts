/**
 * Where `honeypot run` and `honeypot ship` deliver journal chunks, a round at a time: a running
 * server's `POST /honeypot/events` when one holds the data directory (this process then never
 * loads the stores), else the stores opened for the round and closed after it, so that between
 * rounds every other command can open them (the data directory's lock is held only while a round
 * ships). A round that finds the stores held by another command fails and is tried again at the
 * next one; the journal keeps the events meanwhile. Both ends are storeSensorChunk.
 */
import type { AppContext } from '../app/context.js';
import type { Config } from '../config/schema.js';
import { isSakimoriError } from '../errors.js';
import type { ShipRound, ShipTarget } from '../honeypot/sensor/journal-shipper.js';
import type { StoredRange } from '../honeypot/sensor/journal-ranges.js';
import { storesTarget } from '../honeypot/sensor/store-chunk.js';
import { runningServerUrl } from './server-file.js';
import { callJson } from './with-context.js';

export const DEFAULT_STORES_EVERY_MS = 10_000;

/** The server's routes as a shipper's target. */
export function serverTarget(url: string): ShipTarget {
  return {
    deliver: async (chunk) => { await callJson('POST', `${url}api/v1/honeypot/events`, chunk); },
    stored: async (journal) => (await callJson<{ ranges: StoredRange[] }>('GET', `${url}api/v1/honeypot/journals/${encodeURIComponent(journal)}/ranges`)).ranges,
  };
}

/**
 * Rounds through a server whenever one runs; into the stores at most every `storesEveryMs`
 * (opening them costs about half a second of CPU), or whenever forced (start, stop).
 */
export function sensorRounds(config: Config, storesEveryMs = DEFAULT_STORES_EVERY_MS): ShipRound {
  const serverUrl = async (): Promise<string | undefined> => (config.clickhouseUrl && config.postgresUrl ? undefined : runningServerUrl(config.dataDir));
  let lastOpened = Number.NEGATIVE_INFINITY;
  return async (ship, force) => {
    const url = await serverUrl();
    if (url) return ship(serverTarget(url));
    if (!force && Date.now() - lastOpened < storesEveryMs) return undefined;
    lastOpened = Date.now();
    const { openContext } = await import('../app/context.js');
    let ctx: AppContext;
    try {
      ctx = await openContext(config);
    } catch (e) {
      // A server started since the check; anything else holding the stores: the next round.
      const again = isSakimoriError(e) && e.code === 'STORE_LOCKED' ? await serverUrl() : undefined;
      if (!again) throw e;
      return ship(serverTarget(again));
    }
    try {
      return await ship(storesTarget(ctx));
    } finally {
      await ctx.close();
    }
  };
}
