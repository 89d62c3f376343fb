/**
 * The shipper's state file is a convenience, the store's journal ranges the guarantee: a state
 * file that is corrupt, truncated, lost, stale or out of its journal's bounds is reported (which
 * file, what) and rebuilt from what the store holds; no event is lost and none is stored twice,
 * even when the journal is cut into different chunks the second time.
 */
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStores, type TempStores } from '../../store/testing/temp-stores.js';
import { writeHoneypotEvents } from '../store/write-events.js';
import { claimRange, storedRanges } from './journal-ranges.js';
import { parseJournalLines } from './journal-line.js';
import { shipSpool } from './journal-shipper.js';
import { chunkToken, storesTarget } from './store-chunk.js';

let stores: TempStores;
let dir: string;
beforeAll(async () => {
  stores = await tempStores('sensor-state');
  dir = await mkdtemp(join(tmpdir(), 'sakimori-state-'));
});
afterAll(async () => {
  await stores?.dispose();
  await rm(dir, { recursive: true, force: true });
});

const line = (tag: string, i: number): string => JSON.stringify({ ts: '2026-11-02T00:00:00Z', honeypot: 'sakimori', kind: 'command', session: tag, src: '192.0.2.1', input: `${tag}-${i}`, success: 1 });
const lines = (tag: string, from: number, to: number): string => Array.from({ length: to - from }, (_, k) => `${line(tag, from + k)}\n`).join('');
/** Rows of a tag, and how many distinct: equal when nothing is stored twice. */
async function counted(tag: string): Promise<{ rows: number; distinct: number }> {
  const r = await stores.events.query<{ n: string; d: string }>(
    'SELECT toString(count()) AS n, toString(uniqExact(input)) AS d FROM honeypot_events WHERE session = {s:String}', { s: tag });
  return { rows: Number(r[0]?.n), distinct: Number(r[0]?.d) };
}

