/**
 * The honeypot dashboard and the campaign pages on the demo's data (issue 18, item 6), in Japanese
 * and English: the figures on the page are the API's answer, sources and members link to their
 * host pages, the header still fits 1280 px, and a member of an organisation sees only what lies
 * in its own constituency. Needs `npm run build` and /usr/bin/chromium.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOTS, startConsole, type ConsoleSession } from '../helpers/console-session.js';
import { prepareDemoData } from '../helpers/demo-data.js';
import { configSchema } from '../../src/config/schema.js';
import { openContext } from '../../src/app/context.js';
import { createUser } from '../../src/auth/users.js';
import { ipText } from '../../src/store/events/sql-helpers.js';
import type { CampaignDetail, CampaignList, HoneypotReport } from '../../src/api/contract/index.js';

const DATE = '2026-11-19';
const PW = 'a long enough password for a member';
const MEMBER = 'hp-member';

type Lang = 'ja' | 'en';

describe('honeypot and campaign pages on the demo data', () => {
  let session: ConsoleSession;
  let page: Page;
  let memberOrg = '';
  /** The honeypot's sources inside the member's constituency. */
  const memberIps = new Set<string>();

  beforeAll(async () => {
    session = await startConsole('honeypot-ui', async (data) => {
      await prepareDemoData(data, { packets: 150_000, date: DATE });
      // A member of the demo organisation holding most of the honeypot's bots.
      const ctx = await openContext(configSchema.parse({ dataDir: data }));
      try {
        const srcs = (await ctx.events.query<{ ip: string }>(`SELECT DISTINCT ${ipText('src')} AS ip FROM honeypot_events`)).map((r) => r.ip);
        const [top] = await ctx.state.query<{ id: string }>(
          'SELECT p.org_id AS id FROM unnest($1::inet[]) AS x JOIN org_prefixes p ON x <<= p.prefix GROUP BY p.org_id ORDER BY count(DISTINCT x) DESC, p.org_id LIMIT 1',
          [srcs],
        );
        memberOrg = top?.id ?? '';
        const inside = await ctx.state.query<{ ip: string }>(
          'SELECT DISTINCT host(x) AS ip FROM unnest($1::inet[]) AS x JOIN org_prefixes p ON x <<= p.prefix WHERE p.org_id = $2',
          [srcs, memberOrg],
        );
        for (const r of inside) memberIps.add(r.ip);
        if (memberOrg) await createUser(ctx.state, { username: MEMBER, password: PW, role: 'org-member', org: memberOrg });
      } finally {
        await ctx.close();
      }
    });
    page = session.page;
  });
  afterAll(() => session?.close());

  const api = async <T>(path: string): Promise<T> => {
    const res = await page.request.get(new URL(path, session.base).href);
    if (!res.ok()) throw new Error(`GET ${path}: HTTP ${res.status()} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const attr = async (sel: string, name: string): Promise<string> => (await page.getAttribute(sel, name)) ?? '';
  const value = async (testId: string): Promise<number> => Number(await attr(`[data-testid="${testId}"]`, 'data-value'));
  const rows = (testId: string, name: string): Promise<(string | null)[]> => page.$$eval(`[data-testid="${testId}"]`, (els, a) => els.map((e) => e.getAttribute(a)), name);

  async function open(path: string, lang: Lang, ready: string): Promise<void> {
    await page.goto(new URL('/', session.base).href);
    await page.evaluate(`localStorage.setItem('sakimori.lang', '${lang}')`);
    await page.goto(new URL(path, session.base).href);
    await page.locator(ready).first().waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="loading"]').first().waitFor({ state: 'detached', timeout: 60_000 });
    expect(await page.getAttribute('html', 'lang')).toBe(lang);
  }

  /** The dashboard's figures and lists against the API's report for the same window. */
  async function dashboardMatches(r: HoneypotReport): Promise<void> {
    expect(await value('honeypot-sessions')).toBe(r.sessions);
    expect(await value('honeypot-sources')).toBe(r.sources);
    expect(await value('honeypot-logins')).toBe(r.logins.attempts);
    expect(await value('honeypot-logins-success')).toBe(r.logins.success);
    expect(await value('honeypot-logins-failed')).toBe(r.logins.failed);
    expect(await value('honeypot-commands')).toBe(r.commands);
    expect(await value('honeypot-downloads')).toBe(r.downloads);
    expect(await value('honeypot-proxy')).toBe(r.proxyRequests);
    expect(await rows('honeypot-credential', 'data-attempts')).toEqual(r.topCredentials.slice(0, 25).map((c) => String(c.attempts)));
    expect(await rows('honeypot-url', 'data-url')).toEqual(r.urls.slice(0, 25).map((u) => u.url));
    expect(await rows('honeypot-hash', 'data-sha256')).toEqual(r.hashes.slice(0, 25).map((h) => h.sha256));
    expect(await rows('honeypot-source', 'data-ip')).toEqual(r.topSources.slice(0, 25).map((s) => s.ip));
  }

  it('shows the demo day\'s honeypot figures as the API reports them, in Japanese and English', async () => {
    for (const lang of ['ja', 'en'] as const) {
      await open(`/honeypot?from=${DATE}&to=${DATE}`, lang, '[data-testid="honeypot-sessions"]');
      const next = new Date(Date.parse(`${DATE}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      const r = await api<HoneypotReport>(`/api/v1/honeypot/report?from=${DATE}&to=${next}`);
      expect(r.sessions, 'the demo stores a honeypot day').toBeGreaterThan(100);
      expect(r.proxyRequests).toBeGreaterThan(0);
      await dashboardMatches(r);
      expect(await attr('[data-testid="honeypot-window"]', 'data-from')).toBe(DATE);
      expect(await attr('[data-testid="honeypot-window"]', 'data-to')).toBe(DATE);
      // The hourly chart is drawn; the by-honeypot bars are the report's.
      expect(await page.locator('[data-testid="honeypot-chart-sessions"] path').count()).toBeGreaterThan(0);
      expect((await rows('honeypot-by-honeypot', 'data-value')).map(Number).reduce((a, b) => a + b, 0)).toBe(Object.values(r.byHoneypot).reduce((a, b) => a + b, 0));
      const text = (await page.textContent('main')) ?? '';
      expect(text).toContain(lang === 'ja' ? '試行された認証情報' : 'Credentials tried');
      await page.screenshot({ path: join(SHOTS, `honeypot-${lang}.png`), fullPage: true });
    }
    // The default window (no dates) is the API's default too.
    await open('/honeypot', 'en', '[data-testid="honeypot-sessions"]');
    const d = await api<HoneypotReport>('/api/v1/honeypot/report');
    expect(await value('honeypot-sessions')).toBe(d.sessions);
    // A source opens its host page.
    const first = await page.getAttribute('[data-testid="honeypot-source"] a', 'href');
    await page.click('[data-testid="honeypot-source"] a');
    await page.waitForURL((u) => u.pathname === first);
    await page.locator('[data-testid="host-page"], main').first().waitFor();
  });

  it('keeps the header within 1280 px with the honeypot link, in both languages', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    try {
      for (const lang of ['ja', 'en'] as const) {
        await open('/honeypot', lang, '[data-testid="honeypot-sessions"]');
        expect(await page.isVisible('[data-testid="nav-honeypot"]')).toBe(true);
        const fit = await page.evaluate<{ header: boolean; page: number }>(`(() => {
          const h = document.querySelector('header.top');
          return { header: h ? h.scrollWidth <= h.clientWidth : false, page: document.documentElement.scrollWidth };
        })()`);
        expect(fit.header, `header fits (${lang})`).toBe(true);
        expect(fit.page, `page width (${lang})`).toBeLessThanOrEqual(1280);
      }
    } finally {
      await page.setViewportSize({ width: 1300, height: 900 });
    }
  });

  it('lists the campaigns and opens one with its ties, impact and members, as the API says', async () => {
    for (const lang of ['ja', 'en'] as const) {
      await open('/campaigns', lang, '[data-testid="campaign-row"], [data-testid="campaigns-empty"]');
      const list = await api<CampaignList>('/api/v1/campaigns');
      expect(list.campaigns.length, 'the demo computes campaigns').toBeGreaterThan(0);
      expect(await rows('campaign-row', 'data-id')).toEqual(list.campaigns.map((c) => c.id));
      expect(await rows('campaign-row', 'data-members')).toEqual(list.campaigns.map((c) => String(c.members)));
      expect(await value('campaigns-addresses')).toBe(list.addresses);
      await page.screenshot({ path: join(SHOTS, `campaigns-${lang}.png`), fullPage: true });
    }
    // The campaign with the most organisations touched, else the largest.
    const list = await api<CampaignList>('/api/v1/campaigns');
    const pick = [...list.campaigns].sort((a, b) => b.impact.length - a.impact.length || b.members - a.members)[0];
    expect(pick).toBeDefined();
    await page.click(`[data-testid="campaign-row"][data-id="${pick?.id}"] [data-testid="campaign-link"]`);
    await page.locator('[data-testid="campaign-members"]').waitFor();
    const c = await api<CampaignDetail>(`/api/v1/campaigns/${encodeURIComponent(pick?.id ?? '')}`);
    expect(await value('campaign-members')).toBe(c.members);
    expect(await rows('campaign-tie', 'data-kind')).toEqual(c.ties.map((x) => x.kind));
    expect(await rows('campaign-impact-row', 'data-org')).toEqual(c.impact.map((x) => x.orgId));
    expect(await page.locator('[data-testid="campaign-case"]').count()).toBe(c.impact.filter((x) => x.caseId).length);
    expect(await rows('campaign-member', 'data-ip')).toEqual(c.sample.map((m) => m.ip));
    await page.screenshot({ path: join(SHOTS, 'campaign-en.png'), fullPage: true });
    // A member opens its host page.
    if (c.sample.length) {
      await page.click('[data-testid="campaign-member"] a');
      await page.waitForURL((u) => u.pathname.startsWith('/hosts/'));
    }
  });

  it('shows a member of an organisation only its own constituency\'s honeypot sources and impact', async () => {
    expect(memberOrg, 'a demo organisation holds honeypot bots').not.toBe('');
    const all = await api<HoneypotReport>(`/api/v1/honeypot/report?from=${DATE}`);
    const allCampaigns = await api<CampaignList>('/api/v1/campaigns');
    // Sign in as the member.
    await page.goto(new URL('/honeypot', session.base).href);
    await page.click('[data-testid="sign-out"]');
    await page.waitForSelector('[data-testid="login-page"]');
    await page.fill('[data-testid="login-username"]', MEMBER);
    await page.fill('[data-testid="login-password"]', PW);
    await page.click('[data-testid="login-submit"]');
    await page.waitForSelector(`[data-testid="signed-in-as"][data-user="${MEMBER}"]`);
    for (const lang of ['ja', 'en'] as const) {
      await open(`/honeypot?from=${DATE}&to=${DATE}`, lang, '[data-testid="honeypot-sessions"]');
      const mine = await api<HoneypotReport>(`/api/v1/honeypot/report?from=${DATE}`);
      await dashboardMatches(mine);
      for (const ip of await rows('honeypot-source', 'data-ip')) expect(memberIps.has(ip ?? ''), `${ip} is the member's own`).toBe(true);
      expect(mine.sources, 'the member sees some of its own devices').toBeGreaterThan(0);
      expect(mine.sources, 'and not everyone').toBeLessThan(all.sources);
      await page.screenshot({ path: join(SHOTS, `honeypot-member-${lang}.png`), fullPage: true });

      await open('/campaigns', lang, '[data-testid="campaign-row"], [data-testid="campaigns-empty"]');
      const list = await api<CampaignList>('/api/v1/campaigns');
      expect(await rows('campaign-row', 'data-id')).toEqual(list.campaigns.map((c) => c.id));
      for (const c of list.campaigns) for (const x of c.impact) expect(x.orgId, 'only its own organisation\'s impact').toBe(memberOrg);
    }
    const list = await api<CampaignList>('/api/v1/campaigns');
    const touched = list.campaigns.find((c) => c.impact.length > 0) ?? list.campaigns[0];
    if (touched) {
      await page.goto(new URL(`/campaigns/${encodeURIComponent(touched.id)}`, session.base).href);
      await page.locator('[data-testid="campaign-members"]').waitFor();
      const c = await api<CampaignDetail>(`/api/v1/campaigns/${encodeURIComponent(touched.id)}`);
      expect(await rows('campaign-impact-row', 'data-org')).toEqual(c.impact.map((x) => x.orgId));
      expect(c.impact.every((x) => x.orgId === memberOrg)).toBe(true);
      expect(await rows('campaign-member', 'data-ip')).toEqual(c.sample.map((m) => m.ip));
      for (const m of c.sample) expect(memberIps.has(m.ip), `${m.ip} is the member's own`).toBe(true);
      const whole = allCampaigns.campaigns.find((x) => x.id === touched.id);
      expect(c.sample.length).toBeLessThanOrEqual(whole?.members ?? 0);
    }
    // The admin's top sources include others' addresses; none of them reached the member.
    expect(all.topSources.some((s) => !memberIps.has(s.ip)), 'the demo has sources outside the member\'s constituency').toBe(true);
  });
});
