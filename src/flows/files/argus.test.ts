import { describe, expect, it } from 'vitest';
import type { FlowFileReader } from '../reader.js';
import { readArgus } from './argus.js';
import { readFlowText } from './testing/read-flow-text.js';

// Written as `ra -c , -u -n -s stime flgs proto saddr sport dir daddr dport spkts dpkts sbytes dbytes state ltime dur` prints.
const HEADER = 'StartTime,Flgs,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,SrcPkts,DstPkts,SrcBytes,DstBytes,State,LastTime,Dur';
const EPOCH = [
  HEADER,
  '1796597356.980065,          ,man,0,0,,0,0,0,0,0,0,STA,1796597356.978678,0.001387',
  '1596347378.734373, e        ,tcp,10.87.1.10,52232,   ->,130.211.223.103,80,2,1,128,66,RST,1596347378.762011,0.027638',
  '1596347385.207213, e s      ,tcp,10.87.1.10,52242,   ->,130.211.223.103,80,9,8,862,6537,FIN,1596347385.569695,0.362482',
  '1700000000.000000, e        ,icmp,192.0.2.1,0x0008,  <->,198.51.100.2,0x3412,1,1,42,42,ECO,1700000001.000000,1.000000',
  '1700000002.000000, e        ,icmp,192.0.2.9,0x010b,   ->,198.51.100.7,0x0000,1,0,42,0,TXD,1700000002.000000,0.000000',
  '1700000005.000000, e        ,tcp,2001:db8::1,50000,   ->,2001:db8::2,22,1,0,74,0,REQ,1700000005.000000,0.000000',
].join('\n');

