/**
 * Every page of the console on the demo's data, in Japanese and in English (issue 15, item 14):
 * in Japanese no visible text may be a value of the English catalogue (web/src/i18n/en.ts) that
 * Japanese says differently; in English no message key or unfilled placeholder may show. Each
 * page's main figure is checked against the API, and each page is photographed in both
 * languages (test/screenshots/page-<name>-<lang>.png).
 *
 * A new page is one line in PAGES: its path, the element that says it has loaded, and a check.
 * Needs `npm run build` and /usr/bin/chromium.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOTS, startConsole, type ConsoleSession } from '../helpers/console-session.js';
import { prepareDemoData } from '../helpers/demo-data.js';
import { en } from '../../web/src/i18n/en.js';
import { ja } from '../../web/src/i18n/ja.js';

const DATE = '2026-11-19';

type Lang = 'ja' | 'en';
type Api = <T>(path: string) => Promise<T>;
interface Fixtures { hostIp: string; caseId: number; shareObject: string; scannerIp: string; flowServer: string; orgName: string; campaignId?: string }
interface PageVisit {
  name: string;
  path: (f: Fixtures) => string;
  /** Shown once the page has its data (not while it loads). */
  ready: string;
  /** The page's main figure against the API. */
  check?: (page: Page, api: Api, lang: Lang) => Promise<void>;
  signedOut?: boolean;
}

const attr = async (page: Page, sel: string, name: string): Promise<string> => (await page.getAttribute(sel, name)) ?? '';
const count = (page: Page, sel: string): Promise<number> => page.locator(sel).count();

/**
 * The profile parts of a host page (issue 18): the verdict badge and its evidence, the honeypot
 * panel (the demo may have no honeypot event for the host: then it says so) and the timeline.
 */
async function checkProfile(page: Page, api: Api, ip: string): Promise<void> {
  const h = await api<{ verdict: { verdict: string; evidence: unknown[] }; honeypot: { sessions: number } | null; timeline: unknown[] }>(`/api/v1/hosts/${ip}`);
  expect(await attr(page, '[data-testid="host-verdict"]', 'data-value')).toBe(h.verdict.verdict);
  expect(await count(page, '[data-testid="host-evidence"]')).toBe(h.verdict.evidence.length);
  if (h.honeypot) expect(Number(await attr(page, '[data-testid="host-honeypot-sessions"]', 'data-value'))).toBe(h.honeypot.sessions);
  else expect(await count(page, '[data-testid="host-no-honeypot"]')).toBe(1);
  expect(await count(page, '[data-testid="host-timeline-panel"]')).toBe(1);
  expect(await count(page, '[data-testid="host-timeline-entry"]')).toBe(Math.min(200, h.timeline.length));
}

