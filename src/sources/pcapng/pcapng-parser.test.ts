import { describe, expect, it } from 'vitest';
import { TCP_SYN } from '../../decode/packet-batch.js';
import { bytes, ether, ipv4, ipv6, sll, tcp, udp } from '../testing/frames.js';
import { PcapngBuilder } from '../testing/capture-files.js';
import { chunked, readAll } from '../testing/read-all.js';

const syn = (src: string): Uint8Array => ipv4({ src, dst: '198.18.0.7', proto: 6, id: 1, payload: tcp({ sport: 40000, dport: 23, flags: TCP_SYN }) });
const v6udp = ipv6({ src: '2001:db8::1', dst: '2001:db8::2', next: 17, payload: udp(53, 5353) });

/** Two sections in opposite byte orders, every kind of block, interfaces with their own link types and clocks. */
function twoSections(le: boolean): Uint8Array {
  const first = new PcapngBuilder(le)
    .shb()
    .idb(1, { snaplen: 65535, name: 'eth10', description: 'odd-length options padded to 32 bits' })
    .idb(101, { tsresol: 9, tsoffset: 10 })
    .idb(229, { tsresol: 0x80 | 20 })
    .block(0xbad, [1, 2, 3]) // a custom block, skipped by its length
    .block(0x40000bad, [0, 0, 0x7e, 0x8a, 9]) // a custom block not to be copied
    .block(9, [...Buffer.from('__CURSOR=s=1\nMESSAGE=x\n')]) // a systemd journal export block
    .block(0x80000001, [1, 2, 3, 4]) // a local-use block type
    .nrb()
    .epb(0, 1_700_000_000_123_456n, ether(0x0800, syn('192.0.2.1')), { comment: 'a comment of odd length' })
    .epb(1, 5_000_000_123n, syn('192.0.2.2'))
    .isb(0)
    .spb(ether(0x0800, syn('192.0.2.3')))
    .dsb()
    .opb(0, 1_700_000_001_000_000n, ether(0x0800, syn('192.0.2.4')))
    .epb(2, 3n << 19n, v6udp)
    .build();
  // The next section restarts interface numbering, and switches byte order.
  const second = new PcapngBuilder(!le).shb().idb(113, { tsresol: 0x80 | 10 }).epb(0, 1024n * 3n, sll(0x0800, syn('192.0.2.5'))).isb(0).build();
  return bytes(first, second);
}

