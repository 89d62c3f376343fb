import { useEffect, useState, type MouseEvent, type ReactNode } from 'react';

/** The pages of the console, read from the address bar (History API, no hash). */
export type Route =
  | { page: 'dashboard'; day?: string; from?: string; to?: string }
  | { page: 'host'; ip: string }
  | { page: 'cases'; state?: string; kind?: string }
  | { page: 'effects'; by?: string }
  | { page: 'search'; q: string; offset: number }
  | { page: 'orgs' }
  | { page: 'outbox' }
  | { page: 'surveys' };

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
  if (/^\/cases\/?$/.test(pathname)) return { page: 'cases', ...(q.get('state') ? { state: q.get('state') as string } : {}), ...(q.get('kind') ? { kind: q.get('kind') as string } : {}) };
  if (/^\/orgs\/?$/.test(pathname)) return { page: 'orgs' };
  if (/^\/outbox\/?$/.test(pathname)) return { page: 'outbox' };
  if (/^\/surveys\/?$/.test(pathname)) return { page: 'surveys' };
  if (/^\/search\/?$/.test(pathname)) {
    const offset = Number(q.get('offset') ?? '0');
    return { page: 'search', q: q.get('q') ?? '', offset: Number.isInteger(offset) && offset >= 0 ? offset : 0 };
  }
  if (/^\/effects\/?$/.test(pathname)) return { page: 'effects', ...(q.get('by') ? { by: q.get('by') as string } : {}) };
  const from = q.get('from');
  const to = q.get('to');
  if (isDay(from) && isDay(to) && from <= to) return { page: 'dashboard', from, to };
  const day = q.get('day');
  return isDay(day) ? { page: 'dashboard', day } : { page: 'dashboard' };
}

export const hostPath = (ip: string): string => `/hosts/${encodeURIComponent(ip)}`;
export const searchPath = (q: string, offset = 0): string => `/search?${new URLSearchParams({ q, ...(offset ? { offset: String(offset) } : {}) })}`;
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
