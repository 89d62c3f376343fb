import { describe, expect, it } from 'vitest';
import { bytesValue, f32, f64, i32, MmdbWriter, u128, u16, u32, u64 } from '../testing/mmdb-writer.js';
import { DataDecoder, isMap, MmdbDataError } from './data-decoder.js';
import { readLayout } from './metadata.js';

describe('MMDB data decoder', () => {
  it('decodes every type written by the test writer', () => {
    const long = 'x'.repeat(70_000); // needs the 3-byte size form
    const value = {
      utf8: 'これは日本語',
      u16: u16(65535),
      u32: u32(4294967295),
      u64: u64(2n ** 64n - 1n),
      u64small: u64(42),
      u128: u128(2n ** 127n + 5n),
      i32neg: i32(-123456),
      i32pos: i32(1),
      double: f64(Math.PI),
      float: f32(1.5),
      yes: true,
      no: false,
      bytes: bytesValue(Uint8Array.from([0, 1, 255])),
      array: [u32(0), 'a', { nested: [u16(1)] }],
      emptyMap: {},
      medium: 'y'.repeat(300),
      long,
      again: 'これは日本語', // written as a pointer to the first copy
    };
    const db = new MmdbWriter({ ipVersion: 4, recordSize: 24 }).insert('1.2.3.0/24', value).build();
    const layout = readLayout(db);
    const decoded = new DataDecoder(db, layout.dataStart, layout.dataEnd).decode(0);
    expect(isMap(decoded)).toBe(true);
    expect(decoded).toEqual({
      utf8: 'これは日本語',
      u16: 65535,
      u32: 4294967295,
      u64: 2n ** 64n - 1n,
      u64small: 42,
      u128: 2n ** 127n + 5n,
      i32neg: -123456,
      i32pos: 1,
      double: Math.PI,
      float: 1.5,
      yes: true,
      no: false,
      bytes: Uint8Array.from([0, 1, 255]),
      array: [0, 'a', { nested: [1] }],
      emptyMap: {},
      medium: 'y'.repeat(300),
      long,
      again: 'これは日本語',
    });
    expect(layout).toMatchObject({ recordSize: 24, ipVersion: 4, databaseType: 'Sakimori-Test' });
  });

  it('follows all four pointer forms and continues after the pointer', () => {
    const bytes = new Uint8Array(530_000);
    const str = (at: number, text: string): void => bytes.set([0x40 | text.length, ...Buffer.from(text)], at);
    str(0, 'hi');
    str(3000, 'two'); // reached by the 2-byte form: 3000 = 952 + 2048
    str(527_000, 'three'); // reached by the 3-byte form: 527000 = 664 + 526336
    // offset 10: an array of 4 pointers (1-, 2-, 3-, 4-byte forms), then "end".
    const list = [0x04, 0x04, 0x20, 0x00, 0x28, 952 >> 8, 952 & 255, 0x30, 0x00, 664 >> 8, 664 & 255, 0x38, 0, 0, 3000 >> 8, 3000 & 255];
    bytes.set(list, 10);
    str(10 + list.length, 'end');
    const d = new DataDecoder(bytes, 0, bytes.length);
    expect(d.decode(10)).toEqual(['hi', 'two', 'three', 'two']);
    expect(d.decode(10 + list.length)).toBe('end');
    // A pointer past the end of the section is an error.
    bytes.set([0x38, 0xff, 0xff, 0xff, 0xff], 100);
    expect(() => d.decode(100)).toThrow(/outside the data section/);
  });

  it('rejects broken data with an MmdbDataError, never a crash or a hang', () => {
    const cases: number[][] = [
      [0x5f], // string with a size byte missing
      [0x44, 0x61], // string longer than the data
      [0xe1, 0x41, 0x61], // map with one key and no value
      [0xe1, 0x21, 0x00], // map whose key is a pointer to... itself (a map, not a string)
      [0x20, 0x00], // pointer to a pointer
      [0x01, 0x04, 0x0f, 0x20, 0x00], // array whose item points back to the array → nesting limit
      [0x00, 0x0a], // extended type 17: unknown
      [0x68, 0, 0], // double cut short
      [0x64, 0, 0, 0, 0], // double of size 4
      [0x00, 0x06], // end marker inside a record
      [0x00, 0x05], // data cache container inside a record
      [0x02, 0x08], // boolean of size 2
      [0xc5, 1, 2, 3, 4, 5], // uint32 of 5 bytes
    ];
    for (const c of cases) {
      const bytes = Uint8Array.from(c);
      expect(() => new DataDecoder(bytes, 0, bytes.length).decode(0), JSON.stringify(c)).toThrow(MmdbDataError);
    }
  });
});
