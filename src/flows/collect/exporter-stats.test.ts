import { describe, expect, it } from 'vitest';
import type { DatagramSummary, ExportProtocol } from '../datagram.js';
import { ExporterStats } from './exporter-stats.js';

function dg(protocol: ExportProtocol, sequence: number | null, count: number, records = count, rates: number[] = [1]): DatagramSummary {
  const unit = protocol === 'netflow5' || protocol === 'ipfix' ? 'records' : 'datagrams';
  return { protocol, domain: 7, agent: '', sequence, sequenceUnit: unit, sequenceCount: unit === 'records' ? count : 1, records, held: 0, samplingRates: rates };
}

function run(protocol: ExportProtocol, seqs: readonly [number | null, number][]): ReturnType<ExporterStats['rows']>[number] {
  const s = new ExporterStats();
  seqs.forEach(([q, n], k) => s.observe(dg(protocol, q, n), '192.0.2.1', 1000 + k));
  const [row] = s.rows();
  if (!row) throw new Error('no row');
  return row;
}

describe('ExporterStats: loss by sequence', () => {
  it('counts nothing lost in an unbroken NetFlow v5 stream (sequence in records)', () => {
    const r = run('netflow5', [[0, 30], [30, 30], [60, 10], [70, 30]]);
    expect(r).toMatchObject({ datagrams: 4, records: 100, lost: 0, lostUnit: 'records', restarts: 0, nextSequence: 100 });
  });

  it('counts the records of a missing v5 datagram', () => {
    expect(run('netflow5', [[0, 30], [60, 30], [90, 30]]).lost).toBe(30);
  });

  it('counts missing datagrams for NetFlow v9 and sFlow (sequence in datagrams)', () => {
    expect(run('netflow9', [[10, 20], [11, 20], [14, 20]])).toMatchObject({ lost: 2, lostUnit: 'datagrams' });
    expect(run('sflow5', [[1, 5], [2, 5], [3, 5], [5, 5]])).toMatchObject({ lost: 1, lostUnit: 'datagrams' });
  });

  it('counts IPFIX gaps in data records', () => {
    expect(run('ipfix', [[1000, 12], [1012, 12], [1040, 12]]).lost).toBe(16);
  });

  it('follows the sequence across the 32-bit wrap without a loss', () => {
    const top = 4294967296;
    expect(run('netflow5', [[top - 60, 30], [top - 30, 30], [0, 30], [30, 30]])).toMatchObject({ lost: 0, restarts: 0, nextSequence: 60 });
    // A gap across the wrap is the gap, not 4 billion.
    expect(run('netflow5', [[top - 30, 30], [30, 30]])).toMatchObject({ lost: 30, restarts: 0 });
    expect(run('netflow9', [[top - 1, 1], [1, 1]])).toMatchObject({ lost: 1 });
  });

  it('takes a reordered datagram back out of the loss', () => {
    // 30 comes after 60: at 60 it looked lost, then it arrived.
    expect(run('netflow5', [[0, 30], [60, 30], [30, 30], [90, 30]])).toMatchObject({ lost: 0, restarts: 0, nextSequence: 120 });
    expect(run('sflow5', [[1, 1], [3, 1], [2, 1], [4, 1]])).toMatchObject({ lost: 0, restarts: 0 });
  });

  it('counts an exporter restart (the sequence starts again low, or jumps) as a restart, never as a huge loss', () => {
    const r = run('netflow5', [[0, 30], [30, 30], [5_000_000_000 % 4294967296, 30], [0, 30], [30, 30]]);
    expect(r.lost).toBe(0);
    expect(r.restarts).toBe(2);
    const back = run('netflow9', [[500_000, 1], [500_001, 1], [0, 1], [1, 1], [2, 1]]);
    expect(back).toMatchObject({ lost: 0, restarts: 1, nextSequence: 3 });
  });

  it('ignores the sequence of a protocol that carries none, and keeps the sampling rates seen', () => {
    const s = new ExporterStats();
    s.observe(dg('netflow9', null, 1, 5, [100]), '192.0.2.1', 1);
    s.observe(dg('netflow9', null, 1, 5, [100, 1000]), '192.0.2.1', 2);
    expect(s.rows()[0]).toMatchObject({ lost: 0, records: 10, samplingRates: [100, 1000], nextSequence: null });
  });

  it('keeps exporters, domains and protocols apart, sFlow by its agent address', () => {
    const s = new ExporterStats();
    s.observe(dg('netflow5', 0, 30), '192.0.2.1', 1);
    s.observe({ ...dg('netflow5', 0, 30), domain: 8 }, '192.0.2.1', 1);
    s.observe({ ...dg('sflow5', 0, 1), agent: '198.51.100.9' }, '192.0.2.1', 1);
    expect(s.rows().map((r) => `${r.protocol} ${r.exporter} ${r.domain}`).sort()).toEqual(['netflow5 192.0.2.1 7', 'netflow5 192.0.2.1 8', 'sflow5 198.51.100.9 7']);
  });

  it('hands the counters since the last save as deltas', () => {
    const s = new ExporterStats();
    s.observe(dg('netflow5', 0, 30), '192.0.2.1', 1000);
    s.observe(dg('netflow5', 60, 30), '192.0.2.1', 2000);
    expect(s.takeDeltas()[0]).toMatchObject({ datagrams: 2, records: 60, lost: 30 });
    expect(s.takeDeltas()).toEqual([]);
    s.observe(dg('netflow5', 30, 30), '192.0.2.1', 3000); // the late one
    expect(s.takeDeltas()[0]).toMatchObject({ datagrams: 1, records: 30, lost: -30 });
  });
});
