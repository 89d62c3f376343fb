/**
 * An ingest of honeypot logs as `sakimori ingest honeypot` runs it, on the stores or inside a
 * running server (POST /api/v1/ingest/honeypot), with the context's enricher so each source's AS
 * and country are stored with it. One way for both, so both answer alike.
 */
import type { AppContext } from '../../app/context.js';
import { ingestHoneypotFiles, type HoneypotIngestProgress, type HoneypotIngestRun } from './honeypot-ingest.js';
import type { HoneypotFormat } from './detect-format.js';

export interface HoneypotIngestRequest {
  readonly format?: HoneypotFormat;
  readonly batchSize?: number;
  readonly onProgress?: (p: HoneypotIngestProgress) => void;
  readonly signal?: AbortSignal;
}

export async function honeypotIngestRun(ctx: Pick<AppContext, 'events' | 'state' | 'enricher'>, files: readonly string[], r: HoneypotIngestRequest = {}): Promise<HoneypotIngestRun> {
  return ingestHoneypotFiles({ events: ctx.events, state: ctx.state, enricher: ctx.enricher }, files, {
    ...(r.format ? { format: r.format } : {}),
    ...(r.batchSize ? { batchSize: r.batchSize } : {}),
    ...(r.onProgress ? { onProgress: r.onProgress } : {}),
    ...(r.signal ? { signal: r.signal } : {}),
  });
}
