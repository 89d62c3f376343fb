import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStores, type TempStores } from '../../store/testing/temp-stores.js';
import { writeHoneypotEvents } from '../../honeypot/store/write-events.js';
import { addAsns, addPrefixes, createOrg } from '../../orgs/org-store.js';
import { UNRESTRICTED, type Restriction } from '../../store/need-to-know.js';
import { computeCampaigns } from './compute-campaigns.js';
import { DEFAULT_RULES } from './tie-rules.js';
import { campaignDetail, listCampaigns } from './campaign-store.js';
import { DICT_ONLY, MIRAI_A, MIRAI_B, MIRAI_HASH, MIRAI_URL, NOISE, writeScenario } from './testing/campaign-scenario.js';

describe('campaigns from honeypot events', () => {
  let s: TempStores;
  let orgA: string;
  let orgB: string;
  const restrictionOf = (orgId: string, cidrs: string[], asns: number[] = []): Restriction => ({ kind: 'constituency', orgId, cidrs, asns });

  beforeAll(async () => {
    s = await tempStores('campaigns');
    orgA = (await createOrg(s.state, { name: 'Org Alpha', kind: 'isp' })).id;
    orgB = (await createOrg(s.state, { name: 'Org Bravo', kind: 'isp' })).id;
    await addPrefixes(s.state, orgA, ['192.0.2.0/25']);
    await addPrefixes(s.state, orgB, ['198.51.100.0/24']);
    await addAsns(s.state, orgB, ['AS64501']);
    await writeScenario(s.events);
  }, 60_000);
  afterAll(async () => s.dispose());

  it('groups the planted campaigns exactly and ties no noise', async () => {
    const sum = await computeCampaigns(s, { now: new Date('2026-12-01T00:00:00Z') });
    expect(sum.addresses).toBe(MIRAI_A.length + MIRAI_B.length + DICT_ONLY.length + NOISE.length);
    expect(sum.campaigns).toBe(2);
    expect(sum.members).toBe(MIRAI_A.length + MIRAI_B.length + DICT_ONLY.length);
    // The CDN host serves a path per address and the common tool is everyone's: left out, counted.
    expect(sum.commonTies['tool-ports']).toBe(1);
    expect(sum.ties['url-host']).toBe(1);
    // No flows and no darknet days: the ties from other capabilities add nothing.
    expect(Object.keys(sum.ties).sort()).toEqual(['credentials', 'hash', 'url', 'url-host']);
    const list = await listCampaigns(s, UNRESTRICTED);
    expect(list.computedAt).toBe('2026-12-01T00:00:00.000Z');
    const [mirai, dict] = list.campaigns;
    expect(mirai).toMatchObject({ name: '203.0.113.7 (mirai.arm7)', members: 5, urls: [MIRAI_URL], hashes: [MIRAI_HASH], ports: [{ port: 23, members: 5 }] });
    expect(mirai?.ties.map((t) => t.kind)).toEqual(['hash', 'url', 'credentials', 'url-host']);
    expect(mirai?.impact.map((i) => [i.org, i.devices])).toEqual([['Org Alpha', 3], ['Org Bravo', 2]]);
    expect(dict).toMatchObject({ members: 3, ties: [{ kind: 'credentials', members: 3 }], impact: [] });
    expect(dict?.name).toMatch(/^dictionary 5 pairs: /);
    const detail = await campaignDetail(s, UNRESTRICTED, mirai?.id ?? '');
    expect(detail.sample.map((m) => m.ip).sort()).toEqual([...MIRAI_A, ...MIRAI_B].sort());
    expect(detail.sample[0]?.ties).toEqual(['url', 'url-host', 'hash', 'credentials']);
  });

  it('keeps ids across a recomputation with more data, and one shared common pair ties nothing', async () => {
    const before = (await listCampaigns(s, UNRESTRICTED)).campaigns.map((c) => c.id);
    // Two new addresses: one joins the Mirai campaign by its hash alone; one tries only root/root and the Mirai dictionary's first pair.
    await writeHoneypotEvents(s.events, [
      { ts: '2026-11-05T00:00:00Z', honeypot: 'cowrie', kind: 'upload', src: '192.0.2.13', sha256: MIRAI_HASH, size: 1000 },
      { ts: '2026-11-05T00:00:00Z', honeypot: 'cowrie', kind: 'login', src: '192.0.2.14', username: 'root', password: 'root' },
      { ts: '2026-11-05T00:00:01Z', honeypot: 'cowrie', kind: 'login', src: '192.0.2.14', username: 'root', password: 'xc3511' },
    ], { token: 'more' });
    await computeCampaigns(s);
    const after = await listCampaigns(s, UNRESTRICTED);
    expect(after.campaigns.map((c) => c.id)).toEqual(before);
    expect(after.campaigns[0]?.members).toBe(6);
    const sample = (await campaignDetail(s, UNRESTRICTED, before[0] ?? '')).sample.map((m) => m.ip);
    expect(sample).toContain('192.0.2.13');
    expect(sample).not.toContain('192.0.2.14');
  });

  it('shows an organisation only campaigns with members in its constituency, only those members and only its own impact', async () => {
    const a = restrictionOf(orgA, ['192.0.2.0/25']);
    const listA = await listCampaigns(s, a);
    expect(listA.campaigns).toHaveLength(1);
    const mirai = listA.campaigns[0];
    expect(mirai?.impact.map((i) => i.orgId)).toEqual([orgA]);
    const detailA = await campaignDetail(s, a, mirai?.id ?? '');
    expect(detailA.sample.every((m) => m.ip.startsWith('192.0.2.'))).toBe(true);
    expect(detailA.sample).toHaveLength(4);
    // The dictionary campaign has nobody of A's: not found, as if it did not exist.
    const dictId = (await listCampaigns(s, UNRESTRICTED)).campaigns[1]?.id ?? '';
    await expect(campaignDetail(s, a, dictId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // B by its prefix sees its two members only; an empty constituency sees nothing at all.
    const b = await campaignDetail(s, restrictionOf(orgB, ['198.51.100.0/24'], [64501]), mirai?.id ?? '');
    expect(b.sample.map((m) => m.ip).sort()).toEqual(MIRAI_B);
    expect(b.impact.map((i) => i.org)).toEqual(['Org Bravo']);
    expect((await listCampaigns(s, restrictionOf(orgB, [], []))).campaigns).toEqual([]);
  });

  it('leaves pairs tried by more addresses than a credentials tie may have out of every dictionary', async () => {
    // A limit of 2: the Mirai dictionary (5 addresses) and the other one (3) are now common pairs.
    const rules = { ...DEFAULT_RULES, ties: { ...DEFAULT_RULES.ties, credentials: { weight: 0.7, maxShare: 0, minCap: 2 } } };
    const sum = await computeCampaigns(s, { rules });
    expect(sum.campaigns).toBe(1);
    expect(sum.ties['credentials']).toBeUndefined();
    const [mirai] = (await listCampaigns(s, UNRESTRICTED)).campaigns;
    expect(mirai?.ties.map((t) => t.kind)).toEqual(['hash', 'url', 'url-host']);
  });
});