describe('pcapng', () => {
  it('reads sections in both byte orders, interfaces with their own link types and clocks, EPB, SPB and the obsolete PB', async () => {
    for (const le of [true, false]) {
      const file = twoSections(le);
      const { packets, summary } = await readAll([file]);
      expect(summary).toEqual({
        name: 'test.pcap', format: 'pcapng', gzip: false, records: 6, packets: 6, bytes: file.length, skipped: {}, linkTypes: [1, 101, 229, 113],
        firstTsMicros: 1_500_000, lastTsMicros: 1_700_000_001_000_000,
      });
      expect(packets.map((p) => p.src)).toEqual(['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4', '2001:db8:0:0:0:0:0:1', '192.0.2.5']);
      expect(packets.map((p) => p.iface)).toEqual([0, 1, 0, 0, 2, 0]);
      // µs; ns with a 10 s offset; the SPB takes the previous packet's time; µs; 3·2^19 units of 2^-20 s; 3072 units of 2^-10 s.
      expect(packets.map((p) => p.ts)).toEqual([1_700_000_000_123_456, 15_000_000, 15_000_000, 1_700_000_001_000_000, 1_500_000, 3_000_000]);
      expect(packets[4]).toMatchObject({ family: 6, proto: 17, sport: 53, dport: 5353 });
    }
  });

  it('gives the same packets however the input is chunked, with the SPB time independent of batch boundaries', async () => {
    const file = twoSections(true);
    const base = await readAll([file], 1000);
    for (const [sizes, batch] of [[[1], 1], [[7], 2], [[3, 50, 1], 3], [[4096], 1]] as const) {
      const r = await readAll(chunked(file, [...sizes]), batch);
      expect(r.packets).toEqual(base.packets);
      expect(r.summary).toEqual(base.summary);
      expect(r.batches).toBe(Math.ceil(6 / batch));
    }
  });

  it('applies the interface snapshot length to an SPB; an EPB beyond it is kept whole, as libpcap and Wireshark keep it', async () => {
    const long = ether(0x0800, ipv4({ src: '192.0.2.9', dst: '198.18.0.7', proto: 17, payload: udp(1, 2, Array(100).fill(0)) }));
    const file = new PcapngBuilder().shb().idb(1, { snaplen: 42 }).spb(long).epb(0, 1n, long).epb(0, 2n, long.subarray(0, 42)).build();
    const { packets, summary } = await readAll([file]);
    expect(summary).toMatchObject({ records: 3, packets: 3, skipped: {} });
    expect(packets[0]).toMatchObject({ src: '192.0.2.9', sport: 1, dport: 2, wireLen: long.length, ipLen: long.length - 14 });
    expect(packets[1]).toMatchObject({ src: '192.0.2.9', sport: 1, dport: 2, ts: 1 });
  });

  it('skips a packet block whose fields do not fit its intact framing, and reads on', async () => {
    const frame = ether(0x0800, syn('192.0.2.1'));
    const before = new PcapngBuilder().shb().idb(1).epb(0, 1n, frame).build();
    const file = new PcapngBuilder().shb().idb(1).epb(0, 1n, frame).epb(0, 2n, frame).block(6, [0, 0, 0, 0, 1, 2, 3, 4]).opb(0, 3n, frame).epb(0, 4n, frame).build();
    const bad = Uint8Array.from(file);
    new DataView(bad.buffer).setUint32(before.length + 20, frame.length + 200, true); // the second EPB's captured length
    const { packets, summary } = await readAll([bad]);
    expect(summary).toMatchObject({ records: 5, packets: 3, skipped: { 'pcapng-bad-packet-block': 2 } });
    expect(summary.corrupt).toBeUndefined();
    expect(packets.map((p) => p.ts)).toEqual([1, 3, 4]);
  });

  it('counts packets of an interface that was never described', async () => {
    const file = new PcapngBuilder().shb().spb(syn('192.0.2.1')).idb(101).epb(3, 1n, syn('192.0.2.1')).epb(0, 1n, syn('192.0.2.1')).build();
    expect((await readAll([file])).summary).toMatchObject({ records: 3, packets: 1, skipped: { 'unknown-interface': 2 } });
  });

  it('keeps every block before a cut in a block header or body, and says where', async () => {
    const head = new PcapngBuilder().shb().idb(1).epb(0, 1n, ether(0x0800, syn('192.0.2.1'))).build();
    const file = new PcapngBuilder().shb().idb(1).epb(0, 1n, ether(0x0800, syn('192.0.2.1'))).epb(0, 2n, ether(0x0800, syn('192.0.2.2'))).build();
    for (const cut of [head.length + 5, head.length + 20, file.length - 1]) {
      const { summary } = await readAll([file.subarray(0, cut)]);
      expect(summary).toMatchObject({ packets: 1, records: 1, bytes: cut, truncated: { offset: head.length, record: 1 } });
    }
    const inShb = await readAll([file.subarray(0, 10)]);
    expect(inShb.summary).toMatchObject({ format: 'pcapng', packets: 0, truncated: { offset: 0, record: 0 } });
  });

  it('stops at a block whose lengths disagree or are impossible, keeping what came before', async () => {
    const file = new PcapngBuilder().shb().idb(1).epb(0, 1n, ether(0x0800, syn('192.0.2.1'))).epb(0, 2n, ether(0x0800, syn('192.0.2.2'))).build();
    const secondAt = new PcapngBuilder().shb().idb(1).epb(0, 1n, ether(0x0800, syn('192.0.2.1'))).build().length;
    for (const [at, value] of [[file.length - 4, 12], [secondAt + 4, 13], [secondAt + 4, 8], [secondAt + 4, 0x7ffffff0]] as const) {
      const bad = Uint8Array.from(file);
      new DataView(bad.buffer).setUint32(at, value, true);
      const { summary } = await readAll([bad]);
      expect(summary).toMatchObject({ packets: 1, corrupt: { offset: secondAt, record: 1 } });
    }
  });
});
