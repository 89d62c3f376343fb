/**
 * The whole survey, end to end, as an operator runs it: real Debian daemons in a network
 * namespace created here, each with one planted weakness; `sakimori scope add` and
 * `sakimori survey run` through the CLI; then the search must find exactly the planted
 * weaknesses — no more, no fewer — and the audit log must hold every probe and no password.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetns, netnsUnavailable, type Netns } from '../helpers/netns.js';
import { runCli } from '../helpers/serve.js';
import {
  missingDaemons, removeDaemonDirs, startLighttpd, startMosquitto, startRedis, startSshd, startTelnetd, startTlsServer, startVsftpd, type Daemon,
} from '../helpers/daemons.js';
import { configSchema } from '../../src/config/schema.js';
import { openContext } from '../../src/app/context.js';
import { search } from '../../src/search/search.js';
import { UNRESTRICTED } from '../../src/store/need-to-know.js';
import { kevEntry, kevFeed, nvdFeed, OPENSSH_CVES } from '../../src/vulns/testing/feeds.js';

const why = (await netnsUnavailable()) ?? missingDaemons();

/** The list the survey tries: the planted pairs sit among others, never first. */
const CREDENTIALS = {
  id: 'e2e-defaults',
  entries: [
    { id: 'e1', username: 'admin', password: 'admin' },
    { id: 'e2', username: 'root', password: 'root' },
    { id: 'e3', username: 'root', password: 'xc3511' },
    { id: 'e4', username: 'admin', password: '1234' },
    { id: 'e5', username: 'admin', password: 'password' },
    { id: 'e6', username: 'support', password: 'support' },
  ],
};

