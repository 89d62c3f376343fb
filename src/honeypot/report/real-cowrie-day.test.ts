/**
 * The report over a real Cowrie day (../shared/data/honeypot/cowrie.json.2018-05-06: 211 events,
 * 64 SSH sessions from 19 addresses), read by the Cowrie reader (208 rows: two log.open events
 * are not a client's doing, and the one command.failed is folded into its command line's row).
 * Figures counted from the file by hand.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStores, type TempStores } from '../../store/testing/temp-stores.js';
import type { HoneypotEventRow } from '../../schema/honeypot-event.js';
import { CowrieReader } from '../readers/cowrie.js';
import { UNRESTRICTED } from '../../store/need-to-know.js';
import { writeHoneypotEvents } from '../store/write-events.js';
import { honeypotReport } from './honeypot-report.js';
import { defaultHoneypotWindow } from './honeypot-window.js';

/** Through the Cowrie reader itself, as `ingest honeypot` reads it. */
function convert(text: string): HoneypotEventRow[] {
  const reader = new CowrieReader(Date.UTC(2026, 0, 1));
  const rows: HoneypotEventRow[] = [];
  text.split('\n').forEach((line, i) => { if (line.trim()) reader.line(line, i + 1, rows); });
  reader.end();
  return rows;
}

let s: TempStores;
beforeAll(async () => {
  s = await tempStores('honeypot-real-cowrie');
  const rows = convert(readFileSync(new URL('../../../../shared/data/honeypot/cowrie.json.2018-05-06', import.meta.url), 'utf8'));
  expect(rows).toHaveLength(208);
  await writeHoneypotEvents(s.events, rows, { token: 'cowrie-2018-05-06' });
}, 120_000);
afterAll(async () => { await s.dispose(); });

describe('report honeypot over a real Cowrie day', () => {
  it('counts its sessions, sources, logins, commands and clients', async () => {
    const w = await defaultHoneypotWindow(s.events);
    expect(w.from.toISOString()).toBe('2018-05-06T00:00:00.000Z');
    const r = await honeypotReport(s.events, w, UNRESTRICTED);
    expect(r).toMatchObject({
      events: 208, sessions: 64, sources: 19, logins: { attempts: 4, success: 2, failed: 2 }, commands: 4, proxyRequests: 0, downloads: 0,
      byHoneypot: { cowrie: 208 }, byProto: { ssh: 64 },
    });
    expect(r.topCredentials).toEqual([
      { username: 'root', password: 'password', attempts: 2, success: 2, sources: 1 },
      { username: '', password: '', attempts: 1, success: 0, sources: 1 },
      { username: 'miner', password: 'miner', attempts: 1, success: 0, sources: 1 },
    ]);
    expect(r.topCommands.map((c) => c.command)).toEqual(['find /', 'ls', 'ls /', 'uname -a']);
    expect(r.clients.slice(0, 2)).toEqual([{ client: 'SSH-2.0-PUTTY', sessions: 54 }, { client: 'SSH-2.0-OpenSSH_7.7', sessions: 5 }]);
    expect(r.topSources.find((x) => x.ip === '88.223.26.58')).toMatchObject({ logins: 2, commands: 4 });
    expect(r.topSources.map((x) => x.sessions)).toEqual([...r.topSources.map((x) => x.sessions)].sort((a, b) => b - a));
    expect(r.topSources.reduce((n, x) => n + x.sessions, 0)).toBe(64);
    expect(r.hourly.map((h) => h.hour)).toEqual(['17', '18', '22', '23'].map((h) => `2018-05-06T${h}:00:00.000Z`));
    expect(r.hourly.reduce((n, h) => n + h.logins, 0)).toBe(4);
    expect(r.hourly.find((h) => h.hour.startsWith('2018-05-06T17'))?.commands).toBe(4);
  });
});
