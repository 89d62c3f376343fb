import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOTS, startConsole, type ConsoleSession } from '../helpers/console-session.js';

interface Api { get<T>(path: string): Promise<T> }

/**
 * The demo tells the whole story (issue 15): `sakimori demo` itself, on a smaller day, then the
 * pages an analyst opens first — Organisations, Cases, Effects and the Outbox — are not empty and
 * show the figures the API answers, in Japanese and in English.
 */
describe('the demo in the console', () => {
  let session: ConsoleSession;
  let page: Page;
  let base = '';
  let api: Api;

  beforeAll(async () => {
    session = await startConsole('demo-ui', async () => undefined, { command: ['demo', '--packets', '400000'], startMs: 280_000 });
    ({ page, base } = session);
    api = { get: async <T>(path: string): Promise<T> => (await (await page.request.get(new URL(`api/v1/${path}`, base).href)).json()) as T };
  });
  afterAll(() => session?.close());

  it('registers organisations, and counts the findings nobody can be told about', async () => {
    const orgs = await api.get<{ name: string; constituency: { cidrs: string[] } }[]>('orgs');
    expect(orgs.length).toBeGreaterThanOrEqual(3);
    expect(orgs.every((o) => o.constituency.cidrs.length > 0)).toBe(true);
    await page.goto(new URL('orgs', base).href);
    await page.waitForSelector('[data-testid="org-row"]');
    expect((await page.$$eval('[data-testid="org-row"]', (r) => r.map((e) => e.getAttribute('data-name')))).sort()).toEqual(orgs.map((o) => o.name).sort());
    const none = await api.get<{ addresses: number }>('cases/no-recipient');
    await page.waitForSelector('[data-testid="no-recipient-summary"]');
    expect(await page.getAttribute('[data-testid="no-recipient-summary"]', 'data-addresses')).toBe(String(none.addresses));
    await page.screenshot({ path: join(SHOTS, 'demo-orgs-ja.png'), fullPage: true });
  });

  it('has cases with recipients in several states', async () => {
    const counts = await api.get<{ state: string; n: number }[]>('cases/counts');
    const by = (s: string): number => counts.filter((c) => c.state === s).reduce((t, c) => t + c.n, 0);
    for (const s of ['notified', 'acknowledged', 'resolved']) expect(by(s), s).toBeGreaterThan(0);
    const { cases, total } = await api.get<{ total: number; cases: { recipient: string }[] }>('cases?limit=1000');
    expect(total).toBeGreaterThan(0);
    expect(cases.some((c) => c.recipient === 'unassigned')).toBe(false);
    expect((await api.get<{ total: number }>('cases?recipient=unassigned&limit=1')).total).toBe(0);
    await page.goto(new URL('cases', base).href);
    await page.waitForSelector('[data-testid="case-row"]');
    expect(await page.getAttribute('[data-testid="cases-resolved"]', 'data-value')).toBe(String(by('resolved')));
    expect(await page.getAttribute('[data-testid="cases-acknowledged"]', 'data-value')).toBe(String(by('acknowledged')));
  });

  it('measures remediation with a Kaplan–Meier curve that has real steps', async () => {
    const eff = await api.get<{ groups: { group: string; resolved: number; within: { rate: number | null }[]; curve: { events: number }[] }[] }>('effects?groupBy=kind');
    const stepped = eff.groups.filter((g) => g.curve.filter((s) => s.events > 0).length >= 2);
    expect(stepped.length).toBeGreaterThan(0);
    const t0 = Date.now();
    await page.goto(new URL('effects', base).href);
    await page.waitForSelector('[data-testid="effect-row"]');
    expect(Date.now() - t0).toBeLessThan(5_000); // the page with its API call; the API alone answers well within 1 s
    const rows = await page.$$eval('[data-testid="effect-row"]', (r) => r.map((e) => [e.getAttribute('data-group'), e.getAttribute('data-rate30')]));
    expect(rows).toEqual(eff.groups.map((g) => [g.group, String(g.within[2]?.rate ?? '')]));
    expect(await page.locator('[data-testid="km-curve"]').count()).toBe(Math.min(6, eff.groups.length));
    await page.screenshot({ path: join(SHOTS, 'demo-effects-ja.png'), fullPage: true });
  });

  it('shows the outbox in demo mode, with the messages the API lists, in both languages', async () => {
    const box = await api.get<{ demo: boolean; total: number; messages: { recipient: string; subject: string }[] }>('demo/outbox?limit=200');
    expect(box.demo).toBe(true);
    expect(box.total).toBeGreaterThan(0);
    await page.goto(new URL('', base).href);
    await page.click('[data-testid="nav-outbox"]');
    await page.waitForSelector('[data-testid="outbox-row"]');
    expect(await page.getAttribute('[data-testid="outbox-total"]', 'data-value')).toBe(String(box.total));
    expect(await page.locator('[data-testid="outbox-row"]').count()).toBe(box.messages.length);
    await page.locator('[data-testid="outbox-open"]').first().click();
    expect(await page.textContent('[data-testid="outbox-text"]')).toContain('Sakimori');
    expect(await page.textContent('body')).toContain('送信済みメール');
    await page.screenshot({ path: join(SHOTS, 'demo-outbox-ja.png'), fullPage: true });
    await page.click('[data-testid="lang-toggle"]');
    await page.waitForSelector('text=Outbox (demo)');
    await page.screenshot({ path: join(SHOTS, 'demo-outbox-en.png'), fullPage: true });
    await page.click('[data-testid="lang-toggle"]');
  });
});
