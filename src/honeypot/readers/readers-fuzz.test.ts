/**
 * Every honeypot reader fuzzed with a fixed seed: the real Cowrie day and the Dionaea and Conpot
 * vectors cut at random places, with random bytes overwritten, lines doubled and swapped. A reader
 * never throws or hangs, and what it read from the lines before the first damaged one is exactly
 * what it reads from the undamaged input. The line splitter is fuzzed too: every cut of the input
 * into chunks gives the same lines, and a cut gzip stream ends with a problem after every line
 * before the cut.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { sharedData } from '../../../test/fixtures/shared-data.js';
import { seededRandom } from '../../util/seeded-random.js';
import { gunzip } from '../../sources/byte-streams.js';
import type { HoneypotEventRow } from '../../schema/honeypot-event.js';
import { readLines } from '../ingest/lines.js';
import type { HoneypotLineReader } from './line-reader.js';
import { CowrieReader } from './cowrie.js';
import { DionaeaJsonReader } from './dionaea-json.js';
import { ConpotReader } from './conpot.js';
import { DionaeaSqliteReader } from './dionaea-sqlite.js';

const NOW = Date.UTC(2026, 11, 1);
const COWRIE = readFileSync(sharedData('honeypot/cowrie.json.2018-05-06'), 'utf8');
const DIONAEA = [
  { connection: { protocol: 'ftpd', transport: 'tcp', type: 'accept' }, dst_ip: '192.0.2.5', dst_port: 21, src_ip: '198.51.100.1', src_port: 1, timestamp: '2026-11-30T10:01:00.000001', credentials: [{ password: 'a', username: 'b' }], ftp: { commands: [{ command: 'USER', arguments: ['b'] }] } },
  { connection: { protocol: 'smbd', transport: 'tcp', type: 'accept' }, dst_ip: '192.0.2.5', dst_port: 445, src_ip: '198.51.100.2', src_port: 2, timestamp: '2026-11-30T10:02:00.000001', p0f: { genre: 'Linux', detail: '3.x' } },
].map((o) => JSON.stringify(o)).join('\n').repeat(1) + '\n';
const CONPOT = [
  { timestamp: '2026-11-30T10:00:00.5', sensorid: 'd', id: 'u1', src_ip: '203.0.113.5', src_port: 1, dst_ip: '192.0.2.9', dst_port: 502, data_type: 'modbus', request: null, response: null, event_type: 'NEW_CONNECTION' },
  { timestamp: '2026-11-30T10:00:00.5', sensorid: 'd', id: 'u1', src_ip: '203.0.113.5', src_port: 1, dst_ip: '192.0.2.9', dst_port: 502, data_type: 'modbus', request: "b'000100000006010300000001'", response: null, event_type: null },
  { timestamp: '2026-11-30T10:00:00.5', sensorid: 'd', id: 'u1', src_ip: '203.0.113.5', src_port: 1, dst_ip: '192.0.2.9', dst_port: 502, data_type: 'modbus', request: null, response: null, event_type: 'CONNECTION_LOST' },
].map((o) => JSON.stringify(o)).join('\n') + '\n';

// As `sqlite3 -json` prints the Dionaea query's rows: "[{…},", "{…},", "{…}]".
const SQLITE_ROWS = Array.from({ length: 60 }, (_, i) => JSON.stringify({
  k: ['connection', 'offer', 'download', 'login', 'p0f'][i % 5], id: i, root: i - (i % 5), type: 'accept', transport: 'tcp', protocol: 'smbd', ts: 1_764_496_800 + i,
  lh: '192.0.2.5', lp: 445, rh: `198.51.100.${i}`, rn: '', rp: 40000 + i, a: i % 5 === 3 ? 'sa' : 'http://198.51.100.9/x.exe', b: i % 5 === 2 ? '0123456789abcdef0123456789abcdef' : null,
}));
const SQLITE = `[${SQLITE_ROWS.join(',\n')}]\n`;

const READERS: [string, () => HoneypotLineReader, string][] = [
  ['dionaea-sqlite', () => new DionaeaSqliteReader(NOW), SQLITE],
  ['cowrie', () => new CowrieReader(NOW), COWRIE],
  ['dionaea-json', () => new DionaeaJsonReader(NOW), DIONAEA.repeat(20)],
  ['conpot', () => new ConpotReader(NOW), CONPOT.repeat(20)],
];

function rowsOf(make: () => HoneypotLineReader, text: string): { rows: HoneypotEventRow[]; lineOf: number[] } {
  const reader = make();
  const rows: HoneypotEventRow[] = [];
  const lineOf: number[] = [];
  text.split('\n').forEach((l, i) => {
    if (l.trim() === '') return;
    const before = rows.length;
    reader.line(l, i + 1, rows);
    for (let k = before; k < rows.length; k++) lineOf.push(i + 1);
  });
  reader.end();
  return { rows, lineOf };
}

/** Damages `text` at random: a cut, overwritten bytes, a doubled or dropped line; returns the first damaged line. */
function damage(text: string, rand: () => number): { text: string; firstBad: number } {
  const lines = text.split('\n');
  const at = Math.floor(rand() * lines.length);
  const what = Math.floor(rand() * 4);
  const line = lines[at] ?? '';
  if (what === 0) {
    lines[at] = line.slice(0, Math.floor(rand() * line.length));
    lines.length = at + 1;
  } else if (what === 1) {
    const chars = [...line];
    for (let k = 0; k < 1 + Math.floor(rand() * 4); k++) chars[Math.floor(rand() * chars.length)] = String.fromCharCode(Math.floor(rand() * 0x3000));
    lines[at] = chars.join('');
  } else if (what === 2) {
    lines.splice(at, 0, line, '\u0000{"eventid": 7, "src_ip": [1]}');
  } else {
    lines.splice(at, 1, '{"timestamp": "9999-99-99", "src_ip": "::1", "eventid": "cowrie.session.connect", "data_type": "x", "connection": {}}');
  }
  return { text: lines.join('\n'), firstBad: at + 1 };
}

