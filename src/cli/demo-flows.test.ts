/** The demo's flows are stored once: a re-run stores nothing, and neither does a resumed run. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempApp, type TempApp } from '../api/testing/temp-app.js';
import { demoFlows } from './demo-flows.js';

let t: TempApp;
beforeAll(async () => { t = await tempApp('demo-flows'); }, 120_000);
afterAll(async () => { await t.dispose(); });

const stored = async (): Promise<number> => Number((await t.ctx.events.query<{ n: number }>('SELECT count() AS n FROM flows_raw'))[0]?.n ?? 0);

describe('demo flows', () => {
  it('stores a small synthetic ISP on the demo day once', async () => {
    const first = await demoFlows(t.ctx, '2026-12-05');
    expect(first.already).toBe(false);
    const n = await stored();
    expect(n).toBe(first.records);
    expect(n).toBeGreaterThan(1000);
    const [w] = await t.ctx.events.query<{ lo: string }>("SELECT toString(toDate(min(start))) AS lo FROM flows_raw");
    expect(w?.lo).toBe('2026-12-05');

    expect(await demoFlows(t.ctx, '2026-12-05')).toEqual({ records: n, already: true });
    expect(await stored()).toBe(n);

    // A run killed before it finished: resumed with the same ingest time, every batch deduplicated.
    await t.ctx.state.query("UPDATE flow_files SET status = 'running' WHERE source_key LIKE 'demo:%'");
    expect((await demoFlows(t.ctx, '2026-12-05')).already).toBe(false);
    expect(await stored()).toBe(n);
  }, 120_000);
});
