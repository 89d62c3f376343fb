import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PacketBatch, TCP_SYN } from '../decode/packet-batch.js';
import { SakimoriError } from '../errors.js';
import { readCapture } from './capture.js';
import { bytes, ether, ipv4, ipv6, tcp, udp } from './testing/frames.js';
import { PcapngBuilder, pcapFile } from './testing/capture-files.js';
import { chunked, readAll } from './testing/read-all.js';

const frames = Array.from({ length: 50 }, (_, k) => ({
  ts: 1_700_000_000 + k / 8,
  frame: k % 5 === 4
    ? ether(0x86dd, ipv6({ src: '2001:db8::1', dst: '2001:db8::2', next: 17, payload: udp(53, 1000 + k) }))
    : ether(0x0800, ipv4({ src: `192.0.2.${k + 1}`, dst: '198.18.0.7', proto: 6, payload: tcp({ sport: 1000 + k, dport: 23, flags: TCP_SYN }) })),
}));
const PCAP = pcapFile(frames, { linkType: 1 });
const NG = frames.reduce((b, f, k) => b.epb(0, BigInt(k) * 125_000n, f.frame), new PcapngBuilder().shb().idb(1)).build();

async function failure(p: Promise<unknown>): Promise<SakimoriError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(SakimoriError);
  return e as SakimoriError;
}

