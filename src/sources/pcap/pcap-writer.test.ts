import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LINKTYPE_RAW, PcapWriter, PcapngWriter, type CaptureWriter } from './pcap-writer.js';

function sink(): { out: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  return { out: new Writable({ write(c: Buffer, _e, cb) { chunks.push(Buffer.from(c)); setImmediate(cb); } }), bytes: () => Buffer.concat(chunks) };
}

async function writeFrames(w: CaptureWriter, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    if (w.room < 100) await w.flush();
    const o = w.frameOffset;
    for (let j = 0; j < 5; j++) w.buf[o + j] = (i + j) & 255;
    w.commit(5, 1_700_000_000 + i, 123_456_789);
  }
  await w.finish();
}

describe('PcapWriter', () => {
  it('writes little-endian microsecond pcap across buffer flushes', async () => {
    const { out, bytes } = sink();
    const w = new PcapWriter(out, { bufferSize: 1 }); // clamped to 64 KiB: forces many flushes
    await writeFrames(w, 5000);
    const b = bytes();
    expect(b.readUInt32LE(0)).toBe(0xa1b2c3d4);
    expect(b.readUInt32LE(20)).toBe(1);
    expect(b.length).toBe(24 + 5000 * 21);
    expect(w.bytesWritten).toBe(b.length);
    const last = 24 + 4999 * 21;
    expect(b.readUInt32LE(last)).toBe(1_700_004_999);
    expect(b.readUInt32LE(last + 4)).toBe(123_456);
    expect(b.readUInt32LE(last + 8)).toBe(5);
    expect(b[last + 16]).toBe(4999 & 255);
  });

  it('writes big-endian nanosecond pcap with the raw link type', async () => {
    const { out, bytes } = sink();
    await writeFrames(new PcapWriter(out, { bigEndian: true, nanosecond: true, linkType: 'raw' }), 2);
    const b = bytes();
    expect(b.readUInt32BE(0)).toBe(0xa1b23c4d);
    expect(b.readUInt32BE(20)).toBe(LINKTYPE_RAW);
    expect(b.readUInt32BE(24 + 4)).toBe(123_456_789);
  });
});

describe('PcapngWriter', () => {
  it('writes SHB, IDB with if_tsresol and padded EPBs', async () => {
    const { out, bytes } = sink();
    await writeFrames(new PcapngWriter(out, { nanosecond: true }), 3);
    const b = bytes();
    expect(b.readUInt32LE(0)).toBe(0x0a0d0d0a);
    expect(b.readUInt32LE(8)).toBe(0x1a2b3c4d);
    const idb = 28;
    expect(b.readUInt32LE(idb)).toBe(1);
    const idbLen = b.readUInt32LE(idb + 4);
    expect(b.readUInt16LE(idb + 16)).toBe(9);
    expect(b[idb + 20]).toBe(9);
    const epb = idb + idbLen;
    expect(b.readUInt32LE(epb)).toBe(6);
    expect(b.readUInt32LE(epb + 4)).toBe(40);
    const ts = (BigInt(b.readUInt32LE(epb + 12)) << 32n) | BigInt(b.readUInt32LE(epb + 16));
    expect(ts).toBe(1_700_000_000n * 1_000_000_000n + 123_456_789n);
    expect(b.readUInt32LE(epb + 36)).toBe(40);
    expect(b.length).toBe(epb + 3 * 40);
  });
});
