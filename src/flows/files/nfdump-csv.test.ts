import { describe, expect, it } from 'vitest';
import type { FlowFileReader } from '../reader.js';
import { readNfdumpCsv } from './nfdump-csv.js';
import { readFlowText } from './testing/read-flow-text.js';

// Written as nfdump 1.6 / Debian 1.7.1 `-o csv` prints (output_csv.c of those versions): 48 columns, then the summary.
const OLD_HEADER = 'ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,sas,das,smk,dmk,dtos,dir,nh,nhb,svln,dvln,ismc,odmc,idmc,osmc,'
  + 'mpls1,mpls2,mpls3,mpls4,mpls5,mpls6,mpls7,mpls8,mpls9,mpls10,cl,sl,al,ra,eng,exid,tr';
const MACS = '00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00';
const MPLS = Array(10).fill('0-0-0').join(',');
const old = (ts: string, te: string, td: string, sa: string, da: string, sp: number, dp: number | string, pr: string, flg: string, ipkt: number, ibyt: number, o: { opkt?: number; obyt?: number; inIf?: number; outIf?: number; sas?: number; das?: number; ra?: string; eng?: string } = {}): string =>
  [ts, te, td, sa, da, sp, dp, pr, flg, 0, 0, ipkt, ibyt, o.opkt ?? 0, o.obyt ?? 0, o.inIf ?? 0, o.outIf ?? 0, o.sas ?? 0, o.das ?? 0, 0, 0, 0, 0, '0.0.0.0', '0.0.0.0', 0, 0, MACS, MPLS,
    '    0.000', '    0.000', '    0.000', o.ra ?? '0.0.0.0', o.eng ?? '0/0', 0, '2024-03-15 12:10:00.000'].join(',');
const OLD = [
  OLD_HEADER,
  old('2024-03-15 12:00:00', '2024-03-15 12:00:06', '6.070', '10.87.1.10', '130.211.223.103', 52238, 80, 'TCP', '...APRS.', 8, 358, { ra: '192.0.2.254', eng: '17/1', inIf: 3, outIf: 7, sas: 64500, das: 15169 }),
  old('2024-03-15 12:00:01.250', '2024-03-15 12:00:01.500', '0.250', '130.211.223.103', '10.87.1.10', 80, 52296, 'TCP', '.AP.SF', 5, 507, { opkt: 4, obyt: 300 }),
  old('2024-03-15 12:00:02', '2024-03-15 12:00:02', '0.000', '130.211.223.103', '10.87.1.10', 0, 778, 'ICMP', '........', 1, 68),
  old('2024-03-15 12:00:03', '2024-03-15 12:00:04', '1.000', '2001:db8::1', '2001:db8::53', 5353, 53, 'UDP', '........', 1, 90),
  old('2024-03-15 12:00:05', '2024-03-15 12:00:05', '0.000', '10.0.0.1', '10.0.0.2', 1000, 2000, '47', '........', 2, 200),
  old('2024-03-15 12:00:06', '2024-03-15 12:00:06', '0.000', '10.0.0.1', '10.0.0.2', 1000, 23, 'TCP', '0xd2', 1, 40),
  'Summary',
  'flows,bytes,packets,avg_bps,avg_pps,avg_bpp',
  '6,1523,18,112926,58,241',
].join('\n');

const NEW_HEADER = 'firstSeen,lastSeen,duration,srcAddr,dstAddr,srcPort,dstPort,proto,flags,fwdStatus,srcTos,inPackets,inBytes,outPackets,outBytes,input,output,srcAS,dstAS,routerIP,engine,exporterID,received';
const NEW = [
  NEW_HEADER,
  '2024-03-15 12:00:00.000,2024-03-15 12:00:06.070,6.070,10.87.1.10,130.211.223.103,52238,80,6,...APRS.,0,0,8,358,0,0,3,7,64500,15169,192.0.2.254,17/1,1,2024-03-15 12:10:00.000',
  '2024-03-15 12:00:02.000,2024-03-15 12:00:02.000,0.000,130.211.223.103,10.87.1.10,0,3.10,1,........,0,0,1,68,0,0,0,0,0,0,0.0.0.0,0/0,0,2024-03-15 12:10:00.000',
].join('\n');