describe('readCapture', () => {
  it('gives identical packets and batch boundaries for any chunking and for gzip input', async () => {
    for (const file of [PCAP, NG]) {
      const base = await readAll([file], 7);
      expect(base.batches).toBe(8);
      for (const sizes of [[1], [7], [3, 100, 1], [13, 2, 64], [4096]]) {
        const r = await readAll(chunked(file, sizes), 7);
        expect(r.packets).toEqual(base.packets);
        expect(r.summary).toEqual(base.summary);
        expect(r.batches).toBe(8);
      }
      for (const sizes of [[1], [13], [1 << 20]]) {
        const gz = await readAll(chunked(gzipSync(file), sizes), 7);
        expect(gz.packets).toEqual(base.packets);
        expect(gz.summary).toEqual({ ...base.summary, gzip: true });
      }
    }
  });

  it('reads a gzip file of several members as one stream', async () => {
    const half = pcapFile(frames.slice(0, 25), { linkType: 1 }).length;
    const twoMembers = bytes(gzipSync(PCAP.subarray(0, half + 3)), gzipSync(PCAP.subarray(half + 3)));
    expect((await readAll([twoMembers])).packets).toEqual((await readAll([PCAP])).packets);
  });

  it('keeps every complete record of a cut gzip file and says where the input ended', async () => {
    const gz = gzipSync(PCAP);
    const { packets, summary } = await readAll(chunked(gz.subarray(0, Math.floor(gz.length * 0.6)), [100]));
    expect(summary.gzip).toBe(true);
    expect(summary.truncated?.offset).toBeGreaterThan(24);
    // All that was decompressed before the cut: compare with the plain file cut at that point.
    const plain = await readAll([PCAP.subarray(0, summary.bytes)]);
    expect(packets).toEqual(plain.packets);
    expect(packets.length).toBeGreaterThan(0);
  });

  it('refuses a wrong magic number naming the file, before any batch', async () => {
    let batches = 0;
    const read = (data: Uint8Array[], name: string) =>
      readCapture((async function* () { yield* data; })(), { name, batch: new PacketBatch(4), onBatch: async () => { batches++; } });
    for (const [data, name] of [
      [[new TextEncoder().encode('GET / HTTP/1.1\r\n')], 'notes.txt'],
      [[], 'empty.pcap'],
      [[new Uint8Array([0xd4, 0xc3])], 'tiny.pcap'],
      [[gzipSync(new TextEncoder().encode('just text, compressed'))], 'text.gz'],
      [[new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9])], 'broken.gz'],
      // A pcapng section header with a byte-order magic that is neither order.
      [[new Uint8Array([0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 1, 2, 3, 4, 1, 0, 0, 0])], 'odd.pcapng'],
    ] as [Uint8Array[], string][]) {
      const e = await failure(read(data, name));
      expect(e.code).toBe('CAPTURE_BAD_MAGIC');
      expect(e.where).toEqual({ file: name });
      expect(e.message).toContain(name);
    }
    expect(batches).toBe(0);
  });

  it('names the compression or capture format of an input it cannot read (tshark opens .zst, .lz4, …)', async () => {
    const read = (head: number[]) =>
      readCapture((async function* () { yield new Uint8Array([...head, ...new Array(16).fill(0)]); })(), { name: 'x', batch: new PacketBatch(4), onBatch: async () => undefined });
    for (const [head, what] of [
      [[0x28, 0xb5, 0x2f, 0xfd], 'zstd'], [[0x04, 0x22, 0x4d, 0x18], 'lz4'], [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0], 'xz'],
      [[0x42, 0x5a, 0x68, 0x31], 'bzip2'], [[...Buffer.from('snoop\0\0\0')], 'snoop'],
    ] as [number[], string][]) {
      const e = await failure(read(head));
      expect(e.code).toBe('CAPTURE_BAD_MAGIC');
      expect(e.message).toContain(what);
    }
  });

  it('passes an error of onBatch on untouched, and an error of the source before any byte as INPUT_READ_FAILED', async () => {
    const boom = new Error('store is down');
    const e = await readCapture((async function* () { yield PCAP; })(), {
      name: 'x.pcap', batch: new PacketBatch(4), onBatch: async () => { throw boom; },
    }).then(() => undefined, (x: unknown) => x);
    expect(e).toBe(boom);
    const failing = (async function* (): AsyncGenerator<Uint8Array> { throw new Error('EISDIR'); })();
    const r = await failure(readCapture(failing, { name: 'dir', batch: new PacketBatch(4), onBatch: async () => undefined }));
    expect(r.code).toBe('INPUT_READ_FAILED');
  });

  it('reports a source that fails part-way as a truncation, keeping what came before', async () => {
    const half = PCAP.subarray(0, pcapFile(frames.slice(0, 10), { linkType: 1 }).length + 5);
    const failing = (async function* (): AsyncGenerator<Uint8Array> { yield half; throw new Error('EIO'); })();
    const { packets, summary } = await readAll(failing);
    expect(packets.length).toBe(10);
    expect(summary.truncated).toMatchObject({ record: 10 });
    expect(summary.truncated?.message).toContain('EIO');
  });

  it('stops when aborted, rejecting with the signal reason, and closes the source', async () => {
    const ac = new AbortController();
    let closed = false;
    const source = (async function* (): AsyncGenerator<Uint8Array> {
      try { for (const c of chunked(PCAP, [200])) yield c; } finally { closed = true; }
    })();
    const e = await readCapture(source, {
      name: 'x.pcap', batch: new PacketBatch(4), signal: ac.signal, onBatch: async () => { ac.abort(new Error('stop')); },
    }).then(() => undefined, (x: unknown) => x);
    expect((e as Error).message).toBe('stop');
    expect(closed).toBe(true);
  });

  it('closes the source when it stops at corruption', async () => {
    let closed = false;
    const bad = Uint8Array.from(PCAP);
    new DataView(bad.buffer).setUint32(24 + 8, 0x7fffffff, true);
    const source = (async function* (): AsyncGenerator<Uint8Array> {
      try { yield bad; yield PCAP; } finally { closed = true; }
    })();
    const { summary } = await readAll(source);
    expect(summary.corrupt).toMatchObject({ offset: 24, record: 0 });
    expect(closed).toBe(true);
  });

  it('reports progress in input bytes with each batch', async () => {
    const progress: number[] = [];
    const gz = gzipSync(PCAP);
    await readCapture((async function* () { yield* chunked(gz, [64]); })(), {
      name: 'x.pcap.gz', batch: new PacketBatch(20), onBatch: async (_b, p) => { progress.push(p.bytes); },
    });
    expect(progress.length).toBe(3);
    expect(progress[2]).toBe(gz.length);
    expect(progress.every((b, k) => b <= gz.length && (k === 0 || b >= (progress[k - 1] ?? 0)))).toBe(true);
  });
});
