/**
 * The decoders under corruption (fixed seed): every datagram of the real captures and of spec
 * vectors damaged (bytes changed, cut short, 32-bit and 16-bit fields — set lengths, counts,
 * field lengths — set to random or extreme values, bytes removed or inserted), decoded after the
 * clean datagrams before it. Nothing throws, each decode ends in bounded time, and every record
 * that ends before the first damaged byte is decoded exactly as from the clean datagram.
 */
import { describe, expect, it } from 'vitest';
import { sharedData } from '../../../test/fixtures/shared-data.js';
import { damage } from '../../sources/testing/fuzz-inputs.js';
import { seededRandom } from '../../util/seeded-random.js';
import type { FlowRecordView } from '../flow-batch.js';
import { decodeDatagrams, type ExportVersion } from './testing/decode-captures.js';
import { udpDatagrams, type UdpDatagram } from './testing/pcap-udp.js';
import { ip4, ipfix, ipfixOptionsTemplate, ipfixTemplate, set, u16, u32, u64, v5, v9, v9OptionsTemplate, v9Template, varLength } from './testing/export-builders.js';
import { ip6 } from '../../sources/testing/frames.js';

const ITERATIONS = 300; // per datagram
const T = 1_700_000_000;
const real = (name: string): UdpDatagram[] => udpDatagrams(sharedData(`flows/${name}`));
const vector = (payload: Uint8Array): UdpDatagram => ({ receivedAtMs: 0, exporter: '192.0.2.1', sport: 4739, dport: 4739, payload });

const ipfixVector = ipfix({ exportTime: T, domain: 1 },
  set(3, ipfixOptionsTemplate(300, [{ id: 302, length: 8 }], [{ id: 305, length: 4 }, { id: 306, length: 4 }])), set(300, [...u64(1), ...u32(1), ...u32(99)]),
  set(2, ipfixTemplate(256, [{ id: 96, length: 65535 }, { id: 27, length: 16 }, { id: 28, length: 16 }, { id: 1, length: 3 }, { id: 1, enterprise: 29305, length: 8 }, { id: 302, length: 8 }, { id: 12, enterprise: 9, length: 65535 }])),
  set(256, [0, 1, 2].flatMap((k) => [...varLength(Array<number>(k * 150).fill(65)), ...ip6(`2001:db8::${k + 1}`), ...ip6('2001:db8::ff'), 0, 1, k, ...u64(k * 1000), ...u64(1), ...varLength([k])]), 4));
const v9Vector = v9({ sysUptime: 1000, unixSecs: T },
  set(256, [...ip4('198.51.100.1'), ...u32(100), ...u16(1)]), set(0, v9Template(256, [{ id: 8, length: 4 }, { id: 1, length: 4 }, { id: 48, length: 2 }])),
  set(1, v9OptionsTemplate(257, [{ id: 1, length: 4 }], [{ id: 48, length: 2 }, { id: 34, length: 4 }])), set(257, [...u32(0), ...u16(1), ...u32(10)]),
  set(256, [1, 2, 3, 4, 5].flatMap((k) => [...ip4(`198.51.100.${k}`), ...u32(k), ...u16(1)])));
const v5Vector = v5({ sysUptime: 1000, unixSecs: T, sampling: 0x4000 | 10 }, [1, 2, 3].map((k) => ({ src: `198.51.100.${k}`, dst: '203.0.113.1', packets: k, octets: k * 100, first: 2 ** 32 - k, last: 10, sport: k, dport: 80, proto: 6 })));

const INPUTS: { name: string; version: ExportVersion; datagrams: UdpDatagram[] }[] = [
  { name: 'akvorado NetFlow v5', version: 'netflow5', datagrams: real('akvorado-nfv5.pcap') },
  { name: 'akvorado NetFlow v9', version: 'netflow9', datagrams: [...real('akvorado-nfv9-template.pcap'), ...real('akvorado-nfv9-data.pcap')] },
  { name: 'pmacct IPFIX', version: 'ipfix', datagrams: real('pmacct-100-ipfix-cisco.pcap') },
  { name: 'v5 vector', version: 'netflow5', datagrams: [vector(v5Vector)] },
  { name: 'v9 vector', version: 'netflow9', datagrams: [vector(v9Vector)] },
  { name: 'IPFIX vector', version: 'ipfix', datagrams: [vector(ipfixVector)] },
];

/** Writes a 16-bit value (0, 0xffff, or random) at a random offset: set lengths, counts, field lengths. */
function absurd16(d: Uint8Array, rand: () => number): { damaged: Uint8Array; firstDamage: number } {
  const data = Uint8Array.from(d);
  const at = Math.floor(rand() * (data.length - 2));
  const pick = rand();
  const v = pick < 0.3 ? 0 : pick < 0.6 ? 0xffff : Math.floor(rand() * 65536);
  data.set(u16(v), at);
  return { damaged: data, firstDamage: at };
}

describe('NetFlow decoders under corruption (fixed seed)', () => {
  for (const [n, input] of INPUTS.entries()) {
    it(`survive ${ITERATIONS} damaged copies of each datagram of ${input.name}`, () => {
      const rand = seededRandom(2000 + n);
      for (let j = 0; j < input.datagrams.length; j++) {
        const before = input.datagrams.slice(0, j);
        const target = input.datagrams[j] as UdpDatagram;
        const prefix = decodeDatagrams(input.version, before).records.length;
        const clean = decodeDatagrams(input.version, [...before, target]).records.slice(prefix);
        // How many of the clean records come whole out of the first L bytes.
        const fit = Array.from({ length: target.payload.length + 1 }, (_, L) =>
          decodeDatagrams(input.version, [...before, { ...target, payload: target.payload.subarray(0, L) }]).records.length - prefix);
        for (let iter = 0; iter < ITERATIONS; iter++) {
          const { damaged, firstDamage } = iter % 6 === 5 ? absurd16(target.payload, rand) : damage(target.payload, iter, rand);
          const started = Date.now();
          let got: FlowRecordView[] = [];
          for (const version of ['netflow5', 'netflow9', 'ipfix'] as const) {
            const r = decodeDatagrams(version, [...before, { ...target, payload: damaged }]).records.slice(prefix);
            if (version === input.version) got = r;
          }
          expect(Date.now() - started).toBeLessThan(2000);
          const intact = fit[Math.min(firstDamage, target.payload.length)] ?? 0;
          expect(got.slice(0, intact)).toEqual(clean.slice(0, intact));
        }
      }
    });
  }
});
