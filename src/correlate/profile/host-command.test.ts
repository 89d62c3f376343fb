/**
 * `sakimori host IP` on a data directory holding only the real Cowrie day (../shared/data/honeypot):
 * an address only a honeypot saw is found; `--json` names `honeypot`, `timeline[]` and `verdict`
 * (the CLI contract of issue 18); the text says the verdict, the honeypot summary and the last
 * timeline lines.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/helpers/cli.js';
import { sharedData } from '../../../test/fixtures/shared-data.js';
import { openStores } from '../../store/open-stores.js';
import { writeHoneypotEvents } from '../../honeypot/store/write-events.js';
import { cowrieRows } from './testing/cowrie-rows.js';

describe('host IP on honeypot events', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sakimori-host-command-'));
    const stores = await openStores({ dataDir: dir });
    try {
      await writeHoneypotEvents(stores.events, cowrieRows(sharedData('honeypot/cowrie.json.2018-05-06')));
    } finally {
      await stores.close();
    }
  }, 60_000);
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('--json gains honeypot, timeline and verdict', async () => {
    const r = await runCli(['host', '88.223.26.58', '--json', '--data', dir]);
    expect(r.code, r.stderr).toBe(0);
    const h = JSON.parse(r.stdout) as { seenInDarknet: boolean; honeypot: { sessions: number; logins: { attempts: number; success: number; failed: number }; commands: string[]; urls: string[] }; timeline: { source: string; kind: string }[]; verdict: { verdict: string } };
    expect(h.seenInDarknet).toBe(false);
    expect(h.honeypot).toMatchObject({ sessions: 5, logins: { attempts: 2, success: 2, failed: 0 }, urls: [] });
    expect(h.honeypot.commands).toHaveLength(4);
    expect(h.timeline.filter((e) => e.source === 'honeypot' && e.kind === 'session')).toHaveLength(5);
    expect(h.verdict.verdict).toBe('malicious');
  }, 60_000);

  it('the text says the verdict, the honeypot summary and the last timeline lines', async () => {
    const r = await runCli(['host', '88.223.26.58', '--data', dir]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[1]).toMatch(/^ {2}verdict: malicious {2}score 5 {2}\[honeypot-login-success \+3, honeypot-commands \+2\]$/);
    expect(r.stdout).toMatch(/ {2}honeypots: 5 sessions on cowrie \(ssh\), first seen 2018-05-06T17:44:05\.866Z/);
    expect(r.stdout).toMatch(/logins 2 \(2 accepted, 0 failed\)/);
    expect(r.stdout).toMatch(/credentials: root\/password ×2/);
    expect(r.stdout).toMatch(/ {2}timeline \(\d+ entries\):\n( {4}2018-05-06T\S+ {2}honeypot \w+ {2}.+\n)+$/);
  }, 60_000);

  it('an address nothing saw is still NOT_FOUND', async () => {
    const r = await runCli(['host', '137.74.171.124', '--data', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('NOT_FOUND');
  }, 60_000);
});
