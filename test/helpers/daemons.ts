/**
 * Real Debian daemons for survey tests, each configured by the test in a temporary directory,
 * bound to one address (loopback or an address of a network namespace the test created), and
 * given a weakness we plant on purpose: a telnet login with a default password, an HTTP Basic
 * realm with one, an anonymous FTP server, an MQTT broker that takes anonymous clients, a Redis
 * without a password, a TLS server with a self-signed certificate, an SSH server.
 */
import { execFileSync, spawn as spawnLocal, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Starts a program (in a namespace: `ns.spawn`; here: a local spawn). */
export type Spawner = (cmd: string, args: readonly string[]) => ChildProcess;

export const localSpawner: Spawner = (cmd, args) => spawnLocal(cmd, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });

export interface Daemon {
  readonly name: string;
  readonly ip: string;
  readonly port: number;
  readonly proc: ChildProcess;
  /** What the daemon wrote to stderr/stdout so far (for failure messages). */
  log(): string;
}

export const BINARIES = {
  telnetd: '/usr/sbin/telnetd',
  lighttpd: '/usr/sbin/lighttpd',
  vsftpd: '/usr/sbin/vsftpd',
  mosquitto: '/usr/sbin/mosquitto',
  redis: '/usr/bin/redis-server',
  sshd: '/usr/sbin/sshd',
  openssl: '/usr/bin/openssl',
} as const;

/** The Debian packages a missing binary comes from, for a skip reason that says what to install. */
export function missingDaemons(): string | undefined {
  const pkg: Record<keyof typeof BINARIES, string> = {
    telnetd: 'inetutils-telnetd', lighttpd: 'lighttpd', vsftpd: 'vsftpd', mosquitto: 'mosquitto', redis: 'redis-server', sshd: 'openssh-server', openssl: 'openssl',
  };
  const missing = (Object.keys(BINARIES) as (keyof typeof BINARIES)[]).filter((k) => !existsSync(BINARIES[k])).map((k) => pkg[k]);
  return missing.length ? `missing Debian packages: apt-get install -y ${missing.join(' ')}` : undefined;
}

const dirs: string[] = [];
export function daemonDir(name: string): string {
  const d = mkdtempSync(join(tmpdir(), `sakimori-${name}-`));
  chmodSync(d, 0o755);
  dirs.push(d);
  return d;
}
export function removeDaemonDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

function started(name: string, ip: string, port: number, proc: ChildProcess): Daemon {
  let log = '';
  proc.stdout?.on('data', (d: Buffer) => { log = (log + d.toString()).slice(-4000); });
  proc.stderr?.on('data', (d: Buffer) => { log = (log + d.toString()).slice(-4000); });
  return { name, ip, port, proc, log: () => log };
}

/** A port nobody listens on now (the kernel's choice), on `host`. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, host, () => {
      const a = s.address();
      const port = typeof a === 'object' && a !== null ? a.port : 0;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/**
 * Waits until `host:port` accepts connections, failing early (with the daemon's log) when the
 * process exits. The connection is made from where the test runs (the host end of the link for
 * a namespace), as the survey will.
 */
