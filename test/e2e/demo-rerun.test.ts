/**
 * `sakimori demo` twice on one data directory (issue 15): the second run repeats nothing — no
 * organisation, contact, case or outbox message more — and both print their stages as lines
 * (stdout is a pipe here, not a terminal).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCli } from '../helpers/cli.js';
import { stopServer } from '../helpers/serve.js';
import { openStores } from '../../src/store/open-stores.js';

/** Runs the demo until it serves, then stops it; its output. */
async function demoOnce(data: string): Promise<string> {
  const child = startCli(['demo', '--data', data, '--packets', '200000', '--port', '0', '--host', '127.0.0.1']);
  let out = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the demo did not serve within 240 s: ${out}`)), 240_000);
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (/auth\/link\?token=/.test(out)) { clearTimeout(timer); resolve(); }
      });
      child.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
      child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`the demo exited with ${code}: ${out}`)); });
    });
  } finally {
    await stopServer(child);
  }
  return out;
}

describe('the demo, run twice', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sakimori-demo-rerun-'));
  const data = join(dir, 'data');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const counts = async (): Promise<Record<string, number>> => {
    const stores = await openStores({ dataDir: data });
    try {
      const [c] = await stores.state.query<Record<string, number>>(
        `SELECT (SELECT count(*)::int FROM organisations) AS organisations, (SELECT count(*)::int FROM abuse_contacts) AS contacts,
                (SELECT count(*)::int FROM cases) AS cases, (SELECT count(*)::int FROM case_events) AS events,
                (SELECT count(*)::int FROM demo_outbox) AS messages, (SELECT count(*)::int FROM notify_rounds) AS rounds`,
      );
      const [f] = await stores.events.query<{ flows: number }>('SELECT count() AS flows FROM flows_raw');
      const [h] = await stores.events.query<{ honeypot: number }>('SELECT count() AS honeypot FROM honeypot_events');
      const [k] = await stores.state.query<{ campaigns: number; runs: number }>('SELECT (SELECT count(*)::int FROM campaigns) AS campaigns, (SELECT count(*)::int FROM campaign_runs) AS runs');
      return { ...c, flows: Number(f?.flows ?? 0), honeypot: Number(h?.honeypot ?? 0), campaigns: k?.campaigns ?? 0, campaignRuns: k?.runs ?? 0 };
    } finally {
      await stores.close();
    }
  };

  it('tells the story once, with progress, and repeats none of it', async () => {
    const first = await demoOnce(data);
    for (const stage of ['synthesis:', 'ingest:', 'reports:', 'survey:', 'cases:']) expect(first).toContain(stage);
    expect(first).toMatch(/week 5 of 5/);
    expect(first).not.toContain('\r');
    const after1 = await counts();
    expect(after1['organisations']).toBeGreaterThanOrEqual(3);
    expect(after1['messages']).toBeGreaterThan(0);
    expect(after1['rounds']).toBeGreaterThanOrEqual(2);
    expect(after1['flows']).toBeGreaterThan(0);
    expect(after1['honeypot']).toBeGreaterThan(0);
    expect(after1['campaigns']).toBeGreaterThan(0);
    const second = await demoOnce(data);
    expect(second).toContain('demo data already ingested');
    expect(second).toMatch(/already told: /);
    expect(second).toMatch(/flows already stored/);
    expect(second).toMatch(/honeypot events already stored/);
    expect(second).toMatch(/already computed: \d+ campaigns/);
    expect(await counts()).toEqual(after1);
  }, 600_000);
});
