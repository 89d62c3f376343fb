/**
 * The SSH module against a real Debian OpenSSH server started here on 127.0.0.1 with throw-away
 * host keys: the fingerprint must equal `ssh-keygen -lf key.pub`, and hassh must equal the MD5 we
 * compute by hand from the KEXINIT the server sent (read here with our own raw client).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sshModule } from '../../src/probe/modules/ssh.js';
import { loopbackContext } from '../../src/probe/testing/loopback-context.js';
import { identifyService } from '../../src/probe/identify/identify.js';
import { defaultModules } from '../../src/probe/identify/default-modules.js';
import { freePort, waitPort } from '../helpers/daemons.js';

const SSHD = '/usr/sbin/sshd';
const dirs: string[] = [];
const procs: ChildProcess[] = [];

afterAll(() => {
  for (const p of procs) p.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});


interface Daemon { port: number; pub: string; }

async function startSshd(keyType: 'ed25519' | 'rsa' | 'ecdsa', extra: string[] = []): Promise<Daemon> {
  if (!existsSync(SSHD)) throw new Error('openssh-server missing: apt-get install -y --no-install-recommends openssh-server');
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = mkdtempSync(join(tmpdir(), 'sakimori-sshd-'));
  dirs.push(dir);
  const key = join(dir, `host_${keyType}`);
  execFileSync('ssh-keygen', ['-q', '-t', keyType, ...(keyType === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-f', key]);
  const cfg = join(dir, 'sshd_config');
  writeFileSync(cfg, [
    `HostKey ${key}`, 'ListenAddress 127.0.0.1', `PidFile ${join(dir, 'sshd.pid')}`,
    'UsePAM no', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'LogLevel ERROR', ...extra, '',
  ].join('\n'));
  const port = await freePort();
  let log = '';
  const proc = spawn(SSHD, ['-D', '-e', '-f', cfg, '-p', String(port), '-h', key], { stdio: ['ignore', 'ignore', 'pipe'] });
  proc.stderr?.on('data', (d: Buffer) => { log += d.toString(); });
  procs.push(proc);
  await waitPort(port, proc, () => log);
  const pub = execFileSync('ssh-keygen', ['-lf', `${key}.pub`]).toString().trim();
  return { port, pub };
}

/** Independent reading of the server's KEXINIT: raw bytes, offsets by hand. */
async function rawServerKexInit(port: number): Promise<string[]> {
  const data = await new Promise<Buffer>((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    s.write('SSH-2.0-RawTest_1\r\n');
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const nl = buf.indexOf('\n');
      if (nl >= 0 && buf.length >= nl + 5 && buf.length >= nl + 5 + buf.readUInt32BE(nl + 1)) { s.destroy(); resolve(buf.subarray(nl + 1)); }
    });
    s.on('error', reject);
  });
  let off = 4 + 1 + 1 + 16; // packet_length, padding_length, msg type, cookie
  const lists: string[] = [];
  for (let i = 0; i < 10; i++) {
    const n = data.readUInt32BE(off);
    lists.push(data.subarray(off + 4, off + 4 + n).toString('latin1'));
    off += 4 + n;
  }
  return lists;
}

function expectedHassh(lists: string[]): string {
  // kex; encryption s2c; mac s2c; compression s2c (lists 0, 3, 5, 7)
  return createHash('md5').update(`${lists[0]};${lists[3]};${lists[5]};${lists[7]}`).digest('hex');
}

describe.each([
  ['ed25519', 'ED25519', 'ssh-ed25519'],
  ['rsa', 'RSA', 'rsa-sha2-512'],
  ['ecdsa', 'ECDSA', 'ecdsa-sha2-nistp256'],
] as const)('OpenSSH with a %s host key', (keyType, label, alg) => {
  it('gets ident, kex list, hassh and the host key fingerprint ssh-keygen prints', async () => {
    const d = await startSshd(keyType);
    const target = { ip: '127.0.0.1', port: d.port, transport: 'tcp' as const };
    const r = await sshModule.probe(target, loopbackContext({ readTimeoutMs: 5000 }));
    const f = r.finding;
    expect(f.error).toBe('');
    expect(r.identified).toBe(true);
    expect(f.status).toBe('open');
    expect(f.service).toBe('ssh');
    expect(f.ssh_ident).toMatch(/^SSH-2\.0-OpenSSH_\S+/);
    const [, , fp, type] = /^(\d+) (SHA256:\S+) .* \((\w+)\)$/.exec(d.pub) ?? [];
    expect(type).toBe(label);
    expect(f.ssh_host_key_sha256).toBe(fp);
    expect(f.ssh_host_key_type).toBe(alg);
    const lists = await rawServerKexInit(d.port);
    expect(f.ssh_hassh).toBe(expectedHassh(lists));
    expect(f.ssh_kex).toEqual((lists[0] ?? '').split(','));
    const details = JSON.parse(f.details ?? '{}') as Record<string, unknown>;
    expect(details['product']).toBe('OpenSSH');
    expect(String(details['version'])).toMatch(/^\d/);
    expect(details['host_key_algorithms']).toEqual((lists[1] ?? '').split(','));
    expect(details['signature_verified']).toBe(true);
  });
});

describe('key exchange fallbacks', () => {
  it.each(['ecdh-sha2-nistp256', 'ecdh-sha2-nistp521', 'diffie-hellman-group14-sha256', 'diffie-hellman-group16-sha512', 'curve25519-sha256@libssh.org'])('completes %s when it is the only kex offered', async (kex) => {
    const d = await startSshd('ed25519', [`KexAlgorithms ${kex}`]);
    const r = await sshModule.probe({ ip: '127.0.0.1', port: d.port, transport: 'tcp' }, loopbackContext({ readTimeoutMs: 5000 }));
    expect(r.finding.error).toBe('');
    // OpenSSH adds pseudo-algorithms (kex-strict-s-v00@openssh.com, ext-info-s) after the real one.
    expect(r.finding.ssh_kex?.[0]).toBe(kex);
    expect(JSON.parse(r.finding.details ?? '{}')).toMatchObject({ kex_used: kex, signature_verified: true });
    expect(r.finding.ssh_host_key_sha256).toBe(/(SHA256:\S+)/.exec(d.pub)?.[1]);
  });
});

describe('identification of sshd on an unexpected port', () => {
  it('finds ssh by the first bytes', async () => {
    const d = await startSshd('ed25519');
    const r = await identifyService({ ip: '127.0.0.1', port: d.port, transport: 'tcp' }, loopbackContext({ readTimeoutMs: 3000 }), [sshModule]);
    expect(r.identified).toBe(true);
    expect(r.finding.service).toBe('ssh');
    expect(r.finding.ssh_host_key_sha256).toBe(/(SHA256:\S+)/.exec(d.pub)?.[1]);
  });

  it('finds ssh with every module present (defaultModules)', async () => {
    const d = await startSshd('rsa');
    const mods = await defaultModules();
    const r = await identifyService({ ip: '127.0.0.1', port: d.port, transport: 'tcp' }, loopbackContext({ readTimeoutMs: 3000 }), mods);
    expect(r.finding.service).toBe('ssh');
    expect(r.attempts[0]?.module).toBe('ssh');
    expect(r.finding.ssh_host_key_sha256).toBe(/(SHA256:\S+)/.exec(d.pub)?.[1]);
  });
});
