/**
 * The telnet and FTP modules against real Debian daemons on 127.0.0.1:
 *
 * - inetutils-telnetd, started per connection by a small TCP listener here with the socket as its
 *   stdin/stdout (what inetd would do), so its real option negotiation runs; `--exec-login` runs
 *   a throw-away shell script instead of /bin/login that asks for a user and password and shows a
 *   `$ ` prompt for one planted pair of the built-in list — no system account is created. The
 *   script logs the user names tried and anything typed after a login (which must stay empty).
 * - vsftpd with anonymous access, a config file written into a temporary directory.
 *
 * Both need root (telnetd allocates a pty and vsftpd chroots); without root or the binaries the
 * suites are skipped with the reason in their name.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telnetModule } from '../../src/probe/modules/telnet.js';
import { ftpModule } from '../../src/probe/modules/ftp.js';
import { MODULES } from '../../src/probe/modules/index.js';
import { identifyService } from '../../src/probe/identify/identify.js';
import { builtinCredentialList } from '../../src/probe/credentials/credential-lists.js';
import { loopbackContext } from '../../src/probe/testing/loopback-context.js';
import { freePort, waitPort } from '../helpers/daemons.js';

const TELNETD = '/usr/sbin/telnetd';
const VSFTPD = '/usr/sbin/vsftpd';

function whyNot(binary: string, pkg: string): string | undefined {
  if (process.getuid?.() !== 0) return 'skipped: needs root (pty for telnetd, chroot for vsftpd)';
  if (!existsSync(binary)) return `skipped: ${binary} missing (apt-get install -y ${pkg})`;
  return undefined;
}

const dirs: string[] = [];
const procs: ChildProcess[] = [];
const servers: Server[] = [];
afterAll(async () => {
  for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});


const settle = (ms = 300): Promise<void> => new Promise((r) => setTimeout(r, ms));

const telnetSkip = whyNot(TELNETD, 'inetutils-telnetd');
describe.skipIf(telnetSkip !== undefined)(`telnet module against inetutils-telnetd ${telnetSkip ?? ''}`, () => {
  const list = builtinCredentialList();
  // The planted pair: the sixth entry of notice-defaults (within the default 10 attempts).
  const planted = list.entries[5];
  let port = 0;
  let dir = '';

  beforeAll(async () => {
    if (planted === undefined) throw new Error('notice-defaults has fewer than 6 entries');
    dir = mkdtempSync(join(tmpdir(), 'sakimori-telnetd-'));
    dirs.push(dir);
    const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
    const script = join(dir, 'login.sh');
    // Three tries per connection like login(1); the user name (never the password) is logged.
    writeFileSync(script, [
      '#!/bin/sh',
      'tries=0',
      'while [ "$tries" -lt 3 ]; do',
      "  printf 'Debian GNU/Linux 12\\n\\nlogin: '",
      '  IFS= read -r user || exit 0',
      "  printf 'Password: '",
      '  stty -echo 2>/dev/null',
      '  IFS= read -r pass || exit 0',
      '  stty echo 2>/dev/null',
      "  printf '\\n'",
      `  printf '%s\\n' "$user" >> ${q(join(dir, 'tries.log'))}`,
      `  if [ "$user" = ${q(planted.username)} ] && [ "$pass" = ${q(planted.password)} ]; then`,
      "    printf 'Linux box 6.1.0 x86_64\\n\\n$ '",
      `    while IFS= read -r line; do printf '%s\\n' "$line" >> ${q(join(dir, 'after-login.log'))}; printf '$ '; done`,
      '    exit 0',
      '  fi',
      '  sleep 0.2',
      "  printf 'Login incorrect\\n'",
      '  tries=$((tries + 1))',
      'done',
      '',
    ].join('\n'));
    chmodSync(script, 0o755);
    // inetd's job: one telnetd per connection, the socket as its stdin and stdout.
    const server = createServer({ pauseOnConnect: true }, (sock) => {
      const child = spawn(TELNETD, ['-h', `--exec-login=${script}`], { stdio: [sock, sock, 'ignore'] });
      procs.push(child);
      sock.destroy();
    });
    servers.push(server);
    port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  });

  it('login prompt, real option negotiation, and the planted default pair found; nothing typed after the login', async () => {
    const log: NonNullable<Parameters<typeof loopbackContext>[0]>['log'] = [];
    const r = await telnetModule.probe({ ip: '127.0.0.1', port, transport: 'tcp' }, loopbackContext({ readTimeoutMs: 3000, credentials: list, log }));
    expect(r.identified).toBe(true);
    expect(r.finding.service).toBe('telnet');
    expect(r.finding.login_prompt).toBe(1);
    expect(r.finding.no_auth).toBe(0);
    expect(r.finding.weak_credential).toBe(1);
    expect(r.finding.credential_list).toBe('notice-defaults');
    expect(r.finding.credential_id).toBe(planted?.id);
    const d = JSON.parse(r.finding.details ?? '{}') as { options: { do: string[]; will: string[] }; credential_check: { attempts: number; connections: number } };
    // inetutils asks for the terminal type and friends first, and offers ECHO/SGA.
    expect(d.options.do).toEqual(expect.arrayContaining(['TTYPE', 'TSPEED', 'NEW-ENVIRON']));
    expect(d.options.will).toEqual(expect.arrayContaining(['ECHO', 'SGA']));
    expect(d.credential_check.attempts).toBe(6);
    expect(d.credential_check.connections).toBe(2);
    expect(log.every((l) => l.credentialListId === 'notice-defaults')).toBe(true);
    await settle();
    expect(readFileSync(join(dir, 'tries.log'), 'utf8').trim().split('\n')).toEqual(list.entries.slice(0, 6).map((e) => e.username));
    expect(existsSync(join(dir, 'after-login.log'))).toBe(false);
    const json = JSON.stringify(r);
    for (const e of list.entries.slice(0, 6)) if (e.password.length >= 4) expect(json).not.toContain(e.password);
  });

  it('identified as telnet on an unexpected port from its first bytes (no credentials: nothing tried)', async () => {
    rmSync(join(dir, 'tries.log'), { force: true });
    const r = await identifyService({ ip: '127.0.0.1', port, transport: 'tcp' }, loopbackContext({ readTimeoutMs: 3000 }), MODULES);
    expect(r.identified).toBe(true);
    expect(r.finding.service).toBe('telnet');
    expect(r.finding.login_prompt).toBe(1);
    expect(r.finding.weak_credential ?? 0).toBe(0);
    await settle();
    expect(existsSync(join(dir, 'tries.log'))).toBe(false);
  });
});

const ftpSkip = whyNot(VSFTPD, 'vsftpd');
describe.skipIf(ftpSkip !== undefined)(`ftp module against vsftpd ${ftpSkip ?? ''}`, () => {
  let port = 0;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sakimori-vsftpd-'));
    dirs.push(dir);
    const anon = join(dir, 'anon');
    const empty = join(dir, 'empty');
    mkdirSync(anon, { mode: 0o755 });
    mkdirSync(empty, { mode: 0o755 });
    port = await freePort();
    const user = (() => { try { execFileSync('id', ['-u', 'ftp']); return 'ftp'; } catch { return 'nobody'; } })();
    const cfg = join(dir, 'vsftpd.conf');
    writeFileSync(cfg, [
      'listen=YES', 'listen_ipv6=NO', 'listen_address=127.0.0.1', `listen_port=${port}`, 'background=NO',
      'anonymous_enable=YES', 'local_enable=NO', 'write_enable=NO', `anon_root=${anon}`, `ftp_username=${user}`,
      'nopriv_user=nobody', `secure_chroot_dir=${empty}`, 'seccomp_sandbox=NO', 'xferlog_enable=NO', 'dirmessage_enable=NO',
      'ftpd_banner=Sakimori test FTP', '',
    ].join('\n'), { mode: 0o600 });
    let out = '';
    const proc = spawn(VSFTPD, [cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
    proc.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
    procs.push(proc);
    await waitPort(port, proc, () => out);
  });

  it('anonymous login accepted: no_auth=1 with tag ftp-anonymous, banner and FEAT recorded', async () => {
    const r = await ftpModule.probe({ ip: '127.0.0.1', port, transport: 'tcp' }, loopbackContext({ readTimeoutMs: 3000 }));
    expect(r.identified).toBe(true);
    expect(r.finding.service).toBe('ftp');
    expect(r.finding.banner).toBe('220 Sakimori test FTP');
    expect(r.finding.login_prompt).toBe(1);
    expect(r.finding.no_auth).toBe(1);
    expect(r.finding.tags).toEqual(['ftp-anonymous']);
    expect(r.finding.weak_credential ?? 0).toBe(0);
    const d = JSON.parse(r.finding.details ?? '{}') as Record<string, unknown>;
    expect(d['anonymous']).toEqual({ outcome: 'success', code: 230 });
    expect(d['feat_code']).toBe(211);
  });

  it('the credential check on an anonymous-only server: every entry refused, the attempt limit kept', async () => {
    const list = builtinCredentialList();
    const r = await ftpModule.probe({ ip: '127.0.0.1', port, transport: 'tcp' }, loopbackContext({ readTimeoutMs: 3000, credentials: list, maxCredentialAttempts: 4 }));
    expect(r.finding.no_auth).toBe(1);
    expect(r.finding.weak_credential ?? 0).toBe(0);
    expect(r.finding.credential_list).toBe('notice-defaults');
    const d = JSON.parse(r.finding.details ?? '{}') as { credential_check: { outcome: string; attempts: number } };
    expect(d.credential_check).toMatchObject({ outcome: 'exhausted', attempts: 4 });
  });
});
