import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { ServiceRow } from '../schema/service-observation.js';
import { parseText } from './testing/parse-text.js';
import { MASSCAN_RECS, masscanJson, masscanJsonLayouts, masscanNdjson, T0, type PortRec } from './testing/samples.js';
import { importStream } from './import-file.js';
import { batchRows } from './collector.js';
import { hasCommand } from '../util/testing/has-command.js';

const RECS = MASSCAN_RECS;

const view = (rows: ServiceRow[]): unknown[] => rows.map((r) => [r.ip, r.port, r.transport, r.service, r.status, r.time, r.banner, r.http_title, r.ssh_ident]);

describe('Masscan -oJ in any JSON layout', () => {
  const want = parseText('masscan', masscanJson(RECS));

  it('reads one array on one line, pretty-printed, and one object per line as masscan\'s own -oJ', () => {
    expect(want.collector.problems).toEqual([]);
    expect(want.rows).toHaveLength(3);
    const l = masscanJsonLayouts(RECS);
    // Masscan's quirks in these layouts too: a trailing comma before "]", a {"finished": 1} trailer (quoted or not).
    const quirks = { trailingComma: l.oneLine.replace(/\]\n$/, ',]\n'), finished: l.oneLine.replace(/\]\n$/, ',{"finished":1}]\n'), prettyFinished: l.pretty.replace(/\n\]\n$/, ',\n  {\n    "finished": 1\n  }\n]\n') };
    for (const [name, text] of Object.entries({ oneLine: l.oneLine, pretty: l.pretty, lines: l.lines, noFinalNewline: l.oneLine.trimEnd(), crlf: l.pretty.replace(/\n/g, '\r\n'), ...quirks })) {
      const got = parseText('masscan', text);
      expect(got.collector.problems, name).toEqual([]);
      expect(got.collector.records, name).toBe(RECS.length + (name.includes('inished') ? 1 : 0));
      expect(view(got.rows), name).toEqual(view(want.rows));
    }
  });

  it.skipIf(!hasCommand('jq'))('reads what jq itself writes', () => {
    for (const args of [['.'], ['-c', '.'], ['-c', '.[]'], ['--indent', '7', '.'], ['--tab', '.']]) {
      const text = execFileSync('jq', args, { input: masscanJson(RECS) }).toString();
      const got = parseText('masscan', text);
      expect(got.collector.problems, args.join(' ')).toEqual([]);
      expect(view(got.rows), args.join(' ')).toEqual(view(want.rows));
    }
  });

  it('reports a broken record with its line and column, and keeps the records before and after it', () => {
    const l = masscanJsonLayouts(RECS);
    // pretty: a comma lost after the timestamp of the fourth record (192.0.2.2:22).
    const lines = l.pretty.split('\n');
    const at = lines.findIndex((s, k) => s.includes('"timestamp"') && lines[k - 1]?.includes('192.0.2.2'));
    lines[at] = (lines[at] as string).replace(/,$/, '');
    const pretty = parseText('masscan', lines.join('\n'));
    expect(pretty.collector.problems).toEqual([{
      line: at - 1, message: `not JSON: line ${at + 2}, column 5: expected "," or "}", found "\\"" (the record began at line ${at - 1}, column 3)`,
    }]);
    // The port 22 status record is lost; its banner record (next) still gives the row.
    expect(view(pretty.rows)).toEqual(view(want.rows));

    // One line: a string cut by a stray control character inside the third record.
    const cut = l.oneLine.replace('Login {&} Setup', 'Login \u0001 Setup');
    const oneLine = parseText('masscan', cut);
    const column = cut.indexOf('\u0001') + 1;
    expect(oneLine.collector.problems).toEqual([{ line: 1, message: `not JSON: line 1, column ${column}: control character U+0001 inside a string (the record began at line 1, column ${l.ends.oneLine[1] as number + 2})` }]);
    expect(oneLine.rows.map((r) => [r.ip, r.port, r.http_title])).toEqual([['192.0.2.1', 80, ''], ['192.0.2.2', 22, ''], ['2001:db8::5', 161, '']]);

    // JSON lines: a record cut short, then the next line; a bad literal; a stray closing bracket.
    const nd = masscanNdjson(RECS).split('\n');
    nd[1] = (nd[1] as string).slice(0, (nd[1] as string).indexOf('"banner":"') + 20); // inside the banner
    nd[3] = (nd[3] as string).replace('"port":22', '"port":tru');
    nd.splice(5, 0, '}]');
    const broken = parseText('masscan', nd.join('\n'));
    expect(broken.collector.problems).toEqual([
      { line: 2, message: `not JSON: line 2, column ${(nd[1] as string).length + 1}: a line ends inside a string (a cut record?)` },
      { line: 4, message: `not JSON: line 4, column ${(nd[3] as string).indexOf('tru') + 1}: "tru" is not a JSON value` },
      { line: 6, message: 'not JSON: line 6, column 1: expected a JSON object ("{"), found "}"' },
    ]);
    expect(broken.rows.map((r) => `${r.ip}:${r.port}`)).toEqual(['192.0.2.1:80', '192.0.2.2:22', '2001:db8::5:161']);
  });

  it('says where the input ended inside a record', () => {
    const l = masscanJsonLayouts(RECS);
    const text = l.pretty.slice(0, (l.ends.pretty[4] as number) - 20);
    const { rows, collector } = parseText('masscan', text);
    expect(collector.problems).toHaveLength(1);
    expect(collector.problems[0]?.message).toMatch(/^not JSON: line \d+, column \d+: input ends before the record is closed \(truncated\) \(the record began at line \d+, column 3\)$/);
    expect(rows.map((r) => `${r.ip}:${r.port}`)).toEqual(['192.0.2.1:80', '192.0.2.2:22']);
  });

  it('gives the same batches and deduplication tokens however the input is chunked', async () => {
    const many: PortRec[] = Array.from({ length: 60 }, (_, k) => (k % 3 === 2
      ? { ip: `192.0.2.${k}`, port: 80, banner: { name: 'http', text: `HTTP/1.0 200 OK\r\nServer: x{${k}}\r\n` } }
      : { ip: `192.0.2.${k}`, port: 22 + k }));
    const l = masscanJsonLayouts(many);
    for (const text of [l.oneLine, l.pretty, l.lines, masscanJson(many), masscanJson(many, 'trailing')]) {
      const runs: string[][] = [];
      for (const size of [1, 7, 64, 1000, 1 << 20]) {
        const tokens: string[] = [];
        async function* chunks(): AsyncGenerator<Uint8Array> {
          const b = Buffer.from(text);
          for (let at = 0; at < b.length; at += size) yield b.subarray(at, at + size);
        }
        await importStream({ events: {} as never, enricher: {} as never, write: async (b, token) => {
          tokens.push(`${token} ${b.findings.length}`);
          return b.findings.length;
        } }, chunks(), { format: 'masscan', batchSize: 7, importId: 'chunks', now: 0 });
        runs.push(tokens);
      }
      expect(runs[0]?.length).toBeGreaterThan(5);
      for (const r of runs) expect(r).toEqual(runs[0]);
    }
  });

  it('streams a one-line array: batches leave while the input is still being read', async () => {
    const n = 30_000;
    let sent = 0;
    let writtenBeforeEnd = 0;
    let done = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('[');
      for (let k = 0; k < n; k += 1000) {
        const part = Array.from({ length: 1000 }, (_, j) => `${k + j > 0 ? ',' : ''}{"ip":"10.${(k + j) >> 16}.${((k + j) >> 8) & 255}.${(k + j) & 255}","timestamp":"${T0}","ports":[{"port":80,"proto":"tcp","status":"open","reason":"syn-ack","ttl":64}]}`).join('');
        sent += part.length;
        yield Buffer.from(part);
      }
      yield Buffer.from(']');
      done = true;
    }
    let rows = 0;
    const summary = await importStream({ events: {} as never, enricher: {} as never, write: async (b) => {
      if (!done) writtenBeforeEnd++;
      rows += batchRows(b).length;
      return b.findings.length;
    } }, source(), { format: 'masscan', batchSize: 1000, importId: 'stream', now: 0 });
    expect(summary).toMatchObject({ records: n, services: n, errors: 0, lines: 0 });
    expect(rows).toBe(n);
    expect(sent).toBeGreaterThan(3_000_000);
    expect(writtenBeforeEnd).toBeGreaterThan(20);
  });
});