describe('nfdump CSV', () => {
  it('is a FlowFileReader', () => {
    const r: FlowFileReader = readNfdumpCsv;
    expect(typeof r).toBe('function');
  });

  it('reads the 1.6 layout: names, flags as letters or hex, ICMP in dp, router and engine, and ignores the summary', async () => {
    const { records, summary, skips } = await readFlowText(readNfdumpCsv, OLD);
    expect(skips).toEqual({});
    expect(summary).toMatchObject({ format: 'nfdump-csv', records: 6, ignored: 4, problems: [] });
    expect(records[0]).toEqual({
      kind: 'nfdump', exporter: '192.0.2.254', domain: (17 << 8) | 1, startMs: Date.UTC(2024, 2, 15, 12, 0, 0), endMs: Date.UTC(2024, 2, 15, 12, 0, 6),
      src: '10.87.1.10', dst: '130.211.223.103', sport: 52238, dport: 80, proto: 6, tcpFlags: 0x1e, octets: 358, packets: 8, reverseOctets: 0, reversePackets: 0,
      sampling: 1, inIf: 3, outIf: 7, srcAs: 64500, dstAs: 15169,
    });
    expect(records[1]).toMatchObject({ exporter: '::', domain: 0, startMs: Date.UTC(2024, 2, 15, 12, 0, 1, 250), endMs: Date.UTC(2024, 2, 15, 12, 0, 1, 500), tcpFlags: 0x1b, reversePackets: 4, reverseOctets: 300 });
    expect(records[2]).toMatchObject({ proto: 1, sport: 0, dport: (3 << 8) | 10, tcpFlags: 0 });
    expect(records[3]).toMatchObject({ src: '2001:db8::1', proto: 17, dport: 53 });
    expect(records[4]).toMatchObject({ proto: 47 });
    expect(records[5]).toMatchObject({ tcpFlags: 0xd2 });
  });

  it('reads the later 1.7 layout by its names, ICMP as type.code', async () => {
    const { records, skips } = await readFlowText(readNfdumpCsv, NEW);
    expect(skips).toEqual({});
    const oldRecords = (await readFlowText(readNfdumpCsv, OLD)).records;
    expect(records[0]).toEqual({ ...oldRecords[0], endMs: Date.UTC(2024, 2, 15, 12, 0, 6, 70) });
    expect(records[1]).toMatchObject({ proto: 1, sport: 0, dport: (3 << 8) | 10 });
  });

  it('reads local times in the given zone', async () => {
    const { records } = await readFlowText(readNfdumpCsv, NEW, { timeZone: 'Asia/Tokyo' });
    expect(records[0]?.startMs).toBe(Date.UTC(2024, 2, 15, 3, 0, 0));
  });

  it('reads output without a header (-q) as the default columns, and concatenated outputs after a summary', async () => {
    const lines = OLD.split('\n');
    const { records, skips } = await readFlowText(readNfdumpCsv, [...lines.slice(1, 3), ...lines.slice(7), 'No matching flows', ...lines.slice(0, 2)].join('\n'));
    expect(skips).toEqual({});
    expect(records.map((r) => r.sport)).toEqual([52238, 80, 52238]);
  });

  it('counts bad lines by reason with their line numbers and reads the rest', async () => {
    const lines = OLD.split('\n');
    const good = lines[1] as string;
    const cells = (k: number, v: string): string => good.split(',').map((c, j) => (j === k ? v : c)).join(',');
    const text = [
      'not,a,header',
      lines[0],
      cells(0, '0000-00-00 00:00:00.000'),
      cells(1, '2024-03-15 11:00:00'),
      cells(3, '10.87.1'),
      cells(4, '2001:db8::1'),
      cells(5, '65536'),
      cells(7, 'BOGUS'),
      cells(8, '..X.....'),
      cells(11, '-1'),
      cells(44, 'router'),
      good.slice(0, 100),
      cells(0, '2031-01-01 00:00:00').replace('2024-03-15 12:00:06', '2031-01-01 00:00:01'),
      good,
    ].join('\n');
    const { records, summary, skips } = await readFlowText(readNfdumpCsv, text);
    expect(records).toHaveLength(1);
    expect(skips).toEqual({ 'line-malformed': 2, 'field-invalid': 9, 'flow-from-future': 1 });
    expect(summary.problems.map((p) => p.line)).toEqual([1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
  });

  it('gives the same records whatever the chunking, with CRLF line ends and a BOM', async () => {
    const whole = await readFlowText(readNfdumpCsv, OLD);
    for (const sizes of [[1], [4, 9], [33, 2, 500]]) {
      const r = await readFlowText(readNfdumpCsv, `\uFEFF${OLD.replace(/\n/g, '\r\n')}\r\n`, { sizes, batchSize: 4 });
      expect(r.records).toEqual(whole.records);
      expect(r.batches).toBe(2);
    }
  });
});
