import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/serve.js';

/** The observation report over a synthetic day, as HTML in both languages and as PDF (Debian chromium). */
describe('observation report', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sakimori-report-'));
    await runCli(['synth', 'darknet', '--packets', '50000', '--date', '2024-02-20', '--seed', '3', '--out', join(dir, 'day.pcap')]);
    await runCli(['ingest', 'darknet', join(dir, 'day.pcap'), '--data', join(dir, 'data')]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the Japanese and English HTML and a PDF', async () => {
    await runCli(['report', 'observation', '--data', join(dir, 'data'), '--from', '2024-02-20', '--lang', 'ja', '--out', join(dir, 'ja.html'), '--pdf', join(dir, 'ja.pdf')]);
    await runCli(['report', 'observation', '--data', join(dir, 'data'), '--from', '2024-02-20', '--lang', 'en', '--out', join(dir, 'en.html')]);
    const ja = readFileSync(join(dir, 'ja.html'), 'utf8');
    const en = readFileSync(join(dir, 'en.html'), 'utf8');
    expect(ja).toContain('<html lang="ja">');
    expect(ja).toContain('ダークネット観測');
    expect(ja).toContain('50,000');
    expect(en).toContain('Darknet telescope');
    expect(en).toContain('Packets per hour');
    expect((ja.match(/<svg /g) ?? []).length).toBeGreaterThanOrEqual(3);
    const pdf = readFileSync(join(dir, 'ja.pdf'));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);
  });
});
