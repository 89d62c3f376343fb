import type { PacketBatch } from '../decode/packet-batch.js';
import { appliesToText, compileFingerprintParts, type PacketTest } from './fingerprint-expr.js';

/**
 * Fingerprints of scanning tools, as data. Each carries its evidence: where the rule comes from,
 * the dates between which the tool behaved so, which packets its test is about and the chance
 * that one of those from an unrelated sender matches it by accident. `bit` is the stable position
 * in the per-packet tag mask and in the per-source hit counts; it never changes once released.
 * Tags are decided per source over the packets the test applies to (tag-evidence.ts).
 */
export interface Fingerprint {
  name: string;
  bit: number;
  /** Expression over packet fields (see fingerprint-expr.ts). */
  test: string;
  /**
   * Expression choosing the packets the test applies to. Default: the conjuncts of `test` that
   * only look at the kind of packet (family, protocol, TCP flags, ICMP type and code).
   */
  appliesTo?: string;
  /** Those packets in words, for the evidence: "1,001 of 1,001 TCP SYN packets match". */
  appliesToName: string;
  appliesToNameJa: string;
  /** ISO dates: packets outside [validFrom, validTo) are not tested (the test does not apply). */
  validFrom?: string;
  validTo?: string;
  /** Chance that a packet which the test applies to matches by accident. */
  falseMatchChance: number;
  /** Share of the packets the test applies to that must match for the source to carry the tag. */
  minShare: number;
  /**
   * Share of sources assumed to run the tool before any packet is seen: the prior of the tag's
   * confidence (tag-evidence.ts). Deliberately low, so that a tag rests on packets.
   */
  prior: number;
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
    appliesToName: 'TCP SYN',
    appliesToNameJa: 'TCP SYN',
    falseMatchChance: 2 ** -32,
    minShare: 0.5,
    prior: 0.01,
    description: 'Mirai and its descendants set the TCP sequence number of their SYN probes to the destination address.',
    descriptionJa: 'Mirai とその亜種は、SYN スキャンの TCP シーケンス番号を宛先アドレスと同じ値にします。',
    reference: 'Antonakakis et al., Understanding the Mirai Botnet, USENIX Security 2017',
  },
  {
    name: 'masscan',
    bit: 1,
    test: `ip.family == 4 && ${SYN_ONLY} && ip.id == ((ip.dst ^ tcp.dport ^ tcp.seq) & 0xffff)`,
    appliesToName: 'TCP SYN',
    appliesToNameJa: 'TCP SYN',
    falseMatchChance: 2 ** -16,
    minShare: 0.5,
    prior: 0.01,
    description: 'Masscan sets the IPv4 identification to (destination ⊕ destination port ⊕ sequence) & 0xffff.',
    descriptionJa: 'Masscan は IPv4 の識別子を（宛先アドレス ⊕ 宛先ポート ⊕ シーケンス番号）& 0xffff にします。',
    reference: 'masscan src/templ-pkt.c; Durumeric et al., An Internet-Wide View of Internet-Wide Scanning, 2014',
  },
  {
    name: 'zmap',
    bit: 2,
    test: `ip.family == 4 && ${SYN_ONLY} && ip.id == 54321`,
    validTo: '2024-03-01',
    appliesToName: 'TCP SYN',
    appliesToNameJa: 'TCP SYN',
    falseMatchChance: 2 ** -16,
    minShare: 0.5,
    prior: 0.01,
    description: 'ZMap used the fixed IPv4 identification 54321 until it randomised it in March 2024 (ZMap 4.1).',
    descriptionJa: 'ZMap は 2024年3月（ZMap 4.1）にランダム化するまで、IPv4 識別子に固定値 54321 を使っていました。',
    reference: 'zmap commit "randomize IP ID" (2024-03); Durumeric et al., ZMap, USENIX Security 2013',
  },
];

interface Member {
  mask: number;
  matches: PacketTest;
  fromMicros: number;
  toMicros: number;
}

/** Fingerprints that apply to the same packets, so that the guard is evaluated once per packet. */
interface Group {
  applies: PacketTest;
  members: Member[];
}

/** The expression choosing the packets a fingerprint applies to ('' for every packet). */
export function appliesToOf(f: Fingerprint): string {
  return appliesToText(f.test, f.appliesTo);
}

/**
 * Compiles the fingerprints once; `tagBatch` then sets, for every packet, `batch.tags` (the
 * fingerprints it matches) and `batch.tagInapplicable` (those whose test does not apply to it).
 */
export class Fingerprinter {
  private readonly groups: Group[];

  constructor(readonly fingerprints: readonly Fingerprint[] = BUILTIN_FINGERPRINTS) {
    const bits = new Set<number>();
    const groups = new Map<string, Group>();
    for (const f of fingerprints) {
      if (f.bit < 0 || f.bit > 15 || bits.has(f.bit)) throw new Error(`fingerprint ${f.name}: bit ${f.bit} is out of range 0–15 or used twice`);
      bits.add(f.bit);
      const parts = compileFingerprintParts(f.test, f.appliesTo);
      const group = groups.get(parts.appliesTo) ?? { applies: parts.applies, members: [] };
      groups.set(parts.appliesTo, group);
      group.members.push({
        mask: (1 << f.bit) >>> 0,
        matches: parts.matches,
        fromMicros: f.validFrom ? Date.parse(f.validFrom) * 1000 : -Infinity,
        toMicros: f.validTo ? Date.parse(f.validTo) * 1000 : Infinity,
      });
    }
    this.groups = [...groups.values()];
  }

  tagBatch(batch: PacketBatch): void {
    const { tags, tagInapplicable, tsMicros } = batch;
    const n = batch.length;
    tags.fill(0, 0, n);
    tagInapplicable.fill(0, 0, n);
    for (const { applies, members } of this.groups) {
      for (let i = 0; i < n; i++) {
        const ok = applies(batch, i);
        const t = tsMicros[i] as number;
        let hit = 0;
        let skip = 0;
        for (const m of members) {
          if (ok && t >= m.fromMicros && t < m.toMicros) {
            if (m.matches(batch, i)) hit |= m.mask;
          } else skip |= m.mask;
        }
        if (hit !== 0) tags[i] = (tags[i] as number) | hit;
        if (skip !== 0) tagInapplicable[i] = (tagInapplicable[i] as number) | skip;
      }
    }
  }

  byBit(bit: number): Fingerprint | undefined {
    return this.fingerprints.find((f) => f.bit === bit);
  }
}
