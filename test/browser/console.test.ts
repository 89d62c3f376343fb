import type { ChildProcess } from 'node:child_process';
import { CHROMIUM, CHROMIUM_ARGS, CLI, runCli, startServer, stopServer } from '../helpers/serve.js';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/util/package-root.js';

/**
 * The console in Debian's chromium against a real `sakimori serve` (the compiled CLI) over one
 * synthetic day: every figure the console shows must be the API's, in Japanese and in English.
 * Needs `npm run build` (dist/src/cli/main.js and web/dist) and /usr/bin/chromium; never
 * downloads a browser.
 */
const ROOT = packageRoot();
const WEB = join(ROOT, 'web', 'dist', 'index.html');
const SHOTS = join(ROOT, 'test', 'screenshots');
const DAY = '2024-02-20';
const NEXT_DAY = '2024-02-21';

interface Count { packets: number; sources: number }
interface Report {
  from: string; to: string; packets: number; sources: number; iotShare: number;
  classes: Record<string, Count>;
  tags: Record<string, Count>;
  topPorts: { proto: string; port: number; packets: number; sources: number; iot: boolean }[];
  dosVictims: { ip: string; packets: number; start: string; end: string; peakRate: number }[];
  topCountries: { country: string; packets: number; sources: number }[];
  topAsns: { asn: number; org: string; packets: number; sources: number }[];
  topSources: { ip: string; packets: number }[];
  surges: { proto: string; port: number }[];
  surgeHistory: { hoursNeeded: number; hoursAvailable: number; hoursJudged: number; hoursNotJudged: number } | null;
}
interface Host {
  ip: string; packets: number; class: string; firstSeen: string; lastSeen: string;
  tags: { tag: string; confidence: number }[];
}
interface HostHours extends Host {
  hourly: { hour: string; packets: number; backscatter: number }[];
  dosEpisodes: { start: string; end: string; packets: number; peak: number }[];
}

const run = (args: string[]): Promise<void> => runCli(args);

