import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateState } from '../../store/migrate.js';
import { PgliteStateStore } from '../../store/state/pglite-store.js';
import { createOrg } from '../../orgs/org-store.js';
import type { CncCandidate } from '../detect/candidate.js';
import { candidateKey, clientBucket } from './candidate-key.js';
import { candidateHash, communityKey, communityKeyOf, ensureCommunityKey, importCommunityKey } from './community-key.js';
import { corroborate, corroborationPart } from './corroboration-score.js';
import { corroborationFor, corroborationOrg, submitCorroboration } from './corroboration-store.js';
import { buildSubmission } from './submission.js';
import { mentions, randomCandidates } from './testing/random-candidates.js';

const KEY = communityKeyOf(Buffer.alloc(32, 7));
const OTHER_KEY = communityKeyOf(Buffer.alloc(32, 8));
const NOW = new Date('2026-11-22T09:00:00Z');

const cand = (server: string, o: Partial<CncCandidate> = {}): CncCandidate => ({
  server, port: 443, proto: 6, score: 0.6, parts: { beacon: 0.6 }, clients: 3,
  firstSeen: '2026-11-20T00:00:00.000Z', lastSeen: '2026-11-21T12:00:00.000Z', ...o,
});

describe('keyed hashes', () => {
  it('hash the canonical server|port|proto: one text per candidate whatever the exporter printed', () => {
    expect(candidateKey(cand('::ffff:45.77.10.20'))).toBe('45.77.10.20|443|6');
    expect(candidateKey(cand('2A02:C7F:0:0::7'))).toBe('2a02:c7f::7|443|6');
    expect(candidateKey(cand('45.77.10.020'))).toBeUndefined();
    expect(candidateKey(cand('45.77.10.20', { port: 70000 }))).toBeUndefined();
    expect(candidateHash(KEY, '45.77.10.20|443|6')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differ with another key, and with another port or protocol', () => {
    const h = candidateHash(KEY, '45.77.10.20|443|6');
    expect(candidateHash(KEY, '45.77.10.20|443|6')).toBe(h);
    expect(candidateHash(OTHER_KEY, '45.77.10.20|443|6')).not.toBe(h);
    expect(candidateHash(KEY, '45.77.10.20|443|17')).not.toBe(h);
    expect(candidateHash(KEY, '45.77.10.20|8443|6')).not.toBe(h);
    expect(KEY.keyId).not.toBe(OTHER_KEY.keyId);
    expect(KEY.keyId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('buckets client counts by order of magnitude', () => {
    expect([0, 1, 2, 9, 10, 99, 100, 5000].map(clientBucket)).toEqual(['1', '1', '2-9', '2-9', '10-99', '10-99', '100+', '100+']);
  });

  it('a submission carries hash, bucket and day only: no server, no client, no exact count (500 random candidates, seed 23)', () => {
    const { candidates, clients } = randomCandidates(23, 500);
    const b = buildSubmission(candidates, KEY);
    expect(b.submission.entries.length).toBeGreaterThan(400);
    const text = JSON.stringify(b.submission);
    expect(clients.filter((a) => mentions(text, a))).toEqual([]);
    expect(candidates.filter((c) => mentions(text, c.server))).toEqual([]);
    expect(Object.keys(b.submission).sort()).toEqual(['entries', 'keyId']);
    for (const e of b.submission.entries) expect(Object.keys(e).sort()).toEqual(['bucket', 'day', 'hash']);
    // The carrier keeps its way back from hash to candidate.
    const [e] = b.submission.entries;
    expect(e && b.keys.get(e.hash)).toMatch(/\|\d+\|\d+$/);
  });
});

describe('corroboration at the hub', () => {
  let s: PgliteStateStore;
  let a: string, b: string, c: string, d: string, e: string;
  beforeAll(async () => {
    s = await PgliteStateStore.open();
    await migrateState(s);
    [a, b, c, d, e] = await Promise.all(['Alpha ISP', 'Bravo ISP', 'Charlie ISP', 'Delta ISP', 'Echo ISP'].map(async (name) => (await createOrg(s, { name, kind: 'isp' })).id)) as [string, string, string, string, string];
  }, 60_000);
  afterAll(async () => s?.close());

  const submit = (org: string, cs: CncCandidate[], key = KEY) => submitCorroboration(s, org, `user-of-${org}`, buildSubmission(cs, key).submission, NOW);
  const X = cand('45.77.10.20', { clients: 40 });
  const Y = cand('45.77.10.21');
  const Z = cand('45.77.10.22');

  it('counts, for each carrier and only for its own hashes, the other carriers that submitted the same: two agree, one does not', async () => {
    await submit(a, [X, Y]);
    await submit(b, [cand('::ffff:45.77.10.20', { clients: 1 })]);
    await submit(c, [Z]);
    const hx = candidateHash(KEY, '45.77.10.20|443|6'), hy = candidateHash(KEY, '45.77.10.21|443|6'), hz = candidateHash(KEY, '45.77.10.22|443|6');
    const ra = await corroborationFor(s, a, { now: NOW });
    expect(ra.answers.map((x) => [x.hash, x.others, x.bucket])).toEqual([[hx, 1, '10-99'], [hy, 0, '2-9']]);
    // Fewer than k others: their buckets are not told.
    expect(ra.answers.every((x) => x.othersBuckets === null)).toBe(true);
    const rb = await corroborationFor(s, b, { now: NOW });
    expect(rb.answers.map((x) => [x.hash, x.others, x.bucket])).toEqual([[hx, 1, '1']]);
    const rc = await corroborationFor(s, c, { now: NOW });
    expect(rc.answers.map((x) => [x.hash, x.others])).toEqual([[hz, 0]]);
    // Nothing about others' hashes, nor who they are.
    const text = JSON.stringify([ra, rb, rc]);
    expect(JSON.stringify(ra)).not.toContain(hz);
    expect(JSON.stringify(rc)).not.toContain(hx);
    for (const id of [a, b, c]) expect(JSON.stringify([ra, rb, rc].filter((r) => r.orgId !== id).map((r) => r.answers))).not.toContain(id);
    expect(text).not.toMatch(/Alpha|Bravo|Charlie/);
  });

  it('tells the others\' buckets once k = 3 others stand behind the answer; counts a carrier once over several days', async () => {
    await submit(d, [cand('45.77.10.20', { clients: 150 })]);
    await submit(d, [cand('45.77.10.20', { clients: 5, lastSeen: '2026-11-20T12:00:00.000Z' })]);
    await submit(e, [cand('45.77.10.20', { clients: 7 })]);
    const [x] = (await corroborationFor(s, a, { now: NOW })).answers;
    expect(x).toMatchObject({ others: 3, othersBuckets: { '1': 1, '2-9': 1, '10-99': 0, '100+': 1 } });
    // Out of the window: a 1-day window from a later day sees nothing of the 21st.
    const later = await corroborationFor(s, a, { now: new Date('2026-11-25T00:00:00Z'), days: 1 });
    expect(later.answers).toEqual([]);
  });

  it('matches nothing across keys: a carrier with another key corroborates nobody', async () => {
    const f = (await createOrg(s, { name: 'Foxtrot ISP', kind: 'isp' })).id;
    await submit(f, [X], OTHER_KEY);
    const [x] = (await corroborationFor(s, f, { now: NOW })).answers;
    expect(x).toMatchObject({ others: 0, keyId: OTHER_KEY.keyId });
  });

  it('refuses bad entries with their field, keeping what is stored', async () => {
    const bad = (entries: unknown[]) => submitCorroboration(s, a, 'u', { keyId: KEY.keyId, entries } as never, NOW);
    await expect(bad([{ hash: 'xyz', bucket: '1', day: '2026-11-21' }])).rejects.toMatchObject({ code: 'BAD_REQUEST', where: { field: 'entries.0.hash' } });
    await expect(bad([{ hash: 'a'.repeat(64), bucket: '3', day: '2026-11-21' }])).rejects.toMatchObject({ where: { field: 'entries.0.bucket' } });
    await expect(bad([{ hash: 'a'.repeat(64), bucket: '1', day: '2026-02-30' }])).rejects.toMatchObject({ code: 'BAD_TIME', where: { field: 'entries.0.day' } });
    await expect(bad([{ hash: 'a'.repeat(64), bucket: '1', day: '2025-01-01' }])).rejects.toMatchObject({ code: 'BAD_TIME' });
    expect((await corroborationFor(s, a, { now: NOW })).answers).toHaveLength(2);
  });

  it('lets a member act for its own organisation only, an operator for a named one, nobody else', async () => {
    await expect(corroborationOrg(s, { userId: 'u', orgId: a, role: 'org-admin' }, undefined)).resolves.toBe(a);
    await expect(corroborationOrg(s, { userId: 'u', orgId: a, role: 'org-admin' }, 'Alpha ISP')).resolves.toBe(a);
    await expect(corroborationOrg(s, { userId: 'u', orgId: a, role: 'org-admin' }, 'Bravo ISP')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(corroborationOrg(s, { userId: 'u', orgId: a, role: 'org-member' }, b)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(corroborationOrg(s, { userId: 'u', orgId: null, role: 'analyst' }, undefined)).rejects.toMatchObject({ code: 'BAD_REQUEST', where: { field: 'org' } });
    await expect(corroborationOrg(s, { userId: 'u', orgId: null, role: 'platform-admin' }, 'Bravo ISP')).resolves.toBe(b);
    await expect(corroborationOrg(s, { userId: 'u', orgId: null, role: 'org-member' }, 'Bravo ISP')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('keeps one community key: generated once, an import of another refused unless replacing', async () => {
    await expect(communityKey(s)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const k1 = await ensureCommunityKey(s);
    expect(k1.created).toBe(true);
    const k2 = await ensureCommunityKey(s);
    expect(k2).toMatchObject({ created: false, keyId: k1.keyId });
    await expect(importCommunityKey(s, 'ab'.repeat(32))).rejects.toMatchObject({ code: 'BAD_REQUEST', where: { field: 'key' } });
    await expect(importCommunityKey(s, Buffer.from(k1.key).toString('hex'))).resolves.toMatchObject({ created: false });
    const r = await importCommunityKey(s, 'ab'.repeat(32), { replace: true });
    expect(r.keyId).toBe(communityKeyOf(Buffer.alloc(32, 0xab)).keyId);
    await expect(importCommunityKey(s, 'zz')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('the corroboration part of a score', () => {
  it('removes a fifth of the remaining doubt per other carrier, up to five; never lowers a score or passes 1', () => {
    expect(corroborationPart(0.6, 0)).toBe(0);
    expect(0.6 + corroborationPart(0.6, 1)).toBeCloseTo(0.68, 10);
    expect(0.6 + corroborationPart(0.6, 2)).toBeCloseTo(0.744, 10);
    expect(corroborationPart(0.6, 9)).toBeCloseTo(corroborationPart(0.6, 5), 12);
    expect(corroborationPart(1, 5)).toBe(0);
    const up = corroborate([cand('45.77.10.20'), cand('45.77.10.30')], [
      { hash: candidateHash(KEY, '45.77.10.20|443|6'), keyId: KEY.keyId, lastDay: '2026-11-21', bucket: '2-9', others: 2, othersBuckets: null },
      // An answer under another key does not apply.
      { hash: candidateHash(KEY, '45.77.10.30|443|6'), keyId: OTHER_KEY.keyId, lastDay: '2026-11-21', bucket: '2-9', others: 4, othersBuckets: null },
    ], KEY);
    expect(up[0]?.score).toBeCloseTo(0.744, 10);
    expect(up[0]?.parts).toMatchObject({ beacon: 0.6, corroboration: expect.closeTo(0.144, 10) });
    expect(up[1]?.score).toBe(0.6);
  });
});
