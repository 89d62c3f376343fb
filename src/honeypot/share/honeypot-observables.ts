/**
 * What the honeypots saw that may become indicators, for a window: the URLs clients named or had
 * the honeypot fetch, their hosts, and the files that arrived or were pushed — each with how many
 * sources and sessions named it and when. Also every address a client reached on our honeypots
 * (`dst`, of all time): those are ours and never published.
 */
import type { EventsStore } from '../../store/types.js';
import type { TimeWindow } from '../../analyze/time-window.js';
import { UNRESTRICTED } from '../../store/need-to-know.js';
import { reportScope } from '../report/honeypot-report.js';
import { honeypotHashes, honeypotUrls, type HashRow, type UrlRow } from '../report/report-urls.js';
import { isoOfMicros, SESSIONS } from '../report/report-sql.js';

export interface HostRow {
  /** As stored (`url_host`); normalised when the indicator is made. */
  readonly host: string;
  readonly events: number;
  readonly sources: number;
  readonly sessions: number;
  /** Events of the host that carried a file's hash (a download that delivered). */
  readonly files: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
}

export interface HoneypotObservables {
  readonly urls: readonly UrlRow[];
  readonly hosts: readonly HostRow[];
  readonly hashes: readonly HashRow[];
  /** Addresses of our honeypots as clients reached them (IPv4 dotted, IPv6 as text). */
  readonly honeypotAddresses: readonly string[];
}

/** At most this many of each per publish: the most named first. */
export const MAX_OBSERVABLES = 100_000;

export async function honeypotObservables(events: EventsStore, w: TimeWindow, limit = MAX_OBSERVABLES): Promise<HoneypotObservables> {
  // Sharing is the operator's act over all of the honeypots' data: no per-organisation restriction.
  const s = reportScope(w, UNRESTRICTED);
  const hosts = await events.query<{ host: string; events: string; sources: string; sessions: string; files: string; first: string; last: string }>(
    `SELECT url_host AS host, count() AS events, uniqExact(src) AS sources, ${SESSIONS} AS sessions,
            countIf(sha256 != '' AND kind IN ('download', 'upload')) AS files,
            toUnixTimestamp64Micro(min(ts)) AS first, toUnixTimestamp64Micro(max(ts)) AS last
       FROM honeypot_events WHERE url_host != '' AND ${s.where}
      GROUP BY url_host ORDER BY events DESC, host LIMIT ${limit}`,
    s.params,
  );
  const dsts = await events.query<{ a: string }>(
    "SELECT DISTINCT if(isIPv4String(replaceOne(toString(dst), '::ffff:', '')), replaceOne(toString(dst), '::ffff:', ''), toString(dst)) AS a FROM honeypot_events WHERE dst != toIPv6('::')",
  );
  return {
    urls: await honeypotUrls(events, s, limit),
    hashes: await honeypotHashes(events, s, limit),
    hosts: hosts.map((h) => ({
      host: h.host, events: Number(h.events), sources: Number(h.sources), sessions: Number(h.sessions), files: Number(h.files),
      firstSeen: isoOfMicros(h.first), lastSeen: isoOfMicros(h.last),
    })),
    honeypotAddresses: dsts.map((d) => d.a),
  };
}
