/** The demo's honeypot day is stored once: a re-run stores nothing, and neither does a resumed run. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempApp, type TempApp } from '../api/testing/temp-app.js';
import { demoCampaigns, demoHoneypot } from './demo-honeypot.js';

let t: TempApp;
beforeAll(async () => { t = await tempApp('demo-honeypot'); }, 120_000);
afterAll(async () => { await t.dispose(); });

const stored = async (): Promise<number> => Number((await t.ctx.events.query<{ n: number }>('SELECT count() AS n FROM honeypot_events'))[0]?.n ?? 0);

describe('demo honeypot', () => {
  it('stores a synthetic honeypot day on the demo day once', async () => {
    const first = await demoHoneypot(t.ctx, '2026-12-05');
    expect(first.already).toBe(false);
    const n = await stored();
    expect(n).toBe(first.events);
    expect(n).toBeGreaterThan(1000);
    const [w] = await t.ctx.events.query<{ lo: string; hi: string; kinds: number }>(
      'SELECT toString(toDate(min(ts))) AS lo, toString(toDate(max(ts))) AS hi, uniqExact(kind) AS kinds FROM honeypot_events',
    );
    expect(w).toEqual({ lo: '2026-12-05', hi: '2026-12-05', kinds: expect.any(Number) });
    expect(Number(w?.kinds)).toBeGreaterThanOrEqual(10);

    expect(await demoHoneypot(t.ctx, '2026-12-05')).toEqual({ events: n, bots: 0, already: true });
    expect(await stored()).toBe(n);

    // A run killed before it finished: resumed with the same ingest time and token, the block is kept once.
    await t.ctx.state.query("UPDATE honeypot_files SET status = 'running' WHERE source_key LIKE 'demo:%'");
    expect((await demoHoneypot(t.ctx, '2026-12-05')).already).toBe(false);
    expect(await stored()).toBe(n);

    // Campaigns over it (the planted URLs and hashes tie some), computed once.
    const camp = await demoCampaigns(t.ctx, true);
    expect(camp.computed).toBe(true);
    expect(camp.campaigns).toBeGreaterThanOrEqual(2);
    expect(await demoCampaigns(t.ctx, false)).toEqual({ ...camp, computed: false });
  }, 180_000);
});
