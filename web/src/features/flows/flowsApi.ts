/** The flow routes as the console reads them (types from the API contract). */
import { ApiError, getJson } from '../../api.js';
import type { CncCandidateBody, CorroborationAnswer, FlowExporter, FlowReportBody, ServerViewBody } from '../../../../src/api/contract/index.js';

export type { CncCandidateBody, CorroborationAnswer, FlowExporter, FlowReportBody, ServerViewBody };

function checked<T>(path: string, body: unknown, key: string): T {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[key] : undefined;
  if (!Array.isArray(v)) throw new ApiError(200, 'BAD_RESPONSE', `missing list "${key}"`, path);
  return body as T;
}

export const serverPath = (ip: string, port: number, proto: number): string =>
  `/flows/servers/${encodeURIComponent(ip)}?${new URLSearchParams({ port: String(port), proto: String(proto) })}`;

export const flowsApi = {
  report: async (signal?: AbortSignal): Promise<FlowReportBody> => checked<FlowReportBody>('/api/v1/flows/report', await getJson('/api/v1/flows/report', signal), 'exporters'),
  exporters: async (signal?: AbortSignal): Promise<FlowExporter[]> =>
    checked<{ exporters: FlowExporter[] }>('/api/v1/flows/exporters', await getJson('/api/v1/flows/exporters', signal), 'exporters').exporters,
  candidates: async (signal?: AbortSignal): Promise<CncCandidateBody[]> => {
    const body = await getJson('/api/v1/flows/candidates?limit=50', signal);
    if (!Array.isArray(body)) throw new ApiError(200, 'BAD_RESPONSE', 'not a list', '/api/v1/flows/candidates');
    return body as CncCandidateBody[];
  },
  server: async (ip: string, port: number, proto: number, signal?: AbortSignal): Promise<ServerViewBody> => {
    const path = `/api/v1/flows/servers/${encodeURIComponent(ip)}?${new URLSearchParams({ port: String(port), proto: String(proto) })}`;
    return checked<ServerViewBody>(path, await getJson(path, signal), 'hours');
  },
  corroboration: async (org: string | null, signal?: AbortSignal): Promise<CorroborationAnswer> => {
    const path = `/api/v1/flows/corroboration${org ? `?${new URLSearchParams({ org })}` : ''}`;
    return checked<CorroborationAnswer>(path, await getJson(path, signal), 'answers');
  },
};
