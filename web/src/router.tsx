import { useEffect, useState, type MouseEvent, type ReactNode } from 'react';

/** The pages of the console, read from the address bar (History API, no hash). */
export type Route =
  | { page: 'dashboard'; day?: string; from?: string; to?: string }
  | { page: 'host'; ip: string }
  | ({ page: 'cases' } & CaseFilter)
  | { page: 'effects'; by?: string }
  | { page: 'search'; q: string; offset: number; sort: SearchOrder }
  | { page: 'fields' }
  | { page: 'orgs' }
  | { page: 'surveys' }
  | { page: 'outbox' }
  // issue 15, items 8 and 11: a case's own page, monitors
  | { page: 'case'; id: number }
  | { page: 'monitors'; monitor?: string }
  // issue 16, item 10: the sharing hub
  | { page: 'share'; collection?: string; type?: string }
  | { page: 'share-object'; id: string; collection: string }
  | { page: 'share-feeds' }
  | { page: 'share-publish' }
  | { page: 'share-reports' }
  | { page: 'share-egress' }
  // issue 17, item 7: flows
  | { page: 'flows' }
  | { page: 'flows-candidates' }
  | { page: 'flows-server'; ip: string; port: number; proto: number }
  | { page: 'flows-corroboration'; org?: string }
  // issue 18, item 6: honeypots and campaigns
  | { page: 'honeypot'; from?: string; to?: string }
  | { page: 'campaigns' }
  | { page: 'campaign'; id: string };

/** The case list's filters, sort and page, as the address bar holds them (so links and Back work). */
export interface CaseFilter { state?: string; kind?: string; recipient?: string; ip?: string; sort?: string; order?: string; offset?: number }
const CASE_FILTER_KEYS = ['state', 'kind', 'recipient', 'ip', 'sort', 'order'] as const;

function caseFilterOf(q: URLSearchParams): CaseFilter {
  const f: CaseFilter = {};
  for (const k of CASE_FILTER_KEYS) {
    const v = q.get(k);
    if (v) f[k] = v;
  }
  const offset = Number(q.get('offset') ?? '0');
  if (Number.isInteger(offset) && offset > 0) f.offset = offset;
  return f;
}

export function casesPath(f: CaseFilter): string {
  const q = new URLSearchParams();
  for (const k of CASE_FILTER_KEYS) if (f[k]) q.set(k, f[k] as string);
  if (f.offset) q.set('offset', String(f.offset));
  return `/cases${q.size ? `?${q}` : ''}`;
}
export const casePath = (id: number): string => `/cases/${id}`;
export const sharePath = (collection?: string, type?: string): string => {
  const q = new URLSearchParams();
  if (collection) q.set('c', collection);
  if (type) q.set('type', type);
  return `/share${q.size ? `?${q}` : ''}`;
};
export const shareObjectPath = (id: string, collection: string): string => `/share/objects/${encodeURIComponent(id)}?${new URLSearchParams({ c: collection })}`;
export const monitorsPath = (monitor?: string): string => `/monitors${monitor ? `?${new URLSearchParams({ m: monitor })}` : ''}`;

/** Orders of the search's hits (the API's sort), the default first. */
export const SEARCH_ORDERS = ['ip', 'last_seen', 'port'] as const;
export type SearchOrder = (typeof SEARCH_ORDERS)[number];
const isOrder = (s: string | null): s is SearchOrder => (SEARCH_ORDERS as readonly (string | null)[]).includes(s);

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isDay = (s: string | null): s is string => s !== null && DAY.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));