describe('Argus CSV', () => {
  it('is a FlowFileReader', () => {
    const r: FlowFileReader = readArgus;
    expect(typeof r).toBe('function');
  });

  it('reads ra -u output: Src side forward, Dst side reverse, LastTime as end, management records ignored', async () => {
    const { records, summary, skips } = await readFlowText(readArgus, EPOCH);
    expect(skips).toEqual({});
    expect(summary).toMatchObject({ format: 'argus', units: 7, records: 5, ignored: 2, problems: [] });
    expect(records[0]).toMatchObject({
      kind: 'argus', exporter: '::', src: '10.87.1.10', dst: '130.211.223.103', sport: 52232, dport: 80, proto: 6,
      packets: 2, octets: 128, reversePackets: 1, reverseOctets: 66, startMs: 1596347378734, endMs: 1596347378762, sampling: 1, tcpFlags: 0x04,
    });
    expect(records[1]).toMatchObject({ packets: 9, octets: 862, reversePackets: 8, reverseOctets: 6537, tcpFlags: 0x13 });
    expect(records[4]).toMatchObject({ src: '2001:db8::1', dst: '2001:db8::2', sport: 50000, dport: 22, tcpFlags: 0x02 });
  });

  it('turns ICMP type/code in Sport (0x code type) into dport type·256 + code, sport 0', async () => {
    const { records } = await readFlowText(readArgus, EPOCH);
    expect(records[2]).toMatchObject({ proto: 1, sport: 0, dport: 8 << 8, packets: 1, reversePackets: 1, tcpFlags: 0 });
    expect(records[3]).toMatchObject({ proto: 1, sport: 0, dport: (11 << 8) | 1, reversePackets: 0 });
  });

  it('reads local times with a date in the given time zone; without LastTime the end is StartTime + Dur', async () => {
    const text = [
      'StartTime,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,TotPkts,TotBytes,Dur',
      '2020/08/02 14:49:38.734373,tcp,10.87.1.10,52232,   ->,130.211.223.103,http,3,194,0.027638',
    ].join('\n');
    const tokyo = await readFlowText(readArgus, text, { timeZone: 'Asia/Tokyo' });
    expect(tokyo.records[0]).toMatchObject({ startMs: Date.UTC(2020, 7, 2, 5, 49, 38, 734), endMs: Date.UTC(2020, 7, 2, 5, 49, 38, 761), dport: 80 });
    // Totals only: everything forward.
    expect(tokyo.records[0]).toMatchObject({ packets: 3, octets: 194, reversePackets: 0, reverseOctets: 0 });
    const utc = await readFlowText(readArgus, text);
    expect(utc.records[0]?.startMs).toBe(Date.UTC(2020, 7, 2, 14, 49, 38, 734));
    const berlin = await readFlowText(readArgus, text.replace('2020/08/02', '2020-01-15'), { timeZone: 'Europe/Berlin' });
    expect(berlin.records[0]?.startMs).toBe(Date.UTC(2020, 0, 15, 13, 49, 38, 734));
  });

  it('refuses an unknown time zone before reading', async () => {
    await expect(readFlowText(readArgus, EPOCH, { timeZone: 'Mars/Olympus' })).rejects.toMatchObject({ code: 'BAD_TIME' });
  });

  it('swaps the sides when Dir says Dst began (<-), so the source is the initiator', async () => {
    const text = [
      'Proto,StartTime,SrcAddr,DstAddr,Sport,Dport,Dir,SrcPkts,DstPkts,SrcBytes,DstBytes,State',
      'tcp,1700000000.5,198.51.100.3,192.0.2.1,80,40000,  <-,5,3,6000,180,CON',
      'udp,1700000001,198.51.100.3,192.0.2.1,53,5353, <?>,1,1,90,60,CON',
    ].join('\n');
    const { records } = await readFlowText(readArgus, text);
    expect(records[0]).toMatchObject({ src: '192.0.2.1', dst: '198.51.100.3', sport: 40000, dport: 80, packets: 3, octets: 180, reversePackets: 5, reverseOctets: 6000, tcpFlags: 0x12 });
    expect(records[1]).toMatchObject({ src: '198.51.100.3', sport: 53, dport: 5353, proto: 17, tcpFlags: 0 });
  });

  it('maps columns by title in any order and ignores unknown ones; empty counters are 0', async () => {
    const text = [
      'Rank,SrcId,DstBytes,DstAddr,Dport,SrcAddr,Sport,Proto,StartTime,SrcBytes,SrcPkts,DstPkts',
      '1,192.168.0.1,,203.0.113.9,443,10.0.0.1,51000,tcp,1700000000,500,4,',
    ].join('\n');
    const { records, skips } = await readFlowText(readArgus, text);
    expect(skips).toEqual({});
    expect(records).toEqual([expect.objectContaining({ src: '10.0.0.1', dst: '203.0.113.9', sport: 51000, dport: 443, packets: 4, octets: 500, reversePackets: 0, reverseOctets: 0, endMs: 1_700_000_000_000 })]);
  });

  it('reads a header repeated later (RA_PRINT_LABELS) and another delimiter', async () => {
    const text = [
      'StartTime\tProto\tSrcAddr\tSport\tDir\tDstAddr\tDport\tTotPkts\tTotBytes',
      '1700000000\tudp\t10.0.0.1\t5000\t  ->\t10.0.0.2\t53\t1\t70',
      'StartTime\tProto\tSrcAddr\tSport\tDir\tDstAddr\tDport\tTotPkts\tTotBytes',
      '1700000001\tudp\t10.0.0.1\t5001\t  ->\t10.0.0.2\tdomain\t2\t140',
    ].join('\n');
    const { records, summary } = await readFlowText(readArgus, text);
    expect(records.map((r) => [r.sport, r.dport, r.packets])).toEqual([[5000, 53, 1], [5001, 53, 2]]);
    expect(summary.ignored).toBe(2);
  });

  it('counts bad lines by reason, keeps their line numbers, and reads the rest', async () => {
    const text = [
      'ignored before the header',
      HEADER,
      '1596347378.734373, e ,tcp,10.87.1.10,52232,   ->,130.211.223.103,80,2,1,128,66,RST,1596347378.762011',
      '1596347378.734373, e ,tcp,10.87.1.10,52232,   ->,130.211.223.103,no-such-service,2,1,128,66,RST,1596347378.762011,0.1',
      '05:49:38.734373, e ,tcp,10.87.1.10,52232,   ->,130.211.223.103,80,2,1,128,66,RST,05:49:38.762011,0.1',
      '1596347378.734373, e ,arp,10.87.1.10,,  who,130.211.223.103,,2,1,128,66,INT,1596347378.762011,0.1',
      '1596347378.734373, e ,tcp,10.87.1.300,52232,   ->,130.211.223.103,80,2,1,128,66,RST,1596347378.762011,0.1',
      '1596347378.734373, e ,tcp,10.87.1.10,52232,   ->,130.211.223.103,80,2,x,128,66,RST,1596347378.762011,0.1',
      '1596347378.734373, e ,tcp,10.87.1.10,52232,   ->,130.211.223.103,80,2,1,128,66,RST,1596347377.000000,0.1',
      '1596347378.734373, e ,tcp,10.87.1.10,52232,   ->,130.211.223.103,80,2,1,128,66,RST,1596347378.762011,0.027638',
      '1996347378.734373, e ,tcp,10.87.1.10,52232,   ->,130.211.223.103,80,2,1,128,66,RST,1996347378.762011,0.027638',
    ].join('\n');
    const { records, summary, skips } = await readFlowText(readArgus, text);
    expect(records).toHaveLength(1);
    expect(skips).toEqual({ 'line-malformed': 2, 'field-invalid': 6, 'flow-from-future': 1 });
    expect(summary.problems.map((p) => [p.line, p.reason])).toEqual([
      [1, 'line-malformed'], [3, 'line-malformed'], [4, 'field-invalid'], [5, 'field-invalid'], [6, 'field-invalid'], [7, 'field-invalid'],
      [8, 'field-invalid'], [9, 'field-invalid'], [11, 'flow-from-future'],
    ]);
    expect(summary.problems[3]?.message).toMatch(/RA_TIME_FORMAT/);
    expect(summary.problems[4]?.message).toMatch(/unknown protocol "arp"/);
    const few = await readFlowText(readArgus, text, { maxProblems: 2 });
    expect(few.summary.problems).toHaveLength(2);
  });

  it('gives the same records whatever the chunking, with CRLF line ends and a BOM', async () => {
    const whole = await readFlowText(readArgus, EPOCH);
    const crlf = `\uFEFF${EPOCH.replace(/\n/g, '\r\n')}\r\n`;
    for (const sizes of [[1], [2, 7], [3, 1, 64], [1000]]) {
      const r = await readFlowText(readArgus, crlf, { sizes, batchSize: 2 });
      expect(r.records).toEqual(whole.records);
      expect(r.skips).toEqual({});
      expect(r.batches).toBe(3);
    }
  });

  it('says when there is no header', async () => {
    const { records, summary } = await readFlowText(readArgus, '1700000000,tcp,1.2.3.4,1,->,5.6.7.8,2,1,1\n');
    expect(records).toEqual([]);
    expect(summary.problems[0]?.message).toMatch(/no header line/);
  });
});
