import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers/cli.js';
import { parsePorts } from './survey-command.js';

describe('parsePorts', () => {
  it('reads lists and ranges and refuses nonsense', () => {
    expect(parsePorts('80, 23,8000-8002,23')).toEqual([23, 80, 8000, 8001, 8002]);
    expect(() => parsePorts('0')).toThrow(/not a port/);
    expect(() => parsePorts('70000')).toThrow(/not a port/);
    expect(() => parsePorts('90-80')).toThrow(/90-80/);
    expect(() => parsePorts('http')).toThrow(/http/);
  });
});

describe('sakimori scope / survey', () => {
  let dir: string;
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sakimori-survey-cli-'));
    server = createServer((c) => { c.on('error', () => undefined); c.end('hi\r\n'); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds a scope, runs a survey with a JSON summary, and lists it', async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const add = await runCli(['--data', dir, 'scope', 'add', 'loop', '--cidr', '127.0.0.0/30', '--owner', 'lab', '--legal-basis', 'own machine', '--from', from, '--to', to]);
    expect(add.stderr).toBe('');
    expect(add.stdout).toMatch(/scope created.*127\.0\.0\.0\/30.*credential checks off/);
    const ex = await runCli(['--data', dir, 'scope', 'exclude', 'loop', '--cidr', '127.0.0.3', '--reason', 'opt-out']);
    expect(ex.stdout).toMatch(/127\.0\.0\.3\/32/);
    const run = await runCli(['--data', dir, 'survey', 'run', 'loop', '--ports', String(port), '--modules', '', '--rate', '200', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const sum = JSON.parse(run.stdout) as { status: string; scan: { total: number; open: number; excluded: number }; runId: string };
    expect(sum).toMatchObject({ status: 'done', scan: { total: 4, open: 1, excluded: 1 } });
    const listed = await runCli(['--data', dir, 'survey', 'list']);
    expect(listed.stdout).toContain(sum.runId);
    const audit = await runCli(['--data', dir, 'survey', 'audit', '--run', sum.runId]);
    expect(audit.stdout.trim().split('\n')).toHaveLength(3);
    const bad = await runCli(['--data', dir, 'survey', 'run', 'nope', '--ports', '80']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/SCOPE_NOT_FOUND/);
  }, 120_000);

  it('refuses a scope larger than a /16 unless --confirm-large, and reads a date as the whole UTC day', async () => {
    const args = ['--data', dir, 'scope', 'add', 'world', '--cidr', '0.0.0.0/0', '--owner', 'lab', '--legal-basis', 'test', '--from', '2026-01-01', '--to', '2026-12-31', '--json'];
    const refused = await runCli(args);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error SCOPE_TOO_LARGE: .*covers 4,294,967,296 IPv4 addresses.*--confirm-large/);
    const added = await runCli([...args, '--confirm-large']);
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ validFrom: '2026-01-01T00:00:00.000Z', validTo: '2026-12-31T23:59:59.999Z' });
    const bad = await runCli(['--data', dir, 'scope', 'add', 'bad', '--cidr', '10.0.0.1/8', '--owner', 'lab', '--legal-basis', 'test', '--from', '2026-01-01', '--to', '2026-12-31']);
    expect(bad.stderr.match(/invalid scope/g)).toHaveLength(1);
  }, 60_000);
});
