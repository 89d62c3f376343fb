/**
 * A candidate C&C server as detection reports it (`cnc candidates --json`, the console, sharing):
 * an external (server, port, proto) contacted by internal clients, with a score in [0, 1] and the
 * parts it is made of, so every verdict can be explained (docs/flows.md, "Scores").
 */
export interface CncCandidate {
  /** The external server's address (text). */
  readonly server: string;
  readonly port: number;
  /** IP protocol number. */
  readonly proto: number;
  /** Combined score in [0, 1]; higher is more likely C&C. */
  readonly score: number;
  /** Each feature's contribution, by name (beacon, size-regularity, rarity, client-grouping, darknet, indicator, …). */
  readonly parts: Readonly<Record<string, number>>;
  /** Distinct internal clients seen talking to it. */
  readonly clients: number;
  /** ISO 8601. */
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** A few flows that show why (oriented, times ISO 8601), for the server page. */
  readonly evidence?: readonly CandidateEvidence[];
}

export interface CandidateEvidence {
  readonly client: string;
  readonly start: string;
  readonly octets: number;
  readonly packets: number;
  /** Why this flow is evidence ('beacon interval 300 s ± 2 s', 'client also scans the darknet', …). */
  readonly note: string;
}