const PAGES: PageVisit[] = [
  { name: 'dashboard', path: () => '/', ready: '[data-testid="total-packets"]', check: async (page, api) => {
    const [from, to] = [await attr(page, '[data-testid="dashboard"]', 'data-from'), await attr(page, '[data-testid="dashboard"]', 'data-to')];
    const r = await api<{ packets: number }>(`/api/v1/darknet/report?from=${from}&to=${to}`);
    expect(Number(await attr(page, '[data-testid="total-packets"]', 'data-value'))).toBe(r.packets);
    expect(r.packets).toBeGreaterThan(0);
  } },
  { name: 'host', path: (f) => `/hosts/${f.hostIp}`, ready: '[data-testid="host-open-ports"]', check: async (page, api) => {
    const ip = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    const h = await api<{ exposure: { openPorts: number } | null; indicators: { id: string }[] }>(`/api/v1/hosts/${ip}`);
    expect(Number(await attr(page, '[data-testid="host-open-ports"]', 'data-value'))).toBe(h.exposure?.openPorts);
    // The shared indicators naming the host: exactly those the policy released to this viewer.
    await page.waitForSelector('[data-testid="host-indicators-panel"]');
    expect(await count(page, '[data-testid="host-indicator"]')).toBe(h.indicators.length);
    expect(await count(page, '[data-testid="host-no-indicators"]')).toBe(h.indicators.length === 0 ? 1 : 0);
    await checkProfile(page, api, ip);
  } },
  { name: 'host-scanner', path: (f) => `/hosts/${f.scannerIp}`, ready: '[data-testid="host-indicators-panel"]', check: async (page, api) => {
    const ip = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    const h = await api<{ indicators: { id: string }[] }>(`/api/v1/hosts/${ip}`);
    expect(h.indicators.length, 'the demo scanner is named by its published indicator').toBeGreaterThan(0);
    expect(await count(page, '[data-testid="host-indicator"]')).toBe(h.indicators.length);
    await checkProfile(page, api, ip);
  } },
  { name: 'search', path: () => '/search?q=*', ready: '[data-testid="hit-row"]', check: async (page, api) => {
    const r = await api<{ total: number; hits: unknown[] }>('/api/v1/search?q=*&limit=50');
    expect(Number(await attr(page, '[data-testid="search-total"]', 'data-total'))).toBe(r.total);
    expect(await count(page, '[data-testid="hit-row"]')).toBe(r.hits.length);
    expect(await attr(page, '[data-testid="showing"]', 'data-to')).toBe(String(Math.min(50, r.total)));
  } },
  { name: 'search-sorted', path: () => '/search?q=*&sort=last_seen&offset=50', ready: '[data-testid="hit-row"]', check: async (page, api) => {
    const r = await api<{ hits: { ip: string; port: number }[] }>('/api/v1/search?q=*&limit=50&offset=50&sort=last_seen');
    const shown = await page.$$eval('[data-testid="hit-row"]', (rows) => rows.map((e) => `${e.getAttribute('data-ip')}/${e.getAttribute('data-port')}`));
    expect(shown).toEqual(r.hits.map((h) => `${h.ip}/${h.port}`));
    expect(await page.textContent('[data-testid="page-current"]')).toBe('2');
  } },
  { name: 'search-error', path: () => `/search?q=${encodeURIComponent('port:abc')}`, ready: '[data-testid="query-error"]', check: async (page, _api, lang) => {
    expect(await attr(page, '[data-testid="query-error"]', 'data-position')).toBe('5');
    const text = (await page.textContent('[data-testid="query-error"]')) ?? '';
    expect(text).toContain(lang === 'ja' ? '検索クエリを解釈できません：port には 0 から 65535 までの整数を指定してください' : 'port takes a whole number from 0 to 65535');
  } },
  { name: 'fields', path: () => '/search/fields', ready: '[data-testid="field-row"]', check: async (page, api, lang) => {
    const fields = await api<{ name: string; doc: string; docJa: string }[]>('/api/v1/search/fields');
    expect(await count(page, '[data-testid="field-row"]')).toBe(fields.length);
    const port = fields.find((f) => f.name === 'port');
    expect(await page.textContent('[data-testid="field-row"][data-name="port"] [data-testid="field-doc"]')).toBe(lang === 'ja' ? port?.docJa : port?.doc);
  } },
  { name: 'cases', path: () => '/cases', ready: '[data-testid="cases-new"]', check: async (page, api) => {
    const counts = await api<{ state: string; n: number }[]>('/api/v1/cases/counts');
    const fresh = counts.filter((c) => c.state === 'new').reduce((a, c) => a + c.n, 0);
    expect(Number(await attr(page, '[data-testid="cases-new"]', 'data-value'))).toBe(fresh);
  } },
  { name: 'case', path: (f) => `/cases/${f.caseId}`, ready: '[data-testid="case-state"]', check: async (page, api, lang) => {
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    const c = await api<{ state: string; deliveries: unknown[] }>(`/api/v1/cases/${id}`);
    expect(await attr(page, '[data-testid="case-state"]', 'data-value')).toBe(c.state);
    expect(await count(page, '[data-testid="case-delivery"]')).toBe(c.deliveries.length);
    // The history's reasons and the evidence's field names are stored in English: the page names them.
    if (lang === 'ja') {
      const history = `${await page.textContent('[data-testid="case-timeline"]')} ${await page.textContent('[data-testid="case-evidence"]')}`;
      for (const english of ['notified by', 'credentialId', 'recipientVia', 'transport']) expect(history).not.toContain(english);
    }
  } },
  { name: 'monitors', path: () => '/monitors', ready: '[data-testid="monitor-row"], [data-testid="monitors-empty"]', check: async (page, api) => {
    expect(await count(page, '[data-testid="monitor-row"]')).toBe((await api<unknown[]>('/api/v1/monitors')).length);
  } },
  { name: 'outbox', path: () => '/outbox', ready: '[data-testid="outbox-row"], [data-testid="outbox-empty"]', check: async (page, api) => {
    const box = await api<{ total: number; messages: unknown[] }>('/api/v1/demo/outbox?limit=200');
    expect(box.total, 'the demo sent notices to its mail sink').toBeGreaterThan(0);
    expect(await count(page, '[data-testid="outbox-row"]')).toBe(box.messages.length);
  } },
  { name: 'effects', path: () => '/effects', ready: '[data-testid="effects-page"] .panel, [data-testid="effects-page"] .message' },
  { name: 'orgs', path: () => '/orgs', ready: '[data-testid="org-row"], [data-testid="orgs-panel"] p.muted', check: async (page, api) => {
    expect(await count(page, '[data-testid="org-row"]')).toBe((await api<unknown[]>('/api/v1/orgs')).length);
  } },
  { name: 'surveys', path: () => '/surveys', ready: '[data-testid="scopes-panel"] table, [data-testid="scopes-panel"] p.muted', check: async (page, api) => {
    expect(await count(page, '[data-testid="scope-row"]')).toBe((await api<unknown[]>('/api/v1/scopes')).length);
  } },
  { name: 'share', path: () => '/share?c=scanners', ready: '[data-testid="share-object"]', check: async (page, api) => {
    const r = await api<{ objects: { id: string; type: string; tlp: string | null }[] }>('/api/v1/share/objects?collection=scanners&limit=50');
    expect(r.objects.filter((o) => o.type === 'indicator').length, 'the demo published indicators').toBeGreaterThan(0);
    expect(await page.$$eval('[data-testid="share-object"]', (rows) => rows.map((e) => e.getAttribute('data-id')))).toEqual(r.objects.map((o) => o.id));
    expect(await count(page, '[data-testid="share-object"] [data-tlp="green"]')).toBe(r.objects.filter((o) => o.tlp === 'green').length);
  } },
  { name: 'share-object', path: (f) => `/share/objects/${f.shareObject}?c=scanners`, ready: '[data-testid="share-object-json"]', check: async (page, api) => {
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    const o = await api<{ versions: unknown[]; object: { type: string } }>(`/api/v1/share/objects/${id}?collection=scanners`);
    expect(Number(await page.textContent('[data-testid="share-object-versions"]'))).toBe(o.versions.length);
    expect(await page.textContent('[data-testid="share-object-type"]')).toBe(o.object.type);
  } },
  { name: 'share-egress', path: () => '/share/egress', ready: '[data-testid="egress-row"], [data-testid="egress-empty"]', check: async (page, api) => {
    const r = await api<{ entries: unknown[] }>('/api/v1/share/egress?limit=100');
    expect(await count(page, '[data-testid="egress-row"]')).toBe(r.entries.length);
  } },
  { name: 'share-feeds', path: () => '/share/feeds', ready: '[data-testid="feed-row"], [data-testid="feeds-empty"]', check: async (page, api) => {
    expect(await count(page, '[data-testid="feed-row"]')).toBe((await api<{ feeds: unknown[] }>('/api/v1/share/feeds')).feeds.length);
  } },
  { name: 'share-publish', path: () => '/share/publish', ready: '[data-testid="publish-dry-run"]', check: async (page) => {
    // The dry run over the demo's day: what would go out, what is held back, who would receive it.
    await page.fill('[data-testid="publish-from"] input, input[data-testid="publish-from"]', DATE);
    await page.click('[data-testid="publish-dry-run"]');
    await page.locator('[data-testid="publish-plan"]').waitFor({ timeout: 60_000 });
    expect(Number(await attr(page, '[data-testid="publish-sources"]', 'data-value'))).toBeGreaterThan(0);
    // Nothing is stored by a dry run: the collection still holds what the demo published.
    expect(await count(page, '[data-testid="publish-recipients"]')).toBe(1);
    expect(await count(page, '[data-testid="publish-done"]')).toBe(0);
  } },
  { name: 'share-reports', path: () => '/share/reports', ready: '[data-testid="report-row"], [data-testid="reports-empty"]', check: async (page, api) => {
    expect(await count(page, '[data-testid="report-row"]')).toBe((await api<{ reports: unknown[] }>('/api/v1/share/reports')).reports.length);
  } },
  { name: 'flows', path: () => '/flows', ready: '[data-testid="flows-exporter"], [data-testid="flows-no-exporters"]', check: async (page, api) => {
    const r = await api<{ records: number; scaledOctets: number; exporters: { address: string }[] }>('/api/v1/flows/report');
    expect(r.records, 'the demo stores a synthetic ISP\'s flows').toBeGreaterThan(0);
    expect(Number(await attr(page, '[data-testid="flows-records"]', 'data-value'))).toBe(r.records);
    expect(Number(await attr(page, '[data-testid="flows-scaled-octets"]', 'data-value'))).toBe(r.scaledOctets);
    expect(await page.$$eval('[data-testid="flows-exporter"]', (rows) => rows.map((e) => e.getAttribute('data-address')))).toEqual(r.exporters.map((e) => e.address));
  } },
  { name: 'flows-candidates', path: () => '/flows/candidates', ready: '[data-testid="flows-candidate"], [data-testid="flows-no-candidates"]', check: async (page, api) => {
    const list = await api<{ server: string; parts: Record<string, number>; evidence?: unknown[] }[]>('/api/v1/flows/candidates?limit=50');
    expect(list.length, 'the demo\'s botnets give candidates').toBeGreaterThan(0);
    expect(await page.$$eval('[data-testid="flows-candidate"]', (rows) => rows.map((e) => e.getAttribute('data-server')))).toEqual(list.map((c) => c.server));
    expect(await count(page, '[data-testid="flows-candidate"]:first-child [data-testid="flows-candidate-part"]')).toBe(Object.keys(list[0]?.parts ?? {}).length);
    expect(await count(page, '[data-testid="flows-evidence-row"]')).toBe(list.reduce((n, c) => n + (c.evidence?.length ?? 0), 0));
  } },
  { name: 'flows-server', path: (f) => f.flowServer, ready: '[data-testid="flows-server-parts"]', check: async (page, api) => {
    const u = new URL(page.url());
    const v = await api<{ intervals: { count: number }[]; hours: unknown[]; candidate: { score: number; parts: Record<string, number> } | null }>(`/api/v1${u.pathname}${u.search}`);
    expect(v.hours.length, 'the server has hourly figures').toBeGreaterThan(0);
    expect(Number(await attr(page, '[data-testid="flows-interval-total"]', 'data-value'))).toBe(v.intervals.reduce((n, b) => n + b.count, 0));
    expect(Number(await attr(page, '[data-testid="flows-server-score"]', 'data-value'))).toBe(v.candidate?.score);
    expect(await count(page, '[data-testid="flows-server-part"]')).toBe(Object.keys(v.candidate?.parts ?? {}).length);
  } },
  { name: 'flows-corroboration', path: (f) => `/flows/corroboration?org=${encodeURIComponent(f.orgName)}`, ready: '[data-testid="flows-answer"], [data-testid="flows-no-answers"]', check: async (page, api) => {
    const u = new URL(page.url());
    const r = await api<{ answers: unknown[] }>(`/api/v1/flows/corroboration?org=${encodeURIComponent(u.searchParams.get('org') ?? '')}`);
    expect(await count(page, '[data-testid="flows-answer"]')).toBe(r.answers.length);
  } },
  { name: 'honeypot', path: () => '/honeypot', ready: '[data-testid="honeypot-sessions"]', check: async (page, api) => {
    const r = await api<{ sessions: number; logins: { attempts: number }; topCredentials: unknown[] }>('/api/v1/honeypot/report');
    expect(r.sessions, 'the demo stores a honeypot day').toBeGreaterThan(0);
    expect(Number(await attr(page, '[data-testid="honeypot-sessions"]', 'data-value'))).toBe(r.sessions);
    expect(Number(await attr(page, '[data-testid="honeypot-logins"]', 'data-value'))).toBe(r.logins.attempts);
    expect(await count(page, '[data-testid="honeypot-credential"]')).toBe(Math.min(25, r.topCredentials.length));
  } },
  { name: 'campaigns', path: () => '/campaigns', ready: '[data-testid="campaign-row"], [data-testid="campaigns-empty"]', check: async (page, api) => {
    const r = await api<{ campaigns: { id: string }[] }>('/api/v1/campaigns');
    expect(r.campaigns.length, 'the demo computes campaigns').toBeGreaterThan(0);
    expect(await page.$$eval('[data-testid="campaign-row"]', (rows) => rows.map((e) => e.getAttribute('data-id')))).toEqual(r.campaigns.map((c) => c.id));
  } },
  { name: 'campaign', path: (f) => `/campaigns/${encodeURIComponent(f.campaignId ?? '')}`, ready: '[data-testid="campaign-members"]', check: async (page, api) => {
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    const c = await api<{ members: number; sample: unknown[]; impact: unknown[] }>(`/api/v1/campaigns/${encodeURIComponent(id)}`);
    expect(Number(await attr(page, '[data-testid="campaign-members"]', 'data-value'))).toBe(c.members);
    expect(await count(page, '[data-testid="campaign-member"]')).toBe(c.sample.length);
    expect(await count(page, '[data-testid="campaign-impact-row"]')).toBe(c.impact.length);
  } },
  { name: 'login', path: () => '/', ready: '[data-testid="login-page"]', signedOut: true },
];

