import { describe, expect, it } from 'vitest';
import { SakimoriError } from '../errors.js';
import { ether, icmp, ipv4, ipv6, tcp, udp, ext, bytes } from './testing/frames.js';
import { PcapngBuilder, pcapFile } from './testing/capture-files.js';
import { chunked, readAll } from './testing/read-all.js';
import { seededRandom as rng } from '../util/seeded-random.js';

function sampleFrames(n: number): { ts: number; frame: Uint8Array }[] {
  const out: { ts: number; frame: Uint8Array }[] = [];
  for (let k = 0; k < n; k++) {
    const kind = k % 4;
    const p = kind === 0 ? ipv4({ src: `192.0.2.${k % 250}`, dst: '198.18.0.1', proto: 6, payload: tcp({ sport: k, dport: 23, flags: 2, seq: k }) })
      : kind === 1 ? ipv4({ src: '192.0.2.9', dst: '198.18.0.2', proto: 17, payload: udp(53, 40000 + k) })
        : kind === 2 ? ipv6({ src: '2001:db8::1', dst: '2001:db8:dead::2', next: 44, payload: bytes(ext('frag', 6, { more: true, id: k }), tcp({ sport: 1, dport: 443, flags: 2 })) })
          : ipv4({ src: '203.0.113.5', dst: '198.18.0.3', proto: 1, payload: icmp(3, 1, Array(32).fill(k & 255)) });
    out.push({ ts: 1700000000 + k, frame: ether(kind === 2 ? 0x86dd : 0x0800, p) });
  }
  return out;
}

/**
 * Corrupted and truncated captures: every run ends (no hang), throws nothing but
 * CAPTURE_BAD_MAGIC, and the packets before the first damaged byte are all there.
 */
describe('capture readers under corruption (fixed seed)', () => {
  const frames = sampleFrames(60);
  const pcap = pcapFile(frames, { linkType: 1 });
  const ng = frames.reduce((b, f, k) => b.epb(0, BigInt(k + 1) * 1000n, f.frame), new PcapngBuilder().shb().idb(1)).build();
  const baseline = { pcap: 0, ng: 0 };

  it('reads the clean inputs', async () => {
    baseline.pcap = (await readAll([pcap])).packets.length;
    baseline.ng = (await readAll([ng])).packets.length;
    expect(baseline).toEqual({ pcap: 60, ng: 60 });
  });

  for (const [name, file, headerLen] of [['pcap', pcap, 24], ['pcapng', ng, 0]] as const) {
    it(`survives 1500 mutations of a ${name} file`, async () => {
      const rand = rng(name === 'pcap' ? 1 : 2);
      const clean = await readAll([file]);
      for (let iter = 0; iter < 1500; iter++) {
        const data = Uint8Array.from(file);
        const mode = iter % 5;
        let firstDamage = data.length;
        const damage = (at: number): void => { firstDamage = Math.min(firstDamage, at); };
        if (mode === 0) {
          for (let k = 0; k < 1 + Math.floor(rand() * 8); k++) {
            const at = Math.floor(rand() * data.length);
            data[at] = Math.floor(rand() * 256);
            damage(at);
          }
        }
        let input: Uint8Array = data;
        if (mode === 1) {
          const cut = Math.floor(rand() * data.length);
          input = data.subarray(0, cut);
          damage(cut);
        }
        if (mode === 2) {
          // A length field set to something absurd.
          const at = headerLen + Math.floor(rand() * (data.length - headerLen - 4));
          new DataView(data.buffer).setUint32(at, Math.floor(rand() * 2 ** 32), true);
          damage(at);
        }
        if (mode === 3) {
          const a = Math.floor(rand() * data.length);
          const len = Math.floor(rand() * 200);
          input = bytes(data.subarray(0, a), data.subarray(Math.min(data.length, a + len)));
          damage(a);
        }
        if (mode === 4) {
          const a = Math.floor(rand() * data.length);
          input = bytes(data.subarray(0, a), Uint8Array.from({ length: 64 }, () => Math.floor(rand() * 256)), data.subarray(a));
          damage(a);
        }
        const sizes = [1 + Math.floor(rand() * 5000)];
        const started = Date.now();
        let got;
        try {
          got = await readAll(chunked(input, sizes), 1 + Math.floor(rand() * 20));
        } catch (e) {
          expect(e).toBeInstanceOf(SakimoriError);
          expect((e as SakimoriError).code).toBe('CAPTURE_BAD_MAGIC');
          expect(firstDamage).toBeLessThan(24);
          continue;
        }
        expect(Date.now() - started).toBeLessThan(2000);
        // Every packet whose record ends before the first damaged byte is decoded as before.
        const intact = clean.packets.filter((_, k) => recordEnd(name, k) <= firstDamage).length;
        expect(got.packets.slice(0, intact)).toEqual(clean.packets.slice(0, intact));
      }
    });
  }

  function recordEnd(kind: 'pcap' | 'pcapng', k: number): number {
    if (kind === 'pcap') {
      let o = 24;
      for (let j = 0; j <= k; j++) o += 16 + (frames[j]?.frame.length ?? 0);
      return o;
    }
    // SHB (28+16 option bytes) + IDB (20) + EPB blocks of 32 + padded frame.
    let o = new PcapngBuilder().shb().idb(1).build().length;
    for (let j = 0; j <= k; j++) o += 32 + Math.ceil((frames[j]?.frame.length ?? 0) / 4) * 4;
    return o;
  }
});
