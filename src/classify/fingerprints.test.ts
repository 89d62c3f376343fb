import { describe, expect, it } from 'vitest';
import { PacketBatch, PROTO_TCP, TCP_SYN } from '../decode/packet-batch.js';
import { BUILTIN_FINGERPRINTS, Fingerprinter, binomialTail, tagConfidence } from './fingerprints.js';

const MIRAI = 1 << 0;
const MASSCAN = 1 << 1;
const ZMAP = 1 << 2;

function syn(b: PacketBatch, ts: string, f: { dst: number; seq: number; id: number; dport: number }): void {
  const i = b.begin();
  b.tsMicros[i] = Date.parse(ts) * 1000;
  b.family[i] = 4;
  b.proto[i] = PROTO_TCP;
  b.tcpFlags[i] = TCP_SYN;
  b.dst4[i] = f.dst;
  b.tcpSeq[i] = f.seq;
  b.ipId[i] = f.id;
  b.dport[i] = f.dport;
  b.commit();
}

describe('built-in fingerprints', () => {
  it('tags Mirai, Masscan and ZMap packets, ZMap only before March 2024', () => {
    const b = new PacketBatch(8);
    const dst = 0xc6120a0b;
    syn(b, '2024-02-20T00:00:00Z', { dst, seq: dst, id: 1234, dport: 23 });
    syn(b, '2024-02-20T00:00:00Z', { dst, seq: 77, id: (dst ^ 80 ^ 77) & 0xffff, dport: 80 });
    syn(b, '2024-02-20T00:00:00Z', { dst, seq: 5, id: 54321, dport: 443 });
    syn(b, '2024-03-02T00:00:00Z', { dst, seq: 5, id: 54321, dport: 443 });
    syn(b, '2024-02-20T00:00:00Z', { dst, seq: 5, id: 6, dport: 443 });
    new Fingerprinter().tagBatch(b);
    expect([...b.tags.subarray(0, 5)]).toEqual([MIRAI, MASSCAN, ZMAP, 0, 0]);
  });

  it('has unique bits and documented evidence', () => {
    const bits = BUILTIN_FINGERPRINTS.map((f) => f.bit);
    expect(new Set(bits).size).toBe(bits.length);
    for (const f of BUILTIN_FINGERPRINTS) {
      expect(f.falseMatchChance).toBeGreaterThan(0);
      expect(f.reference.length).toBeGreaterThan(10);
    }
  });
});

describe('tag confidence', () => {
  it('is the share of matching packets discounted by the chance of matching by accident', () => {
    expect(tagConfidence(3, 3, 2 ** -32)).toBeCloseTo(1, 9);
    expect(tagConfidence(10, 5, 2 ** -32)).toBeCloseTo(0.5, 9);
    // One Masscan-looking packet out of 200: likely an accident, confidence is small.
    expect(tagConfidence(200, 1, 2 ** -16)).toBeLessThan(0.005);
    // A single packet that matches a 16-bit test: share 1, discounted by 2^-16.
    expect(tagConfidence(1, 1, 2 ** -16)).toBeCloseTo(1 - 2 ** -16, 9);
    expect(tagConfidence(0, 0, 0.1)).toBe(0);
  });

  it('computes binomial tails correctly', () => {
    expect(binomialTail(10, 0, 0.3)).toBe(1);
    expect(binomialTail(1, 1, 0.25)).toBeCloseTo(0.25, 12);
    // P[X >= 2], n = 3, p = 0.5 → 4/8
    expect(binomialTail(3, 2, 0.5)).toBeCloseTo(0.5, 12);
    // n large, p tiny: ≈ n·p for k = 1
    expect(binomialTail(1000, 1, 1e-9)).toBeCloseTo(1e-6, 9);
  });
});
