/**
 * The URLs clients named and the files that arrived or were pushed, with how many events and
 * sources named each: the report lists them, and the sharing hub's honeypot indicators are made
 * from the same rows (honeypot/share/).
 */
import type { EventsStore } from '../../store/types.js';
import type { HoneypotHashRow, HoneypotUrlRow } from './report-types.js';
import { isoOfMicros, SESSIONS } from './report-sql.js';
import type { ReportScope } from './honeypot-report.js';

export type UrlRow = HoneypotUrlRow;
export type HashRow = HoneypotHashRow;

/** Files are those of downloads and uploads; a tty log's hash is the honeypot's own recording, not the attacker's file. */
const FILE_KINDS = "kind IN ('download', 'upload')";

export async function honeypotUrls(events: EventsStore, s: ReportScope, limit: number): Promise<UrlRow[]> {
  const rows = await events.query<{ url: string; host: string; events: string; sources: string; sessions: string; hashes: string[]; first: string; last: string }>(
    `SELECT url, any(url_host) AS host, count() AS events, uniqExact(src) AS sources, ${SESSIONS} AS sessions,
            arraySort(groupUniqArrayIf(sha256, sha256 != '' AND ${FILE_KINDS})) AS hashes,
            toUnixTimestamp64Micro(min(ts)) AS first, toUnixTimestamp64Micro(max(ts)) AS last
       FROM honeypot_events WHERE url != '' AND ${s.where}
      GROUP BY url ORDER BY events DESC, url LIMIT ${limit}`,
    s.params,
  );
  return rows.map((r) => ({
    url: r.url, host: r.host, events: Number(r.events), sources: Number(r.sources), sessions: Number(r.sessions), sha256: r.hashes,
    firstSeen: isoOfMicros(r.first), lastSeen: isoOfMicros(r.last),
  }));
}

export async function honeypotHashes(events: EventsStore, s: ReportScope, limit: number): Promise<HashRow[]> {
  const rows = await events.query<{ sha256: string; size: string; events: string; sources: string; sessions: string; urls: string[]; first: string; last: string }>(
    `SELECT sha256, max(size) AS size, count() AS events, uniqExact(src) AS sources, ${SESSIONS} AS sessions,
            arraySort(groupUniqArrayIf(url, url != '')) AS urls,
            toUnixTimestamp64Micro(min(ts)) AS first, toUnixTimestamp64Micro(max(ts)) AS last
       FROM honeypot_events WHERE sha256 != '' AND ${FILE_KINDS} AND ${s.where}
      GROUP BY sha256 ORDER BY events DESC, sha256 LIMIT ${limit}`,
    s.params,
  );
  return rows.map((r) => ({
    sha256: r.sha256, size: Number(r.size), events: Number(r.events), sources: Number(r.sources), sessions: Number(r.sessions), urls: r.urls,
    firstSeen: isoOfMicros(r.first), lastSeen: isoOfMicros(r.last),
  }));
}
