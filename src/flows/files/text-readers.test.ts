import { describe, expect, it } from 'vitest';
import type { FlowFileReader } from '../reader.js';
import { sniffTextFlowFormat, TEXT_FLOW_READERS } from './text-readers.js';

const sniff = (s: string): string | undefined => sniffTextFlowFormat(Buffer.from(s));

describe('text flow formats', () => {
  it('guesses the format from the first line', () => {
    expect(sniff('#separator \\x09\n#set_separator\t,\n')).toBe('zeek');
    expect(sniff('{"ts":1710504000.1,"uid":"C1","id.orig_h":"10.0.0.1"}\n')).toBe('zeek');
    expect(sniff('ts\tuid\tid.orig_h\tid.orig_p\n')).toBe('zeek');
    expect(sniff('\uFEFFStartTime,Flgs,Proto,SrcAddr,Sport,Dir,DstAddr,Dport\n')).toBe('argus');
    expect(sniff('StartTime\tProto\tSrcAddr\tDstAddr\n')).toBe('argus');
    expect(sniff('ts,te,td,sa,da,sp,dp,pr,flg\n')).toBe('nfdump-csv');
    expect(sniff('firstSeen,lastSeen,duration,srcAddr\n')).toBe('nfdump-csv');
    expect(sniff('saddr,sport\n192.0.2.1,80\n')).toBeUndefined();
    expect(sniff('{"ip":"192.0.2.1"}\n')).toBeUndefined();
  });

  it('maps every text format to a FlowFileReader', () => {
    const readers: FlowFileReader[] = Object.values(TEXT_FLOW_READERS);
    expect(Object.keys(TEXT_FLOW_READERS).sort()).toEqual(['argus', 'nfdump-csv', 'zeek']);
    expect(readers).toHaveLength(3);
  });
});
