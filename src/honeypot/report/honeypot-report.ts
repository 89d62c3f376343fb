/**
 * `sakimori report honeypot` and GET /api/v1/honeypot/report: what attackers did on our
 * honeypots in a window (HoneypotReport in api/contract/honeypot.ts; report-types.ts here), from honeypot_events.
 * Every query carries the caller's restriction on the client address (`src`, or its origin AS
 * `src_asn`): a member's report is computed over its own constituency's sources only, totals
 * included, so nothing of another organisation's attackers leaks into a count.
 */
import type { EventParams, EventsStore } from '../../store/types.js';
import type { TimeWindow } from '../../analyze/time-window.js';
import { addressFilter, type Restriction } from '../../store/need-to-know.js';
import type { HoneypotReportData } from './report-types.js';
import { SESSIONS } from './report-sql.js';
import { honeypotLists } from './report-lists.js';

interface TotalsRow {
  events: string; sessions: string; sources: string; logins: string; login_ok: string; login_failed: string;
  commands: string; proxies: string; downloads: string; uploads: string; http: string; ics: string;
}

/** The window and the restriction as SQL, shared by every query of one report. */
export interface ReportScope {
  readonly where: string;
  readonly params: EventParams;
}

export function reportScope(w: TimeWindow, r: Restriction): ReportScope {
  const params: EventParams = { from: w.from.getTime(), to: w.to.getTime() };
  const ntk = addressFilter(r, 'src', 'src_asn', params);
  return {
    where: `ts >= fromUnixTimestamp64Milli({from:Int64}, 'UTC') AND ts < fromUnixTimestamp64Milli({to:Int64}, 'UTC') AND ${ntk}`,
    params,
  };
}

export async function honeypotReport(events: EventsStore, w: TimeWindow, r: Restriction): Promise<HoneypotReportData> {
  const s = reportScope(w, r);
  const [t] = await events.query<TotalsRow>(
    `SELECT count() AS events, ${SESSIONS} AS sessions, uniqExact(src) AS sources,
            countIf(kind = 'login') AS logins, countIf(kind = 'login' AND success = 1) AS login_ok,
            countIf(kind = 'login' AND success = 0) AS login_failed,
            countIf(kind = 'command') AS commands, countIf(kind = 'proxy' AND input != 'data') AS proxies,
            countIf(kind = 'download') AS downloads, countIf(kind = 'upload') AS uploads,
            countIf(kind = 'http.request') AS http, countIf(kind = 'ics') AS ics
       FROM honeypot_events WHERE ${s.where}`,
    s.params,
  );
  const n = (v: string | undefined): number => Number(v ?? 0);
  const lists = await honeypotLists(events, s);
  return {
    from: w.from.toISOString(),
    to: w.to.toISOString(),
    events: n(t?.events),
    sessions: n(t?.sessions),
    sources: n(t?.sources),
    logins: { attempts: n(t?.logins), success: n(t?.login_ok), failed: n(t?.login_failed) },
    commands: n(t?.commands),
    proxyRequests: n(t?.proxies),
    downloads: n(t?.downloads),
    uploads: n(t?.uploads),
    httpRequests: n(t?.http),
    icsInteractions: n(t?.ics),
    ...lists,
  };
}
