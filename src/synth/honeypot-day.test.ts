/** The synthetic honeypot day: deterministic, inside its day, valid kinds, and the campaigns it plants. */
import { describe, expect, it } from 'vitest';
import { HONEYPOT_DAY_PLANTS as P, synthHoneypotDay } from './honeypot-day.js';
import { HONEYPOT_EVENT_KINDS, HONEYPOT_SOURCES } from '../schema/honeypot-event.js';

const DAY = '2026-11-19';

describe('synthHoneypotDay', () => {
  const rows = synthHoneypotDay({ date: DAY, bots: ['203.0.113.5', '203.0.113.6'] });

  it('is the same for the same seed and differs for another', () => {
    expect(synthHoneypotDay({ date: DAY, bots: ['203.0.113.5', '203.0.113.6'] })).toEqual(rows);
    expect(synthHoneypotDay({ date: DAY, seed: 2 })).not.toEqual(rows);
  });

  it('keeps every event inside the day with a harmonised kind and honeypot', () => {
    for (const r of rows) {
      expect(r.ts.slice(0, 10)).toBe(DAY);
      expect(HONEYPOT_EVENT_KINDS).toContain(r.kind);
      expect(HONEYPOT_SOURCES).toContain(r.honeypot);
    }
    // Every session opens and closes once.
    const opens = new Map<string, number>();
    for (const r of rows) if (r.kind === 'session.connect' || r.kind === 'session.close') opens.set(`${r.session}|${r.kind}`, (opens.get(`${r.session}|${r.kind}`) ?? 0) + 1);
    expect([...opens.values()].every((n) => n === 1)).toBe(true);
    expect(opens.size % 2).toBe(0);
  });

  it('makes the given bots Mirai-like telnet clients and plants shared URLs, hashes and dictionaries', () => {
    const bot = rows.filter((r) => r.src === '203.0.113.5');
    expect(bot.length).toBeGreaterThan(0);
    expect(bot.filter((r) => r.kind !== 'session.connect' && r.kind !== 'session.close').every((r) => r.proto === 'telnet' || r.proto === 'http')).toBe(true);
    const sources = (pred: (r: (typeof rows)[number]) => boolean): number => new Set(rows.filter(pred).map((r) => r.src)).size;
    expect(sources((r) => r.url === P.miraiLoader)).toBeGreaterThan(10);
    expect(sources((r) => r.sha256 === P.dropperHash)).toBeGreaterThan(3);
    expect(sources((r) => r.sha256 === P.minerHash)).toBeGreaterThan(1);
    expect(sources((r) => r.kind === 'login' && r.username === 'root' && r.password === 'xc3511')).toBeGreaterThan(3);
    expect(rows.filter((r) => r.kind === 'proxy').length).toBeGreaterThan(5);
    expect(new Set(rows.filter((r) => r.kind === 'ics').map((r) => r.proto)).size).toBeGreaterThan(1);
  });

  it('takes the named others before making any up', () => {
    const others = Array.from({ length: 300 }, (_, i) => `198.18.${i >> 8}.${i & 255}`);
    const day = synthHoneypotDay({ date: DAY, others });
    const used = new Set(day.map((r) => r.src));
    const named = others.filter((ip) => used.has(ip)).length;
    expect(named).toBeGreaterThan(80);
    // Everyone not a bot came from the list: nothing was made up while it lasted.
    expect([...used].every((ip) => ip.startsWith('198.18.'))).toBe(true);
  });
});
