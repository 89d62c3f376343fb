/** The sharing hub's REST routes as the console reads them (types from the API contract). */
import { ApiError, getJson } from '../../api.js';
import type { EgressPageOut, Feed, ShareCollection, ShareObjectDetail, ShareObjectSummary } from '../../../../src/api/contract/index.js';

export type { EgressPageOut, Feed, ShareCollection, ShareObjectDetail, ShareObjectSummary };

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
  feeds: async (signal?: AbortSignal): Promise<Feed[]> => list<Feed>('/api/v1/share/feeds', await getJson('/api/v1/share/feeds', signal), 'feeds'),
  egress: async (before: number | null, signal?: AbortSignal): Promise<EgressPageOut> => {
    const path = `/api/v1/share/egress?${new URLSearchParams({ limit: '100', ...(before ? { before: String(before) } : {}) })}`;
    const body = (await getJson(path, signal)) as EgressPageOut;
    list(path, body, 'entries');
    return body;
  },
};
