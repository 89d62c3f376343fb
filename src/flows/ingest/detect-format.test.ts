import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { sharedData } from '../../../test/fixtures/shared-data.js';
import { detectFlowFormat } from './detect-format.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('detectFlowFormat', () => {
  it('knows captures of export datagrams by their magic (real captures: pcap)', () => {
    for (const f of ['akvorado-nfv5.pcap', 'akvorado-sflow-data-1140.pcap', 'pmacct-100-ipfix-cisco.pcap']) {
      expect(detectFlowFormat(readFileSync(sharedData(`flows/${f}`)).subarray(0, 4096), f)).toBe('pcap');
    }
    expect(detectFlowFormat(new Uint8Array([0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0]), 'x.pcapng')).toBe('pcap');
  });

  it('knows Zeek conn.log (TSV header or JSON lines), Argus and nfdump CSV by their header', () => {
    expect(detectFlowFormat(text('#separator \\x09\n#set_separator\t,\n'), 'conn.log')).toBe('zeek');
    expect(detectFlowFormat(text('{"ts":1591367999.305988,"uid":"C1","id.orig_h":"192.168.4.76"}\n'), 'conn.json')).toBe('zeek');
    expect(detectFlowFormat(text('StartTime,LastTime,Proto,SrcAddr,Sport,DstAddr,Dport,SrcPkts,DstPkts,SrcBytes,DstBytes\n'), 'a.csv')).toBe('argus');
    expect(detectFlowFormat(text('StartTime\tFlgs\tProto\tSrcAddr\tSport\tDir\tDstAddr\tDport\tTotPkts\tTotBytes\tState\n'), 'a.tsv')).toBe('argus');
    expect(detectFlowFormat(text('ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out\n'), 'n.csv')).toBe('nfdump-csv');
    expect(detectFlowFormat(text('\uFEFF\nts,te,td,sa,da,sp,dp,pr\n'), 'n.csv')).toBe('nfdump-csv');
  });

  it('refuses anything else, saying how it starts', () => {
    expect(() => detectFlowFormat(text('hello,world\n'), 'h.csv')).toThrow(/starts with "hello,world"/);
    expect(() => detectFlowFormat(new Uint8Array(), 'empty')).toThrow(/empty/);
  });
});
