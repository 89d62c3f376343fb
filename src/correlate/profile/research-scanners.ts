/**
 * Which sources are known research scanners (Shodan, Censys, Shadowserver …): benign, however much
 * they scan. Two kinds of evidence name them: a darknet fingerprint tag whose name is a research
 * project's (a deployment adds such fingerprints beside the built-in tool fingerprints, which name
 * tools — Mirai, Masscan, ZMap — not who runs them), and the sharing hub's warning lists (MISP
 * warninglists of research scanners are imported there so that their addresses are never
 * published as indicators).
 */
import type { StateStore } from '../../store/types.js';

/** Fingerprint tag names of research scanners → the actor's name as shown. */
export const RESEARCH_SCANNER_TAGS: Readonly<Record<string, string>> = {
  shodan: 'Shodan',
  censys: 'Censys',
  shadowserver: 'Shadowserver',
  binaryedge: 'BinaryEdge',
  'rapid7-sonar': 'Rapid7 Project Sonar',
  'internet-census': 'Internet Census',
  stretchoid: 'Stretchoid',
  onyphe: 'ONYPHE',
  'criminal-ip': 'Criminal IP',
  leakix: 'LeakIX',
  'netscout-atlas': 'NETSCOUT ASERT',
  greynoise: 'GreyNoise',
};

/** The names of the warning lists that hold the address (a scan of their entries: lists hold thousands of prefixes, not millions). */
export async function warningListsNaming(state: Pick<StateStore, 'query'>, ip: string): Promise<string[]> {
  const rows = await state.query<{ list: string }>(
    'SELECT DISTINCT list FROM share_warning_entries WHERE $1::inet <<= prefix ORDER BY list',
    [ip],
  );
  return rows.map((r) => r.list);
}
