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
const CASES = 120;

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
        // 120 cases: more than two pages of 50.
        const rows = Array.from({ length: CASES }, (_, i) => serviceRow({
          ip: `192.0.2.${i + 1}`, port: 23, transport: 'tcp', source: 'survey', service: 'telnet', weak_credential: 1, credential_list: 'starter', credential_id: `c00${i % 4}`,
          vendor: i % 2 ? 'Acme' : 'Bolt', product: i % 2 ? 'R100' : 'X9',
        }, '2026-10-01T00:00:00Z'));
        await writeServices(ctx.events, ctx.enricher, rows, { dedupToken: 'ui' });
        await buildCases(ctx, { now: new Date('2026-10-01T01:00:00Z') });
        // Notified on 10-02; four fixed 3, 5, 9 and 20 days later (as a later survey would record).
        await ctx.state.query(`UPDATE cases SET state = 'notified', notified_at = '2026-10-02T00:00:00Z'`);
        await ctx.state.query(`INSERT INTO case_events (case_id, at, from_state, to_state, reason, evidence) SELECT id, '2026-10-02T00:00:00Z', 'new', 'notified', 'test', '{"round": 1}' FROM cases`);
        // The round that told them: e-mail sent, the webhook waiting for its third try.
        const [round] = await ctx.state.query<{ id: number }>(`INSERT INTO notify_rounds (created_at, cases, recipients) VALUES ('2026-10-02T00:00:00Z', ${CASES}, 1) RETURNING id`);
        await ctx.state.query(
          `INSERT INTO deliveries (round_id, recipient, channel, target, case_ids, status, attempts, next_attempt_at, last_error, sent_at)
           SELECT $1::bigint, 'org:' || $2, 'email', 'abuse@isp.example', array_agg(id), 'sent', 1, '2026-10-02T00:00:00Z'::timestamptz, NULL, '2026-10-02T00:00:05Z'::timestamptz FROM cases
           UNION ALL
           SELECT $1::bigint, 'org:' || $2, 'webhook', 'https://isp.example/hook', array_agg(id), 'retrying', 2, '2026-10-02T00:20:00Z'::timestamptz, 'HTTP 503 from https://isp.example/hook', NULL FROM cases`,
          [round?.id, org.id],
        );
        const fixed: [string, number][] = [['192.0.2.1', 3], ['192.0.2.2', 5], ['192.0.2.3', 9], ['192.0.2.4', 20]];
        for (const [ip, d] of fixed) {
          const at = new Date(Date.parse('2026-10-02T00:00:00Z') + d * 86_400_000);
          await ctx.state.query(`UPDATE cases SET state = 'resolved', resolved_at = $2, resolution = $3 WHERE host(ip) = $1`, [ip, at, { reason: 'default credential no longer accepted', observedAt: at.toISOString() }]);
          await ctx.state.query(`INSERT INTO case_events (case_id, at, from_state, to_state, reason) SELECT id, $2, 'notified', 'resolved', 'default credential no longer accepted' FROM cases WHERE host(ip) = $1`, [ip, at]);
        }
      } finally {
        await ctx.close();
      }
    });
    ({ page, base } = session);
  });
  afterAll(() => session?.close());

  interface Listing { total: number; offset: number; cases: { id: number; ip: string; state: string }[] }
  const api = async <T>(path: string): Promise<T> => (await (await page.request.get(new URL(path, base).href)).json()) as T;
  const showing = async (): Promise<[number, number, number]> => {
    const el = page.locator('[data-testid="cases-pager"] [data-testid="showing"]');
    return [Number(await el.getAttribute('data-from')), Number(await el.getAttribute('data-to')), Number(await el.getAttribute('data-total'))];
  };
  const rowIds = (): Promise<number[]> => page.$$eval('[data-testid="case-row"]', (r) => r.map((e) => Number(e.getAttribute('data-id'))));

  it('pages through the cases on the server: "1–50 of N" is the API\'s total, pages and Back follow the address', async () => {
    const all = await api<Listing>('api/v1/cases?limit=50');
    expect(all.total).toBe(CASES);
    await page.goto(new URL('cases', base).href);
    await page.waitForSelector('[data-testid="case-row"]');
    expect(await showing()).toEqual([1, 50, all.total]);
    expect(await page.textContent('[data-testid="cases-pager"] [data-testid="showing"]')).toBe(`${all.total} 件中 1–50 件`);
    expect(await rowIds()).toEqual(all.cases.map((c) => c.id));
    expect(await page.getAttribute('[data-testid="cases-resolved"]', 'data-value')).toBe('4');
    expect(await page.textContent('body')).toContain('通知案件');
    await page.screenshot({ path: join(SHOTS, 'cases-ja.png'), fullPage: true });

    const second = await api<Listing>('api/v1/cases?limit=50&offset=50');
    await page.click('[data-testid="cases-pager"] [data-testid="page-next"]');
    await expect.poll(showing).toEqual([51, 100, CASES]);
    expect(new URL(page.url()).searchParams.get('offset')).toBe('50');
    expect(await rowIds()).toEqual(second.cases.map((c) => c.id));
    await page.click('[data-testid="cases-pager"] [data-testid="page-3"]');
    await expect.poll(showing).toEqual([101, CASES, CASES]);
    await page.goBack();
    await expect.poll(showing).toEqual([51, 100, CASES]);
    await page.goBack();
    await expect.poll(showing).toEqual([1, 50, CASES]);
  });

  it('filters by state, prefix and recipient and sorts by address, all kept in the address', async () => {
    await page.goto(new URL('cases', base).href);
    await page.waitForSelector('[data-testid="case-row"]');
    await page.selectOption('[data-testid="cases-state-filter"]', 'resolved');
    await expect.poll(showing).toEqual([1, 4, 4]);
    expect(new URL(page.url()).searchParams.get('state')).toBe('resolved');
    await page.goto(new URL('cases', base).href);
    await page.fill('[data-testid="cases-ip-filter"]', '192.0.2.64/26');
    await page.click('[data-testid="cases-ip-apply"]');
    const prefix = await api<Listing>(`api/v1/cases?ip=${encodeURIComponent('192.0.2.64/26')}&limit=50`);
    expect(prefix.total).toBe(57); // .64–.120
    await expect.poll(showing).toEqual([1, 50, prefix.total]);
    await page.selectOption('[data-testid="cases-sort"]', 'ip');
    await expect.poll(() => page.getAttribute('[data-testid="case-row"]', 'data-ip')).toBe('192.0.2.64');
    expect(new URL(page.url()).searchParams.get('ip')).toBe('192.0.2.64/26');
    await page.selectOption('[data-testid="cases-order"]', 'desc');
    await expect.poll(() => page.getAttribute('[data-testid="case-row"]', 'data-ip')).toBe('192.0.2.120');
    // A recipient links to that recipient's cases; the recipient list has the organisations and "no recipient".
    await page.click('[data-testid="case-row"] td:nth-child(5) a');
    await expect.poll(() => page.inputValue('[data-testid="cases-recipient-select"]')).toMatch(/^org:/);
    await expect.poll(showing).toEqual([1, 50, CASES]);
    await page.selectOption('[data-testid="cases-recipient-select"]', 'unassigned');
    await page.waitForSelector('[data-testid="cases-empty"]');
    expect((await api<Listing>('api/v1/cases?recipient=unassigned')).total).toBe(0);
    expect(new URL(page.url()).searchParams.get('recipient')).toBe('unassigned');
  });

  it('acknowledges only after confirming', async () => {
    await page.goto(new URL('cases?state=notified', base).href);
    await page.waitForSelector('[data-testid="case-row"]');
    const before = (await showing())[2];
    expect(before).toBe(CASES - 4);
    const first = page.locator('[data-testid="case-row"]').first();
    const id = Number(await first.getAttribute('data-id'));
    await first.locator('[data-testid="case-ack"]').click();
    await first.locator('[data-testid="case-ack-no"]').click();
    expect((await api<{ state: string }>(`api/v1/cases/${id}`)).state).toBe('notified');
    await first.locator('[data-testid="case-ack"]').click();
    expect(await first.locator('[data-testid="case-ack-confirm"]').textContent()).toContain(`#${id}`);
    await first.locator('[data-testid="case-ack-yes"]').click();
    await expect.poll(async () => (await showing())[2]).toBe(before - 1);
    expect((await api<{ state: string }>(`api/v1/cases/${id}`)).state).toBe('acknowledged');
  });

  it('opens a case: evidence, timeline, deliveries with next try and last error, resolution, its host', async () => {
    const [fixed] = (await api<Listing>(`api/v1/cases?ip=192.0.2.2`)).cases;
    await page.goto(new URL('cases?state=resolved', base).href);
    await page.click(`[data-testid="case-row"][data-id="${fixed?.id}"] [data-testid="case-link"]`);
    await page.waitForSelector('[data-testid="case-page"] [data-testid="case-state"]');
    expect(new URL(page.url()).pathname).toBe(`/cases/${fixed?.id}`);
    const detail = await api<{ state: string; events: unknown[]; deliveries: { status: string; attempts: number }[] }>(`api/v1/cases/${fixed?.id}`);
    expect(await page.getAttribute('[data-testid="case-state"]', 'data-value')).toBe(detail.state);
    expect(await page.locator('[data-testid="case-event"]').count()).toBe(detail.events.length + 1);
    expect(await page.locator('[data-testid="case-notice"]').count()).toBe(detail.deliveries.length);
    expect(await page.$$eval('[data-testid="case-delivery"]', (r) => r.map((e) => `${e.getAttribute('data-status')} ${e.getAttribute('data-attempts')}`)))
      .toEqual(detail.deliveries.map((d) => `${d.status} ${d.attempts}`));
    const deliveries = (await page.textContent('[data-testid="case-deliveries"]')) ?? '';
    expect(deliveries).toContain('HTTP 503 from https://isp.example/hook');
    expect(deliveries).toContain('2026-10-02 00:20');
    // The stored reason is English; the page names it in the reader's language.
    expect(await page.textContent('[data-testid="case-resolution"]')).toContain('初期設定の認証情報が受け付けられなくなった');
    expect(await page.locator('[data-testid="case-ack"]').count()).toBe(0); // resolved: nothing to acknowledge
    await page.screenshot({ path: join(SHOTS, 'case-ja.png'), fullPage: true });
    await page.click('[data-testid="lang-toggle"]');
    await page.waitForSelector('text=Timeline: state changes and notices');
    await page.screenshot({ path: join(SHOTS, 'case-en.png'), fullPage: true });
    await page.click('[data-testid="lang-toggle"]');
    // The case links to its host, and the host page back to its cases and whom to tell.
    await page.click('[data-testid="case-host-link"]');
    await page.waitForSelector('[data-testid="host-cases"]');
    expect(await page.getAttribute('[data-testid="host-case"]', 'data-id')).toBe(String(fixed?.id));
    expect(await page.textContent('[data-testid="host-whom-org"]')).toContain('Example ISP');
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
