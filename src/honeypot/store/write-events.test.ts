import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStores, type TempStores } from '../../store/testing/temp-stores.js';
import type { HoneypotEventRow } from '../../schema/honeypot-event.js';
import { writeHoneypotEvents } from './write-events.js';

let stores: TempStores;
beforeAll(async () => { stores = await tempStores('honeypot-write'); });
afterAll(async () => { await stores?.dispose(); });

const rows = (): HoneypotEventRow[] => [
  { ts: '2018-05-06T17:44:05.866769Z', honeypot: 'cowrie', sensor: 's1', session: 'a1', kind: 'session.connect', proto: 'ssh', src: '88.223.26.58', src_port: 52577, dst: '172.17.0.3', dst_port: 2222 },
  { ts: '2018-05-06T17:44:06.000001Z', honeypot: 'cowrie', sensor: 's1', session: 'a1', kind: 'login', proto: 'ssh', src: '88.223.26.58', username: 'root', password: 'xc3511', success: 1 },
  { ts: '2018-05-06T17:44:07Z', honeypot: 'sakimori', session: 'b2', kind: 'download', src: '2001:db8::1', url: 'http://198.51.100.7/bins/mirai.arm7', url_host: '198.51.100.7' },
];

describe('writeHoneypotEvents', () => {
  it('stores rows with defaults for what they leave out, and a repeated token once', async () => {
    expect(await writeHoneypotEvents(stores.events, rows(), { token: 't1', storedAtMs: Date.UTC(2026, 0, 1) })).toBe(3);
    await writeHoneypotEvents(stores.events, rows(), { token: 't1', storedAtMs: Date.UTC(2026, 0, 1) });
    const got = await stores.events.query<{ ts: string; src: string; kind: string; success: number; username: string; url_host: string; stored_at: string }>(
      "SELECT toString(ts) AS ts, IPv6NumToString(src) AS src, kind, success, username, url_host, toString(stored_at) AS stored_at FROM honeypot_events ORDER BY ts");
    expect(got).toEqual([
      { ts: '2018-05-06 17:44:05.866769', src: '::ffff:88.223.26.58', kind: 'session.connect', success: -1, username: '', url_host: '', stored_at: '2026-01-01 00:00:00' },
      { ts: '2018-05-06 17:44:06.000001', src: '::ffff:88.223.26.58', kind: 'login', success: 1, username: 'root', url_host: '', stored_at: '2026-01-01 00:00:00' },
      { ts: '2018-05-06 17:44:07.000000', src: '2001:db8::1', kind: 'download', success: -1, username: '', url_host: '198.51.100.7', stored_at: '2026-01-01 00:00:00' },
    ]);
  });

  it('stores any text an attacker typed as it was: tabs, line ends, backslashes, quotes, NUL, other scripts', async () => {
    const input = 'echo -e "\\x41\\x42"\tcat /etc/passwd\r\nwget http://x/\u0000\\n 日本語 \'"';
    await writeHoneypotEvents(stores.events, [{ ts: '2018-05-06T18:00:00Z', honeypot: 'cowrie', session: 'c3', kind: 'command', src: '203.0.113.77', input, duration: 1e-7, detail: JSON.stringify({ data: 'a\tb\nc' }) }], { token: 't2' });
    const [got] = await stores.events.query<{ input: string; duration: number; detail: string; dst: string; success: number }>(
      "SELECT input, duration, detail, IPv6NumToString(dst) AS dst, success FROM honeypot_events WHERE session = 'c3'");
    expect(got).toEqual({ input, duration: 1e-7, detail: JSON.stringify({ data: 'a\tb\nc' }), dst: '::', success: -1 });
  });

  it('stores texts of every length around the encoder\'s limits, in any script, byte for byte', async () => {
    // 42/43 characters and 127/128 bytes are where the column encoder changes its way of writing.
    const texts = ['', 'a', 'é', 'aé', 'x'.repeat(42), 'x'.repeat(41) + '日', 'x'.repeat(43), '日'.repeat(42), '日'.repeat(43), 'y'.repeat(127), 'y'.repeat(128),
      '😀'.repeat(21), '😀'.repeat(22), 'z'.repeat(300) + 'é', 'w'.repeat(20000), '日本語'.repeat(5000)];
    const batch: HoneypotEventRow[] = texts.map((t, i) => ({ ts: `2018-05-07T00:00:${String(i).padStart(2, '0')}Z`, honeypot: 'cowrie', session: 'len', kind: 'command', src: '203.0.113.78', input: t, username: t.slice(0, 50) }));
    await writeHoneypotEvents(stores.events, batch, { token: 't3' });
    const got = await stores.events.query<{ input: string; username: string }>("SELECT input, username FROM honeypot_events WHERE session = 'len' ORDER BY ts");
    expect(got).toEqual(texts.map((t) => ({ input: t, username: t.slice(0, 50) })));
  });
});
