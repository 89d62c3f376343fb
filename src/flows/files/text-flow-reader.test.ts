import { describe, expect, it } from 'vitest';
import { FlowBatch } from '../flow-batch.js';
import { FlowSkipCounters } from '../flow-skips.js';
import { readTextFlows, MAX_LINE_CHARS, type LineContext, type TextFlowReadOptions } from './text-flow-reader.js';
import { isoTimeToMs, secondsToMs, wallClock, wallTimeToMs } from './local-time.js';
import { parseFlagLetters, parsePort, protocolNumber } from './text-values.js';

/** A format of one record per line: `start-seconds,octets`; `#` lines ignored. */
function simple(ctx: LineContext): { line(text: string, lineNo: number): void } {
  return {
    line(text, lineNo) {
      if (text.startsWith('#')) return ctx.ignore();
      const [s, o] = text.split(',');
      const start = secondsToMs(s ?? '');
      if (Number.isNaN(start) || o === undefined) return ctx.bad('line-malformed', lineNo, `bad: ${text.slice(0, 20)}`);
      const i = ctx.batch.begin();
      ctx.batch.startMs[i] = start;
      ctx.batch.octets[i] = Number(o);
      ctx.commit(i);
    },
  };
}

function options(o: Partial<TextFlowReadOptions> & { got?: number[] } = {}): TextFlowReadOptions {
  const got = o.got ?? [];
  return {
    name: 't', batch: new FlowBatch(4), skips: new FlowSkipCounters(), nowMs: Date.UTC(2026, 0, 1),
    onBatch: async (b) => { for (let i = 0; i < b.length; i++) got.push(b.octets[i] ?? -1); },
    ...o,
  };
}

async function* from(parts: (string | Error)[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) {
    if (p instanceof Error) throw p;
    yield Buffer.from(p);
  }
}

describe('text flow reader driver', () => {
  it('reads a last line without a line end, and lines split anywhere, even inside a UTF-8 character', async () => {
    const got: number[] = [];
    const bytes = Buffer.from('#é\n1700000000,1\n1700000001,2\n1700000002,3');
    const parts = [bytes.subarray(0, 2), bytes.subarray(2, 3), bytes.subarray(3, 20), bytes.subarray(20)].map((b) => b.toString('latin1'));
    const s = await readTextFlows((async function* () { for (const p of parts) yield Buffer.from(p, 'latin1'); })(), options({ got }), 'argus', simple);
    expect(got).toEqual([1, 2, 3]);
    expect(s).toMatchObject({ units: 4, records: 3, ignored: 1, bytes: bytes.length });
  });

  it('keeps what came before a failing stream and says where it failed', async () => {
    const got: number[] = [];
    const s = await readTextFlows(from(['1700000000,1\n1700000001,2\n17000', new Error('unexpected end of file')]), options({ got }), 'argus', simple);
    expect(got).toEqual([1, 2]);
    expect(s.truncated).toEqual({ offset: 31, record: 2, message: 'the input ended with an error: unexpected end of file' });
  });

  it('skips a line too long to hold, counted with its number, and reads on', async () => {
    const got: number[] = [];
    const skips = new FlowSkipCounters();
    const long = 'x'.repeat(MAX_LINE_CHARS / 4);
    const s = await readTextFlows(from(['1700000000,1\n', long, long, long, long, long, '\n1700000001,2\n']), options({ got, skips }), 'argus', simple);
    expect(got).toEqual([1, 2]);
    expect(skips.toRecord()).toEqual({ 'line-malformed': 1 });
    expect(s.problems).toEqual([{ line: 2, reason: 'line-malformed', message: expect.stringMatching(/longer than/) }]);
    expect(s.units).toBe(3);
  });

  it('passes errors of onBatch through and rejects on abort', async () => {
    const failing = options({ onBatch: async () => { throw new Error('store down'); } });
    await expect(readTextFlows(from(['1700000000,1\n']), failing, 'argus', simple)).rejects.toThrow('store down');
    const ac = new AbortController();
    const stream = (async function* () {
      yield Buffer.from('1700000000,1\n');
      ac.abort(new Error('stopped'));
      yield Buffer.from('1700000001,2\n');
    })();
    await expect(readTextFlows(stream, options({ signal: ac.signal }), 'argus', simple)).rejects.toThrow('stopped');
  });

  it('counts flows starting more than a day after now as flow-from-future', async () => {
    const got: number[] = [];
    const skips = new FlowSkipCounters();
    const now = Date.UTC(2026, 0, 1) / 1000;
    const s = await readTextFlows(from([`${now + 86_000},1\n${now + 86_401},2\n999999999999,3\n`]), options({ got, skips }), 'argus', simple);
    expect(got).toEqual([1]);
    expect(skips.toRecord()).toEqual({ 'flow-from-future': 2 });
    expect(s.problems.map((p) => p.message)).toEqual([expect.stringContaining('2026-01-02T00:00:01.000Z'), expect.stringContaining('33658-09-27')]);
  });
});

describe('text flow values', () => {
  it('reads wall-clock times in a zone, refusing impossible dates', () => {
    const tokyo = wallClock('Asia/Tokyo');
    expect(wallTimeToMs('2024-03-15 21:00:00.5', tokyo)).toBe(Date.UTC(2024, 2, 15, 12, 0, 0, 500));
    expect(wallTimeToMs('2024/07/01 12:00:00', wallClock('America/New_York'))).toBe(Date.UTC(2024, 6, 1, 16));
    expect(wallTimeToMs('2024/01/01 12:00:00', wallClock('America/New_York'))).toBe(Date.UTC(2024, 0, 1, 17));
    expect(wallTimeToMs('2024-02-30 00:00:00', tokyo)).toBeNaN();
    expect(wallTimeToMs('0000-00-00 00:00:00.000', tokyo)).toBeNaN();
    expect(wallTimeToMs('2024-03-15 21:00', tokyo)).toBeNaN();
    expect(wallTimeToMs('2024-03-15 21:00:00.x', tokyo)).toBeNaN();
    expect(isoTimeToMs('2024-03-15T12:00:00.123456Z')).toBe(Date.UTC(2024, 2, 15, 12, 0, 0, 123));
    expect(isoTimeToMs('2024-03-15T07:30:00-0430')).toBe(Date.UTC(2024, 2, 15, 12));
    expect(secondsToMs('1596347378.734373')).toBe(1596347378734);
    expect(secondsToMs('12')).toBe(12000);
    expect(secondsToMs('1.2.3')).toBeNaN();
    expect(() => wallClock('Nowhere/Special')).toThrow(/unknown time zone/);
  });

  it('reads ports, protocols and flags as the tools print them', () => {
    expect([parsePort('80'), parsePort('0x0050'), parsePort('https'), parsePort('HTTP'), parsePort('65536'), parsePort('nope')]).toEqual([80, 80, 443, 80, -1, -1]);
    expect([protocolNumber('TCP'), protocolNumber('ipv6-icmp'), protocolNumber('ICMP6'), protocolNumber('47'), protocolNumber('256'), protocolNumber('arp')]).toEqual([6, 58, 58, 47, -1, -1]);
    expect([parseFlagLetters('...AP.SF'), parseFlagLetters('.AP.SF'), parseFlagLetters('CE......'), parseFlagLetters('0x12'), parseFlagLetters('0x1ff'), parseFlagLetters('.AX..')]).toEqual([0x1b, 0x1b, 0xc0, 0x12, -1, -1]);
  });
});
