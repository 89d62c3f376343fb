/**
 * The demo's flows: a small synthetic ISP (synth-flows.ts: 200 clients, 12 hours of the demo's
 * day, a few planted botnets) in the flow store, so the console's flow pages have exporters,
 * candidates and servers to show. Recorded in flow_files like an ingested file: a complete run is
 * not repeated, and a run killed half-way resumes with the same ingest time, so every batch's
 * deduplication token is the same and ClickHouse keeps each batch once.
 */
import type { AppContext } from '../app/context.js';
import { FLOW_FILE_TABLES as T, beginFile, completedFile, finishFile } from '../ingest/file-batches.js';
import { synthFlowsToStore } from '../flows/synth/synth-flows.js';

const CLIENTS = 200;
const HOURS = 12;

export async function demoFlows(ctx: AppContext, date: string): Promise<{ records: number; already: boolean }> {
  const key = `demo:synth-flows:${date}:${CLIENTS}:${HOURS}`;
  const done = await completedFile(ctx.state, T, key);
  if (done !== undefined) return { records: done, already: true };
  const { storedAtMs } = await beginFile(ctx.state, T, { key, name: 'synthetic ISP (demo)', batchSize: 0, storedAtMs: Date.now() });
  const r = await synthFlowsToStore(ctx.events, { seed: 1, clients: CLIENTS, hours: HOURS, startMs: Date.parse(`${date}T00:00:00Z`) }, storedAtMs);
  await finishFile(ctx.state, T, key, { format: 'synth', records: r.records, bytes: 0, skipped: {} });
  return { records: r.records, already: false };
}
