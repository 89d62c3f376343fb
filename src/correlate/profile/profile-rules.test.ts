/** The verdict's rules and the timeline's bound, on facts made here (no store needed). */
import { describe, expect, it } from 'vitest';
import { BENIGN_AT, EVIDENCE_CODES, MALICIOUS_AT, verdictOf, WEIGHTS, type VerdictFacts } from './verdict.js';
import { buildTimeline, type TimelineParts } from './timeline.js';
import type { HoneypotSummary } from './profile-types.js';

const none: VerdictFacts = { tags: [], warningLists: [], darknet: null, honeypot: null, honeypotFiles: 0, defaultCredentials: [], indicators: [], flowServerDays: 0 };
const hp = (o: Partial<HoneypotSummary> = {}): HoneypotSummary => ({
  firstSeen: '2026-01-01T00:00:00.000Z', lastSeen: '2026-01-01T00:00:00.000Z', sessions: 1, logins: { attempts: 0, success: 0, failed: 0 },
  commands: [], urls: [], hashes: [], credentials: [], honeypots: ['cowrie'], protos: ['ssh'], clients: [], ...o,
});

describe('verdict', () => {
  it('nothing known: unknown, no evidence', () => {
    expect(verdictOf(none)).toEqual({ verdict: 'unknown', actor: null, score: 0, evidence: [] });
  });

  it('darknet scanning alone is weak; with the Mirai fingerprint it is malicious', () => {
    expect(verdictOf({ ...none, darknet: { scan: 1000, backscatter: 0, other: 0 } }).verdict).toBe('unknown');
    const m = verdictOf({ ...none, tags: ['mirai'], darknet: { scan: 1000, backscatter: 0, other: 0 } });
    expect([m.verdict, m.evidence.map((e) => e.code)]).toEqual(['malicious', ['darknet-mirai-tag', 'darknet-scan']]);
  });

  it('a research scanner stays benign while it scans and even knocks on a honeypot, not once it logs in and downloads', () => {
    const r = verdictOf({ ...none, tags: ['shodan', 'zmap'], darknet: { scan: 10, backscatter: 0, other: 0 }, honeypot: hp({ logins: { attempts: 1, success: 0, failed: 1 } }) });
    expect([r.verdict, r.actor, r.score]).toEqual(['benign', 'Shodan', WEIGHTS['research-scanner-tag'] + WEIGHTS['darknet-scan'] + WEIGHTS['honeypot-login-attempts']]);
    const bad = verdictOf({ ...none, tags: ['censys'], honeypot: hp({ logins: { attempts: 1, success: 1, failed: 0 }, commands: ['wget x'], urls: ['http://x/y'] }), honeypotFiles: 1 });
    expect([bad.verdict, bad.actor]).toEqual(['malicious', 'Censys']);
  });

  it('an exposed default credential is a victim until the address attacks', () => {
    const victim = verdictOf({ ...none, defaultCredentials: ['tcp/23 telnet'] });
    expect([victim.verdict, victim.evidence.map((e) => [e.code, e.weight])]).toEqual(['unknown', [['exposed-default-credential', 0]]]);
    const infected = verdictOf({ ...none, defaultCredentials: ['tcp/23 telnet'], honeypot: hp({ logins: { attempts: 3, success: 0, failed: 3 } }) });
    expect([infected.verdict, infected.evidence.map((e) => e.code)]).toEqual(['malicious', ['infected-device', 'honeypot-login-attempts']]);
    const scanning = verdictOf({ ...none, defaultCredentials: ['tcp/23 telnet'], darknet: { scan: 41, backscatter: 0, other: 0 } });
    expect([scanning.verdict, scanning.evidence.map((e) => e.code)]).toEqual(['malicious', ['infected-device', 'darknet-scan']]);
    const victimOfDos = verdictOf({ ...none, defaultCredentials: ['tcp/23 telnet'], darknet: { scan: 0, backscatter: 50, other: 0 } });
    expect(victimOfDos.evidence.map((e) => e.code)).toEqual(['exposed-default-credential', 'dos-victim']);
  });

  it('shared indicators: a C&C label, malicious labels, a scanner label; a revoked one does not count', () => {
    const v = (labels: string[], revoked = false): string[] => verdictOf({ ...none, indicators: [{ id: 'i', labels, revoked }] }).evidence.map((e) => e.code);
    expect(v(['c2', 'flow-detection'])).toEqual(['cnc-candidate']);
    expect(v(['Malicious-Activity'])).toEqual(['shared-indicator']);
    expect(v(['scanner', 'zmap'])).toEqual(['shared-indicator-scanner']);
    expect(v(['c2'], true)).toEqual([]);
    expect(v(['benign-ish'])).toEqual([]);
  });

  it('thresholds and codes are what the contract lists', () => {
    expect([MALICIOUS_AT, BENIGN_AT]).toEqual([3, -2]);
    expect(EVIDENCE_CODES).toContain('honeypot-login-success');
    expect(EVIDENCE_CODES.filter((c) => WEIGHTS[c] < 0)).toEqual(['research-scanner-tag', 'research-scanner-list']);
  });
});

describe('timeline', () => {
  const empty: TimelineParts = { darknetDays: [], episodes: [], sessions: [], services: [], defaultCredentialSince: new Map(), flowDays: [], indicators: [] };
  const day = (i: number): TimelineParts['darknetDays'][number] => {
    const d = new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString();
    return { day: d.slice(0, 10), first: d, last: d, packets: 5, scan: 5, backscatter: 0, other: 0, ports: 'tcp/23 5' };
  };

  it('keeps the most recent entries, oldest first, and counts the rest', () => {
    const { entries, truncated } = buildTimeline({ ...empty, darknetDays: Array.from({ length: 12 }, (_, i) => day(i)) }, 5);
    expect(truncated).toBe(7);
    expect(entries.map((e) => e.detail['day'])).toEqual(['2026-01-08', '2026-01-09', '2026-01-10', '2026-01-11', '2026-01-12']);
  });

  it('leaves out a day of backscatter only (its episode tells it) and an indicator without a date', () => {
    const { entries } = buildTimeline({
      ...empty,
      darknetDays: [{ ...day(0), scan: 0, backscatter: 5 }],
      episodes: [{ start: '2026-01-01T03:00:00.000Z', end: '2026-01-01T05:00:00.000Z', packets: 5, peak: 4, peakHour: '2026-01-01T03:00:00.000Z' }],
      indicators: [{ id: 'x', collection: 'c', labels: [], revoked: false, tlp: null, at: '' }],
    });
    expect(entries.map((e) => `${e.source}:${e.kind}`)).toEqual(['darknet:backscatter']);
  });
});
