/**
 * The heavy part in ClickHouse: every address the honeypots saw (in address order, so an
 * address's place in that order is its index everywhere else), and every usable tie with the
 * indices of its members. One row per tie, never one per event.
 */
import type { EventsStore } from '../../store/types.js';
import { DEFAULT_RULES, tieLimit, type CampaignRules, type TieKind } from './tie-rules.js';
import type { Fingerprint } from '../../classify/fingerprints.js';
import { quote } from '../../store/events/sql-literals.js';
import { cncTieSources, type CncServers } from './cnc-ties.js';
import { darknetToolTieSources } from './darknet-tool-ties.js';

/** Kinds that name a URL the client brought (downloads, exploit offers, HTTP exploit requests). */
const URL_KINDS = "('download', 'offer', 'http.request')";
const FILE_KINDS = "('download', 'upload')";

/** The addresses considered, as columns: `src` as 16 bytes each, in the order of their indices. */
export interface Addresses {
  count: number;
  /** 16 bytes per address (IPv6, IPv4 as ::ffff:a.b.c.d). */
  src: Uint8Array;
  events: Float64Array;
  firstMs: Float64Array;
  lastMs: Float64Array;
  asn: Uint32Array;
  /** Two ASCII letters per address, zeros when unknown. */
  country: Uint8Array;
}

const ROW = 16 + 8 + 8 + 8 + 4 + 2;

export async function readAddresses(events: EventsStore): Promise<Addresses> {
  const bytes = await events.queryRowBinary(
    `SELECT src, toUInt64(count()), toInt64(toUnixTimestamp64Milli(min(ts))), toInt64(toUnixTimestamp64Milli(max(ts))),
            toUInt32(anyLastIf(src_asn, src_asn != 0)), toFixedString(substring(toString(anyLastIf(src_country, src_country != '')), 1, 2), 2)
     FROM honeypot_events GROUP BY src ORDER BY src`,
  );
  const count = bytes.length / ROW;
  const a: Addresses = {
    count, src: new Uint8Array(count * 16), events: new Float64Array(count), firstMs: new Float64Array(count),
    lastMs: new Float64Array(count), asn: new Uint32Array(count), country: new Uint8Array(count * 2),
  };
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0, o = 0; i < count; i++, o += ROW) {
    a.src.set(bytes.subarray(o, o + 16), i * 16);
    a.events[i] = Number(v.getBigUint64(o + 16, true));
    a.firstMs[i] = Number(v.getBigInt64(o + 24, true));
    a.lastMs[i] = Number(v.getBigInt64(o + 32, true));
    a.asn[i] = v.getUint32(o + 40, true);
    a.country[i * 2] = bytes[o + 44] ?? 0;
    a.country[i * 2 + 1] = bytes[o + 45] ?? 0;
  }
  return a;
}

/** How many distinct addresses are stored now (the number only grows: events are kept). */
export async function distinctAddresses(events: EventsStore): Promise<number> {
  const [r] = await events.query<{ n: number }>('SELECT uniqExact(src) AS n FROM honeypot_events');
  return Number(r?.n ?? 0);
}

export interface TieRow {
  k: string;
  v: string;
  members: number;
  /** Within its kind's limit: used to tie. */
  usable: boolean;
  /** Indices of its members in `Addresses` order (empty when not usable). */
  idx: number[];
}

/**
 * Per kind: the tie values of each address (one row per value and address). An address's
 * dictionary is the set of the pairs it tried that are not common (tried by more addresses than a
 * credentials tie may have): bots drawing from one well-known list (root/root, root/xc3511…)
 * share pairs, and random subsets of it collide, without being one operation.
 */
