/**
 * `cnc share` end to end on a data directory, registered under a program of its own (at merge it
 * hangs under `cnc`, next to `cnc candidates`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Command } from 'commander';
import { registerCncShare } from './cnc-share-command.js';
import { configSchema } from '../config/schema.js';
import { openContext } from '../app/context.js';
import { createOrg } from '../orgs/org-store.js';
import { createCollection } from '../share/taxii/collections.js';
import type { CncCandidate } from '../flows/detect/candidate.js';

const cand = (server: string, o: Partial<CncCandidate> = {}): CncCandidate => ({
  server, port: 443, proto: 6, score: 0.6, parts: { beacon: 0.6 }, clients: 4,
  firstSeen: new Date(Date.now() - 2 * 86_400_000).toISOString(), lastSeen: new Date(Date.now() - 3_600_000).toISOString(),
  evidence: [{ client: '133.45.6.7', start: new Date().toISOString(), octets: 300, packets: 3, note: 'beacon' }], ...o,
});

async function run(dir: string, args: string[]): Promise<string> {
  const program = new Command('sakimori').option('--data <dir>').exitOverride();
  registerCncShare(program.command('cnc'));
  let text = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { text += String(s); return true; });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await program.parseAsync(['node', 'sakimori', '--data', dir, 'cnc', 'share', ...args]);
  } finally {
    spy.mockRestore();
    err.mockRestore();
  }
  return text;
}

describe('sakimori cnc share', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sakimori-cnc-share-'));
    const ctx = await openContext(configSchema.parse({ dataDir: dir }));
    await createOrg(ctx.state, { name: 'Alpha ISP', kind: 'isp' });
    await createOrg(ctx.state, { name: 'Bravo ISP', kind: 'isp' });
    await createCollection(ctx.state, { title: 'C&C', alias: 'c2', read: ['Alpha ISP', 'Bravo ISP'] }, 'ops');
    await ctx.close();
    file = join(dir, 'candidates.json');
    writeFileSync(file, JSON.stringify({ candidates: [cand('45.77.10.20'), cand('45.77.10.21', { clients: 250 })] }));
  }, 180_000);
  afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

  it('generates the key once, submits hashes for two carriers, and names the agreeing candidate from the local file', async () => {
    const key = await run(dir, ['key', '--reveal']);
    expect(key).toMatch(/^[0-9a-f]{64}\n$/);
    expect(await run(dir, ['key', '--reveal'])).toBe(key);
    expect(JSON.parse(await run(dir, ['submit', '--candidates', file, '--org', 'Alpha ISP', '--json']))).toMatchObject({ entries: 2, stored: 2, skipped: 0 });
    const other = join(dir, 'other.json');
    writeFileSync(other, JSON.stringify([cand('::ffff:45.77.10.20', { clients: 1 })]));
    await run(dir, ['submit', '--candidates', other, '--org', 'Bravo ISP']);
    const r = JSON.parse(await run(dir, ['corroboration', '--org', 'Alpha ISP', '--candidates', file, '--json'])) as { answers: { candidate: string | null; others: number; bucket: string }[] };
    expect(r.answers.map((a) => [a.candidate, a.others, a.bucket])).toEqual([['45.77.10.20|443|6', 1, '2-9'], ['45.77.10.21|443|6', 0, '100+']]);
    expect(await run(dir, ['corroboration', '--org', 'Alpha ISP'])).toMatch(/2 of this carrier's hashes, 1 seen by other carriers/);
  }, 120_000);

  it('publishes with corroboration: a dry run first, then the objects', async () => {
    const dry = JSON.parse(await run(dir, ['publish', '--collection', 'c2', '--candidates', file, '--corroborate', '--org', 'Alpha ISP', '--tlp', 'green', '--dry-run', '--json']));
    expect(dry).toMatchObject({ dryRun: true, corroborated: 1, created: 2, stored: 0 });
    expect(dry.sample.map((s: { confidence: number }) => s.confidence).sort()).toEqual([60, 68]);
    expect(dry.recipients.organisations.map((o: { name: string }) => o.name).sort()).toEqual(['Alpha ISP', 'Bravo ISP']);
    const text = await run(dir, ['publish', '--collection', 'c2', '--candidates', file]);
    expect(text).toMatch(/^published C&C candidates into C&C/);
    expect(text).toMatch(/objects stored\s+7/);
  }, 120_000);
});
