/** Random C&C candidates with evidence naming client addresses, from a fixed seed, for the no-client-leaks property tests. */
import { seededRandom } from '../../../util/seeded-random.js';
import type { CncCandidate } from '../../detect/candidate.js';

export interface RandomCandidates {
  readonly candidates: CncCandidate[];
  /** Every client address any candidate's evidence names. */
  readonly clients: string[];
}

const PARTS = ['beacon', 'size-regularity', 'rarity', 'client-grouping', 'darknet', 'indicator'];

export function randomCandidates(seed: number, n: number): RandomCandidates {
  const rnd = seededRandom(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const clients: string[] = [];
  const candidates: CncCandidate[] = [];
  for (let i = 0; i < n; i++) {
    // Servers in public ranges a test can tell from the clients' (100.64/10 and 2400:…, see below).
    const v6 = rnd() < 0.2;
    const server = v6 ? `2a02:${int(1, 0xffff).toString(16)}::${int(1, 0xffff).toString(16)}` : `${int(1, 99)}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`;
    const count = int(1, 300);
    const evidence = Array.from({ length: int(1, 6) }, () => {
      const client = rnd() < 0.2 ? `2400:${int(1, 0xffff).toString(16)}::${int(1, 0xffff).toString(16)}` : `${int(110, 220)}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`;
      clients.push(client);
      return { client, start: new Date(Date.UTC(2026, 10, 20, int(0, 23))).toISOString(), octets: int(60, 5000), packets: int(1, 20), note: `beacon from ${client} every ${int(30, 900)} s` };
    });
    const parts = Object.fromEntries(PARTS.filter(() => rnd() < 0.7).map((p) => [p, Math.round(rnd() * 300) / 1000]));
    const score = Math.min(1, 0.3 + rnd() * 0.7);
    const first = Date.UTC(2026, 10, int(15, 20));
    candidates.push({
      server, port: [443, 8080, 6667, 53, 23][int(0, 4)] ?? 443, proto: rnd() < 0.8 ? 6 : 17, score, parts, clients: count,
      firstSeen: new Date(first).toISOString(), lastSeen: new Date(first + int(1, 5) * 86_400_000).toISOString(), evidence,
    });
  }
  return { candidates, clients };
}

/** Whether `text` names the address as a token (not inside a longer number or address). */
export function mentions(text: string, address: string): boolean {
  const esc = address.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![0-9a-fA-F.:])${esc}(?![0-9a-fA-F.:]*[0-9a-fA-F])`, 'i').test(text);
}
