import { describe, expect, it } from 'vitest';
import { PacketBatch, writeMapped4 } from '../decode/packet-batch.js';
import { SourceSorter } from './sort-by-source.js';

function add(b: PacketBatch, src: number | number[], seq: number): void {
  const i = b.begin();
  if (typeof src === 'number') {
    b.family[i] = 4;
    b.src4[i] = src >>> 0;
    writeMapped4(b.src16, i * 16, src >>> 0);
  } else {
    b.family[i] = 6;
    b.src16.set(src, i * 16);
  }
  b.tcpSeq[i] = seq;
  b.tsMicros[i] = seq * 1000;
  b.dport[i] = seq;
  b.commit();
}

const v6 = (first: number, last: number): number[] => [first, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last];

describe('sorting a batch by source', () => {
  it('orders by the 16-byte address as ClickHouse does and keeps capture order within a source', () => {
    const b = new PacketBatch(16);
    add(b, 0xc0000201, 1);
    add(b, v6(0x20, 1), 2);
    add(b, 0x01020304, 3);
    add(b, 0xc0000201, 4);
    add(b, v6(0x00, 1), 5); // ::1 sorts before every IPv4-mapped address
    add(b, 0xffffffff, 6);
    add(b, 0x01020304, 7);
    add(b, v6(0x20, 0), 8);
    new SourceSorter(16).sort(b);
    expect([...b.tcpSeq.subarray(0, b.length)]).toEqual([5, 3, 7, 1, 4, 6, 8, 2]);
    // Every column moved together.
    expect([...b.dport.subarray(0, b.length)]).toEqual([5, 3, 7, 1, 4, 6, 8, 2]);
    expect([...b.tsMicros.subarray(0, b.length)]).toEqual([5, 3, 7, 1, 4, 6, 8, 2].map((x) => x * 1000));
    expect(b.src4[1]).toBe(0x01020304);
    expect([...b.src16.subarray(16 * 6, 16 * 7)]).toEqual(v6(0x20, 0));
    for (let i = 1; i < b.length; i++) {
      const a = Buffer.from(b.src16.subarray((i - 1) * 16, i * 16));
      const c = Buffer.from(b.src16.subarray(i * 16, i * 16 + 16));
      expect(Buffer.compare(a, c)).toBeLessThanOrEqual(0);
    }
  });

  it('sorts a large random batch stably', () => {
    const n = 50_000;
    const b = new PacketBatch(n);
    let x = 12345;
    for (let k = 0; k < n; k++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      add(b, (x >>> 20) * 0x01010101, k);
    }
    new SourceSorter(n).sort(b);
    for (let i = 1; i < n; i++) {
      const prev = b.src4[i - 1] as number;
      const cur = b.src4[i] as number;
      expect(prev <= cur).toBe(true);
      if (prev === cur) expect((b.tcpSeq[i - 1] as number) < (b.tcpSeq[i] as number)).toBe(true);
    }
  });
});

describe('sorting a mixed batch', () => {
  it('moves every stored column with its row, IPv4 addresses rebuilt as ::ffff:a.b.c.d', () => {
    const n = 20_000;
    const b = new PacketBatch(n);
    let x = 99;
    const rnd = (): number => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    for (let k = 0; k < n; k++) {
      const i = b.begin();
      const six = rnd() % 10 === 0;
      if (six) {
        b.family[i] = 6;
        const hi = rnd() % 3 === 0 ? 0 : 0x20;
        b.src16.set(v6(hi, rnd() & 7), i * 16);
        b.dst16.set(v6(0x20, rnd() & 255), i * 16);
      } else {
        b.family[i] = 4;
        b.src4[i] = (rnd() >>> 22) * 0x00401001;
        b.dst4[i] = rnd();
        writeMapped4(b.src16, i * 16, b.src4[i] as number);
        writeMapped4(b.dst16, i * 16, b.dst4[i] as number);
      }
      b.tcpSeq[i] = k;
      b.proto[i] = rnd() & 255;
      b.sport[i] = rnd() & 0xffff;
      b.ipId[i] = rnd();
      b.tags[i] = rnd();
      b.tsMicros[i] = 1.7e15 + k;
      b.commit();
    }
    const before = new Map<number, string>();
    const row = (i: number): string => [
      b.family[i], b.src4[i], b.dst4[i], b.proto[i], b.sport[i], b.ipId[i], b.tags[i], b.tsMicros[i],
      Buffer.from(b.src16.subarray(i * 16, i * 16 + 16)).toString('hex'),
      Buffer.from(b.dst16.subarray(i * 16, i * 16 + 16)).toString('hex'),
    ].join(' ');
    for (let i = 0; i < n; i++) before.set(b.tcpSeq[i] as number, row(i));
    new SourceSorter(n).sort(b);
    for (let i = 0; i < n; i++) expect(row(i)).toBe(before.get(b.tcpSeq[i] as number));
    for (let i = 1; i < n; i++) {
      const c = Buffer.compare(Buffer.from(b.src16.subarray((i - 1) * 16, i * 16)), Buffer.from(b.src16.subarray(i * 16, i * 16 + 16)));
      expect(c <= 0 && (c < 0 || (b.tcpSeq[i - 1] as number) < (b.tcpSeq[i] as number))).toBe(true);
    }
  });
});

describe('sorting with packets left out', () => {
  it('drops the marked packets (already stored) and sorts the rest, IPv4 and IPv6 alike', () => {
    const b = new PacketBatch(16);
    const sources = [0xc0000201, v6(0x20, 1), 0x01020304, 0xc0000201, v6(0x00, 1), 0xffffffff, 0x01020304, v6(0x20, 0)];
    sources.forEach((s, k) => add(b, s, k + 1));
    const drop = Uint8Array.from([0, 1, 0, 0, 1, 0, 1, 0]);
    new SourceSorter(16).sort(b, drop);
    expect(b.length).toBe(5);
    expect([...b.tcpSeq.subarray(0, b.length)]).toEqual([3, 1, 4, 6, 8]);
    expect([...b.dport.subarray(0, b.length)]).toEqual([3, 1, 4, 6, 8]);
    expect([...b.src16.subarray(16 * 4, 16 * 5)]).toEqual(v6(0x20, 0));
  });

  it('leaves an empty batch when every packet is marked, and shortens an already sorted one', () => {
    const b = new PacketBatch(4);
    [1, 2, 3].forEach((s, k) => add(b, s, k));
    new SourceSorter(4).sort(b, Uint8Array.from([0, 1, 0]));
    expect([...b.tcpSeq.subarray(0, b.length)]).toEqual([0, 2]);
    new SourceSorter(4).sort(b, Uint8Array.from([1, 1]));
    expect(b.length).toBe(0);
  });
});