describe.skipIf(why !== undefined)('survey of planted weaknesses in a network namespace', () => {
  let ns: Netns;
  let dir: string;
  const daemons: Daemon[] = [];
  let host: (n: number) => string;
  let sshFingerprint = '';
  let tlsSha256 = '';

  beforeAll(async () => {
    ns = await createNetns({ extraHosts: [3, 4, 5, 6, 8, 9, 10] });
    host = (n: number): string => `${ns.prefix}.${n}`;
    const spawn = ns.spawn.bind(ns);
    daemons.push(await startTelnetd(spawn, host(2), 23, 'root', 'xc3511'));
    daemons.push(await startLighttpd(spawn, host(3), 80, 'admin', 'password'));
    daemons.push(await startVsftpd(spawn, host(4), 21));
    daemons.push(await startMosquitto(spawn, host(5), 1883));
    daemons.push(await startRedis(spawn, host(6), 6379));
    const ssh = await startSshd(spawn, host(8), 22);
    sshFingerprint = ssh.fingerprint;
    daemons.push(ssh);
    const tls = await startTlsServer(spawn, host(9), 993);
    tlsSha256 = tls.sha256;
    daemons.push(tls);
    // .10 answers nothing: every port closed.
    dir = mkdtempSync(join(tmpdir(), 'sakimori-survey-e2e-'));
    writeFileSync(join(dir, 'credentials.json'), JSON.stringify(CREDENTIALS));
    // A local vulnerability feed: OpenSSH records in NVD's shape, one of them in the KEV catalogue.
    writeFileSync(join(dir, 'nvdcve-2.0-test.json'), nvdFeed(OPENSSH_CVES));
    writeFileSync(join(dir, 'kev.json'), kevFeed([kevEntry('CVE-2024-6387', 'OpenBSD', 'OpenSSH')]));
  }, 120_000);

  afterAll(async () => {
    for (const d of daemons) d.proc.kill('SIGKILL');
    await ns?.close();
    removeDaemonDirs();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finds exactly the planted weaknesses, records who accepted which list entry, and never stores a password', async () => {
    const data = join(dir, 'data');
    const now = Date.now();
    await runCli(['scope', 'add', 'lab', '--data', data, '--cidr', `${ns.prefix}.0/28`, '--owner', 'Sakimori tests', '--legal-basis', 'namespace created by the test',
      '--from', new Date(now - 60_000).toISOString(), '--to', new Date(now + 3_600_000).toISOString(), '--credential-checks']);
    await runCli(['vulns', 'import', join(dir, 'nvdcve-2.0-test.json'), '--format', 'nvd', '--data', data]);
    await runCli(['vulns', 'import', join(dir, 'kev.json'), '--format', 'kev', '--data', data]);
    await runCli(['survey', 'run', 'lab', '--data', data, '--credentials', join(dir, 'credentials.json'), '--rate', '2000', '--per-host-rate', '500', '--retries', '0', '--json']);

    const ctx = await openContext(configSchema.parse({ dataDir: data, log: { level: 'silent' } }));
    try {
      const find = async (q: string): Promise<Record<string, { service: string }>> => {
        const r = await search(ctx.events, { query: q, restriction: UNRESTRICTED, limit: 1000 });
        return Object.fromEntries(r.hits.map((h) => [`${h.ip}:${h.port}`, { service: h.service }]));
      };
      const open = await find('status:open');
      expect(Object.keys(open).sort()).toEqual([`${host(2)}:23`, `${host(3)}:80`, `${host(4)}:21`, `${host(5)}:1883`, `${host(6)}:6379`, `${host(8)}:22`, `${host(9)}:993`].sort());
      expect(open[`${host(2)}:23`]?.service).toBe('telnet');
      expect(open[`${host(3)}:80`]?.service).toBe('http');
      expect(open[`${host(4)}:21`]?.service).toBe('ftp');
      expect(open[`${host(5)}:1883`]?.service).toBe('mqtt');
      expect(open[`${host(6)}:6379`]?.service).toBe('redis');
      expect(open[`${host(8)}:22`]?.service).toBe('ssh');

      expect(Object.keys(await find('weak_credential:true')).sort()).toEqual([`${host(2)}:23`, `${host(3)}:80`].sort());
      expect(Object.keys(await find('no_auth:true')).sort()).toEqual([`${host(4)}:21`, `${host(5)}:1883`, `${host(6)}:6379`].sort());

      const rows = await ctx.events.query<{ ip: string; port: number; credential_list: string; credential_id: string; ssh_host_key_sha256: string; tls_self_signed: number; tls_fingerprint_sha256: string }>(
        `SELECT replaceRegexpOne(IPv6NumToString(ip), '^::ffff:', '') AS ip, port, credential_list, credential_id, ssh_host_key_sha256, tls_self_signed, tls_fingerprint_sha256
         FROM services_current FINAL WHERE status = 'open'`,
      );
      const at = (ip: string, port: number) => rows.find((r) => r.ip === ip && r.port === port);
      expect(at(host(2), 23)).toMatchObject({ credential_list: 'e2e-defaults', credential_id: 'e3' });
      expect(at(host(3), 80)).toMatchObject({ credential_list: 'e2e-defaults', credential_id: 'e5' });
      expect(at(host(8), 22)?.ssh_host_key_sha256).toBe(sshFingerprint);
      // Debian's OpenSSH 9.2p1: identified by the fingerprint rules, CVEs inferred from the version.
      const ssh = await search(ctx.events, { query: `ip:${host(8)} product:OpenSSH cve:CVE-2024-6387 tag:kev`, restriction: UNRESTRICTED });
      expect(ssh.total).toBe(1);
      expect(ssh.hits[0]?.version).toMatch(/^9\.2/);
      expect(ssh.hits[0]?.cves).toEqual(expect.arrayContaining(['CVE-2023-38408', 'CVE-2024-6387']));
      expect(ssh.hits[0]?.cves).not.toContain('CVE-2020-15778');
      expect(at(host(9), 993)).toMatchObject({ tls_self_signed: 1, tls_fingerprint_sha256: tlsSha256 });

      // Nothing stored anywhere holds a password of the list.
      const everything = JSON.stringify(await ctx.events.query('SELECT * FROM services')) + JSON.stringify(await ctx.state.query('SELECT * FROM probe_audit'));
      for (const e of CREDENTIALS.entries) expect(everything.includes(`"${e.password}"`) || everything.includes(`:${e.password}`), e.id).toBe(false);
      // Every probe is audited, inside the scope, and the credential attempts name the list.
      const audit = await ctx.state.query<{ target_ip: string; module: string; credential_list: string | null }>('SELECT host(target_ip) AS target_ip, module, credential_list FROM probe_audit');
      expect(audit.length).toBeGreaterThan(0);
      expect(audit.filter((a) => !a.target_ip.startsWith(`${ns.prefix}.`))).toEqual([]);
      expect(audit.some((a) => a.credential_list === 'e2e-defaults')).toBe(true);
    } finally {
      await ctx.close();
    }
  }, 300_000);
});
