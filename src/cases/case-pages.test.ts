import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStores, type TempStores } from '../store/testing/temp-stores.js';
import { UNRESTRICTED, type Restriction } from '../store/need-to-know.js';
import { getCase, listCases, pageCases } from './case-store.js';

/** Pages, filters and sorts of the case list, and the deliveries of one case. */
describe('case pages', () => {
  let s: TempStores;
  const orgA: Restriction = { kind: 'constituency', orgId: 'a', cidrs: ['192.0.2.0/24'], asns: [] };
  // [recipient, ip, kind, state, last seen day]
  const rows: [string, string, string, string, number][] = [
    ['org:a', '192.0.2.1', 'default_credential', 'new', 3],
    ['org:a', '192.0.2.200', 'no_authentication', 'notified', 5],
    ['org:a', '192.0.2.30', 'default_credential', 'resolved', 1],
    ['org:b', '198.51.100.7', 'default_credential', 'new', 9],
    ['email:abuse@rir.example', '2001:db8:1::5', 'vulnerable_firmware', 'new', 7],
    ['email:abuse@rir.example', '2001:db8:2::5', 'vulnerable_firmware', 'notified', 2],
  ];
  const ids = new Map<string, number>();

  beforeAll(async () => {
    s = await tempStores('case-pages');
    for (const [recipient, ip, kind, state, day] of rows) {
      const [r] = await s.state.query<{ id: number }>(
        `INSERT INTO cases (recipient, ip, kind, state, detail, first_seen, last_seen) VALUES ($1, $2::inet, $3, $4, '{}', '2026-11-01T00:00:00Z', $5::timestamptz) RETURNING id`,
        [recipient, ip, kind, state, `2026-11-0${day}T00:00:00Z`],
      );
      ids.set(ip, Number(r?.id));
    }
  }, 120_000);
  afterAll(async () => { await s.dispose(); });

  const ips = (p: { cases: { ip: string }[] }): string[] => p.cases.map((c) => c.ip);

  it('answers a page and the number that match in all, newest seen first by default', async () => {
    const p = await pageCases(s.state, UNRESTRICTED, { limit: 2 });
    expect(p).toMatchObject({ total: 6, offset: 0, limit: 2 });
    expect(ips(p)).toEqual(['198.51.100.7', '2001:db8:1::5']);
    const next = await pageCases(s.state, UNRESTRICTED, { limit: 2, offset: 2 });
    expect(ips(next)).toEqual(['192.0.2.200', '192.0.2.1']);
    expect((await pageCases(s.state, UNRESTRICTED, { limit: 2, offset: 6 })).cases).toEqual([]);
  });

  it('bounds the page size', async () => {
    expect((await pageCases(s.state, UNRESTRICTED, { limit: 1_000_000 })).limit).toBe(1000);
  });

  it('sorts by address (numerically, IPv4 before IPv6), state and first seen', async () => {
    expect(ips(await pageCases(s.state, UNRESTRICTED, { sort: 'ip' }))).toEqual(['192.0.2.1', '192.0.2.30', '192.0.2.200', '198.51.100.7', '2001:db8:1::5', '2001:db8:2::5']);
    expect(ips(await pageCases(s.state, UNRESTRICTED, { sort: 'ip', order: 'desc', limit: 1 }))).toEqual(['2001:db8:2::5']);
    const byState = await pageCases(s.state, UNRESTRICTED, { sort: 'state' });
    expect(byState.cases.map((c) => c.state)).toEqual(['new', 'new', 'new', 'notified', 'notified', 'resolved']);
  });

  it('filters by state, kind, recipient and by address or prefix, IPv4 and IPv6', async () => {
    expect((await pageCases(s.state, UNRESTRICTED, { state: 'new' })).total).toBe(3);
    expect((await pageCases(s.state, UNRESTRICTED, { kind: 'vulnerable_firmware', state: 'notified' })).total).toBe(1);
    expect((await pageCases(s.state, UNRESTRICTED, { recipient: 'org:a' })).total).toBe(3);
    expect(ips(await pageCases(s.state, UNRESTRICTED, { ip: '192.0.2.0/25', sort: 'ip' }))).toEqual(['192.0.2.1', '192.0.2.30']);
    expect(ips(await pageCases(s.state, UNRESTRICTED, { ip: '192.0.2.200' }))).toEqual(['192.0.2.200']);
    // Host bits after the prefix are cleared, as an analyst pasting an address with its block means.
    expect((await pageCases(s.state, UNRESTRICTED, { ip: '192.0.2.77/24' })).total).toBe(3);
    expect(ips(await pageCases(s.state, UNRESTRICTED, { ip: '2001:db8:1::/48' }))).toEqual(['2001:db8:1::5']);
    expect((await pageCases(s.state, UNRESTRICTED, { ip: '2001:db8::/32' })).total).toBe(2);
    expect((await pageCases(s.state, UNRESTRICTED, { ip: '', state: '' })).total).toBe(6);
  });

  it('says which filter is wrong, once', async () => {
    await expect(pageCases(s.state, UNRESTRICTED, { ip: 'example.org' })).rejects.toThrow(/^invalid request: ip: not an address or a prefix: "example.org" \(field=ip\)$/);
    await expect(pageCases(s.state, UNRESTRICTED, { ip: '10.0.0.0/33' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('keeps need-to-know: a member sees its organisation\'s cases whatever the filters say', async () => {
    const p = await pageCases(s.state, orgA, { ip: '0.0.0.0/0', sort: 'ip' });
    expect(p.total).toBe(3);
    expect(ips(p)).toEqual(['192.0.2.1', '192.0.2.30', '192.0.2.200']);
    expect((await pageCases(s.state, orgA, { recipient: 'org:b' })).total).toBe(0);
  });

  it('keeps the CLI list in id order with its old flags', async () => {
    expect((await listCases(s.state, UNRESTRICTED, { limit: 50, state: 'new' })).map((c) => c.id)).toEqual([ids.get('192.0.2.1'), ids.get('198.51.100.7'), ids.get('2001:db8:1::5')]);
  });

  it('gives a case its deliveries with their state, attempts, next try and last error', async () => {
    const id = ids.get('192.0.2.200') as number;
    const [round] = await s.state.query<{ id: number }>('INSERT INTO notify_rounds (cases, recipients) VALUES (1, 1) RETURNING id');
    await s.state.query(
      `INSERT INTO deliveries (round_id, recipient, channel, target, case_ids, status, attempts, next_attempt_at, last_error, sent_at) VALUES
       ($1, 'org:a', 'email', 'abuse@a.example', $2, 'retrying', 2, '2026-11-06T10:00:00Z', 'no SMTP server configured', NULL),
       ($1, 'org:a', 'webhook', 'https://a.example/hook', $2, 'sent', 1, '2026-11-06T09:00:00Z', NULL, '2026-11-06T09:00:01Z'),
       ($1, 'org:b', 'email', 'abuse@b.example', $3, 'sent', 1, '2026-11-06T09:00:00Z', NULL, '2026-11-06T09:00:01Z')`,
      [round?.id, [id], [ids.get('198.51.100.7')]],
    );
    const c = await getCase(s.state, orgA, id);
    expect(c.deliveries).toMatchObject([
      { channel: 'email', target: 'abuse@a.example', status: 'retrying', attempts: 2, nextAttemptAt: '2026-11-06T10:00:00.000Z', lastError: 'no SMTP server configured', sentAt: null },
      { channel: 'webhook', status: 'sent', nextAttemptAt: null, sentAt: '2026-11-06T09:00:01.000Z' },
    ]);
    await expect(getCase(s.state, orgA, ids.get('198.51.100.7') as number)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