describe('honeypot readers under fuzzing (fixed seed)', () => {
  for (const [name, make, text] of READERS) {
    it(`${name}: never throws, and keeps what came before the damage`, () => {
      const rand = seededRandom(18);
      const whole = rowsOf(make, text);
      expect(whole.rows.length).toBeGreaterThan(10);
      for (let round = 0; round < 300; round++) {
        const bad = damage(text, rand);
        let got: ReturnType<typeof rowsOf> | undefined;
        expect(() => { got = rowsOf(make, bad.text); }).not.toThrow();
        const keep = whole.lineOf.filter((l) => l < bad.firstBad).length;
        expect(got?.rows.slice(0, keep)).toEqual(whole.rows.slice(0, keep));
      }
    });
  }
});

async function* chunks(data: Uint8Array, rand: () => number): AsyncGenerator<Uint8Array> {
  let at = 0;
  while (at < data.length) {
    const n = 1 + Math.floor(rand() * 300);
    yield data.subarray(at, at + n);
    at += n;
  }
}

describe('readLines', () => {
  it('gives the same lines whatever the chunks (UTF-8 split across them, CRLF, no final newline)', async () => {
    const text = `${COWRIE.slice(0, 20_000)}\r\n日本語の行\r\nlast line without newline`;
    const want = text.split('\n').map((l) => l.replace(/\r$/, ''));
    const rand = seededRandom(7);
    for (let round = 0; round < 20; round++) {
      const got: string[] = [];
      const summary = await readLines(chunks(Buffer.from(text), rand), (ls) => { got.push(...ls); }, { maxLine: 1 << 20, tooLong: () => undefined });
      expect(got).toEqual(want);
      expect(summary).toMatchObject({ lines: want.length, bytes: Buffer.byteLength(text) });
    }
  });

  it('reports a line too long once, keeps the numbering, and goes on', async () => {
    const text = `a\n${'x'.repeat(5000)}\nb\n`;
    const got: [number, string][] = [];
    const long: number[] = [];
    const s = await readLines(chunks(Buffer.from(text), seededRandom(3)), (ls, first) => { ls.forEach((l, i) => { if (l !== '') got.push([first + i, l]); }); }, { maxLine: 1000, tooLong: (no) => long.push(no) });
    expect(long).toEqual([2]);
    expect(got).toEqual([[1, 'a'], [3, 'b']]);
    expect(s.lines).toBe(3);
  });

  it('ends a cut gzip stream with a problem, after every whole line before the cut', async () => {
    const gz = gzipSync(Buffer.from(COWRIE));
    const cut = gz.subarray(0, Math.floor(gz.length * 0.6));
    const got: string[] = [];
    const s = await readLines(gunzip(chunks(cut, seededRandom(5))), (ls) => { got.push(...ls); }, { maxLine: 1 << 20, tooLong: () => undefined });
    expect(s.problem?.message).toMatch(/unexpected end of file/);
    const whole = COWRIE.split('\n');
    expect(got.length).toBeGreaterThan(50);
    // All but the last (cut) line are the file's own lines.
    expect(got.slice(0, -1)).toEqual(whole.slice(0, got.length - 1));
  });
});
