/**
 * What ties two addresses into one campaign, how strongly, and when a tie is too common to mean
 * anything. A tie is a value two or more addresses share (a download URL, a dropper's hash…);
 * its members are the addresses that share it. Ties are unioned into campaigns (union-find), so
 * one bad tie would merge unrelated campaigns: a tie is used only while its members stay under
 * its kind's limit, and weak kinds get low limits. docs/honeypot.md, "Campaigns", explains it.
 */
/**
 * The kinds of tie, in the order of their bits in campaign_members.ties (smallint; the member
 * mask in compute-campaigns.ts is a byte: 8 kinds at most there). A new kind goes at the end, so
 * stored masks keep their meaning. Declared in schema/campaign.ts, which the API contract and the cases read too.
 */
import { CAMPAIGN_TIE_KINDS, type TieKind } from '../../schema/campaign.js';

export type { TieKind };
export const TIE_KINDS = CAMPAIGN_TIE_KINDS;

/** Bit of each kind in a member's tie mask (campaign_members.ties): its place in TIE_KINDS. */
export const TIE_BIT: Readonly<Record<TieKind, number>> = Object.fromEntries(TIE_KINDS.map((k, i) => [k, i])) as Record<TieKind, number>;

export interface TieRule {
  /** How much sharing this says about being one operation, in (0, 1]; orders a campaign's ties. */
  weight: number;
  /** A tie shared by more than this share of all addresses considered is too common to use… */
  maxShare: number;
  /** …but never fewer than this many members are allowed (small data sets). */
  minCap: number;
}

export interface CampaignRules {
  ties: Readonly<Record<TieKind, TieRule>>;
  /**
   * A credential set ties only with at least this many distinct pairs that are not common (a pair
   * tried by more addresses than the credentials limit is left out of every set): one common
   * pair (root/root) never ties, nor do random draws from a well-known list.
   */
  minCredentialPairs: number;
  /** A URL host ties only while it serves at most this many distinct URLs: a public CDN or paste site serves thousands. */
  maxUrlsPerHost: number;
  /** The smallest campaign (members). */
  minMembers: number;
}

export const DEFAULT_RULES = {
  ties: {
    // A dropper's hash or its exact URL is the operation's own artefact.
    hash: { weight: 1, maxShare: 0.25, minCap: 1000 },
    url: { weight: 0.9, maxShare: 0.25, minCap: 1000 },
    // The same set of several credential pairs, in full: a dictionary is a tool's configuration.
    credentials: { weight: 0.7, maxShare: 0.02, minCap: 100 },
    // A host serving few distinct URLs is the operation's server; one serving many is shared infrastructure.
    'url-host': { weight: 0.6, maxShare: 0.05, minCap: 200 },
    // A client version or fingerprint with the exact set of ports: weak (many tools look alike), so narrow.
    'tool-ports': { weight: 0.4, maxShare: 0.01, minCap: 50 },
    // Clients (in our flows) of one C&C server: observed traffic to the operation's server, nearly
    // as specific as its URL, but flows are sampled and a server may be misjudged: below url.
    // A big botnet's clients of its C&C really are one campaign, hence url's wide limit.
    cnc: { weight: 0.8, maxShare: 0.25, minCap: 1000 },
    // The darknet's fingerprint tags with the exact set of ports probed: as weak as tool-ports
    // (every Mirai on 23 and 2323 looks alike), so as narrow: only rare combinations tie.
    'darknet-tool': { weight: 0.4, maxShare: 0.01, minCap: 50 },
  },
  minCredentialPairs: 3,
  maxUrlsPerHost: 64,
  minMembers: 2,
} as const satisfies CampaignRules;

/** The most members a tie of `kind` may have over `addresses` addresses considered. */
export function tieLimit(rule: TieRule, addresses: number): number {
  return Math.max(rule.minCap, Math.floor(rule.maxShare * addresses));
}
