/**
 * The shipper's exactly-once: a delivery that stored its chunk but was killed before noting it is
 * sent again with the same range and token and kept once; torn last lines and corrupt lines are
 * counted, never stored; a finished journal is removed, the live one kept.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStores, type TempStores } from '../../store/testing/temp-stores.js';
import { shipSpool, type ShipTarget } from './journal-shipper.js';
import { storesTarget } from './store-chunk.js';

let stores: TempStores;
let dir: string;
beforeAll(async () => {
  stores = await tempStores('sensor-ship');
  dir = await mkdtemp(join(tmpdir(), 'sakimori-ship-'));
});
afterAll(async () => {
  await stores?.dispose();
  await rm(dir, { recursive: true, force: true });
});

const line = (i: number): string => JSON.stringify({ ts: `2026-11-02T00:00:${String(i % 60).padStart(2, '0')}Z`, honeypot: 'sakimori', kind: 'command', session: 's1', src: '192.0.2.1', input: `cmd-${i}`, success: 1 });
const count = async (): Promise<number> => Number((await stores.events.query<{ n: string }>('SELECT toString(count()) AS n FROM honeypot_events'))[0]?.n);

describe('shipSpool', () => {
  it('re-sends a chunk whose delivery was not noted, stored once; counts torn and corrupt lines', async () => {
    const journal = join(dir, '20261102T000000Z-1-0000.jsonl');
    writeFileSync(journal, `${[0, 1, 2].map(line).join('\n')}\n`);
    const store = storesTarget(stores);
    // Killed after the store took the chunk, before the shipper noted it.
    const killed: ShipTarget = { ...store, deliver: async (c) => { await store.deliver(c); throw new Error('killed'); } };
    await expect(shipSpool(dir, killed, { live: journal })).rejects.toThrow('killed');
    expect(JSON.parse(readFileSync(`${journal}.shipped`, 'utf8'))).toEqual({ done: 0, pending: { from: 0, to: readFileSync(journal).length } });
    // More lines arrive meanwhile, a corrupt one and a torn one among them.
    appendFileSync(journal, `${line(3)}\nnot json\n{"honeypot":"cowrie","kind":"login","ts":"x","src":"1.2.3.4"}\n${line(4).slice(0, 20)}`);
    const r = await shipSpool(dir, store, { live: journal });
    expect(r).toMatchObject({ events: 4, skipped: 2, filesDone: 0 });
    expect(r.firstProblem).toMatch(/20261102T000000Z-1-0000\.jsonl bytes \d+-\d+ line 2: not JSON/);
    expect(await count()).toBe(4);
    // The sensor is gone: the torn tail is counted, the journal and its state removed.
    const done = await shipSpool(dir, store);
    expect(done).toMatchObject({ events: 0, tornBytes: 20, filesDone: 1 });
    expect(existsSync(journal) || existsSync(`${journal}.shipped`)).toBe(false);
    expect(await count()).toBe(4);
  }, 60_000);
});
