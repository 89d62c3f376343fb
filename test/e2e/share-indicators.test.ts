/**
 * `sakimori share` end to end (issue 16, items 5 and 6), on the stores and then beside a running
 * server through its socket: a warning list with a bad line, a dry run that stores nothing and
 * counts each exclusion, a publish, the exports (STIX bundle, CSV, blocklist), an import of a
 * peer's bundle and the sighting the hub publishes back — the same answers either way.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { stopServer } from '../helpers/serve.js';
import { configSchema } from '../../src/config/schema.js';
import { openContext } from '../../src/app/context.js';
import { createCollection } from '../../src/share/taxii/collections.js';
import { darknetDay } from '../../src/share/indicators/testing/share-context.js';
import { yesterday } from '../../src/synth/options.js';

// Yesterday: a scanner seen weeks ago has expired (decay.ts) and is not published.
const DAY = yesterday();
const win = ['--from', DAY];

describe('sakimori share', () => {
  let dir = '';
  let data = '';
  let server: ChildProcess | undefined;
  const cli = (args: string[]) => runCli([...args, '--data', data]);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sakimori-share-'));
    data = join(dir, 'data');
    const ctx = await openContext(configSchema.parse({ dataDir: data }));
    try {
      await createCollection(ctx.state, { title: 'Scanners', alias: 'scanners' }, 'setup');
      await darknetDay(ctx, { ip: '45.33.1.1', day: DAY, scan: 40, hits: { 0: 40 } });
      await darknetDay(ctx, { ip: '45.33.1.2', day: DAY, scan: 12 });
      await darknetDay(ctx, { ip: '71.6.135.131', day: DAY, scan: 9 });
      await darknetDay(ctx, { ip: '45.33.1.3', day: DAY, backscatter: 300 });
      await darknetDay(ctx, { ip: '81.2.69.160', day: DAY, scan: 5 });
    } finally {
      await ctx.close();
    }
    writeFileSync(join(dir, 'research.txt'), '# research scanners\n71.6.135.0/24\nnot-a-cidr\n');
  }, 180_000);
  afterAll(async () => {
    await stopServer(server);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('imports a warning list, naming the bad line', async () => {
    const r = await cli(['share', 'warninglist', 'import', join(dir, 'research.txt'), '--name', 'research']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('warning list research: 1 addresses and prefixes');
    expect(r.stdout).toMatch(/research\.txt:3:1: not an address or CIDR/);
  });

  it('a dry run counts each exclusion and stores nothing; publish stores; export writes what was published', async () => {
    const dry = await cli(['share', 'publish', '--collection', 'scanners', '--tlp', 'green', ...win, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^dry run: would publish into Scanners/);
    expect(dry.stdout).toMatch(/new indicators\s+3\n/);
    expect(dry.stdout).toMatch(/warning-list\s+1\n/);
    expect(dry.stdout).toMatch(/dos-victim\s+1\n/);
    expect(dry.stdout).toContain("[ipv4-addr:value = '45.33.1.1']");
    expect(dry.stdout).toMatch(/would be received by \d+ organisation\(s\)/);
    const empty = await cli(['share', 'export', '--collection', 'scanners', '--format', 'blocklist']);
    expect(empty.stdout).toBe('');
    const pub = await cli(['share', 'publish', '--collection', 'scanners', '--tlp', 'green', ...win, '--json']);
    expect(pub.code, pub.stderr).toBe(0);
    expect(JSON.parse(pub.stdout)).toMatchObject({ created: 3, stored: 6, failures: [] });
    const csv = await cli(['share', 'export', '--collection', 'scanners', '--format', 'csv']);
    expect(csv.stdout.split('\r\n').filter(Boolean)).toHaveLength(4);
    expect(csv.stdout).toContain('TLP:GREEN');
  });

  it('beside a running server: the same answers through its socket, import and match included', async () => {
    server = startCli(['serve', '--data', data, '--port', '0', '--host', '127.0.0.1']);
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 120_000);
      server?.stdout?.on('data', (d: Buffer) => { out += d.toString(); if (/Sign in/.test(out)) { clearTimeout(timer); resolve(); } });
      server?.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited with ${code}: ${out}`)); });
    });
    const again = await cli(['share', 'publish', '--collection', 'scanners', '--tlp', 'green', ...win, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    const list = await cli(['share', 'export', '--collection', 'scanners', '--format', 'blocklist']);
    expect(list.stdout).toBe('45.33.1.1\n45.33.1.2\n81.2.69.160\n');
    const t = '2026-11-11T03:00:00.000Z';
    writeFileSync(join(dir, 'peer.json'), JSON.stringify({ type: 'bundle', id: 'bundle--5f1c1e4a-9b7d-4c2e-8a6f-3d2b1c0a9e00', objects: [
      { type: 'indicator', spec_version: '2.1', id: 'indicator--5f1c1e4a-9b7d-4c2e-8a6f-3d2b1c0a9e01', created: t, modified: t, created_by_ref: 'identity--5f1c1e4a-9b7d-4c2e-8a6f-3d2b1c0a9e88', pattern: "[ipv4-addr:value = '45.33.1.3']", pattern_type: 'stix', valid_from: t },
      { type: 'indicator', id: 'broken' },
    ] }));
    const imp = await cli(['share', 'import', join(dir, 'peer.json'), '--collection', 'scanners']);
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.stdout).toMatch(/1 of 2 objects stored, 1 refused/);
    expect(imp.stdout).toMatch(/refused broken: /);
    const match = await cli(['share', 'match', '--collection', 'scanners', '--tlp', 'green', '--json']);
    expect(match.code, match.stderr).toBe(0);
    expect(JSON.parse(match.stdout)).toMatchObject({ peerIndicators: 1, sighted: 1, sightings: 1 });
    const bundle = JSON.parse((await cli(['share', 'export', '--collection', 'scanners'])).stdout) as { type: string; objects: { type: string; sighting_of_ref?: string }[] };
    expect(bundle.type).toBe('bundle');
    expect(bundle.objects.filter((o) => o.type === 'sighting').map((o) => o.sighting_of_ref)).toEqual(['indicator--5f1c1e4a-9b7d-4c2e-8a6f-3d2b1c0a9e01']);
    const bad = await cli(['share', 'export', '--collection', 'no-such']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/no collection no-such/);
  });
});
