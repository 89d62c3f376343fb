/**
 * What one address did on our honeypots (`host IP` → `honeypot`), and its sessions for the
 * timeline. Every query names the exact address: honeypot_events is ordered by (src, ts), so
 * each is a range read of that address's rows, however large the table.
 */
import type { EventsStore } from '../../store/types.js';
import type { HoneypotSummary } from './profile-types.js';

/** One session as the timeline shows it (most recent first from the store; at most SESSION_LIMIT). */
export interface HoneypotSession {
  honeypot: string;
  sensor: string;
  session: string;
  proto: string;
  port: number;
  first: string;
  last: string;
  logins: number;
  loginsOk: number;
  /** The first accepted credential, when one was. */
  okUser: string;
  okPassword: string;
  okAt: string;
  commands: number;
  /** The first command lines, in order (at most 5). */
  firstCommands: string[];
  /** Downloads and uploads: [time, kind, url, sha256] (at most 10). */
  files: [string, string, string, string][];
  client: string;
}

export interface HostHoneypotPart {
  summary: HoneypotSummary;
  sessions: HoneypotSession[];
  /** All sessions, of which `sessions` holds the most recent. */
  sessionCount: number;
  /** Downloads and uploads, all sessions. */
  files: number;
  asn: number;
  country: string;
}

/** Sessions read for the timeline: it keeps 500 entries at most, a session makes one or more. */
export const SESSION_LIMIT = 500;
const LIST = 50;

const ISO = (col: string): string => `formatDateTime(${col}, '%Y-%m-%dT%H:%i:%S.%fZ', 'UTC')`;
/** Longest text shown of one command, URL, credential or client version: a 1 MB line stays in the store, not on the page. */
export const TEXT_LIMIT = 1000;
const clip = (x: string): string => (x.length > TEXT_LIMIT ? `${x.slice(0, TEXT_LIMIT)}…` : x);

/** Microseconds down to milliseconds, as every other time of the host page. */
export const trimMs = (s: string): string => s.replace(/(\.\d{3})\d*Z$/, '$1Z');
// A honeypot that logs no session id (some Dionaea and Conpot records): one session per hour and port.
const SESSION_KEY = `if(session = '', concat('@', toString(toStartOfHour(ts)), ':', toString(dst_port)), session)`;

interface TotalsRow {
  first: string; last: string; sessions: number; attempts: number; ok: number; failed: number; files: number;
  honeypots: string[]; protos: string[]; clients: string[]; urls: string[]; hashes: string[]; asn: number; country: string;
}

type SessionRow = Omit<HoneypotSession, 'session' | 'proto' | 'client'> & { sid: string; proto_name: string; client_version: string; total: number };

export async function hostHoneypot(events: EventsStore, ip: string): Promise<HostHoneypotPart | undefined> {
  const p = { ip };
  const [totals, commands, credentials, sessions] = await Promise.all([
    events.query<TotalsRow>(
      `SELECT ${ISO('min(ts)')} AS first, ${ISO('max(ts)')} AS last, uniqExact(honeypot, sensor, ${SESSION_KEY}) AS sessions,
              countIf(kind = 'login') AS attempts, countIf(kind = 'login' AND success = 1) AS ok, countIf(kind = 'login' AND success = 0) AS failed,
              countIf(kind IN ('download', 'upload')) AS files,
              arraySort(groupUniqArray(honeypot)) AS honeypots, arraySort(groupUniqArrayIf(proto, proto != '')) AS protos,
              arraySort(groupUniqArrayIf(${LIST})(client, client != '')) AS clients,
              arraySort(groupUniqArrayIf(${LIST})(url, url != '')) AS urls, arraySort(groupUniqArrayIf(${LIST})(sha256, sha256 != '')) AS hashes,
              anyLast(src_asn) AS asn, anyLast(src_country) AS country
       FROM honeypot_events WHERE src = {ip:IPv6} HAVING count() > 0 SETTINGS max_threads = 1`,
      p,
    ),
    events.query<{ input: string; n: number }>(
      `SELECT input, count() AS n FROM honeypot_events WHERE src = {ip:IPv6} AND kind = 'command' AND input != ''
       GROUP BY input ORDER BY n DESC, input LIMIT ${LIST} SETTINGS max_threads = 1`,
      p,
    ),
    events.query<{ username: string; password: string; n: number }>(
      `SELECT username, password, count() AS n FROM honeypot_events WHERE src = {ip:IPv6} AND kind = 'login'
       GROUP BY username, password ORDER BY n DESC, username, password LIMIT ${LIST} SETTINGS max_threads = 1`,
      p,
    ),
    events.query<SessionRow>(
      `SELECT honeypot, sensor, ${SESSION_KEY} AS sid, anyIf(proto, proto != '') AS proto_name, max(dst_port) AS port,
              ${ISO('min(ts)')} AS first, ${ISO('max(ts)')} AS last,
              countIf(kind = 'login') AS logins, countIf(kind = 'login' AND success = 1) AS loginsOk,
              argMinIf(username, ts, kind = 'login' AND success = 1) AS okUser, argMinIf(password, ts, kind = 'login' AND success = 1) AS okPassword,
              ${ISO('minIf(ts, kind = \'login\' AND success = 1)')} AS okAt,
              countIf(kind = 'command') AS commands,
              arrayMap(x -> x.2, arraySlice(arraySort(groupArrayIf(tuple(ts, input), kind = 'command')), 1, 5)) AS firstCommands,
              arraySlice(arraySort(groupArrayIf(tuple(${ISO('ts')}, kind, url, sha256), kind IN ('download', 'upload'))), 1, 10) AS files,
              anyIf(client, client != '') AS client_version,
              count() OVER () AS total
       FROM honeypot_events WHERE src = {ip:IPv6}
       GROUP BY honeypot, sensor, sid ORDER BY first DESC LIMIT ${SESSION_LIMIT} SETTINGS max_threads = 1`,
      p,
    ),
  ]);
  const t = totals[0];
  if (!t || Number(t.sessions) === 0) return undefined;
  return {
    summary: {
      firstSeen: trimMs(t.first),
      lastSeen: trimMs(t.last),
      sessions: Number(t.sessions),
      logins: { attempts: Number(t.attempts), success: Number(t.ok), failed: Number(t.failed) },
      commands: commands.map((c) => clip(c.input)),
      urls: t.urls.map(clip),
      hashes: t.hashes.map(clip),
      credentials: credentials.map((c) => ({ username: clip(c.username), password: clip(c.password), attempts: Number(c.n) })),
      honeypots: t.honeypots,
      protos: t.protos,
      clients: t.clients.map(clip),
    },
    sessions: sessions.map(({ sid, proto_name, client_version, total: _total, ...s }) => ({
      ...s, session: clip(sid), proto: proto_name, client: clip(client_version),
      okUser: clip(s.okUser), okPassword: clip(s.okPassword), firstCommands: s.firstCommands.map(clip),
      port: Number(s.port), logins: Number(s.logins), loginsOk: Number(s.loginsOk), commands: Number(s.commands),
      first: trimMs(s.first), last: trimMs(s.last), okAt: Number(s.loginsOk) > 0 ? trimMs(s.okAt) : '',
      files: s.files.map(([at, kind, url, sha]) => [trimMs(at), kind, clip(url), clip(sha)]),
    })),
    sessionCount: Number(sessions[0]?.total ?? 0),
    files: Number(t.files),
    asn: Number(t.asn),
    country: t.country,
  };
}