/** English catalogue values that rightly appear in Japanese pages, each with its reason. */
const ALLOWED_IN_JA = new Set<string>([
  // en.switchTo: a language's own name, offered as such in both languages (an organisation's language).
  '日本語',
]);

/** Pattern of a catalogue value, its placeholders matching anything. */
function pattern(value: string): RegExp {
  const parts = value.split(/\{[a-zA-Z]+\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.+')}$`, 's');
}

/** English values that Japanese says otherwise, with their keys. */
const ENGLISH_ONLY = (Object.keys(en) as (keyof typeof en)[])
  .filter((k) => en[k] !== ja[k] && !ALLOWED_IN_JA.has(en[k]))
  .map((k) => ({ key: k, value: en[k] as string, re: pattern(en[k]) }));

/**
 * Identifiers the API sends that the console names through a label table (labels.tsx valueLabel:
 * `<prefix>_<id>`): shown as they are, in Japanese, they are English leftovers too ('done',
 * 'platform-admin', 'survey').
 */
const LABELLED = /^(role|orgKind|runStatus|status|source|finding|kind|state|tag|deviceType)_(.+)$/;
const RAW_IDS = new Map((Object.keys(en) as (keyof typeof en)[]).flatMap((k) => {
  const id = LABELLED.exec(k)?.[2];
  if (!id || ja[k] === id) return [];
  return [[id, k], [id.replace(/_/g, '-'), k]] as [string, string][];
}));

/** The text a reader sees: visible text nodes, options of selects, placeholders, titles and labels. */
function visibleTexts(page: Page): Promise<string[]> {
  // Run in the page (a string: this project's test types have no DOM).
  return page.evaluate<string[]>(`(() => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      const text = (n.textContent || '').replace(/\\s+/g, ' ').trim();
      if (!text || !el || el.closest('script, style')) continue;
      if (el.closest('option') || el.getClientRects().length > 0) out.push(text);
    }
    for (const el of document.querySelectorAll('[placeholder], [title], [aria-label]')) {
      for (const a of ['placeholder', 'title', 'aria-label']) {
        const v = el.getAttribute(a);
        if (v) out.push(v.trim());
      }
    }
    return out;
  })()`);
}

describe('every page in Japanese and English on the demo data', () => {
  let session: ConsoleSession;
  let fixtures: Fixtures;

  beforeAll(async () => {
    session = await startConsole('every-page', (data) => prepareDemoData(data, { packets: 150_000, date: DATE }));
    const hits = await api<{ hits: { ip: string; weakCredential: boolean }[] }>('/api/v1/search?q=weak_credential:true&limit=1');
    const firstCase = await api<{ cases: { id: number }[] }>('/api/v1/cases?limit=1&state=notified');
    const shared = await api<{ objects: { id: string; label: string }[] }>('/api/v1/share/objects?collection=scanners&type=indicator&limit=1');
    // An indicator's name ends with the scanner's address ("Mirai scanner 198.51.100.7").
    const scannerIp = shared.objects[0]?.label.split(' ').pop() ?? '';
    const [top] = await api<{ server: string; port: number; proto: number }[]>('/api/v1/flows/candidates?limit=1');
    const flowServer = top ? `/flows/servers/${top.server}?port=${top.port}&proto=${top.proto}` : '';
    const [org] = await api<{ name: string }[]>('/api/v1/orgs');
    fixtures = { hostIp: hits.hits[0]?.ip ?? '', caseId: firstCase.cases[0]?.id ?? 0, shareObject: shared.objects[0]?.id ?? '', scannerIp, flowServer, orgName: org?.name ?? '' };
    fixtures.campaignId = (await api<{ campaigns: { id: string }[] }>('/api/v1/campaigns')).campaigns[0]?.id ?? '';
    expect(flowServer, 'the demo\'s flows give a C&C candidate').not.toBe('');
    expect(scannerIp, 'the demo publishes its scanners as indicators').toMatch(/^[0-9a-f.:]+$/);
    expect(fixtures.caseId, 'the demo has a notified case').toBeGreaterThan(0);
    expect(fixtures.hostIp, 'the demo has a host with a default credential').not.toBe('');
  });
  afterAll(() => session?.close());

  const api: Api = async <T>(path: string): Promise<T> => {
    const res = await session.page.request.get(new URL(path, session.base).href);
    if (!res.ok()) throw new Error(`GET ${path}: HTTP ${res.status()} ${await res.text()}`);
    return (await res.json()) as T;
  };

  /** A page of the signed-in session, or of a fresh signed-out one, in a language. */
  async function open(v: PageVisit, lang: Lang): Promise<{ page: Page; done: () => Promise<void> }> {
    let page = session.page;
    let done = async (): Promise<void> => {};
    if (v.signedOut) {
      const browser = session.page.context().browser();
      if (!browser) throw new Error('no browser');
      const ctx = await browser.newContext({ locale: lang === 'ja' ? 'ja-JP' : 'en-GB', viewport: { width: 1300, height: 900 } });
      page = await ctx.newPage();
      done = () => ctx.close();
    }
    await page.goto(new URL('/', session.base).href);
    await page.evaluate(`localStorage.setItem('sakimori.lang', '${lang}')`);
    await page.goto(new URL(v.path(fixtures), session.base).href);
    await page.locator(v.ready).first().waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="loading"]').first().waitFor({ state: 'detached', timeout: 60_000 });
    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    return { page, done };
  }

  it.each(PAGES.map((v) => [v.name, v] as const))('%s: Japanese without English catalogue text, English without raw keys, main figure as the API says', async (name, v) => {
    for (const lang of ['ja', 'en'] as const) {
      const { page, done } = await open(v, lang);
      try {
        const texts = await visibleTexts(page);
        expect(texts.length, `${name} (${lang}) shows text`).toBeGreaterThan(0);
        if (lang === 'ja') {
          const english = [
            ...texts.flatMap((s) => ENGLISH_ONLY.filter((e) => e.re.test(s)).map((e) => `"${s}" (en.${e.key})`)),
            ...texts.filter((s) => RAW_IDS.has(s)).map((s) => `"${s}" (an identifier shown raw; label ${RAW_IDS.get(s)})`),
          ];
          expect(english, `${name} in Japanese shows English catalogue text`).toEqual([]);
        } else {
          const raw = texts.filter((s) => (Object.hasOwn(en, s) && /[A-Z_]/.test(s)) || /\{[a-zA-Z]+\}/.test(s));
          expect(raw, `${name} in English shows message keys or placeholders`).toEqual([]);
        }
        await v.check?.(page, api, lang);
        await page.screenshot({ path: join(SHOTS, `page-${name}-${lang}.png`), fullPage: true });
      } finally {
        await done();
      }
    }
  });

  it('pages the search by its page numbers and hides the export of an empty result', async () => {
    const page = session.page;
    await page.goto(new URL('/search?q=*', session.base).href);
    await page.locator('[data-testid="page-2"]').first().click();
    await page.waitForURL((u) => u.searchParams.get('offset') === '50');
    await page.locator('[data-testid="showing"][data-from="51"]').waitFor();
    await page.goto(new URL(`/search?q=${encodeURIComponent('port:1 port:2')}`, session.base).href);
    await page.locator('[data-testid="no-matches"]').waitFor();
    expect(await count(page, '[data-testid="export-csv"]')).toBe(0);
    // Facets are bars with the API's counts.
    await page.goto(new URL('/search?q=*', session.base).href);
    const bar = page.locator('[data-testid="facet-country"] [data-testid="facet-bar"]').first();
    const r = await api<{ facets: Record<string, { value: string; count: number }[]> }>('/api/v1/search?q=*&limit=0&facets=country');
    expect(await bar.getAttribute('data-value')).toBe(String(r.facets['country']?.[0]?.count));
  });

  it('shows banners with their line breaks, not the stored escapes', async () => {
    const page = session.page;
    await page.goto(new URL(`/search?q=${encodeURIComponent('service:telnet')}`, session.base).href);
    await page.locator('[data-testid="hit-banner"]').first().waitFor();
    const banners = await page.$$eval('[data-testid="hit-banner"]', (els) => els.map((e) => ({ raw: e.getAttribute('data-raw') ?? '', text: e.textContent ?? '' })));
    expect(banners.some((b) => b.raw.includes('\\r\\n')), 'the demo stores escaped banners').toBe(true);
    for (const b of banners) {
      expect(b.text).not.toMatch(/\\[rnt]/);
      // A line break inside the banner is one in the text.
      if (/.\\r\\n./.test(b.raw)) expect(b.text).toContain('\n');
    }
  });
});