export async function waitPort(port: number, proc: ChildProcess, log: () => string, host = '127.0.0.1', timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (proc.exitCode !== null) throw new Error(`daemon exited with ${proc.exitCode}: ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host, port });
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
      s.setTimeout(500, () => { s.destroy(); resolve(false); });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`daemon did not listen on ${host}:${port}: ${log()}`);
}

async function waitListening(d: Daemon): Promise<Daemon> {
  await waitPort(d.port, d.proc, () => `${d.name}: ${d.log()}`, d.ip);
  return d;
}

/**
 * inetutils telnetd, one per connection as inetd would start it, with `--exec-login` pointing at a
 * script that asks for a login and a password and gives a shell prompt for the planted pair only
 * (no system account is created). A small node listener plays inetd.
 */
export function startTelnetd(spawn: Spawner, ip: string, port: number, user: string, password: string): Promise<Daemon> {
  const dir = daemonDir('telnetd');
  const login = join(dir, 'login.sh');
  writeFileSync(login, `#!/bin/sh
tries=0
while [ $tries -lt 3 ]; do
  printf 'router login: '
  read -r u || exit 0
  printf 'Password: '
  read -r p || exit 0
  u=$(printf '%s' "$u" | tr -d '\\r'); p=$(printf '%s' "$p" | tr -d '\\r')
  if [ "$u" = '${user}' ] && [ "$p" = '${password}' ]; then
    printf '\\r\\nBusyBox v1.31.1 built-in shell (ash)\\r\\n# '
    read -r cmd
    exit 0
  fi
  printf '\\r\\nLogin incorrect\\r\\n'
  tries=$((tries+1))
done
`);
  chmodSync(login, 0o755);
  const inetd = `
const net = require('node:net');
const { spawn } = require('node:child_process');
net.createServer((c) => {
  c.on('error', () => {});
  const t = spawn(${JSON.stringify(BINARIES.telnetd)}, ['-h', '--exec-login=' + ${JSON.stringify(login)}], { stdio: [c, c, 'ignore'] });
  t.on('error', () => c.destroy());
  t.on('exit', () => c.destroy());
}).listen(${port}, ${JSON.stringify(ip)}, () => process.stdout.write('ready\\n'));
`;
  return waitListening(started('telnetd', ip, port, spawn(process.execPath, ['-e', inetd])));
}

/** lighttpd with the whole site behind HTTP Basic authentication, one planted user. */
export function startLighttpd(spawn: Spawner, ip: string, port: number, user: string, password: string): Promise<Daemon> {
  const dir = daemonDir('lighttpd');
  mkdirSync(join(dir, 'www'));
  writeFileSync(join(dir, 'www', 'index.html'), '<html><head><title>Router admin</title></head><body>ok</body></html>');
  writeFileSync(join(dir, 'users'), `${user}:${password}\n`);
  writeFileSync(join(dir, 'lighttpd.conf'), `
server.modules = ("mod_auth", "mod_authn_file")
server.document-root = "${join(dir, 'www')}"
server.bind = "${ip}"
server.port = ${port}
server.errorlog = "${join(dir, 'error.log')}"
server.tag = "lighttpd"
index-file.names = ("index.html")
auth.backend = "plain"
auth.backend.plain.userfile = "${join(dir, 'users')}"
auth.require = ("/" => ("method" => "basic", "realm" => "Router", "require" => "valid-user"))
`);
  return waitListening(started('lighttpd', ip, port, spawn(BINARIES.lighttpd, ['-D', '-f', join(dir, 'lighttpd.conf')])));
}

/** vsftpd in the foreground, anonymous login allowed (read-only root). */
export function startVsftpd(spawn: Spawner, ip: string, port: number): Promise<Daemon> {
  const dir = daemonDir('vsftpd');
  mkdirSync(join(dir, 'anon'));
  mkdirSync('/var/run/vsftpd/empty', { recursive: true });
  writeFileSync(join(dir, 'vsftpd.conf'), [
    'listen=YES', 'listen_ipv6=NO', `listen_address=${ip}`, `listen_port=${port}`, 'background=NO',
    'anonymous_enable=YES', 'local_enable=NO', 'write_enable=NO', `anon_root=${join(dir, 'anon')}`, 'no_anon_password=NO',
    'seccomp_sandbox=NO', 'secure_chroot_dir=/var/run/vsftpd/empty', 'ftpd_banner=Welcome to the test FTP service.',
    `vsftpd_log_file=${join(dir, 'vsftpd.log')}`, 'pasv_enable=NO', '',
  ].join('\n'));
  return waitListening(started('vsftpd', ip, port, spawn(BINARIES.vsftpd, [join(dir, 'vsftpd.conf')])));
}

/** mosquitto taking anonymous clients on one listener. */
export function startMosquitto(spawn: Spawner, ip: string, port: number): Promise<Daemon> {
  const dir = daemonDir('mosquitto');
  writeFileSync(join(dir, 'mosquitto.conf'), `listener ${port} ${ip}\nallow_anonymous true\npersistence false\nlog_dest stderr\nuser root\n`);
  return waitListening(started('mosquitto', ip, port, spawn(BINARIES.mosquitto, ['-c', join(dir, 'mosquitto.conf')])));
}

/** redis-server without a password, not in protected mode (so it answers a non-loopback client). */
export function startRedis(spawn: Spawner, ip: string, port: number): Promise<Daemon> {
  const dir = daemonDir('redis');
  return waitListening(started('redis', ip, port, spawn(BINARIES.redis, ['--port', String(port), '--bind', ip, '--save', '', '--appendonly', 'no', '--protected-mode', 'no', '--dir', dir])));
}

/** OpenSSH with a throw-away ed25519 host key; returns the fingerprint as `ssh-keygen -lf` prints it. */
export async function startSshd(spawn: Spawner, ip: string, port: number): Promise<Daemon & { fingerprint: string }> {
  const dir = daemonDir('sshd');
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const key = join(dir, 'host_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
  writeFileSync(join(dir, 'sshd_config'), [`HostKey ${key}`, `ListenAddress ${ip}`, `PidFile ${join(dir, 'sshd.pid')}`, 'UsePAM no', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'LogLevel ERROR', ''].join('\n'));
  const d = await waitListening(started('sshd', ip, port, spawn(BINARIES.sshd, ['-D', '-e', '-f', join(dir, 'sshd_config'), '-p', String(port)])));
  const fingerprint = (execFileSync('ssh-keygen', ['-lf', `${key}.pub`]).toString().split(' ')[1] ?? '').trim();
  return { ...d, fingerprint };
}

/** `openssl s_server` with a self-signed certificate; returns its SHA-256 fingerprint (lower-case hex). */
export async function startTlsServer(spawn: Spawner, ip: string, port: number): Promise<Daemon & { sha256: string }> {
  const dir = daemonDir('tls');
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(BINARIES.openssl, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '30', '-subj', '/CN=device.test/O=Sakimori Test']);
  const d = await waitListening(started('tls', ip, port, spawn(BINARIES.openssl, ['s_server', '-quiet', '-accept', `${ip}:${port}`, '-cert', cert, '-key', key, '-naccept', '1000'])));
  const fp = execFileSync(BINARIES.openssl, ['x509', '-noout', '-fingerprint', '-sha256', '-in', cert]).toString();
  return { ...d, sha256: (fp.split('=')[1] ?? '').replace(/:/g, '').trim().toLowerCase() };
}
