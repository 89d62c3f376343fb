import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOTS, startConsole, type ConsoleSession } from '../helpers/console-session.js';
import { configSchema } from '../../src/config/schema.js';
import { openContext } from '../../src/app/context.js';
import { writeServices } from '../../src/services/service-writer.js';
import { serviceRow } from '../../src/schema/service-observation.js';
import { addPrefixes, createOrg } from '../../src/orgs/org-store.js';
import { buildCases } from '../../src/cases/build-cases.js';

/** Cases and the effect page in the browser, from cases built by the real pipeline. */
describe('cases and effect pages', () => {
  let session: ConsoleSession;
  let page: Page;
  let base = '';

  beforeAll(async () => {
    session = await startConsole('cases-ui', async (data) => {
      const ctx = await openContext(configSchema.parse({ dataDir: data }));
      try {
        const org = await createOrg(ctx.state, { name: 'Example ISP', kind: 'isp', emails: ['abuse@isp.example'] });
        await addPrefixes(ctx.state, org.id, ['192.0.2.0/24']);
        const rows = Array.from({ length: 12 }, (_, i) => serviceRow({
          ip: `192.0.2.${i + 1}`, port: 23, transport: 'tcp', source: 'survey', service: 'telnet', weak_credential: 1, credential_list: 'starter', credential_id: `c00${i % 4}`,
          vendor: i % 2 ? 'Acme' : 'Bolt', product: i % 2 ? 'R100' : 'X9',
        }, '2026-10-01T00:00:00Z'));
        await writeServices(ctx.events, ctx.enricher, rows, { dedupToken: 'ui' });
        await buildCases(ctx, { now: new Date('2026-10-01T01:00:00Z') });
        // Notified on 10-02; four fixed 3, 5, 9 and 20 days later (as a later survey would record).
        await ctx.state.query(`UPDATE cases SET state = 'notified', notified_at = '2026-10-02T00:00:00Z'`);
        await ctx.state.query(`INSERT INTO case_events (case_id, at, from_state, to_state, reason, evidence) SELECT id, '2026-10-02T00:00:00Z', 'new', 'notified', 'test', '{"round": 1}' FROM cases`);
        const fixed: [string, number][] = [['192.0.2.1', 3], ['192.0.2.2', 5], ['192.0.2.3', 9], ['192.0.2.4', 20]];
        for (const [ip, d] of fixed) {
          const at = new Date(Date.parse('2026-10-02T00:00:00Z') + d * 86_400_000);
          await ctx.state.query(`UPDATE cases SET state = 'resolved', resolved_at = $2 WHERE host(ip) = $1`, [ip, at]);
          await ctx.state.query(`INSERT INTO case_events (case_id, at, from_state, to_state, reason) SELECT id, $2, 'notified', 'resolved', 'default credential no longer accepted' FROM cases WHERE host(ip) = $1`, [ip, at]);
        }
      } finally {
        await ctx.close();
      }
    });
    ({ page, base } = session);
  });
  afterAll(() => session?.close());

  it('lists cases with their states, filters them, and acknowledges one', async () => {
    await page.goto(new URL('cases', base).href);
    await page.waitForSelector('[data-testid="case-row"]');
    expect(await page.$$eval('[data-testid="case-row"]', (r) => r.length)).toBe(12);
    expect(await page.getAttribute('[data-testid="cases-resolved"]', 'data-value')).toBe('4');
    expect(await page.textContent('body')).toContain('通知案件');
    await page.selectOption('[data-testid="cases-state-filter"]', 'notified');
    await expect.poll(() => page.locator('[data-testid="case-row"]').count()).toBe(8);
    await page.locator('[data-testid="case-ack"]').first().click();
    await expect.poll(() => page.locator('[data-testid="case-row"]').count()).toBe(7);
    await page.screenshot({ path: join(SHOTS, 'cases-ja.png'), fullPage: true });
  });

  it('shows the remediation figures and Kaplan–Meier curve the API computes, in both languages', async () => {
    await page.goto(new URL('effects?by=device_model', base).href);
    await page.waitForSelector('[data-testid="effect-row"]');
    const api = (await (await page.request.get(new URL('api/v1/effects?groupBy=device_model', base).href)).json()) as { groups: { group: string; within: { rate: number | null }[] }[] };
    const rows = await page.$$eval('[data-testid="effect-row"]', (r) => r.map((e) => [e.getAttribute('data-group'), e.getAttribute('data-rate30')]));
    expect(rows).toEqual(api.groups.map((g) => [g.group, String(g.within[2]?.rate ?? '')]));
    expect(await page.$$eval('[data-testid="km-curve"]', (r) => r.length)).toBe(2);
    await page.screenshot({ path: join(SHOTS, 'effects-ja.png'), fullPage: true });
    await page.click('[data-testid="lang-toggle"]');
    await page.waitForSelector('text=Effect of the notices');
    await page.screenshot({ path: join(SHOTS, 'effects-en.png'), fullPage: true });
    const csv = await (await page.request.get(new URL('api/v1/effects.csv?groupBy=device_model', base).href)).text();
    expect(csv.split('\r\n')[0]).toMatch(/^group,notified,resolved/);
  });
});