describe('console in a browser', () => {
  let dir: string | undefined;
  let server: ChildProcess | undefined;
  let base = '';
  let browser: Browser | undefined;
  let page: Page;

  const api = async <T>(path: string): Promise<T> => {
    // The browser's own session (opened with serve's sign-in link) reads the API too.
    const res = await page.request.get(new URL(path, base).href);
    if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const value = (testId: string): Promise<string | null> => page.getAttribute(`[data-testid="${testId}"]`, 'data-value');
  const rows = (testId: string, attrs: string[]): Promise<string[]> =>
    page.$$eval(`[data-testid="${testId}"]`, (els, names) => els.map((e) => names.map((n) => e.getAttribute(n)).join(' ')), attrs);

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`build first (npm run build): ${CLI} is missing`);
    if (!existsSync(WEB)) throw new Error(`build the console first (npm run build:web): ${WEB} is missing`);
    if (!existsSync(CHROMIUM)) throw new Error(`Debian chromium is missing at ${CHROMIUM} (CI installs it: apt-get install -y chromium)`);
    mkdirSync(SHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'sakimori-browser-'));
    const data = join(dir, 'data');
    await run(['synth', 'darknet', '--packets', '200000', '--date', DAY, '--seed', '7', '--out', join(dir, 'day.pcap')]);
    // Country and AS tables for the same synthetic population, so the country and AS panels have rows.
    await run(['synth', 'enrichment', '--seed', '7', '--asn', join(dir, 'asn.csv'), '--country', join(dir, 'cc.csv')]);
    await run(['enrich', 'import', join(dir, 'asn.csv'), '--format', 'csv', '--layer', 'asn', '--data', data]);
    await run(['enrich', 'import', join(dir, 'cc.csv'), '--format', 'csv', '--layer', 'country', '--data', data]);
    await run(['ingest', 'darknet', join(dir, 'day.pcap'), '--data', data]);

    let signInLink = '';
    ({ server, base, signInLink } = await startServer(data));

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
    });
    // A Japanese browser: the console starts in Japanese (navigator.language), nothing stored yet.
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
    page = await context.newPage();
    await page.goto(signInLink);
  });

  afterAll(async () => {
    await browser?.close();
    await stopServer(server);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the API figures for the last day with data, in Japanese and in English', async () => {
    const range = await api<{ first: string | null; last: string | null }>('api/v1/darknet/range');
    expect(range.last, 'range.last').not.toBeNull();
    // The dashboard opens on the last day with data: the synthetic day.
    expect(new Date(Date.parse(range.last ?? '') - 1).toISOString().slice(0, 10)).toBe(DAY);
    const report = await api<Report>(`api/v1/darknet/report?from=${DAY}T00:00:00Z&to=${NEXT_DAY}T00:00:00Z`);
    expect(report.packets).toBe(200_000);

    await page.goto(base);
    await page.waitForSelector('[data-testid="total-packets"]');
    expect(await page.getAttribute('[data-testid="dashboard"]', 'data-from')).toBe(`${DAY}T00:00:00Z`);
    expect(await page.getAttribute('[data-testid="dashboard"]', 'data-to')).toBe(`${NEXT_DAY}T00:00:00Z`);

    expect(Number(await value('total-packets'))).toBe(report.packets);
    expect(Number(await value('total-sources'))).toBe(report.sources);
    expect(Number(await value('iot-share'))).toBeCloseTo(report.iotShare, 9);
    expect(Object.keys(report.classes).length).toBeGreaterThan(0);
    for (const [c, v] of Object.entries(report.classes)) expect(Number(await value(`class-${c}-packets`)), c).toBe(v.packets);
    expect(Object.keys(report.tags)).toEqual(expect.arrayContaining(['mirai', 'masscan', 'zmap']));
    for (const [tag, v] of Object.entries(report.tags)) expect(Number(await value(`tag-${tag}-sources`)), tag).toBe(v.sources);

    const ports = await rows('port-row', ['data-proto', 'data-port', 'data-value']);
    expect(ports.length).toBeGreaterThan(0);
    expect(ports).toEqual(report.topPorts.map((p) => `${p.proto} ${p.port} ${p.packets}`));
    const iotRows = await page.$$eval('[data-testid="port-row"]', (els) => els.map((e) => e.classList.contains('hl')));
    expect(iotRows).toEqual(report.topPorts.map((p) => p.iot));

    const dos = await rows('dos-row', ['data-ip', 'data-value']);
    expect(dos.length).toBeGreaterThan(0);
    expect(dos).toEqual(report.dosVictims.map((d) => `${d.ip} ${d.packets}`));

    // One day of data is too little history to judge port surges: the panel says so, lists none.
    expect(report.surges).toEqual([]);
    expect(report.surgeHistory).toMatchObject({ hoursJudged: 0, hoursNotJudged: 24 });
    expect(Number(await page.getAttribute('[data-testid="surges-no-history"]', 'data-need'))).toBe(report.surgeHistory?.hoursNeeded);
    expect(await page.$$('[data-testid="surge-row"]')).toHaveLength(0);

    expect(await rows('country-row', ['data-country', 'data-value'])).toEqual(report.topCountries.map((c) => `${c.country} ${c.packets}`));
    expect(await rows('asn-row', ['data-asn', 'data-value'])).toEqual(report.topAsns.map((a) => `${a.asn} ${a.packets}`));
    expect(await rows('source-row', ['data-ip', 'data-value'])).toEqual(report.topSources.map((s) => `${s.ip} ${s.packets}`));

    // Japanese first (the browser's language), then English after the toggle.
    const body = (await page.textContent('body')) ?? '';
    for (const label of ['パケット数', '送信元数', '上位ポート', 'IoT比率', '分類', 'タグ', '国別', 'AS別', 'DoS被害ホスト', '急増ポート', '急増を判定するには履歴が足りません']) expect(body, label).toContain(label);
    await page.screenshot({ path: join(SHOTS, 'dashboard-ja.png'), fullPage: true });

    await page.click('[data-testid="lang-toggle"]');
    await page.waitForSelector('[data-testid="lang-toggle"][data-lang="en"]');
    await page.waitForSelector('text=Top ports');
    const en = (await page.textContent('body')) ?? '';
    for (const label of ['Packets', 'Sources', 'IoT share', 'Classes', 'By country', 'By AS', 'DoS victims', 'Port surges', 'Too little history to judge surges']) expect(en, label).toContain(label);
    expect(en).not.toContain('パケット数');
    expect(await page.evaluate<string | null>("localStorage.getItem('sakimori.lang')")).toBe('en');
    expect(Number(await value('total-packets'))).toBe(report.packets);
    await page.screenshot({ path: join(SHOTS, 'dashboard-en.png'), fullPage: true });
  });

  it('opens a top source and shows its host page figures from the API', async () => {
    const first = page.locator('[data-testid="source-link"]').first();
    const ip = ((await first.textContent()) ?? '').trim();
    expect(ip).not.toBe('');
    await first.click();
    await page.waitForSelector('[data-testid="host-ip"]');
    expect(new URL(page.url()).pathname).toBe(`/hosts/${encodeURIComponent(ip)}`);

    const host = await api<Host>(`api/v1/hosts/${encodeURIComponent(ip)}`);
    expect(await value('host-ip')).toBe(host.ip);
    expect(Number(await value('host-packets'))).toBe(host.packets);
    expect(await value('host-class')).toBe(host.class);
    expect(await value('host-first-seen')).toBe(host.firstSeen);
    expect(await value('host-last-seen')).toBe(host.lastSeen);
    const tags = await rows('host-tag', ['data-tag', 'data-value']);
    expect(tags).toEqual(host.tags.map((t) => `${t.tag} ${t.confidence}`));
    // The language chosen on the dashboard is remembered.
    expect(await page.textContent('body')).toContain('First seen');
    await page.screenshot({ path: join(SHOTS, 'host-en.png'), fullPage: true });

    await page.click('[data-testid="lang-toggle"]');
    await page.waitForSelector('text=初観測');
    expect(await page.textContent('body')).toContain('最終観測');
    await page.screenshot({ path: join(SHOTS, 'host-ja.png'), fullPage: true });

    // A reload of the host address is served by the server's index.html fallback.
    await page.reload();
    await page.waitForSelector('[data-testid="host-ip"]');
    expect(await value('host-ip')).toBe(host.ip);
  });

  it('shows a DoS victim as a victim: its hourly chart and attack episodes are the API\'s', async () => {
    const report = await api<Report>(`api/v1/darknet/report?from=${DAY}T00:00:00Z&to=${NEXT_DAY}T00:00:00Z`);
    const victim = report.dosVictims[0];
    expect(victim, 'the synthetic day has DoS victims').toBeDefined();
    await page.goto(base);
    await page.click(`[data-testid="dos-row"][data-ip="${victim?.ip}"] a`);
    await page.waitForSelector('[data-testid="host-victim-panel"]');
    const host = await api<HostHours>(`api/v1/hosts/${encodeURIComponent(victim?.ip ?? '')}`);
    expect(host.class).toBe('backscatter');
    expect(await page.textContent('[data-testid="host-class"]')).toBe('DoS 被害');
    expect(host.dosEpisodes.length).toBeGreaterThan(0);
    expect(await rows('host-episode', ['data-start', 'data-end', 'data-packets', 'data-peak']))
      .toEqual(host.dosEpisodes.map((e) => `${e.start} ${e.end} ${e.packets} ${e.peak}`));
    // The report's attack (minute-level, with thresholds) lies within one of the host's hourly episodes.
    expect(host.dosEpisodes.some((e) => e.start <= (victim?.start ?? '') && (victim?.end ?? '') <= e.end)).toBe(true);
    // One day, all within the chart's 31 days: the hours add up to the host's packets; one bar per hour from first to last.
    const note = page.locator('[data-testid="host-hourly-note"]');
    expect(Number(await note.getAttribute('data-packets'))).toBe(host.packets);
    expect(host.hourly.reduce((a, h) => a + h.packets, 0)).toBe(host.packets);
    const span = (Date.parse(host.hourly[host.hourly.length - 1]?.hour ?? '') - Date.parse(host.hourly[0]?.hour ?? '')) / 3_600_000 + 1;
    expect(await page.locator('[data-testid="host-hourly-panel"] rect').count()).toBe(span);

    // First and last seen are not clipped, at a laptop's width and a phone's.
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      // The screenshot first, so that a failure below leaves the picture of it.
      await page.screenshot({ path: join(SHOTS, `host-victim-ja-${width}.png`), fullPage: width === 1280 });
      for (const id of ['host-first-seen', 'host-last-seen']) {
        const fits = await page.$eval(`[data-testid="${id}"]`, (el, screen) => {
          const card = (el.closest('.stat') ?? el).getBoundingClientRect();
          const spans = [...el.querySelectorAll('span')].map((s) => s.getBoundingClientRect());
          return { inScreen: card.left >= 0 && card.right <= screen, inCard: spans.every((r) => r.left >= card.left && r.right <= card.right), noScroll: el.scrollWidth <= el.clientWidth };
        }, width);
        expect(fits, `${id} at ${width} px`).toEqual({ inScreen: true, inCard: true, noScroll: true });
      }
      // Nor is the page wider than the screen.
      expect(await page.evaluate<number>('document.documentElement.scrollWidth'), `page width at ${width} px`).toBeLessThanOrEqual(width);
    }
    await page.setViewportSize({ width: 1400, height: 1000 });
  });

  it('opens a host from the search box and says so when an address was never seen', async () => {
    await page.goto(base);
    await page.waitForSelector('[data-testid="total-packets"]');
    await page.fill('[data-testid="ip-search"]', '192.0.2.200');
    await page.press('[data-testid="ip-search"]', 'Enter');
    await page.waitForSelector('[data-testid="host-not-found"]');
    expect(new URL(page.url()).pathname).toBe('/hosts/192.0.2.200');
    expect(await page.textContent('[data-testid="host-not-found"]')).toContain('観測されていません');
  });
});
