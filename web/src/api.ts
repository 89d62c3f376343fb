/** Typed access to the Sakimori API (`/api/v1`, described at /api/docs). */

// The answer types come from the API contract, the same declarations the server validates and
// serialises with (src/api/contract/): type imports only, so zod stays out of the bundle.
import type {
  CaseDetail, CasePage, Monitor, MonitorCreate, MonitorFinding, MonitorsRun, Responsibility,
  CaseRow, DarknetRange, DarknetReport, EffectReport, Exposure, GroupEffect, Host, HostService, KmStep, Me, Organisation,
  ScopeRow, SearchField, SearchHit, SearchResult, Status, SurveyRunRow, TimePoint, TimeSeries, UserRow,
} from '../../src/api/contract/index.js';

export type {
  CaseDetail, CasePage, Monitor, MonitorCreate, MonitorFinding, MonitorsRun, Responsibility,
  CaseRow, DarknetRange, EffectReport, Exposure, GroupEffect, Host, HostService, KmStep, Me, Organisation,
  ScopeRow, SearchField, SearchHit, SearchResult, Status, SurveyRunRow, TimePoint, TimeSeries, UserRow,
};
export type SearchSort = SearchResult['sort'];
import type { NoRecipientSummary, Outbox, OutboxMessage } from '../../src/api/contract/index.js';

export type { NoRecipientSummary, Outbox, OutboxMessage };
export type Report = DarknetReport;
export type Range = DarknetRange;

/** Fired when the server says a sign-in is needed (first visit with users, or an expired session). */
export const AUTH_REQUIRED_EVENT = 'sakimori:auth-required';

/** The CSRF token the server gave at sign-in (a readable cookie), echoed on every change. */
function csrfToken(): string {
  const m = /(?:^|;\s*)sakimori_csrf=([^;]*)/.exec(document.cookie);
  return m?.[1] ? decodeURIComponent(m[1]) : '';
}

/** Why a request failed: the API's `{ code, message }`, or a network / format problem. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly path: string,
    /** Where the API found the problem (a query error's position and field). */
    readonly where: Readonly<Record<string, string | number>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A light check that the answer has the fields the page reads, so a wrong answer is an error, not a blank page. */
function check<T>(path: string, body: unknown, numbers: readonly string[], arrays: readonly string[] = []): T {
  if (!isObject(body)) throw new ApiError(200, 'BAD_RESPONSE', 'not a JSON object', path);
  for (const k of numbers) if (typeof body[k] !== 'number') throw new ApiError(200, 'BAD_RESPONSE', `missing number "${k}"`, path);
  for (const k of arrays) if (!Array.isArray(body[k])) throw new ApiError(200, 'BAD_RESPONSE', `missing list "${k}"`, path);
  return body as T;
}

async function get(path: string, signal?: AbortSignal): Promise<unknown> {
  return send('GET', path, undefined, signal);
}

async function send(method: 'GET' | 'POST' | 'DELETE', path: string, payload?: unknown, signal?: AbortSignal): Promise<unknown> {
  let res: Response;
  // The console's language (I18nProvider sets <html lang>): the API answers errors in it.
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': document.documentElement.lang || 'en' };
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken();
  if (payload !== undefined) headers['content-type'] = 'application/json';
  try {
    res = await fetch(path, { method, headers, signal, credentials: 'same-origin', ...(payload !== undefined ? { body: JSON.stringify(payload) } : {}) });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', e instanceof Error ? e.message : String(e), path);
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    throw new ApiError(res.status, res.ok ? 'BAD_RESPONSE' : `HTTP_${res.status}`, res.ok ? 'the answer is not JSON' : res.statusText || text.slice(0, 200), path);
  }
  if (!res.ok) {
    const e = isObject(body) ? body : {};
    if (e['code'] === 'AUTH_REQUIRED' && !path.endsWith('/auth/me')) window.dispatchEvent(new Event(AUTH_REQUIRED_EVENT));
    throw new ApiError(
      res.status,
      typeof e['code'] === 'string' ? e['code'] : `HTTP_${res.status}`,
      typeof e['message'] === 'string' ? e['message'] : res.statusText,
      path,
      isObject(e['where']) ? (e['where'] as Record<string, string | number>) : {},
    );
  }
  return body;
}


