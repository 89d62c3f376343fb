import { describe, expect, it } from 'vitest';
import { PacketBatch, PROTO_TCP, PROTO_UDP, TCP_ACK, TCP_RST, TCP_SYN } from '../decode/packet-batch.js';
import { BUILTIN_FINGERPRINTS, Fingerprinter, appliesToOf, type Fingerprint } from './fingerprints.js';

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
    // Every one applies to these SYNs, except ZMap's after its IP ID was randomised.
    expect([...b.tagInapplicable.subarray(0, 5)]).toEqual([0, 0, 0, ZMAP, 0]);
  });

  it('marks the packets each test does not apply to: not IPv4 TCP SYNs', () => {
    const b = new PacketBatch(8);
    const dst = 0xc6120a0b;
    const kinds: [number, number, number][] = [[4, PROTO_TCP, TCP_SYN], [4, PROTO_UDP, 0], [4, PROTO_TCP, TCP_RST], [4, PROTO_TCP, TCP_SYN | TCP_ACK], [6, PROTO_TCP, TCP_SYN]];
    for (const [family, proto, flags] of kinds) {
      const i = b.begin();
      b.tsMicros[i] = Date.parse('2024-01-01T00:00:00Z') * 1000;
      b.family[i] = family;
      b.proto[i] = proto;
      b.tcpFlags[i] = flags;
      // Mirai's relation holds on all of them: only the SYN may count.
      b.dst4[i] = dst;
      b.tcpSeq[i] = dst;
      b.ipId[i] = 1; // not Masscan's (dst ^ dport ^ seq) & 0xffff = 0
      b.commit();
    }
    new Fingerprinter().tagBatch(b);
    const all = MIRAI | MASSCAN | ZMAP;
    expect([...b.tagInapplicable.subarray(0, 5)]).toEqual([0, all, all, all, all]);
    expect([...b.tags.subarray(0, 5)]).toEqual([MIRAI, 0, 0, 0, 0]);
  });

  it('applies to what a declared `appliesTo` says, and matches only there', () => {
    const telnet: Fingerprint = {
      ...(BUILTIN_FINGERPRINTS[2] as Fingerprint), name: 'telnet-ttl', bit: 5, test: 'ip.ttl == 64', appliesTo: 'proto == TCP && dport == 23', validTo: undefined,
    };
    const b = new PacketBatch(4);
    for (const dport of [23, 80]) {
      const i = b.begin();
      b.proto[i] = PROTO_TCP;
      b.dport[i] = dport;
      b.ttl[i] = 64;
      b.commit();
    }
    new Fingerprinter([telnet]).tagBatch(b);
    expect([...b.tags.subarray(0, 2)]).toEqual([1 << 5, 0]);
    expect([...b.tagInapplicable.subarray(0, 2)]).toEqual([0, 1 << 5]);
    expect(appliesToOf(telnet)).toBe('proto == TCP && dport == 23');
  });

  it('has unique bits and documented evidence', () => {
    const bits = BUILTIN_FINGERPRINTS.map((f) => f.bit);
    expect(new Set(bits).size).toBe(bits.length);
    for (const f of BUILTIN_FINGERPRINTS) {
      expect(f.falseMatchChance).toBeGreaterThan(0);
      expect(f.reference.length).toBeGreaterThan(10);
      expect(f.prior).toBeGreaterThan(0);
      expect(f.prior).toBeLessThan(1);
      // Each is a relation tested on IPv4 TCP SYNs, and says so in its evidence.
      expect(appliesToOf(f)).toBe('ip.family == 4 && proto == TCP && (tcp.flags & (SYN | ACK | RST)) == SYN');
      expect(f.appliesToName).toBe('TCP SYN');
    }
  });
});