describe('a shipper whose state file is corrupt, truncated or lost', () => {
  it('reports it, rebuilds it from the store and ships the rest exactly once', async () => {
    const tag = 'a';
    const journal = join(dir, '20261102T000000Z-1-00aa00aa-0000.jsonl');
    const state = `${journal}.shipped`;
    const target = storesTarget(stores);
    const ship = (max: number, live = true) => shipSpool(dir, target, { maxChunkBytes: max, ...(live ? { live: journal } : {}) });

    writeFileSync(journal, lines(tag, 0, 30));
    expect(await ship(1000)).toMatchObject({ events: 30, stateProblems: [] });
    // Delivered in order, the store keeps one committed range for the whole journal.
    expect(await storedRanges(stores.state, '20261102T000000Z-1-00aa00aa-0000.jsonl')).toEqual([{ from: 0, to: readFileSync(journal).length, committed: true }]);

    // Corrupt (cut mid-write), empty, lost: each reported with the file, rebuilt, the rest shipped once.
    const cases: [string, () => void, RegExp][] = [
      ['truncated', () => writeFileSync(state, '{"done":12'), /not JSON \(corrupt or truncated, 10 bytes\)/],
      ['empty', () => writeFileSync(state, ''), /empty \(truncated\)/],
      ['lost', () => rmSync(state), /missing \(lost\?\)/],
      ['garbage', () => writeFileSync(state, '\u0000\u0001\u0002'), /not JSON/],
      ['not at a line end', () => writeFileSync(state, '{"done":5}'), /byte 5 is not the end of a journal line/],
      ['past the end', () => writeFileSync(state, '{"done":99999999}'), /says 99999999 bytes were delivered or pending, but the journal has \d+/],
      ['bad pending', () => writeFileSync(state, '{"done":0,"pending":{"from":0,"to":-4}}'), /"pending" is not a range from "done"/],
    ];
    let n = 30;
    for (const [what, damage, message] of cases) {
      appendFileSync(journal, lines(tag, n, n + 10));
      n += 10;
      damage();
      const r = await ship(700);
      expect(r.stateProblems, what).toHaveLength(1);
      expect(r.stateProblems[0], what).toContain(`${state}: `);
      expect(r.stateProblems[0], what).toMatch(message);
      expect(r.stateProblems[0], what).toMatch(/rebuilt from the store \(the store holds bytes 0-\d+\), only the rest is sent/);
      expect(r.events, what).toBe(10);
      expect(await counted(tag), what).toEqual({ rows: n, distinct: n });
    }

    // Stale (a valid state from earlier, say restored from a backup) and cut differently: the
    // chunks the store holds whole are passed over, the one overlapping its end makes the shipper realign.
    appendFileSync(journal, lines(tag, n, n + 10));
    n += 10;
    writeFileSync(state, '{"done":0}');
    const stale = await ship(3000);
    expect(stale.stateProblems[0]).toMatch(/overlap what the store holds \(a stale state file\); rebuilt from the store/);
    expect(await counted(tag)).toEqual({ rows: n, distinct: n });

    // A delivery killed after its insert, before the store marked it: the range is begun; with the
    // state lost, the rebuilt shipper sends that range again exactly, and ClickHouse keeps it once.
    const from = readFileSync(journal).length;
    appendFileSync(journal, lines(tag, n, n + 10));
    n += 10;
    const to = readFileSync(journal).length;
    const name = '20261102T000000Z-1-00aa00aa-0000.jsonl';
    const events = parseJournalLines(readFileSync(journal).subarray(from, to).toString('utf8'), 'test').rows;
    const claim = await claimRange(stores.state, { journal: name, from, to, events: events.length }, Date.now());
    expect(claim.held).toBe(false);
    if (!claim.held) await writeHoneypotEvents(stores.events, events, { token: chunkToken({ journal: name, from, to }), storedAtMs: claim.storedAtMs });
    expect(await storedRanges(stores.state, name)).toEqual([{ from: 0, to: from, committed: true }, { from, to, committed: false }]);
    rmSync(state);
    const begun = await ship(700);
    expect(begun.stateProblems[0]).toMatch(/missing \(lost\?\); rebuilt from the store \(the store holds bytes 0-\d+, \d+-\d+ \(begun\)\)/);
    expect(await counted(tag)).toEqual({ rows: n, distinct: n });
    expect(await storedRanges(stores.state, name)).toEqual([{ from: 0, to, committed: true }]);

    // The sensor is gone: the journal is finished, nothing more stored, its files removed.
    expect(await ship(700, false)).toMatchObject({ events: 0, filesDone: 1, stateProblems: [] });
    expect(await counted(tag)).toEqual({ rows: n, distinct: n });
  }, 120_000);

  it('keeps a run of corrupt lines (never stored) a gap, and passes over it when rebuilt', async () => {
    const tag = 'b';
    const name = '20261102T000000Z-2-00bb00bb-0000.jsonl';
    const journal = join(dir, name);
    const target = storesTarget(stores);
    writeFileSync(journal, lines(tag, 0, 5));
    expect(await shipSpool(dir, target, { live: journal })).toMatchObject({ events: 5 });
    const first = readFileSync(journal).length;
    appendFileSync(journal, 'not json at all\n{"broken":\n');
    expect(await shipSpool(dir, target, { live: journal })).toMatchObject({ events: 0, skipped: 2 });
    const gapEnd = readFileSync(journal).length;
    appendFileSync(journal, lines(tag, 5, 10));
    expect(await shipSpool(dir, target, { live: journal })).toMatchObject({ events: 5 });
    expect(await storedRanges(stores.state, name)).toEqual([{ from: 0, to: first, committed: true }, { from: gapEnd, to: readFileSync(journal).length, committed: true }]);
    writeFileSync(`${journal}.shipped`, '{"done":');
    const r = await shipSpool(dir, target, { live: journal });
    expect(r).toMatchObject({ events: 0, skipped: 2 });
    expect(r.stateProblems).toHaveLength(1);
    expect(await counted(tag)).toEqual({ rows: 10, distinct: 10 });
  }, 120_000);
});
