import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateState } from '../../store/migrate.js';
import { PgliteStateStore } from '../../store/state/pglite-store.js';
import { createOrg } from '../../orgs/org-store.js';
import { createCollection } from '../../share/taxii/collections.js';
import { readObjects } from '../../share/taxii/object-store.js';
import { addOwnSensors } from '../../share/indicators/own-sensors.js';
import type { CncCandidate } from '../detect/candidate.js';
import { ensureCommunityKey } from './community-key.js';
import { submitCorroboration } from './corroboration-store.js';
import { publishCandidates, type CandidatePublishRequest } from './publish-candidates.js';
import { buildSubmission } from './submission.js';
import { parseCandidates } from './candidates-file.js';

const NOW = new Date('2026-11-22T09:00:00Z');
const OPERATOR = { userId: 'peer:ops', orgId: null, role: 'platform-admin', scopes: ['read', 'write', 'admin'] } as const;
const cand = (server: string, o: Partial<CncCandidate> = {}): CncCandidate => ({
  server, port: 443, proto: 6, score: 0.6, parts: { beacon: 0.4, rarity: 0.2 }, clients: 12,
  firstSeen: '2026-11-20T00:00:00.000Z', lastSeen: '2026-11-21T12:00:00.000Z',
  evidence: [{ client: '133.45.6.7', start: '2026-11-21T11:55:00.000Z', octets: 300, packets: 3, note: 'beacon interval 600 s' }], ...o,
});

describe('cnc share publish', () => {
  let s: PgliteStateStore;
  let alpha: string, bravo: string, collection: string;
  beforeAll(async () => {
    s = await PgliteStateStore.open();
    await migrateState(s);
    alpha = (await createOrg(s, { name: 'Alpha ISP', kind: 'isp' })).id;
    bravo = (await createOrg(s, { name: 'Bravo ISP', kind: 'isp' })).id;
    collection = (await createCollection(s, { title: 'C&C candidates', alias: 'c2', read: [alpha, bravo], write: [alpha] }, 'ops')).id;
    await addOwnSensors(s, ['45.33.2.0/24']);
  }, 60_000);
  afterAll(async () => s?.close());

  const req = (o: Partial<CandidatePublishRequest> = {}): CandidatePublishRequest => ({
    collection: 'c2', tlp: 'amber', minScore: 0.5, dryRun: false, now: NOW,
    candidates: [cand('45.77.10.20'), cand('45.33.2.9'), cand('45.77.10.21', { score: 0.3 })], ...o,
  });
  const stored = async () => (await readObjects(s, collection, { limit: 1000, versions: ['all'] })).objects;

  it('a dry run stores nothing and says what would go, what is held back and who would receive it', async () => {
    const r = await publishCandidates(s, OPERATOR, req({ dryRun: true }));
    expect(r).toMatchObject({ dryRun: true, candidates: 3, created: 1, stored: 0, excluded: { 'own-sensor': 1, 'below-min-score': 1 } });
    expect(r.sample[0]?.pattern).toContain("'45.77.10.20'");
    expect(r.recipients?.organisations.map((o) => [o.name, o.reason]).sort()).toEqual([['Alpha ISP', 'amber-audience'], ['Bravo ISP', 'amber-audience']]);
    expect(r.recipients?.victimFields).toBe(0);
    expect(await stored()).toEqual([]);
  });

  it('publishes through the object store; a re-run stores nothing new; a change is a new version of the same ids', async () => {
    const r = await publishCandidates(s, OPERATOR, req());
    expect(r).toMatchObject({ created: 1, objects: 4, stored: 4, failures: [] });
    const first = await stored();
    expect(first.map((o) => o.type).sort()).toEqual(['identity', 'indicator', 'infrastructure', 'relationship']);
    expect(first.some((o) => o.body.includes('133.45.6.7'))).toBe(false);
    const again = await publishCandidates(s, OPERATOR, req({ now: new Date(NOW.getTime() + 60_000) }));
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    expect((await stored()).length).toBe(first.length);
    const moved = await publishCandidates(s, OPERATOR, req({ now: new Date(NOW.getTime() + 120_000), candidates: [cand('45.77.10.20', { score: 0.7 })] }));
    expect(moved).toMatchObject({ updated: 1 });
    const all = await stored();
    const indicators = all.filter((o) => o.type === 'indicator');
    expect(new Set(indicators.map((o) => o.id)).size).toBe(1);
    expect(indicators.map((o) => (JSON.parse(o.body) as { confidence: number }).confidence).sort()).toEqual([60, 70]);
  });

  it('raises confidence with the corroboration other carriers gave this carrier', async () => {
    const key = await ensureCommunityKey(s);
    const c = cand('45.77.10.40', { score: 0.6 });
    await submitCorroboration(s, alpha, 'u', buildSubmission([c], key).submission, NOW);
    await submitCorroboration(s, bravo, 'u', buildSubmission([{ ...c, clients: 1 }], key).submission, NOW);
    const r = await publishCandidates(s, OPERATOR, req({ dryRun: true, candidates: [c], corroborate: true, org: 'Alpha ISP' }));
    expect(r).toMatchObject({ corroborated: 1, created: 1 });
    expect(r.sample[0]?.confidence).toBe(68);
    await expect(publishCandidates(s, OPERATOR, req({ dryRun: true, candidates: [c], corroborate: true }))).rejects.toMatchObject({ where: { field: 'org' } });
  });

  it('refuses a principal that may not write the collection, and a bad minimum', async () => {
    const bravoAdmin = { userId: 'u-b', orgId: bravo, role: 'org-admin', scopes: ['read', 'write'] } as const;
    await expect(publishCandidates(s, bravoAdmin, req())).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // A carrier that may not even read it is not told its name: as if it did not exist.
    const charlie = (await createOrg(s, { name: 'Charlie ISP', kind: 'isp' })).id;
    const outsider = { userId: 'u-c', orgId: charlie, role: 'org-admin', scopes: ['read', 'write'] } as const;
    const refused = await publishCandidates(s, outsider, req()).then(() => null, (e: unknown) => e);
    expect(refused).toMatchObject({ code: 'NOT_FOUND' });
    expect(String((refused as Error).message)).not.toContain('C&C candidates');
    await expect(publishCandidates(s, OPERATOR, req({ minScore: 2 }))).rejects.toMatchObject({ where: { field: 'minScore' } });
  });

  it('reads `cnc candidates --json` bare or wrapped, and names the first bad field', () => {
    expect(parseCandidates([cand('45.77.10.20')])).toHaveLength(1);
    expect(parseCandidates({ candidates: [cand('45.77.10.20')] })).toHaveLength(1);
    expect(() => parseCandidates([cand('45.77.10.20', { port: -1 })])).toThrow(expect.objectContaining({ where: { field: 'candidates.0.port' } }));
    expect(() => parseCandidates({ candidates: [{ ...cand('45.77.10.20'), lastSeen: 'yesterday' }] })).toThrow(/candidates\.candidates\.0\.lastSeen/);
  });
});
