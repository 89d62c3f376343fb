/**
 * `sakimori share report` on the stores and beside a running server (through its socket), and
 * what another organisation then gets over HTTP: the report's generalised view and its released
 * STIX, never the victim's name or addresses.
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
import { createOrg } from '../../src/orgs/org-store.js';
import { createUser } from '../../src/auth/users.js';

const PW = 'a long enough password';
const FORM = {
  title: 'Ransomware at Example Hospital', attackKind: 'ransomware', occurredAt: '2026-11-03T04:00:00+09:00',
  technical: { c2: ['198.51.100.23'], malware: ['LockBit'], techniques: ['T1486'] },
  victim: { name: 'Example Hospital', addresses: ['203.0.113.10'], sector: 'healthcare', employees: 320, region: 'Kanto' },
};

describe('share report', () => {
  let dir = '';
  let data = '';
  let server: ChildProcess | undefined;
  let base = '';
  let id = '';
  const cli = (...args: string[]): ReturnType<typeof runCli> => runCli([...args, '--data', data]);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sakimori-victims-'));
    data = join(dir, 'data');
    writeFileSync(join(dir, 'form.json'), JSON.stringify(FORM));
    writeFileSync(join(dir, 'broken.json'), '{\n  "title": "x",\n  "victim": {\n');
    // Organisations and their admins in one opening of the stores (four CLI runs took minutes on a busy machine).
    const ctx = await openContext(configSchema.parse({ dataDir: data }));
    try {
      for (const [u, org] of [['hadmin', 'Hospital Org'], ['other', 'Other Org']] as const) {
        const o = await createOrg(ctx.state, { name: org });
        await createUser(ctx.state, { username: u, password: PW, role: 'org-admin', org: o.id });
      }
    } finally {
      await ctx.close();
    }
  }, 300_000);
  afterAll(async () => {
    await stopServer(server);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('submits on the stores once, refuses the operator\'s consent and broken JSON with its line', async () => {
    const first = await cli('share', 'report', 'submit', join(dir, 'form.json'), '--org', 'Hospital Org');
    expect(first.code, first.stderr).toBe(0);
    const m = /^submitted: ([0-9a-f-]{36})  draft/.exec(first.stdout);
    expect(m, first.stdout).not.toBeNull();
    id = m?.[1] as string;
    expect((await cli('share', 'report', 'submit', join(dir, 'form.json'), '--org', 'Hospital Org')).stdout).toMatch(new RegExp(`^already submitted: ${id}`));
    const consent = await cli('share', 'report', 'consent', id);
    expect(consent.code).not.toBe(0);
    expect(consent.stderr).toMatch(/only an admin of the reporting organisation/);
    const broken = await cli('share', 'report', 'submit', join(dir, 'broken.json'));
    expect(broken.code).not.toBe(0);
    expect(broken.stderr).toMatch(/not JSON/);
    expect(broken.stderr).toMatch(/line.*4/);
  }, 300_000);

  it('consents, releases and lists beside a running server; another organisation gets only the anonymised release', async () => {
    server = startCli(['serve', '--data', data, '--port', '0', '--host', '127.0.0.1', '--log-level', 'warn']);
    base = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no URL within 120 s: ${out}`)), 120_000);
      server?.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const u = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
        if (u && /auth\/link\?token=/.test(out)) { clearTimeout(timer); resolve(u[0]); }
      });
      server?.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited with ${code}: ${out}`)); });
    });
    const consent = await cli('share', 'report', 'consent', id, '--as', 'hadmin');
    expect(consent.code, consent.stderr).toBe(0);
    expect(consent.stdout).toMatch(/^consented by /);
    const release = await cli('share', 'report', 'release', id);
    expect(release.code, release.stderr).toBe(0);
    const list = JSON.parse((await cli('share', 'report', 'list', '--json')).stdout) as { reports: { id: string; state: string; consentedBy: string }[] };
    expect(list.reports).toEqual([expect.objectContaining({ id, state: 'released' })]);

    const login = await fetch(new URL('api/v1/auth/login', base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'other', password: PW }) });
    expect(login.status).toBe(200);
    const cookie = /sakimori_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')?.[0] ?? '';
    const get = async (path: string): Promise<{ status: number; text: string }> => {
      const r = await fetch(new URL(path, base), { headers: { cookie } });
      return { status: r.status, text: await r.text() };
    };
    const view = await get(`api/v1/share/reports/${id}`);
    expect(view.status).toBe(200);
    expect(JSON.parse(view.text)).toMatchObject({ state: 'released', title: null, victim: null, generalised: { sector: 'healthcare', sizeBand: '250-999', region: 'Kanto' } });
    const stix = await get(`api/v1/share/reports/${id}/stix`);
    const objects = (JSON.parse(stix.text) as { objects: { type: string; value?: string }[] }).objects;
    expect(objects.map((o) => o.type)).toEqual(expect.arrayContaining(['identity', 'indicator', 'malware', 'note', 'incident', 'observed-data', 'ipv4-addr']));
    expect(stix.text).not.toMatch(/Example Hospital|203\.0\.113\.10/);
    expect(objects.find((o) => o.type === 'ipv4-addr')?.value).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(JSON.parse((await get('api/v1/share/victim-aggregates')).text)).toMatchObject({ k: 5, cells: [], suppressed: 1 });
  }, 400_000);
});
