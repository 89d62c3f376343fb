import type { PacketBatch } from '../decode/packet-batch.js';
import { compileFingerprint, type PacketTest } from './fingerprint-expr.js';

/**
 * Fingerprints of scanning tools, as data. Each carries its evidence: where the rule comes from,
 * the dates between which the tool behaved so, and the chance that an unrelated packet matches
 * it by accident. `bit` is the stable position in the per-packet tag mask and in the per-source
 * hit counts; it never changes once released.
 */
export interface Fingerprint {
  name: string;
  bit: number;
  /** Expression over packet fields (see fingerprint-expr.ts). */
  test: string;
  /** ISO dates: packets outside [validFrom, validTo) are not tested. */
  validFrom?: string;
  validTo?: string;
  /** Chance that a packet which the test applies to matches by accident. */
  falseMatchChance: number;
  /** Share of a source's packets that must match for the source to carry the tag. */
  minShare: number;
  description: string;
  /** The same in Japanese, for the console and notices. */
  descriptionJa: string;
  reference: string;
}

const SYN_ONLY = 'proto == TCP && (tcp.flags & (SYN | ACK | RST)) == SYN';

export const BUILTIN_FINGERPRINTS: readonly Fingerprint[] = [
  {
    name: 'mirai',
    bit: 0,
    test: `ip.family == 4 && ${SYN_ONLY} && tcp.seq == ip.dst`,
    falseMatchChance: 2 ** -32,
    minShare: 0.5,
    description: 'Mirai and its descendants set the TCP sequence number of their SYN probes to the destination address.',
    descriptionJa: 'Mirai とその亜種は、SYN スキャンの TCP シーケンス番号を宛先アドレスと同じ値にします。',
    reference: 'Antonakakis et al., Understanding the Mirai Botnet, USENIX Security 2017',
  },
  {
    name: 'masscan',
    bit: 1,
    test: `ip.family == 4 && ${SYN_ONLY} && ip.id == ((ip.dst ^ tcp.dport ^ tcp.seq) & 0xffff)`,
    falseMatchChance: 2 ** -16,
    minShare: 0.5,
    description: 'Masscan sets the IPv4 identification to (destination ⊕ destination port ⊕ sequence) & 0xffff.',
    descriptionJa: 'Masscan は IPv4 の識別子を（宛先アドレス ⊕ 宛先ポート ⊕ シーケンス番号）& 0xffff にします。',
    reference: 'masscan src/templ-pkt.c; Durumeric et al., An Internet-Wide View of Internet-Wide Scanning, 2014',
  },
  {
    name: 'zmap',
    bit: 2,
    test: `ip.family == 4 && ${SYN_ONLY} && ip.id == 54321`,
    validTo: '2024-03-01',
    falseMatchChance: 2 ** -16,
    minShare: 0.5,
    description: 'ZMap used the fixed IPv4 identification 54321 until it randomised it in March 2024 (ZMap 4.1).',
    descriptionJa: 'ZMap は 2024年3月（ZMap 4.1）にランダム化するまで、IPv4 識別子に固定値 54321 を使っていました。',
    reference: 'zmap commit "randomize IP ID" (2024-03); Durumeric et al., ZMap, USENIX Security 2013',
  },
];

interface Compiled {
  bit: number;
  test: PacketTest;
  fromMicros: number;
  toMicros: number;
}

/** Compiles the fingerprints once; `tagBatch` then sets `batch.tags` for every packet. */
export class Fingerprinter {
  private readonly compiled: Compiled[];

  constructor(readonly fingerprints: readonly Fingerprint[] = BUILTIN_FINGERPRINTS) {
    const bits = new Set<number>();
    this.compiled = fingerprints.map((f) => {
      if (f.bit < 0 || f.bit > 15 || bits.has(f.bit)) throw new Error(`fingerprint ${f.name}: bit ${f.bit} is out of range 0–15 or used twice`);
      bits.add(f.bit);
      return {
        bit: f.bit,
        test: compileFingerprint(f.test),
        fromMicros: f.validFrom ? Date.parse(f.validFrom) * 1000 : -Infinity,
        toMicros: f.validTo ? Date.parse(f.validTo) * 1000 : Infinity,
      };
    });
  }

  tagBatch(batch: PacketBatch): void {
    const { tags, tsMicros } = batch;
    tags.fill(0, 0, batch.length);
    for (const c of this.compiled) {
      const mask = (1 << c.bit) >>> 0;
      const test = c.test;
      for (let i = 0; i < batch.length; i++) {
        const t = tsMicros[i];
        if (t >= c.fromMicros && t < c.toMicros && test(batch, i)) tags[i] = (tags[i] | mask) >>> 0;
      }
    }
  }

  byBit(bit: number): Fingerprint | undefined {
    return this.fingerprints.find((f) => f.bit === bit);
  }
}

/**
 * Confidence that a source runs the tool, from the share of its packets that match and the
 * chance of an accidental match: share × (1 − P[X ≥ k]), X ~ Binomial(n, p). A Mirai bot with
 * 3 matching SYNs of 3 is certain; one Masscan-looking packet of 200 is noise.
 */
export function tagConfidence(packets: number, hits: number, falseMatchChance: number): number {
  if (packets <= 0 || hits <= 0) return 0;
  const share = hits / packets;
  return share * (1 - binomialTail(packets, hits, falseMatchChance));
}

/** P[X ≥ k] for X ~ Binomial(n, p), summed in log space (stable for tiny p and large n). */
export function binomialTail(n: number, k: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  let logTerm = logChoose(n, k) + k * logP + (n - k) * logQ;
  let sum = 0;
  for (let j = k; j <= n; j++) {
    const term = Math.exp(logTerm);
    sum += term;
    if (term < sum * 1e-15) break;
    logTerm += Math.log((n - j) / (j + 1)) + logP - logQ;
  }
  return Math.min(1, sum);
}

function logChoose(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}

function logFactorial(n: number): number {
  // Stirling with corrections beyond small n; exact sum below.
  if (n < 50) {
    let s = 0;
    for (let i = 2; i <= n; i++) s += Math.log(i);
    return s;
  }
  return n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n) + 1 / (12 * n) - 1 / (360 * n ** 3);
}
