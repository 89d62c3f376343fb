/**
 * An ingest of flow files as `sakimori ingest flows` runs it, on the stores or inside a running
 * server (POST /api/v1/ingest/flows): the internal side from `--internal`, else the
 * organisation's constituency (`--org`), else flows.internal; retention and batch size from the
 * configuration; the real decoders (flows/decoders.ts). One way for both, so both answer alike.
 */
import type { AppContext } from '../../app/context.js';
import { CidrSet } from '../../net/cidr-set.js';
import { SakimoriError } from '../../errors.js';
import { constituencyOf, getOrg } from '../../orgs/org-store.js';
import type { MakeFlowDecoding } from '../flow-decoding.js';
import { makeFlowDecoding } from '../decoders.js';
import type { FlowFileFormat } from '../reader.js';
import { ingestFlowFiles, type FlowIngestProgress, type FlowIngestRun } from './flow-ingest.js';

export interface FlowIngestRequest {
  readonly format?: FlowFileFormat;
  readonly internal?: readonly string[];
  readonly org?: string;
  readonly timeZone?: string;
  readonly onProgress?: (p: FlowIngestProgress) => void;
  /** Tests: another decoding than the real one. */
  readonly makeDecoding?: MakeFlowDecoding;
}

export interface FlowIngestResult extends FlowIngestRun {
  /** Where the internal prefixes came from, and how many. */
  internal: { source: 'internal' | 'org' | 'config' | 'none'; prefixes: number };
}

/** The carrier's internal prefixes for orientation. */
export async function internalPrefixes(ctx: Pick<AppContext, 'state' | 'config'>, r: { internal?: readonly string[]; org?: string }): Promise<{ set: CidrSet | null; source: FlowIngestResult['internal']['source'] }> {
  const make = (cidrs: readonly string[], source: FlowIngestResult['internal']['source']): { set: CidrSet; source: typeof source } => {
    try {
      return { set: new CidrSet(cidrs), source };
    } catch (e) {
      throw new SakimoriError('BAD_REQUEST', `internal prefixes: ${e instanceof Error ? e.message : String(e)}`, { field: 'internal' });
    }
  };
  if (r.internal && r.internal.length > 0) return make(r.internal, 'internal');
  if (r.org) {
    const org = await getOrg(ctx.state, r.org);
    const c = await constituencyOf(ctx.state, org.id);
    if (c.cidrs.length === 0) throw new SakimoriError('BAD_REQUEST', `the organisation ${org.name} has no prefixes: add them (sakimori org add-prefix) or give --internal`, { field: 'org' });
    return make(c.cidrs, 'org');
  }
  if (ctx.config.flows.internal.length > 0) return make(ctx.config.flows.internal, 'config');
  return { set: null, source: 'none' };
}

export async function flowIngestRun(ctx: AppContext, files: readonly string[], r: FlowIngestRequest = {}): Promise<FlowIngestResult> {
  const internal = await internalPrefixes(ctx, r);
  const decoding = (r.makeDecoding ?? makeFlowDecoding)(null, Date.now);
  const run = await ingestFlowFiles({ events: ctx.events, state: ctx.state, decoding }, files, {
    internal: internal.set,
    keepDays: ctx.config.flows.keepDays,
    aggregateKeepDays: ctx.config.flows.aggregateKeepDays,
    batchSize: ctx.config.flows.batchSize,
    ...(r.format ? { format: r.format } : {}),
    ...(r.timeZone ? { timeZone: r.timeZone } : {}),
    ...(r.onProgress ? { onProgress: r.onProgress } : {}),
  });
  return { ...run, internal: { source: internal.source, prefixes: internal.set?.ranges.length ?? 0 } };
}
