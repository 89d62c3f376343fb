import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/util/package-root.js';
import { yesterday } from '../../src/synth/options.js';

/**
 * The console in Debian's chromium against a real `sakimori serve` (the compiled CLI) over a
 * synthetic day: the figures shown must be the API's, in both languages.
 */
const ROOT = packageRoot();
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const SHOTS = join(ROOT, 'test', 'screenshots');
const CHROMIUM = '/usr/bin/chromium';

function run(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    c.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    c.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`sakimori ${args.join(' ')} failed: ${err}`))));
  });
}

describe('console in a browser', () => {
  let dir: string;
  let server: ChildProcess;
  let base: string;
  let browser: Browser;
  let page: Page;
  const day = yesterday();
  const api = async <T>(path: string): Promise<T> => (await (await fetch(`${base}${path}`)).json()) as T;

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error('build first: npm run build (the test runs the compiled CLI)');
    if (!existsSync(CHROMIUM)) throw new Error('Debian chromium is missing: apt-get install -y chromium');
    mkdirSync(SHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'sakimori-browser-'));
    const data = join(dir, 'data');
    await run(['synth', 'darknet', '--packets', '200000', '--date', day, '--seed', '7', '--out', join(dir, 'day.pcap')]);
    await run(['synth', 'enrichment', '--seed', '7', '--asn', join(dir, 'asn.csv'), '--country', join(dir, 'cc.csv')]);
    await run(['enrich', 'import', join(dir, 'asn.csv'), '--format', 'csv', '--layer', 'asn', '--data', data]);
    await run(['enrich', 'import', join(dir, 'cc.csv'), '--format', 'csv', '--layer', 'country', '--data', data]);
    await run(['ingest', 'darknet', join(dir, 'day.pcap'), '--data', data]);
    server = spawn(process.execPath, [CLI, 'serve', '--data', data, '--port', '0', '--host', '127.0.0.1', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'inherit'] });
    base = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
        if (m) resolve(m[0]);
      });
      server.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1600 }, locale: 'ja-JP' });
  });

  afterAll(async () => {
    await browser?.close();
    server?.kill('SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const value = async (testId: string): Promise<string | null> => page.getAttribute(`[data-testid="${testId}"]`, 'data-value');

  it('shows the API figures for the day on the dashboard, in Japanese and in English', async () => {
    const report = await api<{
      packets: number; sources: number; iotShare: number;
      classes: Record<string, { packets: number; sources: number }>;
      tags: Record<string, { packets: number; sources: number }>;
      topPorts: { proto: string; port: number; packets: number }[];
      dosVictims: { ip: string; packets: number }[];
    }>(`api/v1/darknet/report?from=${day}`);
    expect(report.packets).toBe(200_000);
    await page.goto(base);
    await page.waitForSelector('[data-testid="total-packets"]');
    expect(Number(await value('total-packets'))).toBe(report.packets);
    expect(Number(await value('total-sources'))).toBe(report.sources);
    expect(Number(await value('iot-share'))).toBeCloseTo(report.iotShare, 9);
    for (const [c, v] of Object.entries(report.classes)) expect(Number(await value(`class-${c}-packets`)), c).toBe(v.packets);
    for (const [t, v] of Object.entries(report.tags)) expect(Number(await value(`tag-${t}-sources`)), t).toBe(v.sources);
    const ports = await page.$$eval('[data-testid="port-row"]', (rows) => rows.map((r) => `${r.getAttribute('data-proto')}/${r.getAttribute('data-port')} ${r.getAttribute('data-value')}`));
    expect(ports).toEqual(report.topPorts.map((p) => `${p.proto}/${p.port} ${p.packets}`));
    const dos = await page.$$eval('[data-testid="dos-row"]', (rows) => rows.map((r) => `${r.getAttribute('data-ip')} ${r.getAttribute('data-value')}`));
    expect(dos).toEqual(report.dosVictims.map((d) => `${d.ip} ${d.packets}`));
    expect(dos.length).toBeGreaterThan(0);

    expect(await page.textContent('body')).toContain('パケット数');
    await page.screenshot({ path: join(SHOTS, 'dashboard-ja.png'), fullPage: true });
    await page.click('[data-testid="lang-toggle"]');
    await page.waitForSelector('text=Top destination ports');
    expect(await page.textContent('body')).not.toContain('パケット数');
    expect(Number(await value('total-packets'))).toBe(report.packets);
    await page.screenshot({ path: join(SHOTS, 'dashboard-en.png'), fullPage: true });
  });

  it('opens a top source and shows its host page figures from the API', async () => {
    const first = page.locator('[data-testid="source-link"]').first();
    const ip = (await first.textContent()) ?? '';
    await first.click();
    await page.waitForSelector('[data-testid="host-ip"]');
    expect(new URL(page.url()).pathname).toBe(`/hosts/${encodeURIComponent(ip)}`);
    const host = await api<{ ip: string; packets: number; class: string; firstSeen: string; lastSeen: string; tags: { tag: string; confidence: number }[] }>(`api/v1/hosts/${encodeURIComponent(ip)}`);
    expect(await value('host-ip')).toBe(host.ip);
    expect(Number(await value('host-packets'))).toBe(host.packets);
    expect(await value('host-class')).toBe(host.class);
    expect(await value('host-first-seen')).toBe(host.firstSeen);
    expect(await value('host-last-seen')).toBe(host.lastSeen);
    const tags = await page.$$eval('[data-testid="host-tag"]', (rows) => rows.map((r) => `${r.getAttribute('data-tag')} ${r.getAttribute('data-value')}`));
    expect(tags).toEqual(host.tags.map((t) => `${t.tag} ${t.confidence}`));
    await page.screenshot({ path: join(SHOTS, 'host-en.png'), fullPage: true });
    await page.click('[data-testid="lang-toggle"]');
    await page.waitForSelector('text=初観測');
    await page.screenshot({ path: join(SHOTS, 'host-ja.png'), fullPage: true });
  });

  it('says so when an address was never seen', async () => {
    await page.goto(`${base}hosts/192.0.2.200`);
    await page.waitForSelector('.message');
    expect(await page.textContent('.message')).toContain('観測されていません');
  });
});
