import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../util/seeded-random.js';
import { damage } from '../../sources/testing/fuzz-inputs.js';
import { ether, ipv4, ipv6, tcp, udp } from '../../sources/testing/frames.js';
import { FlowBatch, type FlowRecordView } from '../flow-batch.js';
import { FlowSkipCounters } from '../flow-skips.js';
import { decodeSflow } from './decode-sflow.js';
import {
  counterSample, datagram, extendedGateway, flowSample, genericCounters, rawHeader, sampledIPv4, sampledIPv6, tagged,
} from './testing/sflow-datagrams.js';
import { realSflowDatagram } from './testing/real-sflow.js';

const ITERATIONS = 3000;
const FROM = { exporter: '192.0.2.100', port: 6343, receivedAtMs: 1_700_000_000_000 };

/** Samples of every kind the decoder reads, each storing at most one record. */
function samples(): Uint8Array[] {
  const counters = genericCounters({
    ifIndex: 1, ifType: 6, ifSpeed: 1e9, ifDirection: 1, ifStatus: 3, inOctets: 5, inUcastPkts: 1, inMulticastPkts: 0, inBroadcastPkts: 0, inDiscards: 0,
    inErrors: 0, inUnknownProtos: 0, outOctets: 7, outUcastPkts: 1, outMulticastPkts: 0, outBroadcastPkts: 0, outDiscards: 0, outErrors: 0, promiscuousMode: 0,
  });
  return [
    flowSample({ sequence: 1, rate: 256, input: 1, output: 2, records: [rawHeader(1, 1514, ether(0x0800, ipv4({ src: '192.0.2.1', dst: '198.51.100.1', proto: 6, payload: tcp({ sport: 4000, dport: 443, flags: 0x18 }) })))] }),
    counterSample({ sequence: 7, sourceIndex: 1, records: [counters] }, true),
    flowSample({ sequence: 2, rate: 256, input: 1, output: 2, records: [sampledIPv6({ length: 1280, proto: 17, src: '2001:db8::1', dst: '2001:db8::2', sport: 53, dport: 5353 }), extendedGateway({ as: 1, srcAs: 2, path: [[3, 4]] })] }, true),
    tagged(7, new Uint8Array(24), 9),
    flowSample({ sequence: 3, rate: 0, records: [rawHeader(12, 100, ipv6({ src: '2001:db8::3', dst: '2001:db8::4', next: 17, payload: udp(1, 2, [1, 2, 3]) }), 0)] }),
    counterSample({ sequence: 8, sourceIndex: 1, records: [counters] }),
    flowSample({ sequence: 4, rate: 256, records: [sampledIPv4({ length: 40, proto: 6, src: '203.0.113.1', dst: '203.0.113.2', sport: 1, dport: 2, tcpFlags: 2 })] }),
  ];
}

function decode(d: Uint8Array): FlowRecordView[] {
  const b = new FlowBatch(2);
  const s = decodeSflow(d, FROM, b, new FlowSkipCounters());
  expect(s?.records ?? 0).toBe(b.length);
  return b.views();
}

/**
 * Damaged datagrams (fixed seed): bytes changed, cut, removed or inserted, 32-bit fields (often
 * lengths and counts) set to random values. No throw, bounded time, and every record of a
 * sample that ends before the first damaged byte is decoded as from the clean datagram.
 */
describe('decodeSflow under corruption (fixed seed)', () => {
  const all = samples();
  const made = datagram({ agent: '2001:db8::99', subAgent: 3, samples: all });
  const madeEnds = all.map((_, k) => datagram({ agent: '2001:db8::99', subAgent: 3, samples: all.slice(0, k + 1), numSamples: all.length }).length);
  // The real datagram's five samples end at these offsets (sample lengths 208, 272, 208, 244, 208, plus 8 each).
  const real = realSflowDatagram();
  const realEnds = [216, 280, 216, 252, 216].reduce<number[]>((a, n) => [...a, (a.at(-1) ?? 28) + n], []);

  for (const [name, file, ends, perSample] of [
    ['a real datagram', real, realEnds, [1, 1, 1, 1, 1]],
    ['a datagram of every sample kind', made, madeEnds, [1, 0, 1, 0, 1, 0, 1]],
  ] as const) {
    it(`survives ${ITERATIONS} damaged copies of ${name}`, () => {
      expect(ends.at(-1)).toBe(file.length);
      const clean = decode(file);
      expect(clean).toHaveLength(perSample.reduce((a: number, n) => a + n, 0));
      const rand = seededRandom(name.length);
      const started = Date.now();
      for (let iter = 0; iter < ITERATIONS; iter++) {
        const { damaged, firstDamage } = damage(file, iter, rand);
        const rows = decode(damaged);
        const intact = ends.reduce((a: number, end, k) => (end <= firstDamage ? a + (perSample[k] ?? 0) : a), 0);
        expect(rows.slice(0, intact)).toEqual(clean.slice(0, intact));
      }
      expect(Date.now() - started).toBeLessThan(20_000);
    });
  }
});