function tieSources(rules: CampaignRules): string {
  // URLs, their hosts and file hashes in one pass over the rows that have any of them.
  return `
    SELECT p.1 AS k, p.2 AS v, src FROM (
      SELECT src, arrayJoin(arrayFilter(x -> x.2 != '', [
               ('url', if(kind IN ${URL_KINDS}, url, '')),
               ('url-host', if(kind IN ${URL_KINDS} AND url_host NOT IN (
                  SELECT url_host FROM honeypot_events WHERE url_host != '' AND kind IN ${URL_KINDS} GROUP BY url_host HAVING uniqExact(url) > {maxUrls:UInt32}), url_host, '')),
               ('hash', if(kind IN ${FILE_KINDS}, sha256, ''))])) AS p
      FROM honeypot_events WHERE url != '' OR sha256 != '')
    GROUP BY k, v, src
    UNION ALL
    SELECT 'credentials' AS k,
           concat(toString(length(pairs)), ' pairs: ', arrayStringConcat(arrayMap(p -> concat(p.1, '/', p.2), arraySlice(pairs, 1, 3)), ', '),
                  if(length(pairs) > 3, ', …', ''), ' #', lower(hex(sipHash64(pairs)))) AS v, src
    FROM (SELECT src, arraySort(groupUniqArray((username, password))) AS pairs FROM honeypot_events
          WHERE kind = 'login' AND (username, password) NOT IN (
            SELECT username, password FROM honeypot_events WHERE kind = 'login' GROUP BY username, password HAVING uniqExact(src) > {lCred:UInt32})
          GROUP BY src)
    WHERE length(pairs) >= ${Math.max(2, Math.trunc(rules.minCredentialPairs))}
    UNION ALL
    SELECT 'tool-ports' AS k, concat(tools, ' → ', ports) AS v, src
    FROM (SELECT src, arrayStringConcat(arraySort(groupUniqArrayIf(if(fingerprint != '', fingerprint, client), fingerprint != '' OR client != '')), ' + ') AS tools,
                 arrayStringConcat(arraySort(groupUniqArrayIf(dst_port, dst_port != 0)), ',') AS ports
          -- Sessions' openings carry the ports, client versions and fingerprints the tools: no need to read every event.
          FROM honeypot_events WHERE kind IN ('session.connect', 'client.version', 'client.fingerprint', 'http.request') GROUP BY src)
    WHERE tools != '' AND ports != ''`;
}

/** What the ties beyond the honeypots' own events need: the C&C servers and the darknet's fingerprints, and the days to read. */
export interface TieInputs {
  cnc: CncServers;
  fingerprints: readonly Pick<Fingerprint, 'name' | 'bit' | 'minShare'>[];
  /** The honeypots' first and last event (ms): the darknet days read. */
  fromMs: number;
  toMs: number;
}

const NO_INPUTS: TieInputs = { cnc: { anyPort: [], pairHosts: [], pairPorts: [] }, fingerprints: [], fromMs: 0, toMs: -1 };

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * The sources of ties in other capabilities' tables, only when those tables hold anything: with no
 * flows and no darknet days in the window the computation is what it was, at no cost.
 */
async function otherSources(events: EventsStore, inputs: TieInputs): Promise<{ sql: string[]; params: Record<string, unknown> }> {
  const sql: string[] = [];
  if (inputs.toMs < inputs.fromMs) return { sql, params: {} };
  const params = {
    cncAny: inputs.cnc.anyPort, cncHosts: inputs.cnc.pairHosts, cncPorts: inputs.cnc.pairPorts,
    dFrom: day(inputs.fromMs), dTo: day(inputs.toMs),
  };
  const [n] = await events.query<{ f: number; d: number }>(
    `SELECT (SELECT count() FROM flows_raw) AS f, (SELECT count() FROM darknet_source_day WHERE day >= {dFrom:Date} AND day <= {dTo:Date}) AS d`,
    params,
  );
  if (Number(n?.f ?? 0) > 0) sql.push(cncTieSources());
  const dark = darknetToolTieSources(inputs.fingerprints);
  if (Number(n?.d ?? 0) > 0 && dark) sql.push(dark);
  return { sql, params };
}

/**
 * Every tie with at least two members, ordered by kind and value (a computation over the same
 * data gives the same rows). A tie within its kind's limit comes with its members' indices; one
 * above it (`usable` false) only with its count, to be reported as too common. Members are
 * addresses the honeypots saw, whatever table the tie comes from.
 */
export async function readTies(events: EventsStore, addresses: number, rules: CampaignRules = DEFAULT_RULES, inputs: TieInputs = NO_INPUTS): Promise<TieRow[]> {
  const kinds = Object.keys(rules.ties) as TieKind[];
  const limits = Object.fromEntries(kinds.map((k, i) => [`l${i}`, tieLimit(rules.ties[k], addresses)]));
  const limitOf = `multiIf(${kinds.map((k, i) => `k = ${quote(k)}, {l${i}:UInt32}`).join(', ')}, 0)`;
  const other = await otherSources(events, inputs);
  const rows = await events.query<Omit<TieRow, 'usable'> & { usable: number }>(
    `WITH addr AS (SELECT src, toUInt32(row_number() OVER (ORDER BY src) - 1) AS i FROM (SELECT DISTINCT src FROM honeypot_events))
     SELECT k, v, toUInt32(count()) AS members,
            members <= ${limitOf} AS usable,
            if(usable, groupArray(addr.i), []) AS idx
     FROM (${[tieSources(rules), ...other.sql].join('\n    UNION ALL')}) AS t INNER JOIN addr ON t.src = addr.src
     GROUP BY k, v
     HAVING members >= 2
     ORDER BY k, v`,
    { ...other.params, maxUrls: rules.maxUrlsPerHost, lCred: tieLimit(rules.ties.credentials, addresses), ...limits },
  );
  return rows.map((r) => ({ ...r, usable: r.usable === 1 }));
}
