/** The report's lists and breakdowns: credentials, commands, clients, sources, per honeypot, protocol and hour. */
import type { EventsStore } from '../../store/types.js';
import type { HoneypotReportData } from './report-types.js';
import { displayIp, isoOfMicros, listLimits, SESSIONS } from './report-sql.js';
import { honeypotHashes, honeypotUrls } from './report-urls.js';
import type { ReportScope } from './honeypot-report.js';

type Lists = Pick<HoneypotReportData, 'topCredentials' | 'topCommands' | 'clients' | 'urls' | 'hashes' | 'topSources' | 'byHoneypot' | 'byProto' | 'hourly'>;

const n = Number;

export async function honeypotLists(events: EventsStore, s: ReportScope): Promise<Lists> {
  const q = <T>(sql: string): Promise<T[]> => events.query<T>(sql, s.params);
  const credentials = await q<{ username: string; password: string; attempts: string; ok: string; sources: string }>(
    `SELECT username, password, count() AS attempts, countIf(success = 1) AS ok, uniqExact(src) AS sources
       FROM honeypot_events WHERE kind = 'login' AND ${s.where}
      GROUP BY username, password ORDER BY attempts DESC, username, password LIMIT ${listLimits.credentials}`);
  const commands = await q<{ command: string; count: string; sources: string }>(
    `SELECT input AS command, count() AS count, uniqExact(src) AS sources
       FROM honeypot_events WHERE kind = 'command' AND ${s.where}
      GROUP BY input ORDER BY count DESC, command LIMIT ${listLimits.commands}`);
  const clients = await q<{ client: string; sessions: string }>(
    `SELECT client, ${SESSIONS} AS sessions FROM honeypot_events WHERE client != '' AND ${s.where}
      GROUP BY client ORDER BY sessions DESC, client LIMIT ${listLimits.clients}`);
  const sources = await q<{ ip: string; asn: string; country: string; sessions: string; logins: string; commands: string }>(
    `SELECT toString(src) AS ip, max(src_asn) AS asn, anyLast(src_country) AS country, ${SESSIONS} AS sessions,
            countIf(kind = 'login') AS logins, countIf(kind = 'command') AS commands
       FROM honeypot_events WHERE ${s.where}
      GROUP BY src ORDER BY sessions DESC, logins DESC, src LIMIT ${listLimits.sources}`);
  const byHoneypot = await q<{ k: string; v: string }>(
    `SELECT honeypot AS k, count() AS v FROM honeypot_events WHERE ${s.where} GROUP BY honeypot ORDER BY v DESC, k`);
  const byProto = await q<{ k: string; v: string }>(
    `SELECT proto AS k, ${SESSIONS} AS v FROM honeypot_events WHERE ${s.where} GROUP BY proto ORDER BY v DESC, k`);
  const hourly = await q<{ h: string; sessions: string; logins: string; commands: string; downloads: string }>(
    `SELECT toUnixTimestamp64Micro(toDateTime64(toStartOfHour(ts), 6, 'UTC')) AS h, ${SESSIONS} AS sessions,
            countIf(kind = 'login') AS logins, countIf(kind = 'command') AS commands, countIf(kind = 'download') AS downloads
       FROM honeypot_events WHERE ${s.where} GROUP BY toStartOfHour(ts) ORDER BY h`);
  return {
    topCredentials: credentials.map((c) => ({ username: c.username, password: c.password, attempts: n(c.attempts), success: n(c.ok), sources: n(c.sources) })),
    topCommands: commands.map((c) => ({ command: c.command, count: n(c.count), sources: n(c.sources) })),
    clients: clients.map((c) => ({ client: c.client, sessions: n(c.sessions) })),
    urls: await honeypotUrls(events, s, listLimits.urls),
    hashes: await honeypotHashes(events, s, listLimits.hashes),
    topSources: sources.map((x) => ({ ip: displayIp(x.ip), asn: n(x.asn), country: x.country, sessions: n(x.sessions), logins: n(x.logins), commands: n(x.commands) })),
    // A protocol the source did not name is '' in the store; the report calls it "unknown".
    byHoneypot: Object.fromEntries(byHoneypot.map((r) => [r.k, n(r.v)])),
    byProto: Object.fromEntries(byProto.map((r) => [r.k || 'unknown', n(r.v)])),
    hourly: hourly.map((h) => ({ hour: isoOfMicros(h.h), sessions: n(h.sessions), logins: n(h.logins), commands: n(h.commands), downloads: n(h.downloads) })),
  };
}
