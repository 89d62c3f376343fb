import { describe, expect, it } from 'vitest';
import { base64EncodeBytes, faviconHash, murmur3x86_32, murmur3x86_32Signed } from './murmur3.js';

const b = (s: string): Buffer => Buffer.from(s, 'utf8');

describe('MurmurHash3 x86_32', () => {
  // Published vectors (SMHasher's verification set as listed with the reference implementation, Wikipedia).
  it.each([
    ['', 0, 0x00000000],
    ['', 1, 0x514e28b7],
    ['', 0xffffffff, 0x81f16f39],
    ['\0\0\0\0', 0, 0x2362f9de],
    ['aaaa', 0x9747b28c, 0x5a97808a],
    ['aaa', 0x9747b28c, 0x283e0130],
    ['aa', 0x9747b28c, 0x5d211726],
    ['a', 0x9747b28c, 0x7fa09ea6],
    ['abcd', 0x9747b28c, 0xf0478627],
    ['abc', 0x9747b28c, 0xc84a62dd],
    ['ab', 0x9747b28c, 0x74875592],
    ['Hello, world!', 0x9747b28c, 0x24884cba],
    ['The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd],
    ['test', 0, 0xba6bd213],
    ['Hello, world!', 1234, 0xfaf6cdb3],
  ] as const)('%j seed %d', (text, seed, want) => {
    expect(murmur3x86_32(b(text), seed)).toBe(want);
  });

  it('signed like Python mmh3.hash ("foo" → -156908512)', () => {
    expect(murmur3x86_32Signed(b('foo'))).toBe(-156908512);
    expect(murmur3x86_32Signed(b('test'))).toBe(0xba6bd213 | 0);
  });

  it('base64 as Python base64.encodebytes: newline every 76 characters and at the end', () => {
    expect(base64EncodeBytes(new Uint8Array(0))).toBe('');
    expect(base64EncodeBytes(b('hi'))).toBe('aGk=\n');
    const lines = base64EncodeBytes(new Uint8Array(200).fill(7)).split('\n');
    expect(lines.map((l) => l.length)).toEqual([76, 76, 76, 40, 0]);
  });

  it('favicon hash is the signed hash of that text', () => {
    const icon = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37) & 0xff));
    expect(faviconHash(icon)).toBe(murmur3x86_32Signed(Buffer.from(base64EncodeBytes(icon))));
  });
});
