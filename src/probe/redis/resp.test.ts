import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../util/seeded-random.js';
import { DEFAULT_RESP_LIMITS, decodeReply, encodeCommand, parseInfo, type RespValue } from './resp.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');
const bulk = (s: string | null): RespValue => ({ type: 'bulk', value: s === null ? null : b(s) });

/** The examples of the RESP specification (redis.io/docs/reference/protocol-spec, RESP2 types). */
const SPEC: readonly (readonly [string, RespValue])[] = [
  ['+OK\r\n', { type: 'simple', value: 'OK' }],
  ['-Error message\r\n', { type: 'error', value: 'Error message' }],
  ["-ERR unknown command 'asdf'\r\n", { type: 'error', value: "ERR unknown command 'asdf'" }],
  ['-WRONGTYPE Operation against a key holding the wrong kind of value\r\n', { type: 'error', value: 'WRONGTYPE Operation against a key holding the wrong kind of value' }],
  [':0\r\n', { type: 'integer', value: 0 }],
  [':1000\r\n', { type: 'integer', value: 1000 }],
  [':-42\r\n', { type: 'integer', value: -42 }],
  ['$5\r\nhello\r\n', bulk('hello')],
  ['$0\r\n\r\n', bulk('')],
  ['$-1\r\n', bulk(null)],
  ['*0\r\n', { type: 'array', value: [] }],
  ['*-1\r\n', { type: 'array', value: null }],
  ['*2\r\n$5\r\nhello\r\n$5\r\nworld\r\n', { type: 'array', value: [bulk('hello'), bulk('world')] }],
  ['*3\r\n:1\r\n:2\r\n:3\r\n', { type: 'array', value: [1, 2, 3].map((value) => ({ type: 'integer', value })) }],
  ['*5\r\n:1\r\n:2\r\n:3\r\n:4\r\n$5\r\nhello\r\n', { type: 'array', value: [...[1, 2, 3, 4].map((value): RespValue => ({ type: 'integer', value })), bulk('hello')] }],
  ['*2\r\n*3\r\n:1\r\n:2\r\n:3\r\n*2\r\n+Hello\r\n-World\r\n', {
    type: 'array',
    value: [{ type: 'array', value: [1, 2, 3].map((value) => ({ type: 'integer', value })) }, { type: 'array', value: [{ type: 'simple', value: 'Hello' }, { type: 'error', value: 'World' }] }],
  }],
  ['*3\r\n$5\r\nhello\r\n$-1\r\n$5\r\nworld\r\n', { type: 'array', value: [bulk('hello'), bulk(null), bulk('world')] }],
  // Binary-safe bulk strings may contain CRLF.
  ['$7\r\na\r\nb\r\nc\r\n', bulk('a\r\nb\r\nc')],
];

describe('RESP encoding', () => {
  it('commands are arrays of bulk strings (the spec LLEN example; our INFO server)', () => {
    expect(encodeCommand(['LLEN', 'mylist']).toString('latin1')).toBe('*2\r\n$4\r\nLLEN\r\n$6\r\nmylist\r\n');
    expect(encodeCommand(['INFO', 'server']).toString('latin1')).toBe('*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n');
    expect(encodeCommand(['SET', 'k', 'é']).toString('latin1')).toBe('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\n\xc3\xa9\r\n');
  });
});