export const casesApi = {
  /** A page of cases: the filters as the address bar holds them (router.ts, CaseFilter). */
  list: async (f: Record<string, string | number | undefined>, limit: number, signal?: AbortSignal): Promise<CasePage> => {
    const p = new URLSearchParams(Object.entries(f).filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '').map(([k, v]) => [k, String(v)]));
    p.set('limit', String(limit));
    const path = `/api/v1/cases?${p}`;
    return check<CasePage>(path, await get(path, signal), ['total', 'offset'], ['cases']);
  },
  get: async (id: number, signal?: AbortSignal): Promise<CaseDetail> => {
    const path = `/api/v1/cases/${id}`;
    return check<CaseDetail>(path, await get(path, signal), ['id'], ['events', 'deliveries']);
  },
  responsible: async (ip: string, signal?: AbortSignal): Promise<Responsibility> => {
    const path = `/api/v1/responsible/${encodeURIComponent(ip)}`;
    return check<Responsibility>(path, await get(path, signal), [], ['steps']);
  },
  counts: async (signal?: AbortSignal): Promise<{ state: string; kind: string; n: number }[]> => (await get('/api/v1/cases/counts', signal)) as { state: string; kind: string; n: number }[],
  ack: async (id: number): Promise<void> => { await send('POST', `/api/v1/cases/${id}/ack`, {}); },
  effects: async (by: string, signal?: AbortSignal): Promise<EffectReport> => {
    const path = `/api/v1/effects?groupBy=${encodeURIComponent(by)}`;
    return check<EffectReport>(path, await get(path, signal), [], ['groups', 'openOverTime']);
  },
};


// issue 15, item 11: monitors
export const monitorsApi = {
  list: async (signal?: AbortSignal): Promise<Monitor[]> => {
    const body = await get('/api/v1/monitors', signal);
    if (!Array.isArray(body)) throw new ApiError(200, 'BAD_RESPONSE', 'not a list', '/api/v1/monitors');
    return body as Monitor[];
  },
  create: async (m: MonitorCreate): Promise<Monitor> => (await send('POST', '/api/v1/monitors', m)) as Monitor,
  remove: async (id: string): Promise<void> => { await send('DELETE', `/api/v1/monitors/${encodeURIComponent(id)}`); },
  findings: async (id: string, signal?: AbortSignal): Promise<MonitorFinding[]> => {
    const path = `/api/v1/monitors/${encodeURIComponent(id)}/findings`;
    const body = await get(path, signal);
    if (!Array.isArray(body)) throw new ApiError(200, 'BAD_RESPONSE', 'not a list', path);
    return body as MonitorFinding[];
  },
  mute: async (id: string, key: string, muted: boolean): Promise<void> => { await send('POST', `/api/v1/monitors/${encodeURIComponent(id)}/findings/mute`, { key, muted }); },
  run: async (id: string): Promise<MonitorsRun> => (await send('POST', '/api/v1/monitors/run', { monitor: id })) as MonitorsRun,
};

/** Findings nobody can be told about (platform admins and analysts). */
export const noRecipientApi = {
  summary: async (signal?: AbortSignal): Promise<NoRecipientSummary> => {
    const path = '/api/v1/cases/no-recipient';
    return check<NoRecipientSummary>(path, await get(path, signal), ['addresses', 'findings'], ['byKind', 'countries', 'asns']);
  },
};

/** The demo's local mail sink (platform admins). */
export const demoApi = {
  outbox: async (limit: number, signal?: AbortSignal): Promise<Outbox> => {
    const path = `/api/v1/demo/outbox?limit=${limit}`;
    return check<Outbox>(path, await get(path, signal), ['total'], ['messages']);
  },
};

export const searchApi = {
  search: async (q: string, offset: number, limit: number, facets: readonly string[], sort: SearchSort, signal?: AbortSignal): Promise<SearchResult> => {
    const path = `/api/v1/search?${new URLSearchParams({ q, offset: String(offset), limit: String(limit), facets: facets.join(','), sort })}`;
    return check<SearchResult>(path, await get(path, signal), ['total', 'offset'], ['hits']);
  },
  fields: async (signal?: AbortSignal): Promise<SearchField[]> => {
    const body = await get('/api/v1/search/fields', signal);
    if (!Array.isArray(body)) throw new ApiError(200, 'BAD_RESPONSE', 'not a list', '/api/v1/search/fields');
    return body as SearchField[];
  },
};


