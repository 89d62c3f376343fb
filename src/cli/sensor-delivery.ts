/**
 * Where `honeypot run` and `honeypot ship` deliver journal chunks: a running server's
 * `POST /honeypot/events` when one holds the data directory (this process then never loads the
 * stores), else the stores opened here and kept open. Both end in storeSensorChunk.
 */
import type { Config } from '../config/schema.js';
import type { AppContext } from '../app/context.js';
import { isSakimoriError } from '../errors.js';
import type { Deliver } from '../honeypot/sensor/journal-shipper.js';
import { storeSensorChunk } from '../honeypot/sensor/store-chunk.js';
import { runningServerUrl } from './server-file.js';
import { callJson } from './with-context.js';

export interface SensorDelivery { readonly deliver: Deliver; close(): Promise<void> }

export function sensorDelivery(config: Config): SensorDelivery {
  let ctx: AppContext | undefined;
  const serverUrl = async (): Promise<string | undefined> => (config.clickhouseUrl && config.postgresUrl ? undefined : runningServerUrl(config.dataDir));
  return {
    async deliver(chunk) {
      if (!ctx) {
        const url = await serverUrl();
        if (url) { await callJson('POST', `${url}api/v1/honeypot/events`, chunk); return; }
        try {
          const { openContext } = await import('../app/context.js');
          ctx = await openContext(config);
        } catch (e) {
          const again = isSakimoriError(e) && e.code === 'STORE_LOCKED' ? await serverUrl() : undefined;
          if (!again) throw e;
          await callJson('POST', `${again}api/v1/honeypot/events`, chunk);
          return;
        }
      }
      await storeSensorChunk(ctx, chunk);
    },
    async close() {
      await ctx?.close();
      ctx = undefined;
    },
  };
}
