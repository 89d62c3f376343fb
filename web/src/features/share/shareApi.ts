/** The sharing hub's REST routes as the console reads them (types from the API contract). */
import { ApiError, getJson, postJson } from '../../api.js';
import type { EgressPageOut, Feed, PublishAnswer, ShareCollection, ShareObjectDetail, ShareObjectSummary, VictimReport } from '../../../../src/api/contract/index.js';

export type { EgressPageOut, Feed, PublishAnswer, ShareCollection, ShareObjectDetail, ShareObjectSummary, VictimReport };

function list<T>(path: string, body: unknown, key?: string): T[] {
  const v = key && body && typeof body === 'object' ? (body as Record<string, unknown>)[key] : body;
  if (!Array.isArray(v)) throw new ApiError(200, 'BAD_RESPONSE', key ? `missing list "${key}"` : 'not a list', path);
  return v as T[];
}

export const shareApi = {
  collections: async (signal?: AbortSignal): Promise<ShareCollection[]> => list<ShareCollection>('/api/v1/share/collections', await getJson('/api/v1/share/collections', signal)),
  objects: async (collection: string, type: string, after: string | null, signal?: AbortSignal): Promise<{ objects: ShareObjectSummary[]; next: string | null }> => {
    const q = new URLSearchParams({ collection, limit: '50' });
    if (type) q.set('type', type);
    if (after) q.set('after', after);
    const path = `/api/v1/share/objects?${q}`;
    const body = await getJson(path, signal);
    return { objects: list<ShareObjectSummary>(path, body, 'objects'), next: (body as { next?: string | null }).next ?? null };
  },
  object: async (id: string, collection: string, signal?: AbortSignal): Promise<ShareObjectDetail> => {
    const path = `/api/v1/share/objects/${encodeURIComponent(id)}?${new URLSearchParams({ collection })}`;
    const body = (await getJson(path, signal)) as ShareObjectDetail;
    list(path, body, 'versions');
    return body;
  },
  /** Indicators from the darknet into a collection; `dryRun` says what would go out and to whom, storing nothing. */
  publish: async (b: { collection: string; tlp: string; from: string; to: string; dryRun: boolean }): Promise<PublishAnswer> => {
    const body = (await postJson('/api/v1/share/publish', b)) as PublishAnswer;
    list('/api/v1/share/publish', body, 'sample');
    return body;
  },
  reports: async (signal?: AbortSignal): Promise<VictimReport[]> => list<VictimReport>('/api/v1/share/reports', await getJson('/api/v1/share/reports', signal), 'reports'),
  submitReport: async (form: unknown): Promise<{ report: VictimReport; created: boolean }> => (await postJson('/api/v1/share/reports', form)) as { report: VictimReport; created: boolean },
  consent: async (id: string): Promise<VictimReport> => (await postJson(`/api/v1/share/reports/${encodeURIComponent(id)}/consent`, {})) as VictimReport,
  releaseReport: async (id: string): Promise<VictimReport> => (await postJson(`/api/v1/share/reports/${encodeURIComponent(id)}/release`, {})) as VictimReport,
  feeds: async (signal?: AbortSignal): Promise<Feed[]> => list<Feed>('/api/v1/share/feeds', await getJson('/api/v1/share/feeds', signal), 'feeds'),
  egress: async (before: number | null, signal?: AbortSignal): Promise<EgressPageOut> => {
    const path = `/api/v1/share/egress?${new URLSearchParams({ limit: '100', ...(before ? { before: String(before) } : {}) })}`;
    const body = (await getJson(path, signal)) as EgressPageOut;
    list(path, body, 'entries');
    return body;
  },
};
