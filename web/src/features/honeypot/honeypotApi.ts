/** The honeypot and campaign routes as the console reads them (types from the API contract). */
import { ApiError, getJson, postJson } from '../../api.js';
import type { CampaignDetail, CampaignList, HoneypotReport } from '../../../../src/api/contract/index.js';

export type { CampaignDetail, CampaignList, HoneypotReport };
export type Campaign = CampaignList['campaigns'][number];

/** The answer has the lists the page reads, so a wrong answer is an error rather than a blank page. */
function checked<T>(path: string, body: unknown, keys: readonly string[]): T {
  const o = body && typeof body === 'object' ? (body as Record<string, unknown>) : undefined;
  for (const k of keys) if (!o || !Array.isArray(o[k])) throw new ApiError(200, 'BAD_RESPONSE', `missing list "${k}"`, path);
  return body as T;
}

/** The report window in the address bar: days, `to` inclusive (the API's `to` is exclusive). */
export interface HoneypotWindow { from?: string; to?: string }

export const nextDay = (day: string): string => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export function honeypotPath(w: HoneypotWindow): string {
  const q = new URLSearchParams();
  if (w.from) q.set('from', w.from);
  if (w.to) q.set('to', w.to);
  return `/honeypot${q.size ? `?${q}` : ''}`;
}

export const campaignPath = (id: string): string => `/campaigns/${encodeURIComponent(id)}`;

export const honeypotApi = {
  report: async (w: HoneypotWindow, signal?: AbortSignal): Promise<HoneypotReport> => {
    const q = new URLSearchParams();
    if (w.from) q.set('from', w.from);
    if (w.from || w.to) q.set('to', nextDay(w.to ?? w.from ?? ''));
    const path = `/api/v1/honeypot/report${q.size ? `?${q}` : ''}`;
    return checked<HoneypotReport>(path, await getJson(path, signal), ['topCredentials', 'topCommands', 'urls', 'hashes', 'topSources', 'hourly']);
  },
  campaigns: async (signal?: AbortSignal): Promise<CampaignList> => checked<CampaignList>('/api/v1/campaigns', await getJson('/api/v1/campaigns', signal), ['campaigns']),
  campaign: async (id: string, signal?: AbortSignal): Promise<CampaignDetail> => {
    const path = `/api/v1/campaigns/${encodeURIComponent(id)}`;
    return checked<CampaignDetail>(path, await getJson(path, signal), ['ties', 'impact', 'sample']);
  },
  compute: (): Promise<unknown> => postJson('/api/v1/campaigns/compute', {}),
};
