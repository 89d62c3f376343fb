import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOTS, startConsole, type ConsoleSession } from '../helpers/console-session.js';
import { configSchema } from '../../src/config/schema.js';
import { openContext } from '../../src/app/context.js';
import { loadSynthServices } from '../../src/synth/services-load.js';
import { synthServices } from '../../src/synth/services.js';

const OPTS = { count: 3000, seed: 5 };

/** The search page against the API over synthetic services whose truth the test knows. */
describe('search page', () => {
  let session: ConsoleSession;
  let page: Page;
  let base = '';
  const rows = [...synthServices(OPTS)];

  beforeAll(async () => {
    session = await startConsole('search-ui', async (data) => {
      const ctx = await openContext(configSchema.parse({ dataDir: data }));
      try {
        await loadSynthServices(ctx.events, OPTS);
      } finally {
        await ctx.close();
      }
    });
    ({ page, base } = session);
  });
  afterAll(() => session?.close());

  it('runs a query, shows the true total and facets, narrows by a facet, pages and links to hosts', async () => {
    await page.goto(new URL('search', base).href);
    await page.fill('[data-testid="query-input"]', 'service:telnet');
    await page.click('[data-testid="query-submit"]');
    await page.waitForSelector('[data-testid="hit-row"]');
    const telnet = rows.filter((r) => r.service === 'telnet');
    expect(await page.getAttribute('[data-testid="search-total"]', 'data-total')).toBe(String(telnet.length));
    expect(await page.$$eval('[data-testid="hit-row"]', (r) => r.length)).toBe(Math.min(50, telnet.length));
    // Narrow by the first country facet: the total becomes that facet's count.
    const first = page.locator('[data-testid="facet-value"][data-field="country"]').first();
    const country = (await first.getAttribute('data-value')) ?? '';
    await first.click();
    const narrowed = telnet.filter((r) => r.country === country).length;
    await page.locator(`[data-testid="search-total"][data-total="${narrowed}"]`).waitFor();
    expect(new URL(page.url()).searchParams.get('q')).toBe(`service:telnet country:${country}`);
    await page.screenshot({ path: join(SHOTS, 'search-ja.png'), fullPage: true });
    // Next page, then a host page from a hit.
    await page.goto(new URL(`search?q=${encodeURIComponent('service:telnet')}`, base).href);
    await page.click('[data-testid="page-next"]');
    await page.waitForURL((u) => u.search.includes('offset=50'));
    await page.waitForSelector('[data-testid="hit-row"]');
    const ip = (await page.locator('[data-testid="hit-row"]').first().getAttribute('data-ip')) ?? '';
    await page.locator('[data-testid="hit-row"] a').first().click();
    await page.waitForURL((u) => u.pathname === `/hosts/${encodeURIComponent(ip)}`);
  });

  it('shows where a query is wrong, in English too', async () => {
    await page.goto(new URL(`search?q=${encodeURIComponent('port:[1 TO')}`, base).href);
    await page.waitForSelector('[data-testid="query-error"]');
    expect(await page.getAttribute('[data-testid="query-error"]', 'data-position')).toBe('10');
    await page.click('[data-testid="lang-toggle"]');
    await page.waitForSelector('text=The query could not be run');
    // The header box sends anything that is not an address to the search.
    await page.fill('[data-testid="ip-search"]', 'busybox');
    await page.click('[data-testid="ip-search-submit"]');
    await page.waitForSelector('[data-testid="hit-row"]');
    expect(page.url()).toContain('/search?q=busybox');
    await page.screenshot({ path: join(SHOTS, 'search-en.png'), fullPage: true });
  });
});
