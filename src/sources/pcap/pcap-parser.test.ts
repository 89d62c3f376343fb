import { describe, expect, it } from 'vitest';
import { TCP_SYN } from '../../decode/packet-batch.js';
import { ether, ipv4, tcp } from '../testing/frames.js';
import { pcapFile } from '../testing/capture-files.js';
import { readAll } from '../testing/read-all.js';

const syn = (k: number): Uint8Array =>
  ether(0x0800, ipv4({ src: `192.0.2.${k + 1}`, dst: '198.18.0.7', proto: 6, id: k, payload: tcp({ sport: 1000 + k, dport: 23, seq: k, flags: TCP_SYN }) }));
const frames = Array.from({ length: 20 }, (_, k) => ({ ts: 0, sec: 1_700_000_000 + k, frac: 999_999 - k, frame: syn(k) }));
const REC = 16 + syn(0).length;

describe('pcap (libpcap savefile)', () => {
  it('reads microsecond files in both byte orders with exact timestamps, wire length and summary', async () => {
    for (const bigEndian of [false, true]) {
      const file = pcapFile(frames.map((f) => ({ ...f, orig: 1514 })), { linkType: 1, bigEndian });
      const { packets, summary } = await readAll([file]);
      expect(packets.map((p) => p.ts)).toEqual(frames.map((f) => f.sec * 1e6 + f.frac));
      expect(packets.map((p) => p.src)).toEqual(frames.map((_, k) => `192.0.2.${k + 1}`));
      expect(packets.every((p) => p.wireLen === 1514 && p.iface === 0 && p.flags === TCP_SYN)).toBe(true);
      expect(summary).toEqual({
        name: 'test.pcap', format: 'pcap', gzip: false, records: 20, packets: 20, bytes: file.length, skipped: {}, linkTypes: [1],
        firstTsMicros: 1_700_000_000_999_999, lastTsMicros: 1_700_000_019_999_980,
      });
    }
  });

  it('truncates nanosecond timestamps to microseconds, in both byte orders', async () => {
    const ns = [{ ts: 0, sec: 1_700_000_000, frac: 123_456_789, frame: syn(0) }, { ts: 0, sec: 1_700_000_001, frac: 999_999_999, frame: syn(1) }, { ts: 0, sec: 0, frac: 999, frame: syn(2) }];
    for (const bigEndian of [false, true]) {
      const { packets } = await readAll([pcapFile(ns, { linkType: 1, nano: true, bigEndian })]);
      expect(packets.map((p) => p.ts)).toEqual([1_700_000_000_123_456, 1_700_000_001_999_999, 0]);
    }
  });

  it('ignores the FCS bits in the upper half of the link-type field', async () => {
    const { summary } = await readAll([pcapFile(frames.slice(0, 1), { linkType: 0x1000_0000 | 1 })]);
    expect(summary).toMatchObject({ packets: 1, linkTypes: [1] });
  });

  it('reads only the lower 16 bits as the link type: FCS length, the P bit and reserved bits are not part of it', async () => {
    // draft-ietf-opsawg-pcap "LinkType and additional information": FCS len (4 bits) in the top
    // bits, then a reserved bit, then P (FCS length present, 0x04000000), then reserved bits.
    // A 4-byte FCS is 2 units of 16 bits; the frames then end with 4 FCS bytes.
    const withFcs = frames.slice(0, 3).map((f) => ({ ...f, frame: new Uint8Array([...f.frame, 0xde, 0xad, 0xbe, 0xef]) }));
    for (const linkType of [(2 << 28) | 0x0400_0000 | 1, 0x0800_0000 | 1, 0x0003_0000 | 1]) {
      const { packets, summary } = await readAll([pcapFile(withFcs, { linkType: linkType >>> 0 })]);
      expect(summary).toMatchObject({ packets: 3, skipped: {}, linkTypes: [1] });
      // The IP total length, not the frame, bounds the datagram: the FCS is not read as TCP.
      expect(packets.map((p) => [p.src, p.ipLen, p.sport])).toEqual(frames.slice(0, 3).map((_, k) => [`192.0.2.${k + 1}`, 40, 1000 + k]));
    }
  });

  it('keeps a record longer than the snapshot length, as libpcap and Wireshark do (old writers, Kuznetzov files)', async () => {
    const file = pcapFile(frames.slice(0, 3), { linkType: 1, snaplen: REC - 16 });
    const padded = new Uint8Array([...syn(1), ...new Uint8Array(20)]);
    const longer = pcapFile([frames[0]!, { ...frames[1]!, frame: padded }, frames[2]!], { linkType: 1, snaplen: REC - 16 });
    expect((await readAll([file])).summary).toMatchObject({ records: 3, packets: 3, skipped: {} });
    const { packets, summary } = await readAll([longer]);
    expect(summary).toMatchObject({ records: 3, packets: 3, skipped: {} });
    expect(packets.map((p) => p.src)).toEqual(['192.0.2.1', '192.0.2.2', '192.0.2.3']);
  });

  it('reads the modified (Kuznetzov, 0xa1b2cd34) format with its 24-byte record headers, in both byte orders', async () => {
    for (const bigEndian of [false, true]) {
      const file = pcapFile(frames, { linkType: 1, bigEndian, modified: true });
      const { packets, summary } = await readAll([file], 7);
      expect(summary).toMatchObject({ format: 'pcap', records: 20, packets: 20, skipped: {}, bytes: file.length, linkTypes: [1] });
      expect(summary.corrupt).toBeUndefined();
      expect(packets.map((p) => p.ts)).toEqual(frames.map((f) => f.sec * 1e6 + f.frac));
      expect(packets.map((p) => p.sport)).toEqual(frames.map((_, k) => 1000 + k));
    }
  });

  it('reads the lengths of files older than version 2.3 (and DG/UX 543.0) in their old order, as libpcap does', async () => {
    // Captured with a snapshot length: the original length (1514) is larger than the record.
    const cut = frames.slice(0, 4).map((f) => ({ ...f, orig: 1514 }));
    for (const [version, swapLengths] of [[[2, 2], true], [[2, 0], true], [[543, 0], true], [[2, 3], true], [[2, 3], false]] as const) {
      for (const bigEndian of [false, true]) {
        const file = pcapFile(cut, { linkType: 1, version: [...version], swapLengths, bigEndian });
        const { packets, summary } = await readAll([file]);
        expect(summary, `${version.join('.')} ${swapLengths}`).toMatchObject({ records: 4, packets: 4, skipped: {} });
        expect(summary.corrupt).toBeUndefined();
        expect(packets.map((p) => [p.sport, p.wireLen])).toEqual(cut.map((_, k) => [1000 + k, 1514]));
      }
    }
  });

  it('keeps every complete record of a file cut in a record header or a record body, and says where', async () => {
    const file = pcapFile(frames, { linkType: 1 });
    for (const [cut, packets] of [[24 + 10 * REC + 5, 10], [24 + 10 * REC + 20, 10], [24 + 10 * REC - 1, 9], [20, 0]] as const) {
      const { summary } = await readAll([file.subarray(0, cut)], 4);
      const at = cut === 20 ? 0 : 24 + packets * REC;
      expect(summary).toMatchObject({ packets, records: packets, bytes: cut, truncated: { offset: at, record: packets } });
    }
    const exact = await readAll([file.subarray(0, 24 + 10 * REC)], 4);
    expect(exact.summary.truncated).toBeUndefined();
    expect(exact.summary.packets).toBe(10);
  });

  it('stops at an absurd record length and keeps what came before', async () => {
    const bad = pcapFile(frames, { linkType: 1 });
    new DataView(bad.buffer).setUint32(24 + 5 * REC + 8, 0x7fffffff, true);
    const { packets, summary } = await readAll([bad]);
    expect(packets.length).toBe(5);
    expect(summary.corrupt).toMatchObject({ offset: 24 + 5 * REC, record: 5 });
    expect(summary.truncated).toBeUndefined();
  });

  it('does not let a huge snapshot length in the header make a broken length look plausible', async () => {
    const bad = pcapFile(frames, { linkType: 1, snaplen: 0xffffffff });
    new DataView(bad.buffer).setUint32(24 + 2 * REC + 8, 0x40000000, true);
    const { summary } = await readAll([bad]);
    expect(summary).toMatchObject({ packets: 2, corrupt: { offset: 24 + 2 * REC, record: 2 } });
  });
});