export const orgApi = {
  list: async (signal?: AbortSignal): Promise<Organisation[]> => {
    const body = await get('/api/v1/orgs', signal);
    if (!Array.isArray(body)) throw new ApiError(200, 'BAD_RESPONSE', 'not a list', '/api/v1/orgs');
    return body as Organisation[];
  },
  create: async (o: { name: string; kind: string; country: string; emails: string[]; language: string }): Promise<Organisation> => (await send('POST', '/api/v1/orgs', o)) as Organisation,
  add: async (id: string, what: 'prefixes' | 'asns' | 'domains', values: string[]): Promise<Organisation> =>
    (await send('POST', `/api/v1/orgs/${encodeURIComponent(id)}/${what}`, { [what]: values })) as Organisation,
  users: async (signal?: AbortSignal): Promise<UserRow[]> => {
    const body = await get('/api/v1/users', signal);
    if (!Array.isArray(body)) throw new ApiError(200, 'BAD_RESPONSE', 'not a list', '/api/v1/users');
    return body as UserRow[];
  },
  createUser: async (u: { username: string; password: string; role: string; org?: string }): Promise<UserRow> => (await send('POST', '/api/v1/users', u)) as UserRow,
};


export const surveyApi = {
  scopes: async (signal?: AbortSignal): Promise<ScopeRow[]> => {
    const body = await get('/api/v1/scopes', signal);
    if (!Array.isArray(body)) throw new ApiError(200, 'BAD_RESPONSE', 'not a list', '/api/v1/scopes');
    return body as ScopeRow[];
  },
  runs: async (signal?: AbortSignal): Promise<SurveyRunRow[]> => {
    const body = await get('/api/v1/surveys?limit=100', signal);
    if (!Array.isArray(body)) throw new ApiError(200, 'BAD_RESPONSE', 'not a list', '/api/v1/surveys');
    return body as SurveyRunRow[];
  },
  start: async (b: { scope: string; ports?: number[]; modules?: string[] }): Promise<{ runId: string }> => (await send('POST', '/api/v1/surveys', b)) as { runId: string },
  stop: async (id: string): Promise<void> => { await send('POST', `/api/v1/surveys/${encodeURIComponent(id)}/stop`, {}); },
};

export const authApi = {
  me: async (): Promise<Me> => (await get('/api/v1/auth/me')) as Me,
  login: async (username: string, password: string): Promise<void> => { await send('POST', '/api/v1/auth/login', { username, password }); },
  logout: async (): Promise<void> => { await send('POST', '/api/v1/auth/logout', {}); },
};

const qs = (p: Record<string, string | number>): string =>
  new URLSearchParams(Object.entries(p).map(([k, v]) => [k, String(v)])).toString();

export const api = {
  range: async (signal?: AbortSignal): Promise<Range> => {
    const path = '/api/v1/darknet/range';
    const body = await get(path, signal);
    if (!isObject(body) || !('last' in body)) throw new ApiError(200, 'BAD_RESPONSE', 'missing "last"', path);
    return body as unknown as Range;
  },
  report: async (from: string, to: string, signal?: AbortSignal): Promise<Report> => {
    const path = `/api/v1/darknet/report?${qs({ from, to })}`;
    return check<Report>(path, await get(path, signal), ['packets', 'sources', 'iotShare'], ['topPorts', 'dosVictims', 'topCountries', 'topAsns', 'surges', 'topSources']);
  },
  timeseries: async (from: string, to: string, step = 3600, signal?: AbortSignal): Promise<TimeSeries> => {
    const path = `/api/v1/darknet/timeseries?${qs({ from, to, step })}`;
    return check<TimeSeries>(path, await get(path, signal), ['step'], ['points']);
  },
  host: async (ip: string, signal?: AbortSignal): Promise<Host> => {
    const path = `/api/v1/hosts/${encodeURIComponent(ip)}`;
    return check<Host>(path, await get(path, signal), ['packets'], ['ports', 'tags', 'daily']);
  },
  status: async (signal?: AbortSignal): Promise<Status> => {
    const path = '/api/v1/status';
    return check<Status>(path, await get(path, signal), []);
  },
};

/** A GET of any API path, for feature modules with their own typed wrappers (features/share/shareApi.ts). */
export async function getJson(path: string, signal?: AbortSignal): Promise<unknown> {
  return get(path, signal);
}

/** A POST of JSON to any API path (with the CSRF token), for feature modules with their own typed wrappers. */
export async function postJson(path: string, body: unknown): Promise<unknown> {
  return send('POST', path, body);
}