export function parseRoute(pathname: string, search: string): Route {
  const host = /^\/hosts\/([^/]+)\/?$/.exec(pathname);
  if (host?.[1]) {
    let ip = host[1];
    try {
      ip = decodeURIComponent(ip);
    } catch {
      // keep it as typed; the API will say it is not an address
    }
    return { page: 'host', ip };
  }
  const q = new URLSearchParams(search);
  if (/^\/cases\/?$/.test(pathname)) return { page: 'cases', ...caseFilterOf(q) };
  const oneCase = /^\/cases\/(\d{1,10})\/?$/.exec(pathname);
  if (oneCase?.[1]) return { page: 'case', id: Number(oneCase[1]) };
  if (/^\/monitors\/?$/.test(pathname)) return { page: 'monitors', ...(q.get('m') ? { monitor: q.get('m') as string } : {}) };
  if (/^\/orgs\/?$/.test(pathname)) return { page: 'orgs' };
  if (/^\/share\/?$/.test(pathname)) return { page: 'share', ...(q.get('c') ? { collection: q.get('c') as string } : {}), ...(q.get('type') ? { type: q.get('type') as string } : {}) };
  const shareObject = /^\/share\/objects\/([^/]+)\/?$/.exec(pathname);
  if (shareObject?.[1] && q.get('c')) return { page: 'share-object', id: decodeURIComponent(shareObject[1]), collection: q.get('c') as string };
  if (/^\/share\/feeds\/?$/.test(pathname)) return { page: 'share-feeds' };
  if (/^\/share\/publish\/?$/.test(pathname)) return { page: 'share-publish' };
  if (/^\/share\/reports\/?$/.test(pathname)) return { page: 'share-reports' };
  if (/^\/share\/egress\/?$/.test(pathname)) return { page: 'share-egress' };
  if (/^\/flows\/?$/.test(pathname)) return { page: 'flows' };
  if (/^\/flows\/candidates\/?$/.test(pathname)) return { page: 'flows-candidates' };
  if (/^\/flows\/corroboration\/?$/.test(pathname)) return { page: 'flows-corroboration', ...(q.get('org') ? { org: q.get('org') as string } : {}) };
  const flowServer = /^\/flows\/servers\/([^/]+)\/?$/.exec(pathname);
  const port = Number(q.get('port'));
  const proto = Number(q.get('proto') ?? '6');
  if (flowServer?.[1] && Number.isInteger(port) && port >= 0 && port <= 65535 && Number.isInteger(proto) && proto >= 0 && proto <= 255) {
    let ip = flowServer[1];
    try {
      ip = decodeURIComponent(ip);
    } catch {
      // keep it as typed; the API will say it is not an address
    }
    return { page: 'flows-server', ip, port, proto };
  }
  if (/^\/honeypot\/?$/.test(pathname)) {
    const [from, to] = [q.get('from'), q.get('to')];
    return { page: 'honeypot', ...(isDay(from) ? { from } : {}), ...(isDay(to) ? { to } : {}) };
  }
  if (/^\/campaigns\/?$/.test(pathname)) return { page: 'campaigns' };
  const campaign = /^\/campaigns\/([^/]+)\/?$/.exec(pathname);
  if (campaign?.[1]) {
    let id = campaign[1];
    try {
      id = decodeURIComponent(id);
    } catch {
      // keep it as typed; the API will say there is no such campaign
    }
    return { page: 'campaign', id };
  }
  if (/^\/outbox\/?$/.test(pathname)) return { page: 'outbox' };
  if (/^\/surveys\/?$/.test(pathname)) return { page: 'surveys' };
  if (/^\/search\/fields\/?$/.test(pathname)) return { page: 'fields' };
  if (/^\/search\/?$/.test(pathname)) {
    const offset = Number(q.get('offset') ?? '0');
    const sort = q.get('sort');
    return { page: 'search', q: q.get('q') ?? '', offset: Number.isInteger(offset) && offset >= 0 ? offset : 0, sort: isOrder(sort) ? sort : 'ip' };
  }
  if (/^\/effects\/?$/.test(pathname)) return { page: 'effects', ...(q.get('by') ? { by: q.get('by') as string } : {}) };
  const from = q.get('from');
  const to = q.get('to');
  if (isDay(from) && isDay(to) && from <= to) return { page: 'dashboard', from, to };
  const day = q.get('day');
  return isDay(day) ? { page: 'dashboard', day } : { page: 'dashboard' };
}

export const hostPath = (ip: string): string => `/hosts/${encodeURIComponent(ip)}`;
export const searchPath = (q: string, offset = 0, sort: SearchOrder = 'ip'): string =>
  `/search?${new URLSearchParams({ q, ...(offset ? { offset: String(offset) } : {}), ...(sort !== 'ip' ? { sort } : {}) })}`;
export const FIELDS_PATH = '/search/fields';
export const dayPath = (day: string): string => `/?day=${day}`;
export const rangePath = (from: string, to: string): string => `/?from=${from}&to=${to}`;

export function useRoute(): Route {
  const [loc, setLoc] = useState(() => ({ p: location.pathname, s: location.search }));
  useEffect(() => {
    const on = (): void => setLoc({ p: location.pathname, s: location.search });
    window.addEventListener('popstate', on);
    return () => window.removeEventListener('popstate', on);
  }, []);
  return parseRoute(loc.p, loc.s);
}

export function navigate(to: string): void {
  if (to === location.pathname + location.search) return;
  history.pushState(null, '', to);
  window.dispatchEvent(new PopStateEvent('popstate'));
  window.scrollTo(0, 0);
}

export function Link({ to, children, className, testId, title }: { to: string; children: ReactNode; className?: string; testId?: string; title?: string }) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>): void => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || e.button !== 0) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={onClick} className={className} data-testid={testId} title={title}>{children}</a>;
}
