import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteStateStore } from '../store/state/pglite-store.js';
import { STATE_MIGRATIONS } from '../store/migrations/state/index.js';
import { UNRESTRICTED } from '../store/need-to-know.js';
import { effectCsv, effectReport, publishable } from './effect-report.js';

const NOW = new Date('2026-11-30T00:00:00Z');
const day = (n: number): Date => new Date(NOW.getTime() - n * 86_400_000);

describe('effect measurement', () => {
  let state: PgliteStateStore;
  let next = 1;
  /** A case notified `ago` days before NOW, resolved `fixedAfter` days after its notice (or not), reopened or not. */
  const addCase = async (org: string, kind: string, model: string, ago: number, fixedAfter: number | null, reopened = 0): Promise<void> => {
    const id = next++;
    const notified = day(ago);
    const resolved = fixedAfter === null ? null : new Date(notified.getTime() + fixedAfter * 86_400_000);
    await state.query(
      `INSERT INTO cases (id, recipient, recipient_name, ip, kind, detail, device_model, state, first_seen, last_seen, opened_at, notified_at, resolved_at, reopened_count)
       VALUES ($1, $2, $3, $4, $5, '{}', $6, $7, $8, $8, $8, $8, $9, $10)`,
      [id, `org:${org}`, `ISP ${org}`, `10.0.${Math.floor(id / 250)}.${id % 250}`, kind, model, resolved ? 'resolved' : 'notified', notified, resolved, reopened],
    );
    await state.query(`INSERT INTO case_events (case_id, at, from_state, to_state, reason, evidence) VALUES ($1, $2, 'new', 'notified', 'x', '{"round": 1}')`, [id, notified]);
    if (resolved) await state.query(`INSERT INTO case_events (case_id, at, from_state, to_state, reason) VALUES ($1, $2, 'notified', 'resolved', 'evidence')`, [id, resolved]);
  };

  beforeAll(async () => {
    state = await PgliteStateStore.open();
    for (const m of STATE_MIGRATIONS) for (const s of m.statements) await state.exec(s);
    for (const o of ['a', 'b', 'c', 'd', 'e', 'f']) await state.query("INSERT INTO organisations (id, name, kind) VALUES ($1, $2, 'isp')", [o, `ISP ${o}`]);
    // ISP a: 4 telnet cases: fixed after 2 and 10 days, one reappeared; one open for 40 days, one open for 3 days (too short to count for 7 d).
    await addCase('a', 'default_credential', 'Acme R100', 40, 2, 1);
    await addCase('a', 'default_credential', 'Acme R100', 40, 10);
    await addCase('a', 'default_credential', 'Bolt X', 40, null);
    await addCase('a', 'vulnerable_firmware', 'Bolt X', 3, null);
    // Peers b..f: b fixes everything in a day, the others nothing.
    await addCase('b', 'default_credential', 'Acme R100', 40, 1);
    for (const o of ['c', 'd', 'e', 'f']) await addCase(o, 'default_credential', 'Acme R100', 40, null);
  }, 60_000);
  afterAll(async () => { await state.close(); });

  it('computes remediation within 7/14/30 days over the cases followed that long, the median and reappearance', async () => {
    const r = await effectReport(state, { kind: 'constituency', orgId: 'a', cidrs: [], asns: [] }, { now: NOW, groupBy: 'kind', k: 5 });
    const dc = r.groups.find((g) => g.group === 'default_credential');
    expect(dc).toMatchObject({ notified: 3, resolved: 2, organisations: 1 });
    expect(dc?.within.map((w) => [w.days, w.followed, w.rate])).toEqual([[7, 3, 1 / 3], [14, 3, 2 / 3], [30, 3, 2 / 3]]);
    expect(dc?.medianDays).toBe(10);
    expect(dc?.reappearanceRate).toBe(0.5);
    const vf = r.groups.find((g) => g.group === 'vulnerable_firmware');
    expect(vf?.within[0]).toEqual({ days: 7, followed: 0, rate: null });
    // Six organisations ≥ k = 5: a sees the overall figures and its anonymous rank (b fixed all, a 2 of 3, the rest none).
    expect(r.peers).toMatchObject({ organisations: 6, rank: 2 });
    expect(r.peers?.overall.notified).toBe(9);
    expect(JSON.stringify(r)).not.toContain('ISP b');
  });

  it('hides peers below k, shows admins every organisation, and publishes only groups of at least k organisations', async () => {
    const few = await effectReport(state, { kind: 'constituency', orgId: 'a', cidrs: [], asns: [] }, { now: NOW, k: 7 });
    expect(few.peers).toBeNull();
    const admin = await effectReport(state, UNRESTRICTED, { now: NOW, groupBy: 'recipient' });
    expect(admin.groups.map((g) => g.group).sort()).toEqual(['ISP a', 'ISP b', 'ISP c', 'ISP d', 'ISP e', 'ISP f']);
    expect(publishable(admin, 5).groups).toEqual([]);
    const models = await effectReport(state, UNRESTRICTED, { now: NOW, groupBy: 'device_model' });
    expect(publishable(models, 5).groups.map((g) => g.group)).toEqual(['Acme R100']);
    const csv = effectCsv(models).split('\r\n');
    expect(csv[0]).toBe('group,notified,resolved,organisations,resolved_within_7d,resolved_within_14d,resolved_within_30d,followed_7d,followed_14d,followed_30d,median_days,reappearance_rate');
    expect(csv[1]).toMatch(/^Acme R100,7,3,6,/);
  });

  it('counts open cases per day, from the first day with a case', async () => {
    const r = await effectReport(state, UNRESTRICTED, { now: NOW, days: 45 });
    // The first cases were opened 40 days before NOW: the days before are not shown as zeros.
    expect(r.openOverTime).toHaveLength(41);
    expect(r.openOverTime[0]).toEqual({ day: '2026-10-21', open: 8 });
    expect((await effectReport(state, UNRESTRICTED, { now: NOW, days: 10 })).openOverTime.map((x) => x.day)[0]).toBe('2026-11-21');
    const at = (d: string): number | undefined => r.openOverTime.find((x) => x.day === d)?.open;
    expect(at('2026-10-21')).toBe(8); // the eight forty-day-old cases; b's is fixed only at the start of 10-22
    expect(at('2026-11-29')).toBe(6);
  });

  it('reads the cases again when they change, not before', async () => {
    const before = await effectReport(state, UNRESTRICTED, { now: NOW, groupBy: 'kind' });
    const telnet = (r: typeof before) => r.groups.find((g) => g.group === 'default_credential');
    await state.query("INSERT INTO case_events (case_id, at, from_state, to_state, reason) VALUES (3, $1, 'notified', 'resolved', 'evidence')", [day(5)]);
    const after = await effectReport(state, UNRESTRICTED, { now: NOW, groupBy: 'kind' });
    expect(telnet(after)?.resolved).toBe((telnet(before)?.resolved ?? 0) + 1);
    await state.query("DELETE FROM case_events WHERE case_id = 3 AND to_state = 'resolved'");
  });
});
