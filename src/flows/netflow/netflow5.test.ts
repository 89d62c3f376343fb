/** NetFlow v5 against vectors built from Cisco's format: times, uptime wrap, sampling, counts. */
import { describe, expect, it } from 'vitest';
import { FlowBatch } from '../flow-batch.js';
import { FlowSkipCounters } from '../flow-skips.js';
import { decodeNetflow5 } from './netflow5.js';
import { TemplateCache } from './template-cache.js';
import { v5, type V5Record } from './testing/export-builders.js';

const FROM = { exporter: '192.0.2.1', port: 2055, receivedAtMs: 0 };
const REC: V5Record = { src: '198.51.100.7', dst: '203.0.113.9', inIf: 3, outIf: 4, packets: 12, octets: 3400, first: 90_000, last: 99_000, sport: 51000, dport: 443, flags: 0x1b, proto: 6, srcAs: 64500, dstAs: 64511 };

function decode(d: Uint8Array) {
  const batch = new FlowBatch(4);
  const skips = new FlowSkipCounters();
  const summary = decodeNetflow5(new TemplateCache(() => 0), d, FROM, batch, skips);
  return { summary, records: batch.views(), skips: skips.toRecord() };
}

describe('NetFlow v5', () => {
  it('decodes header and records: export time with nanoseconds, engine as domain, flow sequence', () => {
    const { summary, records, skips } = decode(v5({ sysUptime: 100_000, unixSecs: 1_700_000_000, unixNsecs: 500_000_000, sequence: 777, engineType: 1, engineId: 2 }, [REC, { ...REC, sport: 51001 }]));
    expect(skips).toEqual({});
    expect(summary).toEqual({ protocol: 'netflow5', domain: 0x0102, agent: '192.0.2.1', sequence: 777, sequenceUnit: 'records', sequenceCount: 2, records: 2, held: 0, samplingRates: [1] });
    expect(records[0]).toEqual({
      kind: 'netflow5', exporter: '192.0.2.1', domain: 258, startMs: 1_700_000_000_500 - 10_000, endMs: 1_700_000_000_500 - 1_000,
      src: '198.51.100.7', dst: '203.0.113.9', sport: 51000, dport: 443, proto: 6, tcpFlags: 0x1b, octets: 3400, packets: 12,
      reverseOctets: 0, reversePackets: 0, sampling: 1, inIf: 3, outIf: 4, srcAs: 64500, dstAs: 64511,
    });
    expect(records[1]?.sport).toBe(51001);
  });

  it('takes a first/last above the header uptime as from before the 32-bit uptime wrapped', () => {
    const { records } = decode(v5({ sysUptime: 5_000, unixSecs: 1_700_000_000 }, [{ ...REC, first: 2 ** 32 - 3_000, last: 4_000 }]));
    expect(records[0]?.startMs).toBe(1_700_000_000_000 - 8_000);
    expect(records[0]?.endMs).toBe(1_700_000_000_000 - 1_000);
  });

  it('reads the sampling interval from the low 14 bits whatever the mode, 0 meaning unsampled', () => {
    expect(decode(v5({ sysUptime: 1, unixSecs: 1, sampling: (1 << 14) | 100 }, [REC])).records[0]?.sampling).toBe(100);
    expect(decode(v5({ sysUptime: 1, unixSecs: 1, sampling: (2 << 14) | 0x3fff }, [REC])).summary?.samplingRates).toEqual([0x3fff]);
    expect(decode(v5({ sysUptime: 1, unixSecs: 1, sampling: 1 << 14 }, [REC])).records[0]?.sampling).toBe(1);
  });

  it('counts a count that does not fit the datagram and decodes the records that do', () => {
    const cut = decode(v5({ count: 5, sysUptime: 1, unixSecs: 1 }, [REC, REC]));
    expect(cut.records).toHaveLength(2);
    expect(cut.skips).toEqual({ 'netflow5-bad-count': 1 });
    const over = decode(v5({ count: 31, sysUptime: 1, unixSecs: 1 }, Array<V5Record>(31).fill(REC)));
    expect(over.skips).toEqual({ 'netflow5-bad-count': 1 });
    expect(over.records).toHaveLength(31);
    expect(decode(v5({ count: 0, sysUptime: 1, unixSecs: 1 }, [REC])).records).toHaveLength(0);
    // A record cut short is not decoded; the one before it is.
    const partial = v5({ sysUptime: 1, unixSecs: 1 }, [REC, REC]).subarray(0, 24 + 48 + 20);
    expect(decode(partial)).toMatchObject({ records: [expect.objectContaining({ octets: 3400 })], skips: { 'netflow5-bad-count': 1 } });
  });

  it('refuses what is not a v5 datagram without throwing', () => {
    expect(decode(new Uint8Array(10))).toMatchObject({ summary: null, skips: { 'datagram-truncated': 1 } });
    const v9ish = v5({ sysUptime: 1, unixSecs: 1 }, [REC]);
    v9ish[1] = 9;
    expect(decode(v9ish)).toMatchObject({ summary: null, skips: { 'unknown-version': 1 } });
  });
});
