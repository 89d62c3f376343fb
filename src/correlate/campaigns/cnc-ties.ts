/**
 * `cnc` ties: honeypot addresses that our flows saw as clients of the same C&C server. Which
 * servers count (docs/honeypot.md, "Ties"):
 *
 * - servers named by a shared indicator labelled `c2` that everyone signed in may receive
 *   (TLP:CLEAR or GREEN, newest version, not revoked): a tie's value is shown to every
 *   organisation with a member, so an AMBER or RED indicator must not surface through it. The
 *   hub's own C&C candidates count this way once published (`cnc share publish` labels them
 *   `c2`), under the TLP they were published with;
 * - the address-literal hosts of the URLs the honeypots recorded (the loaders bots were told to
 *   fetch from), under the same rule as `url-host` (at most `maxUrlsPerHost` distinct URLs).
 *
 * Scoring every server of the flow window as a C&C candidate (flows/detect) is left out: it reads
 * every pair of the window, far more than the campaigns' budget; its result reaches the ties once
 * published. flows_raw is ordered by server, so reading the listed servers' clients is a range read.
 */
import type { StateStore } from '../../store/types.js';
import { formatBigintIp } from '../../net/ip.js';
import { matchTerms, parsePattern } from '../../share/stix/pattern/index.js';

/** C&C servers: addresses whose every port counts, and address–port pairs. */
export interface CncServers {
  /** Canonical addresses (IPv4 as dotted quads). */
  anyPort: string[];
  /** The same, with the one port of each pair beside it. */
  pairHosts: string[];
  pairPorts: number[];
}

/** Indicators read at most: bounded parameters for the query. */
const MAX_SERVERS = 100_000;

interface IndicatorRow { body: string }

/**
 * The servers an indicator's pattern names: its single addresses (not blocks), when every match
 * needs one of its addresses (the matcher's terms are exhaustive and name no domain or URL), and
 * its destination port when it names exactly one (else every port). A C&C pattern names a
 * traffic end and its port, which the host pages' address-only reading (pattern-addresses.ts)
 * leaves out on purpose.
 */
function serversOf(pattern: string): { addresses: string[]; port: number | undefined } {
  const none = { addresses: [], port: undefined };
  if (pattern.length > 10_000) return none;
  const parsed = parsePattern(pattern);
  if (!parsed.ok) return none;
  const { terms, exhaustive } = matchTerms(parsed.pattern);
  if (!exhaustive || terms.some((t) => t.kind === 'domain' || t.kind === 'url')) return none;
  const addresses = terms.flatMap((t) => (t.kind === 'ip' && t.lo === t.hi ? [formatBigintIp(t.family, t.lo)] : []));
  const ports = new Set(terms.flatMap((t) => (t.kind === 'port' && t.role === 'dst' ? [t.port] : [])));
  return { addresses, port: ports.size === 1 ? [...ports][0] : undefined };
}

export async function cncServers(state: Pick<StateStore, 'query'>): Promise<CncServers> {
  const anyPort = new Set<string>();
  const pairs = new Set<string>();
  // Newest version of each c2 indicator, when everyone may receive it (a newer AMBER version
  // withdraws an older GREEN one); the text filter keeps the scan small.
  const shared = await state.query<IndicatorRow>(
    `SELECT body FROM (
       SELECT DISTINCT ON (collection_id, stix_id) body, tlp FROM share_objects
       WHERE type = 'indicator' AND position('"c2"' in body) > 0
       ORDER BY collection_id, stix_id, version DESC) AS newest
     WHERE tlp IN ('clear', 'green') LIMIT ${MAX_SERVERS}`,
  );
  for (const r of shared) {
    let o: { labels?: unknown; revoked?: unknown; pattern?: unknown };
    try {
      o = JSON.parse(r.body) as typeof o;
    } catch {
      continue;
    }
    if (o.revoked === true || typeof o.pattern !== 'string' || !Array.isArray(o.labels) || !o.labels.includes('c2')) continue;
    const { addresses, port } = serversOf(o.pattern);
    for (const a of addresses) {
      if (port === undefined) anyPort.add(a);
      else pairs.add(`${a}|${port}`);
    }
  }
  const sortedPairs = [...pairs].sort().map((p) => p.split('|') as [string, string]);
  return { anyPort: [...anyPort].sort(), pairHosts: sortedPairs.map((p) => p[0]), pairPorts: sortedPairs.map((p) => Number(p[1])) };
}

/** Kinds that name a URL the client brought (downloads, exploit offers, HTTP exploit requests). */
const URL_KINDS = "('download', 'offer', 'http.request')";

/**
 * (k, v, src) rows of the `cnc` ties: each flow client of a listed server, as `ip:port/proto`.
 * Parameters: {cncAny:Array(String)}, {cncHosts:Array(String)}, {cncPorts:Array(UInt16)}, {maxUrls:UInt32}.
 */
export function cncTieSources(): string {
  // The host of a URL as an address ('' otherwise): a port after an IPv4 host and IPv6 brackets removed.
  const hostAddr = "toIPv6OrNull(replaceRegexpOne(replaceRegexpOne(url_host, '^\\\\[(.*)\\\\]$', '\\\\1'), '^([0-9.]+):[0-9]+$', '\\\\1'))";
  return `
    SELECT 'cnc' AS k,
           concat(if(startsWith(IPv6NumToString(server), '::ffff:') AND position(IPv6NumToString(server), '.') > 0,
                     substring(IPv6NumToString(server), 8), concat('[', IPv6NumToString(server), ']')),
                  ':', toString(server_port), '/',
                  multiIf(proto = 6, 'tcp', proto = 17, 'udp', proto = 132, 'sctp', proto = 1, 'icmp', proto = 58, 'icmpv6', toString(proto))) AS v,
           client AS src
    FROM flows_raw
    WHERE server IN (
            SELECT toIPv6(arrayJoin({cncAny:Array(String)}))
            UNION ALL
            SELECT assumeNotNull(${hostAddr}) FROM honeypot_events
            WHERE kind IN ${URL_KINDS} AND url_host != '' AND isNotNull(${hostAddr})
            GROUP BY url_host HAVING uniqExact(url) <= {maxUrls:UInt32})
       OR (server, server_port) IN (SELECT toIPv6(p.1), p.2 FROM (SELECT arrayJoin(arrayZip({cncHosts:Array(String)}, {cncPorts:Array(UInt16)})) AS p))
    GROUP BY server, server_port, proto, client`;
}
