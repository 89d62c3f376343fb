import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sharedData } from '../../../test/fixtures/shared-data.js';
import { seededRandom } from '../../util/seeded-random.js';
import { PcapngBuilder, pcapFile } from '../../sources/testing/capture-files.js';
import { damage } from '../../sources/testing/fuzz-inputs.js';
import { bytes, ether, ext, ipv4, ipv6, udp } from '../../sources/testing/frames.js';
import { chunked } from '../../sources/testing/read-all.js';
import { realSflowDatagram } from '../sflow/testing/real-sflow.js';
import { readDatagrams } from './testing/read-datagrams.js';

const ITERATIONS = 300;

/** Frames of export datagrams: the real IPFIX, NetFlow v5 and sFlow payloads, over IPv4, IPv6 and IPv4 fragments. */
function frames(): Uint8Array[] {
  const payloads: Uint8Array[] = [];
  for (const f of ['pmacct-100-ipfix-cisco.pcap', 'akvorado-nfv5.pcap']) {
    const file = readFileSync(sharedData(`flows/${f}`));
    let p = 24;
    while (p + 16 <= file.length) {
      const len = file.readUInt32LE(p + 8);
      payloads.push(Uint8Array.from(file.subarray(p + 16 + 42, p + 16 + len)));
      p += 16 + len;
    }
  }
  payloads.push(realSflowDatagram());
  return payloads.flatMap((d, k) => {
    const u = udp(40000 + k, 2055, Array.from(d));
    if (k % 3 === 1) return [ether(0x86dd, ipv6({ src: '2001:db8::1', dst: '2001:db8::2', next: 0, payload: bytes(ext('hop', 17), u) }))];
    if (k % 3 === 2 && u.length > 200) {
      const a = ipv4({ src: '192.0.2.1', dst: '192.0.2.2', proto: 17, id: k, moreFragments: true, payload: u.subarray(0, 200), totalLength: 220 });
      const b = ipv4({ src: '192.0.2.1', dst: '192.0.2.2', proto: 17, id: k, fragOffset: 25, payload: u.subarray(200) });
      return [ether(0x0800, a), ether(0x0800, b)];
    }
    return [ether(0x0800, ipv4({ src: '192.0.2.1', dst: '192.0.2.2', proto: 17, payload: u }))];
  });
}

const INPUTS: { name: string; make: (f: Uint8Array[]) => Uint8Array }[] = [
  { name: 'pcap', make: (f) => pcapFile(f.map((frame, k) => ({ ts: 1_700_000_000 + k, frame })), { linkType: 1 }) },
  { name: 'pcapng', make: (f) => f.reduce((b, frame, k) => b.epb(0, BigInt(k + 1) * 1000n, frame), new PcapngBuilder().shb().idb(1)).build() },
];

/**
 * Damaged captures of export datagrams (fixed seed), some gzip-compressed, in random chunkings:
 * no throw, bounded time, and every datagram whose frame ends before the first damaged byte
 * reaches decodeDatagram exactly as from the clean file.
 */
describe('readPcapDatagrams under corruption (fixed seed)', () => {
  const f = frames();
  for (const [n, input] of INPUTS.entries()) {
    it(`survives ${ITERATIONS} damaged copies of a ${input.name} capture of export datagrams`, async () => {
      const file = input.make(f);
      const frameEnds = f.map((_, k) => input.make(f.slice(0, k + 1)).length);
      const clean = await readDatagrams([file]);
      expect(clean.calls).toHaveLength(8);
      const rand = seededRandom(2000 + n);
      const int = (below: number): number => Math.floor(rand() * below);
      for (let iter = 0; iter < ITERATIONS; iter++) {
        const { damaged, firstDamage } = damage(file, iter, rand);
        const gzip = iter % 7 === 0;
        const started = Date.now();
        const got = await readDatagrams(chunked(gzip ? gzipSync(damaged) : damaged, [1 + int(rand() < 0.2 ? 16 : 5000)]), { batchSize: 1 + int(64) });
        expect(Date.now() - started).toBeLessThan(2000);
        const intactFrames = frameEnds.filter((end) => end <= firstDamage).length;
        const intact = completedCalls(f, intactFrames);
        expect(got.calls.slice(0, intact)).toEqual(clean.calls.slice(0, intact));
      }
    });
  }
});

/** Datagrams complete within the first `frames` frames: a frame that is a first fragment completes none. */
function completedCalls(f: Uint8Array[], frames: number): number {
  let n = 0;
  for (let k = 0; k < frames; k++) {
    const fr = f[k] as Uint8Array;
    const moreFragments = fr[12] === 0x08 && fr[13] === 0x00 && ((fr[14 + 6] as number) & 0x20) !== 0;
    if (!moreFragments) n++;
  }
  return n;
}
