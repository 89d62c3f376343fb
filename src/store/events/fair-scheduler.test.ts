import { describe, expect, it } from 'vitest';
import { FairScheduler } from './fair-scheduler.js';
import type { QueryContext } from './query-context.js';

/** A task that runs until released, recording when it started and on which lane. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((r) => { open = r; });
  return { promise, open };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('FairScheduler', () => {
  it('runs a cheap query on its own lane while heavy ones fill the heavy lane', async () => {
    const s = new FairScheduler(1, 1);
    const started: string[] = [];
    const heavy = gate();
    const a: QueryContext = { principal: 'a', cost: 'heavy' };
    const runs = Array.from({ length: 5 }, (_, i) => s.run(a, async () => { started.push(`a${i}`); await heavy.promise; }));
    await tick();
    const cheap = await s.run({ principal: 'b', cost: 'cheap' }, async (lane) => { started.push('b'); return lane; });
    expect(cheap).toBe(0);
    expect(started).toEqual(['a0', 'b']);
    expect(s.stats()).toEqual({ running: { cheap: 0, heavy: 1 }, queued: { cheap: 0, heavy: 4 } });
    heavy.open();
    await Promise.all(runs);
    expect(s.stats()).toEqual({ running: { cheap: 0, heavy: 0 }, queued: { cheap: 0, heavy: 0 } });
  });

  it('serves principals round-robin: one principal\'s queue delays another by at most one query', async () => {
    const s = new FairScheduler(1, 1);
    const order: string[] = [];
    const gates = new Map<string, ReturnType<typeof gate>>();
    const job = (p: string, i: number): Promise<void> => s.run({ principal: p, cost: 'heavy' }, async () => {
      order.push(`${p}${i}`);
      const g = gate();
      gates.set(`${p}${i}`, g);
      await g.promise;
    });
    const all = [...Array.from({ length: 4 }, (_, i) => job('a', i)), job('c', 0), job('d', 0), job('c', 1)];
    // Release whatever runs, one at a time, until everything has run.
    for (let n = 0; n < all.length; n++) {
      await tick();
      gates.get(order[n] as string)?.open();
    }
    await Promise.all(all);
    expect(order).toEqual(['a0', 'a1', 'c0', 'd0', 'a2', 'c1', 'a3']);
  });

  it('lends an idle heavy lane to cheap queries, but gives it to a waiting heavy query first', async () => {
    const s = new FairScheduler(1, 1);
    const hold = gate();
    const lanes: number[] = [];
    const cheap = (i: number): Promise<void> => s.run({ principal: 'b', cost: 'cheap' }, async (lane) => { lanes[i] = lane; await hold.promise; });
    const both = [cheap(0), cheap(1)];
    await tick();
    expect(lanes).toEqual([0, 1]);
    hold.open();
    await Promise.all(both);

    const blocker = gate();
    const order: string[] = [];
    const h1 = s.run({ principal: 'a', cost: 'heavy' }, async () => { order.push('h1'); await blocker.promise; });
    const c1 = s.run({ principal: 'b', cost: 'cheap' }, async () => { order.push('c1'); await blocker.promise; });
    const c2 = s.run({ principal: 'b', cost: 'cheap' }, async () => { order.push('c2'); });
    const h2 = s.run({ principal: 'a', cost: 'heavy' }, async () => { order.push('h2'); });
    await tick();
    expect(order).toEqual(['h1', 'c1']);
    blocker.open();
    await Promise.all([h1, c1, c2, h2]);
    // The heavy lane went to the waiting heavy query; the cheap one took the cheap lane.
    expect(order.slice(2).sort()).toEqual(['c2', 'h2']);
  });

  it('passes a failure on and frees the lane', async () => {
    const s = new FairScheduler(1, 1);
    await expect(s.run({ principal: 'a', cost: 'heavy' }, async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    await expect(s.run({ principal: 'a', cost: 'heavy' }, () => { throw new Error('sync boom'); })).rejects.toThrow('sync boom');
    expect(await s.run({ principal: 'a', cost: 'heavy' }, async () => 7)).toBe(7);
  });
});
