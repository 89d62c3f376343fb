/**
 * What `sakimori campaigns` and GET /campaigns share: the stored campaigns for a restriction,
 * computed first when asked or when they never were (the operator's own command; the API
 * computes only on POST /campaigns/compute, for platform admins and analysts).
 */
import type { EventsStore, StateStore } from '../../store/types.js';
import type { Restriction } from '../../store/need-to-know.js';
import type { CampaignList } from './campaign-types.js';
import { computeCampaigns, type ComputeSummary } from './compute-campaigns.js';
import { lastComputation, listCampaigns } from './campaign-store.js';

export interface CampaignsNowOptions {
  /** Compute before listing (also done when campaigns were never computed and the caller may compute). */
  compute?: boolean;
  /** Whether the caller may compute (sees every address). */
  mayCompute?: boolean;
  limit?: number;
}

export async function campaignsNow(ctx: { events: EventsStore; state: StateStore }, r: Restriction, opts: CampaignsNowOptions = {}): Promise<{ list: CampaignList; computed: ComputeSummary | null }> {
  const may = opts.mayCompute ?? r.kind === 'all';
  let computed: ComputeSummary | null = null;
  if (may && (opts.compute || !(await lastComputation(ctx.state)))) computed = await computeCampaigns(ctx);
  return { list: await listCampaigns(ctx, r, opts.limit ?? 100), computed };
}