describe('RESP decoding', () => {
  it.each(SPEC)('%j', (wire, want) => {
    expect(decodeReply(b(wire))).toEqual({ kind: 'value', value: want, used: wire.length });
    // Bytes after one reply are not part of it.
    expect(decodeReply(b(`${wire}+NEXT\r\n`))).toEqual({ kind: 'value', value: want, used: wire.length });
  });

  it('every proper prefix of a reply is incomplete', () => {
    for (const [wire] of SPEC) {
      for (let i = 0; i < wire.length; i++) expect(decodeReply(b(wire.slice(0, i))).kind, `${JSON.stringify(wire)} cut at ${i}`).toBe('incomplete');
    }
  });

  it('what is not RESP2 is malformed at the first byte', () => {
    for (const s of ['HTTP/1.1 400 Bad Request\r\n', 'SSH-2.0-x\r\n', '%1\r\n+a\r\n:1\r\n', '_\r\n', '#t\r\n', '\x00\x01', ' +OK\r\n']) {
      expect(decodeReply(b(s)).kind, JSON.stringify(s)).toBe('malformed');
    }
  });

  it('broken lengths and terminators are malformed', () => {
    for (const s of ['$abc\r\n', '$-2\r\n', '$5\r\nhelloXX', '*x\r\n', '*-5\r\n', ':12a\r\n', '$99999999999\r\n', '*2\r\n$1\r\na\r\n%0\r\n']) {
      expect(decodeReply(b(s)).kind, JSON.stringify(s)).toBe('malformed');
    }
  });

  it('bounds: bulk size, line length, element count and depth are refused without waiting', () => {
    expect(decodeReply(b('$70000\r\n'))).toMatchObject({ kind: 'malformed', reason: expect.stringMatching(/70000 bytes over the 61440-byte bound/) });
    expect(decodeReply(b(`+${'a'.repeat(DEFAULT_RESP_LIMITS.maxLine + 10)}`))).toMatchObject({ kind: 'malformed', reason: expect.stringMatching(/line longer/) });
    expect(decodeReply(b(`-${'a'.repeat(DEFAULT_RESP_LIMITS.maxLine + 1)}\r\n`))).toMatchObject({ kind: 'malformed' });
    expect(decodeReply(b('*5000\r\n'))).toMatchObject({ kind: 'malformed', reason: expect.stringMatching(/5000 elements/) });
    expect(decodeReply(b('*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n'))).toMatchObject({ kind: 'malformed', reason: expect.stringMatching(/nested deeper/) });
    expect(decodeReply(b('*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n')).kind).toBe('value');
  });
});

describe('INFO text', () => {
  it('sections, key:value lines, CRLF or LF, values with colons, first value wins', () => {
    const info = parseInfo('# Server\r\nredis_version:7.0.15\r\nos:Linux 6.1.0 x86_64\r\nexecutable:/usr/bin/redis-server\r\nconfig_file:\r\n\r\n# Clients\nconnected_clients:1\nweird line\n:novalue\nredis_version:9\n');
    expect(info.get('redis_version')).toBe('7.0.15');
    expect(info.get('os')).toBe('Linux 6.1.0 x86_64');
    expect(info.get('executable')).toBe('/usr/bin/redis-server');
    expect(info.get('config_file')).toBe('');
    expect(info.get('connected_clients')).toBe('1');
    expect(info.size).toBe(5);
  });

  it('stops at the field bound', () => {
    const text = Array.from({ length: 2000 }, (_, i) => `k${i}:v`).join('\r\n');
    expect(parseInfo(text).size).toBe(500);
  });
});

describe('fuzz: the decoder never throws and never claims more than it has', () => {
  it('random and damaged replies', () => {
    const rand = seededRandom(6379);
    const alphabet = b('+-:$*\r\n0123456789-abc');
    const seeds = SPEC.map(([w]) => b(w));
    for (let i = 0; i < 30_000; i++) {
      let buf: Buffer;
      if (i % 2 === 0) {
        const n = Math.floor(rand() * 40);
        buf = Buffer.alloc(n);
        for (let j = 0; j < n; j++) buf[j] = rand() < 0.7 ? (alphabet[Math.floor(rand() * alphabet.length)] ?? 0) : Math.floor(rand() * 256);
      } else {
        buf = Buffer.from(seeds[Math.floor(rand() * seeds.length)] ?? b('+OK\r\n'));
        for (let f = 0; f < 1 + Math.floor(rand() * 3); f++) if (buf.length > 0) buf[Math.floor(rand() * buf.length)] = alphabet[Math.floor(rand() * alphabet.length)] ?? 0;
        buf = buf.subarray(0, Math.floor(rand() * (buf.length + 1)));
      }
      const r = decodeReply(buf);
      if (r.kind === 'value') expect(r.used).toBeLessThanOrEqual(buf.length);
      parseInfo(buf.toString('latin1'));
    }
  });
});
