import { describe, expect, it } from 'vitest';
import { PacketBatch, writeMapped4 } from '../decode/packet-batch.js';
import { DARKNET_PACKET_FIELDS } from '../schema/darknet-packet.js';
import { PacketKeyEncoder, PacketKeys, StoredKeys } from './packet-keys.js';

/** A TCP SYN from 198.51.100.7 to 192.0.2.1:23 at `ts` µs, with `seq`. */
function syn(b: PacketBatch, ts: number, seq = 1): number {
  const i = b.begin();
  b.family[i] = 4;
  b.src4[i] = 0xc6336407;
  b.dst4[i] = 0xc0000201;
  writeMapped4(b.src16, i * 16, 0xc6336407);
  writeMapped4(b.dst16, i * 16, 0xc0000201);
  b.proto[i] = 6;
  b.sport[i] = 40000;
  b.dport[i] = 23;
  b.tcpFlags[i] = 2;
  b.tcpSeq[i] = seq;
  b.ttl[i] = 64;
  b.ipLen[i] = 40;
  b.wireLen[i] = 54;
  b.tsMicros[i] = ts;
  b.commit();
  return i;
}

/** The key of the batch's first packet, alone in its microsecond (rank 0: the hash of its fields). */
const packetHash = (b: PacketBatch, i: number): number => {
  const k = new PacketKeys(b.capacity);
  k.compute(b);
  return k.key[i] as number;
};

const keysOf = (k: PacketKeys, b: PacketBatch): number[] => {
  k.compute(b);
  return [...k.key.subarray(0, b.length)];
};

/** Stored columns that are not the decoded packet: the time is kept beside the key, the rest is derived. */
const NOT_HASHED = new Set(['ts', 'sensor', 'cls', 'tags', 'src_asn', 'src_country']);
const camel = (s: string): string => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

describe('packet keys', () => {
  it('differ when any stored field of the packet differs', () => {
    const fields = DARKNET_PACKET_FIELDS.map((f) => f.name).filter((n) => !NOT_HASHED.has(n));
    const base = new PacketBatch(1);
    syn(base, 1e15);
    const h0 = packetHash(base, 0);
    for (const name of fields) {
      const b = new PacketBatch(1);
      syn(b, 1e15);
      if (name === 'src' || name === 'dst') {
        // IPv4 rows hash the 32-bit address, IPv6 rows the 16 bytes.
        (name === 'src' ? b.src4 : b.dst4)[0] ^= 1;
        expect(packetHash(b, 0), name).not.toBe(h0);
        b.family[0] = 6;
        const v6 = packetHash(b, 0);
        (name === 'src' ? b.src16 : b.dst16)[3] ^= 0x10;
        expect(packetHash(b, 0), `${name} (IPv6)`).not.toBe(v6);
        continue;
      }
      const column = (b as unknown as Record<string, unknown>)[camel(name)];
      expect(column, `${name}: a stored column that the packet key does not know; hash it in packetHash or list it in NOT_HASHED`).toBeInstanceOf(Object);
      const a = column as Uint8Array;
      a[0] = (a[0] as number) + 1;
      expect(packetHash(b, 0), name).not.toBe(h0);
    }
  });

  it('give identical packets of one microsecond their rank, the same in every input and across batch ends', () => {
    const b = new PacketBatch(8);
    syn(b, 100);
    syn(b, 100);
    syn(b, 100, 2);
    syn(b, 100);
    syn(b, 101);
    const whole = keysOf(new PacketKeys(8), b);
    expect(new Set(whole.slice(0, 4)).size).toBe(4);
    expect(whole[4]).toBe(whole[0]); // the same packet, another microsecond: the time tells them apart

    // The same packets in two batches: the rank goes on where the last batch ended.
    const k = new PacketKeys(8);
    const one = new PacketBatch(8);
    syn(one, 100);
    syn(one, 100);
    const two = new PacketBatch(8);
    syn(two, 100, 2);
    syn(two, 100);
    syn(two, 101);
    expect([...keysOf(k, one), ...keysOf(k, two)]).toEqual(whole);

    // A file holding only the later copies ranks them from 0: the first copy's key.
    const later = new PacketBatch(8);
    syn(later, 100);
    expect(keysOf(new PacketKeys(8), later)).toEqual([whole[0]]);
  });

  it('rank long runs of one microsecond the same way past the scan limit', () => {
    const b = new PacketBatch(100);
    for (let i = 0; i < 100; i++) syn(b, 5, i % 3);
    const keys = keysOf(new PacketKeys(100), b);
    expect(new Set(keys).size).toBe(100);
    const c = new PacketBatch(100);
    for (let i = 0; i < 60; i++) syn(c, 5, i % 3);
    expect(keysOf(new PacketKeys(100), c)).toEqual(keys.slice(0, 60));
  });

  it('encode the kept packets\' keys as a Native block, in input order', () => {
    const b = new PacketBatch(4);
    syn(b, 2 ** 40 + 7);
    syn(b, 3);
    syn(b, 9);
    const k = new PacketKeys(4);
    k.compute(b);
    const block = new PacketKeyEncoder(4).encode(b, k.key, Uint8Array.from([0, 1, 0]));
    expect(block.rows).toBe(2);
    const bytes = Buffer.concat(block.chunks);
    expect(bytes.readDoubleLE(bytes.indexOf(Buffer.from('Float64')) + 7)).toBe(2 ** 40 + 7);
    expect(bytes.readDoubleLE(bytes.indexOf(Buffer.from('Float64')) + 15)).toBe(9);
    expect(bytes.readUInt32LE(bytes.length - 4)).toBe(k.key[2]);
  });
});

describe('the stored keys of a time range', () => {
  it('finds exactly the (time, key) pairs the store returned, several keys a microsecond too', () => {
    const rows = Buffer.alloc(12 * 5000);
    for (let i = 0; i < 5000; i++) {
      rows.writeBigInt64LE(1_700_000_000_000_000n + BigInt(Math.floor(i / 3)), i * 12);
      rows.writeUInt32LE((i * 2654435761) >>> 0, i * 12 + 8);
    }
    const set = StoredKeys.fromRowBinary(rows);
    expect(set.size).toBe(5000);
    for (let i = 0; i < 5000; i++) {
      const t = 1_700_000_000_000_000 + Math.floor(i / 3);
      const key = (i * 2654435761) >>> 0;
      expect(set.has(t, key)).toBe(true);
      expect(set.has(t + 5000, key)).toBe(false);
      expect(set.has(t, (key + 1) >>> 0)).toBe(false);
    }
    expect(StoredKeys.fromRowBinary(new Uint8Array(0)).has(1, 1)).toBe(false);
    // Unaligned bytes, as a result buffer may be.
    const odd = new Uint8Array(rows.length + 1);
    odd.set(rows, 1);
    expect(StoredKeys.fromRowBinary(odd.subarray(1)).has(1_700_000_000_000_001, (3 * 2654435761) >>> 0)).toBe(true);
  });
});
