import { describe, expect, it } from 'vitest';
import { PacketBatch, PROTO_TCP, TCP_SYN, TCP_ACK } from '../decode/packet-batch.js';
import { compileFingerprint, compileFingerprintParts, parseFingerprint, FingerprintSyntaxError } from './fingerprint-expr.js';

function batchWith(fill: (b: PacketBatch, i: number) => void): PacketBatch {
  const b = new PacketBatch(4);
  const i = b.begin();
  fill(b, i);
  b.commit();
  return b;
}

describe('fingerprint expressions', () => {
  it('compares unsigned 32-bit values (Mirai: seq = destination)', () => {
    const test = compileFingerprint('proto == TCP && (tcp.flags & (SYN|ACK)) == SYN && tcp.seq == ip.dst');
    const dst = 0xc6120001; // 198.18.0.1: the high bit is set, so signed arithmetic would fail
    const b = batchWith((b, i) => { b.proto[i] = PROTO_TCP; b.tcpFlags[i] = TCP_SYN; b.tcpSeq[i] = dst; b.dst4[i] = dst; });
    expect(test(b, 0)).toBe(true);
    b.tcpFlags[0] = TCP_SYN | TCP_ACK;
    expect(test(b, 0)).toBe(false);
  });

  it('computes the Masscan IP ID formula with xor and mask', () => {
    const test = compileFingerprint('ip.id == ((ip.dst ^ tcp.dport ^ tcp.seq) & 0xffff)');
    const dst = 0xcb007105;
    const dport = 443;
    const seq = 0x9abcdef0;
    const id = (dst ^ dport ^ seq) & 0xffff;
    const b = batchWith((b, i) => { b.dst4[i] = dst; b.dport[i] = dport; b.tcpSeq[i] = seq; b.ipId[i] = id; });
    expect(test(b, 0)).toBe(true);
    b.ipId[0] = (id + 1) & 0xffff;
    expect(test(b, 0)).toBe(false);
  });

  it('honours precedence and negation', () => {
    const b = batchWith((b, i) => { b.dport[i] = 23; b.ttl[i] = 50; });
    expect(compileFingerprint('dport == 23 || dport == 2323 && ip.ttl > 100')(b, 0)).toBe(true);
    expect(compileFingerprint('(dport == 23 || dport == 2323) && ip.ttl > 100')(b, 0)).toBe(false);
    expect(compileFingerprint('!(dport == 22)')(b, 0)).toBe(true);
    expect(compileFingerprint('dport - 24 > 0')(b, 0)).toBe(true); // wraps to 2^32-1, unsigned
  });

  it('rejects unknown names and bad syntax with a position', () => {
    expect(() => parseFingerprint('tcp.seq == process')).toThrow(FingerprintSyntaxError);
    expect(() => parseFingerprint('tcp.seq == process')).toThrow(/position 11/);
    expect(() => parseFingerprint('(dport == 1')).toThrow(/expected '\)'/);
    expect(() => parseFingerprint('dport == ;')).toThrow(/unexpected character/);
    expect(() => parseFingerprint('dport 1')).toThrow(/unexpected '1'/);
  });
});

describe('what a fingerprint applies to', () => {
  const kinds: [number, number, number, number][] = [];
  for (const family of [4, 6]) for (const proto of [PROTO_TCP, 17, 1]) for (const flags of [0, TCP_SYN, TCP_SYN | TCP_ACK, 0x04]) for (const id of [7, 54321]) kinds.push([family, proto, flags, id]);

  it('is the conjuncts that only look at the kind of packet', () => {
    expect(compileFingerprintParts('ip.family == 4 && proto == TCP && (tcp.flags & (SYN|ACK)) == SYN && ip.id == 54321').appliesTo)
      .toBe('ip.family == 4 && proto == TCP && (tcp.flags & (SYN|ACK)) == SYN');
    expect(compileFingerprintParts('ip.id == 54321 && (proto == TCP || proto == UDP)').appliesTo).toBe('(proto == TCP || proto == UDP)');
    // A port or TTL is the sender's choice, part of the test; a test of the kind alone applies to every packet.
    expect(compileFingerprintParts('proto == UDP && dport == 1900').appliesTo).toBe('proto == UDP');
    expect(compileFingerprintParts('proto == ICMP && icmp.type == 8').appliesTo).toBe('');
    expect(compileFingerprintParts('ip.ttl == 64').appliesTo).toBe('');
    expect(compileFingerprintParts('ip.ttl == 64', 'proto == TCP').appliesTo).toBe('proto == TCP');
  });

  it('splits the test without changing it: matches = applies && the rest', () => {
    const src = 'ip.family == 4 && proto == TCP && (tcp.flags & (SYN|ACK)) == SYN && ip.id == 54321';
    const whole = compileFingerprint(src);
    const parts = compileFingerprintParts(src);
    const b = new PacketBatch(kinds.length);
    for (const [family, proto, flags, id] of kinds) {
      const i = b.begin();
      b.family[i] = family;
      b.proto[i] = proto;
      b.tcpFlags[i] = flags;
      b.ipId[i] = id;
      b.commit();
    }
    let applicable = 0;
    for (let i = 0; i < b.length; i++) {
      expect(parts.applies(b, i) && parts.matches(b, i), `packet ${i}`).toBe(whole(b, i));
      if (parts.applies(b, i)) applicable++;
    }
    expect(applicable).toBe(2); // IPv4 TCP SYN, either IP ID
  });

  it('names the position of a syntax error in a declared appliesTo', () => {
    expect(() => compileFingerprintParts('ip.ttl == 64', 'proto == ')).toThrow(FingerprintSyntaxError);
  });
});
