/**
 * The CLI beside a running server on the same data directory: `serve` prints a one-time sign-in
 * link and listens on a socket inside the data directory that only its owner can open; CLI
 * commands go through that socket (no key), while the TCP port answers nobody anonymously.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { packageRoot } from '../../src/util/package-root.js';
import { sharedData } from '../fixtures/shared-data.js';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { stopServer } from '../helpers/serve.js';
import { configSchema } from '../../src/config/schema.js';
import { openContext } from '../../src/app/context.js';
import { writeServices } from '../../src/services/service-writer.js';
import { serviceRow } from '../../src/schema/service-observation.js';
import { kevEntry, kevFeed } from '../../src/vulns/testing/feeds.js';

describe('CLI beside a running server', () => {
  let dir = '';
  let data = '';
  let server: ChildProcess | undefined;
  let base = '';
  let link = '';
  let serverOut = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sakimori-beside-'));
    data = join(dir, 'data');
    // A user exists: before this change the CLI then got AUTH_REQUIRED from the server.
    const add = await runCli(['user', 'add', 'soc', '--role', 'analyst', '--data', data], { input: Buffer.from('a long enough password\n') });
    expect(add.code, add.stderr).toBe(0);
    // A telnet service accepting a default credential, so `cases build` beside the server has a finding.
    const ctx = await openContext(configSchema.parse({ dataDir: data }));
    try {
      await writeServices(ctx.events, ctx.enricher, [serviceRow({ ip: '192.0.2.10', port: 23, transport: 'tcp', service: 'telnet', weak_credential: 1, credential_list: 'l', credential_id: 'c1' }, '2026-11-01T00:00:00Z')], { dedupToken: 'beside' });
    } finally {
      await ctx.close();
    }
    // At the default log level (info): Fastify's own "Server listening" line came first before.
    server = startCli(['serve', '--data', data, '--port', '0', '--host', '127.0.0.1']);
    [base, link] = await new Promise<[string, string]>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no URL and link within 120 s: ${out}`)), 120_000);
      server?.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const u = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
        const l = /http:\/\/127\.0\.0\.1:\d+\/api\/v1\/auth\/link\?token=[\w-]+/.exec(out);
        if (u && l) { clearTimeout(timer); serverOut = out; resolve([u[0], l[0]]); }
      });
      server?.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited with ${code}: ${out}`)); });
    });
  }, 180_000);
  afterAll(async () => {
    await stopServer(server);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints its own lines first: the console URL, then the link; no log line before them', () => {
    expect(serverOut.split('\n').slice(0, 2)).toEqual([expect.stringMatching(/^Sakimori console: http:/), expect.stringMatching(/^Sign in \(one-time link/)]);
  });

  it('keeps the socket to the owner and answers nobody anonymously over TCP', async () => {
    const sock = join(data, 'run', 'sakimori.sock');
    expect(statSync(sock).isSocket()).toBe(true);
    expect(statSync(sock).mode & 0o777).toBe(0o600);
    expect(statSync(join(data, 'run')).mode & 0o777).toBe(0o700);
    expect((await fetch(new URL('api/v1/darknet/range', base))).status).toBe(401);
    expect((await fetch(new URL('metrics', base))).status).toBe(401);
    expect(await (await fetch(new URL('api/v1/status', base))).json()).toEqual({ ok: true });
  });

  it('runs read and write commands through the socket, with no key and no STORE_LOCKED', async () => {
    const host = await runCli(['host', '192.0.2.1', '--data', data]);
    expect(host.stderr).toMatch(/NOT_FOUND/);
    expect(host.stderr).not.toMatch(/AUTH_REQUIRED|STORE_LOCKED/);
    const report = await runCli(['report', 'darknet', '--from', '2026-11-01', '--json', '--data', data]);
    expect(report.code, report.stderr).toBe(0);
    expect(JSON.parse(report.stdout)).toMatchObject({ packets: 0 });
    const scope = await runCli(['scope', 'add', 'lab', '--cidr', '127.0.0.0/30', '--owner', 'lab', '--legal-basis', 'own hosts', '--from', '2026-01-01T00:00:00Z', '--to', '2027-12-31T00:00:00Z', '--data', data]);
    expect(scope.code, scope.stderr).toBe(0);
    const scopes = await runCli(['scope', 'list', '--json', '--data', data]);
    expect(JSON.parse(scopes.stdout)).toEqual([expect.objectContaining({ name: 'lab' })]);
    // C&C candidates come from the server's flow route (no flows stored yet: none).
    const cnc = await runCli(['cnc', 'candidates', '--json', '--data', data]);
    expect(cnc.code, cnc.stderr).toBe(0);
    expect(JSON.parse(cnc.stdout)).toEqual([]);
    // Honeypots (issue 18): the report and the hub's honeypot indicators through the server's routes.
    const honeypot = await runCli(['report', 'honeypot', '--from', '2026-11-01', '--json', '--data', data]);
    expect(honeypot.code, honeypot.stderr).toBe(0);
    expect(JSON.parse(honeypot.stdout)).toMatchObject({ events: 0, sessions: 0, logins: { attempts: 0 } });
    const hpShare = await runCli(['share', 'honeypot', '--collection', 'no-such-collection', '--dry-run', '--data', data]);
    expect(hpShare.stderr).toMatch(/NOT_FOUND/);
    expect(hpShare.stderr).not.toMatch(/AUTH_REQUIRED|STORE_LOCKED/);
    // Never computed: computed through the server first (POST /campaigns/compute), then listed.
    const campaigns = await runCli(['campaigns', '--json', '--data', data]);
    expect(campaigns.code, campaigns.stderr).toBe(0);
    expect(JSON.parse(campaigns.stdout)).toMatchObject({ computedAt: expect.any(String), campaigns: [] });
    const deliveries = await runCli(['notify', 'deliveries', '--json', '--data', data]);
    expect(deliveries.code, deliveries.stderr).toBe(0);
    expect(JSON.parse(deliveries.stdout)).toEqual([]);
    const round = await runCli(['notify', 'round', '--send', '--data', data]);
    expect(round.code, round.stderr).toBe(0);
    expect(round.stdout).toMatch(/^nothing to tell\nsent 0, retrying 0, failed 0; 0 cases notified\nnothing was due/);
    const send = await runCli(['notify', 'send', '--json', '--data', data]);
    expect(JSON.parse(send.stdout)).toEqual({ sent: 0, retrying: 0, failed: 0, casesNotified: 0, errors: {}, waiting: { deliveries: 0, nextAttemptAt: null } });
    // An export streams through the socket too (it went over TCP without a key before).
    const exported = await runCli(['search', 'port:23', '--export', 'csv', '--data', data]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/^time,ip,port,/);
    const effects = await runCli(['effects', '--data', data]);
    expect(effects.code, effects.stderr).toBe(0);
    expect(effects.stdout).toMatch(/^no effects to measure: there are no cases yet/);
    // Organisations, their constituencies and whom to tell, through the server too (STORE_LOCKED before).
    const org = await runCli(['org', 'add', 'ISP Alpha', '--prefix', '192.0.2.0/24', '--email', 'abuse@alpha.example', '--data', data]);
    expect(org.stdout, org.stderr).toMatch(/^ISP Alpha .*\n {2}contacts: abuse@alpha\.example\n {2}prefixes: 192\.0\.2\.0\/24\n/);
    expect((await runCli(['org', 'add-asn', 'ISP Alpha', '64500', '--data', data])).stdout).toMatch(/ASNs: AS64500/);
    const who = await runCli(['responsible', '192.0.2.7', '--data', data]);
    expect(who.stdout, who.stderr).toMatch(/^192\.0\.2\.7 {2}AS unknown\n {2}→ ISP Alpha <abuse@alpha\.example>/);
    // A user is added through the server too (STORE_LOCKED before), and listed with its organisation's name.
    const added = await runCli(['user', 'add', 'ana', '--role', 'analyst', '--data', data], { input: Buffer.from('another long password\n') });
    expect(added.stdout, added.stderr).toBe('user ana (analyst) created\n');
    const users = await runCli(['user', 'list', '--data', data]);
    expect(users.stdout).toBe('ana  analyst\nsoc  analyst\n');
  });

  it('says who serves whom through the socket (sakimori org serves|unserve), with the same lines as locally', async () => {
    for (const name of ['Serving ISP', 'Its Customer', 'Its Member']) expect((await runCli(['org', 'add', name, '--data', data])).code).toBe(0);
    const set = await runCli(['org', 'serves', 'Serving ISP', 'Its Customer', 'Its Member', '--relation', 'customer', '--data', data]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toBe('serves:\n  Its Customer (customer)\n  Its Member (customer)\nserved by: nobody\n');
    const back = await runCli(['org', 'serves', 'Its Customer', '--json', '--data', data]);
    expect(JSON.parse(back.stdout)).toMatchObject({ serves: [], servedBy: [{ serverName: 'Serving ISP', relation: 'customer' }] });
    const un = await runCli(['org', 'unserve', 'Serving ISP', 'Its Member', '--data', data]);
    expect(un.stdout).toBe('serves:\n  Its Customer (customer)\nserved by: nobody\n');
    const bad = await runCli(['org', 'serves', 'Serving ISP', 'Serving ISP', '--data', data]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/cannot serve itself/);
  });

  it('builds, verifies, lists, shows and acknowledges cases through the socket (STORE_LOCKED before)', async () => {
    const build = await runCli(['cases', 'build', '--data', data]);
    expect(build.stdout, build.stderr).toMatch(/^1 findings: 1 new cases, 0 seen again, 0 reopened, 0 opted out — [\d.]+ s\nno recipient: none \(every finding has an organisation or an abuse contact\)\n$/);
    expect((await runCli(['cases', 'build', '--data', data])).stdout).toMatch(/^1 findings: 0 new cases, 1 seen again,/);
    const verify = await runCli(['cases', 'verify', '--quiet-days', '3', '--json', '--data', data]);
    expect(JSON.parse(verify.stdout), verify.stderr).toEqual({ checked: 1, resolved: 0, byKind: {} });
    const list = await runCli(['cases', 'list', '--data', data]);
    expect(list.stdout, list.stderr).toMatch(/^#1 {2}new {10}default_credential {3}192\.0\.2\.10 {7}ISP Alpha\n$/);
    expect((await runCli(['cases', 'list', '--state', 'resolved', '--data', data])).stdout).toBe('no cases\n');
    const ack = await runCli(['cases', 'ack', '1', '--note', 'seen by the NOC', '--data', data]);
    expect(ack.stdout, ack.stderr).toBe('case 1 acknowledged\n');
    const shown = JSON.parse((await runCli(['cases', 'show', '1', '--json', '--data', data])).stdout) as { state: string; events: { to: string; reason: string }[] };
    expect(shown.state).toBe('acknowledged');
    expect(shown.events.at(-1)).toMatchObject({ to: 'acknowledged', reason: 'seen by the NOC' });
    expect((await runCli(['cases', 'opt-out', '192.0.2.10', '--reason', 'their own honeypot', '--data', data])).stdout).toBe('opted out: 192.0.2.10\n');
    expect((await runCli(['cases', 'build', '--data', data])).stdout).toMatch(/^1 findings: 0 new cases, 0 seen again, 0 reopened, 1 opted out/);
    const missing = await runCli(['cases', 'show', '99', '--data', data]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/NOT_FOUND/);
    expect(missing.stderr).not.toMatch(/STORE_LOCKED/);
  });

  it('creates, runs and lists monitors through the socket', async () => {
    const add = await runCli(['monitor', 'add', 'alpha', '--cidr', '192.0.2.0/24', '--data', data]);
    expect(add.stdout, add.stderr).toMatch(/^monitor alpha \(\S+\) created: 192\.0\.2\.0\/24; kinds /);
    const run = await runCli(['monitor', 'run', 'alpha', '--data', data]);
    expect(run.stdout, run.stderr).toMatch(/^alpha: 1 services, \d+ findings, baseline taken/);
    const findings = await runCli(['monitor', 'findings', 'alpha', '--json', '--data', data]);
    const keys = (JSON.parse(findings.stdout) as { key: string }[]).map((f) => f.key);
    expect(keys.length, findings.stderr).toBeGreaterThan(0);
    expect((await runCli(['monitor', 'mute', 'alpha', keys[0] ?? '', '--data', data])).stdout).toBe(`muted ${keys[0]}\n`);
    expect((await runCli(['monitor', 'list', '--data', data])).stdout).toMatch(/^alpha {2}on {3}192\.0\.2\.0\/24/);
    expect((await runCli(['monitor', 'remove', 'alpha', '--data', data])).stdout).toBe('removed alpha\n');
  });

  it('changes a password and disables and enables a user through the socket; the server honours it at once', async () => {
    const login = async (password: string): Promise<number> => (await fetch(new URL('api/v1/auth/login', base), {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ana', password }),
    })).status;
    const passwd = await runCli(['user', 'passwd', 'ana', '--data', data], { input: Buffer.from('a brand new passphrase\n') });
    expect(passwd.stdout, passwd.stderr).toBe('password of ana changed\n');
    expect(await login('a brand new passphrase')).toBe(200);
    expect((await runCli(['user', 'disable', 'ana', '--data', data])).stdout).toBe('ana disabled\n');
    expect(await login('a brand new passphrase')).toBe(401);
    expect((await runCli(['user', 'list', '--data', data])).stdout).toMatch(/^ana {2}analyst {2}\(disabled\)$/m);
    expect((await runCli(['user', 'enable', 'ana', '--data', data])).stdout).toBe('ana enabled\n');
    expect(await login('a brand new passphrase')).toBe(200);
    const weak = await runCli(['user', 'passwd', 'ana', '--data', data], { input: Buffer.from('short\n') });
    expect(weak.code).not.toBe(0);
    expect(weak.stderr).toMatch(/password/);
    expect(weak.stderr).not.toMatch(/STORE_LOCKED/);
  });

  it('writes the observation report, imports contacts, vulnerability feeds and survey outputs through the socket', async () => {
    const html = join(dir, 'report.html');
    const report = await runCli(['report', 'observation', '--from', '2026-11-01', '--lang', 'en', '--out', html, '--data', data]);
    expect(report.stdout, report.stderr).toBe(`wrote ${html}\n`);
    expect(readFileSync(html, 'utf8')).toMatch(/^<!doctype html>/i);

    const csv = join(dir, 'contacts.csv');
    writeFileSync(csv, 'network,asn,email,name\n203.0.113.0/24,,noc@isp.example,ISP\n10.0.0.0/33,,x@y.example,bad net\n');
    const contacts = await runCli(['contacts', 'import', csv, '--source', 'OURS', '--data', data]);
    expect(contacts.stdout, contacts.stderr).toMatch(/^source OURS \(csv\): \d+ objects, 1 address blocks and ASes, 1 contact rows stored, 0 without an abuse contact\n1 bad lines skipped; first:\n {2}\S*contacts\.csv:3: /);
    // Named as typed, not as the absolute path the server was sent.
    const typed = relative(packageRoot(), csv);
    const again = await runCli(['contacts', 'import', typed, '--source', 'OURS', '--json', '--data', data]);
    expect(again.stderr).toBe('');
    expect(JSON.parse(again.stdout)).toMatchObject({ files: [typed], firstBad: [{ file: typed, line: 3 }] });
    expect((await runCli(['responsible', '203.0.113.9', '--data', data])).stdout).toMatch(/noc@isp\.example/);
    expect((await runCli(['contacts', 'lookup', '203.0.113.9', '--data', data])).stdout).toMatch(/^noc@isp\.example {2}\(OURS /);
    const unknown = await runCli(['contacts', 'lookup', 'AS64999', '--data', data]);
    expect(unknown.stderr).toBe('error NOT_FOUND: not found: no abuse contact known for AS64999 (what=AS64999)\n');

    const kev = join(dir, 'kev.json');
    writeFileSync(kev, kevFeed([kevEntry('CVE-2024-6387', 'OpenBSD', 'OpenSSH')]));
    const vulns = await runCli(['vulns', 'import', kev, '--format', 'kev', '--data', data]);
    expect(vulns.stdout, vulns.stderr).toMatch(new RegExp(`^${kev.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: KEV feed kev .*1 KEV entries stored`));
    expect((await runCli(['vulns', 'feeds', '--data', data])).stdout).toMatch(/^kev {2}kev /);

    const masscan = join(dir, 'masscan.txt');
    writeFileSync(masscan, '#masscan\nopen tcp 8080 192.0.2.20 1730419200\n# end\n');
    const imported = await runCli(['import', 'masscan', masscan, '--json', '--data', data]);
    expect(JSON.parse(imported.stdout), imported.stderr).toMatchObject({ records: 1, services: 1, stored: 1, errors: 0 });
    expect((await runCli(['host', '192.0.2.20', '--json', '--data', data])).stdout).toMatch(/8080/);
  });

  it('runs a survey of an authorised scope through the socket and lists it', async () => {
    const run = await runCli(['survey', 'run', 'lab', '--ports', '9', '--modules', 'telnet', '--json', '--data', data]);
    expect(run.code, run.stderr).toBe(0);
    const r = JSON.parse(run.stdout) as { id: string; status: string };
    expect(r.status).toBe('done');
    expect((await runCli(['survey', 'list', '--data', data])).stdout).toContain(r.id);
  });

  it('ingests darknet captures through the socket, with the summary it prints locally; standard input is refused in one message', async () => {
    const pcap = relative(packageRoot(), sharedData('pcap/tcp-control-single_syn.pcap'));
    const first = await runCli(['ingest', 'darknet', pcap, '--sensor', 'lab', '--data', data]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^(daily reports updated for .*\\n)?${pcap.replace(/[.]/g, '\\.')}: 1 packets \\(1 new, 0 already stored\\), pcap, 1 records\\n1 file\\(s\\), 1 packets in `));
    const again = await runCli(['ingest', 'darknet', pcap, '--sensor', 'lab', '--json', '--data', data]);
    expect(JSON.parse(again.stdout)).toMatchObject({ files: [{ file: pcap, status: 'already-ingested' }] });
    const stdin = await runCli(['ingest', 'darknet', '-', '--data', data], { input: readFileSync(sharedData('pcap/tcp-control-single_syn.pcap')) });
    expect(stdin.code).not.toBe(0);
    expect(stdin.stderr).toMatch(/^error STORE_LOCKED: the data directory is in use by another process: a running server holds it, and standard input cannot be handed to the server: save the capture to a file/);
    expect(stdin.stderr.match(/in use by another process/g)).toHaveLength(1);
  });

  it('ingests a honeypot log through the socket, with the summary it prints locally, once', async () => {
    const log = relative(packageRoot(), sharedData('honeypot/cowrie.json.2018-05-06'));
    const first = await runCli(['ingest', 'honeypot', log, '--data', data]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`${log}: 208 events (208 new, 0 already stored), cowrie, 211 lines\n  skipped: ignored:cowrie.log.open 2 (first at line 17), merged:cowrie.command.failed 1 (first at line 20)\n`);
    const again = await runCli(['ingest', 'honeypot', log, '--format', 'cowrie', '--json', '--data', data]);
    expect(JSON.parse(again.stdout)).toMatchObject({ files: [{ file: log, status: 'already-ingested', duplicateRecords: 208 }] });
  });

  it('creates, lists and revokes API keys through the socket, and the server honours them at once', async () => {
    const created = await runCli(['apikey', 'create', 'soc', '--name', 'ci', '--data', data]);
    expect(created.code, created.stderr).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^sk_/);
    const range = (): Promise<Response> => fetch(new URL('api/v1/darknet/range', base), { headers: { authorization: `Bearer ${key}` } });
    expect((await range()).status).toBe(200);
    const prefix = /key (\S+) \(read\) for soc/.exec(created.stderr)?.[1] ?? '';
    expect((await runCli(['apikey', 'list', '--data', data])).stdout).toContain(`${prefix}  soc  ci  read`);
    expect((await runCli(['apikey', 'revoke', prefix, '--data', data])).stdout).toBe(`revoked ${prefix}\n`);
    expect((await range()).status).toBe(401);
  });

  it('prints a new one-time link on request; each link signs in once', async () => {
    const first = await fetch(link, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('set-cookie')).toMatch(/sakimori_session=/);
    expect((await fetch(link, { redirect: 'manual' })).status).toBe(401);
    const again = await runCli(['signin-link', '--data', data]);
    expect(again.code, again.stderr).toBe(0);
    const fresh = again.stdout.trim();
    expect(fresh).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/auth\/link\?token=[\w-]+$/);
    expect((await fetch(fresh, { redirect: 'manual' })).status).toBe(303);
  });
});
