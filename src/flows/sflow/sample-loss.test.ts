import { describe, expect, it } from 'vitest';
import { FlowBatch } from '../flow-batch.js';
import { FlowSkipCounters } from '../flow-skips.js';
import type { SflowInterfaceCounters } from './sflow-summary.js';
import { createSflowDecoder } from './sample-loss.js';
import { counterSample, datagram, flowSample, genericCounters, sampledIPv4, type GenericCounters } from './testing/sflow-datagrams.js';

const rec = sampledIPv4({ length: 60, proto: 6, src: '192.0.2.1', dst: '192.0.2.2', sport: 1, dport: 2 });
const flows = (agent: string, subAgent: number, sourceIndex: number, ...sequences: number[]): Uint8Array =>
  datagram({ agent, subAgent, samples: sequences.map((sequence) => flowSample({ sequence, sourceIndex, rate: 64, records: [rec] })) });
const FROM = { exporter: '192.0.2.9', port: 6343, receivedAtMs: 0 };

describe('createSflowDecoder: sample loss per data source, counters to a callback', () => {
  it('counts the gaps in each source\'s sample sequence, per agent, sub-agent and source, across datagrams', () => {
    const losses: number[] = [];
    const decode = createSflowDecoder({ onSampleLoss: (n) => losses.push(n) });
    const b = new FlowBatch(4);
    const skips = new FlowSkipCounters();
    decode(flows('192.0.2.1', 0, 1, 10, 11), FROM, b, skips);
    decode(flows('192.0.2.1', 0, 2, 500), FROM, b, skips); // another source: its own sequence
    decode(flows('192.0.2.1', 1, 1, 77), FROM, b, skips); // another sub-agent
    decode(flows('192.0.2.2', 0, 1, 3), FROM, b, skips); // another agent
    decode(flows('192.0.2.1', 0, 1, 15, 16), FROM, b, skips); // 12, 13, 14 lost
    decode(flows('192.0.2.1', 0, 2, 502), FROM, b, skips); // 501 lost
    decode(flows('192.0.2.1', 0, 1, 2), FROM, b, skips); // went back: the agent restarted, nothing lost
    decode(flows('192.0.2.1', 0, 1, 3), FROM, b, skips);
    expect(losses).toEqual([3, 1]);
    expect(decode.loss.lost).toBe(4);
    expect(b.length).toBe(10);
  });

  it('takes the 32-bit wrap as one step, and keeps counter samples apart from flow samples of the same source', () => {
    const decode = createSflowDecoder();
    const b = new FlowBatch(4);
    const skips = new FlowSkipCounters();
    decode(flows('192.0.2.1', 0, 1, 0xffffffff), FROM, b, skips);
    decode(flows('192.0.2.1', 0, 1, 0), FROM, b, skips);
    const counters = (sequence: number): Uint8Array => datagram({ agent: '192.0.2.1', samples: [counterSample({ sequence, sourceIndex: 1, records: [] })] });
    decode(counters(100), FROM, b, skips);
    decode(counters(103), FROM, b, skips);
    decode(flows('192.0.2.1', 0, 1, 1), FROM, b, skips);
    expect(decode.loss.lost).toBe(2);
  });

  it('hands the generic interface counters of each datagram to onCounters', () => {
    const got: SflowInterfaceCounters[] = [];
    const decode = createSflowDecoder({ onCounters: (c) => got.push(...c) });
    const c: GenericCounters = {
      ifIndex: 9, ifType: 6, ifSpeed: 1e9, ifDirection: 1, ifStatus: 3, inOctets: 1, inUcastPkts: 2, inMulticastPkts: 3, inBroadcastPkts: 4,
      inDiscards: 5, inErrors: 6, inUnknownProtos: 7, outOctets: 8, outUcastPkts: 9, outMulticastPkts: 10, outBroadcastPkts: 11, outDiscards: 12,
      outErrors: 13, promiscuousMode: 1,
    };
    decode(datagram({ agent: '192.0.2.1', samples: [counterSample({ sequence: 1, sourceIndex: 9, records: [genericCounters(c)] })] }), FROM, new FlowBatch(1), new FlowSkipCounters());
    expect(got).toEqual([{ agent: '192.0.2.1', subAgent: 0, source: { type: 0, index: 9 }, sequence: 1, receivedAtMs: 0, ...c }]);
  });
});
