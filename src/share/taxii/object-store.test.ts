import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStores, type TempStores } from '../../store/testing/temp-stores.js';
import { createOrg } from '../../orgs/org-store.js';
import { TLP2_IDS } from '../stix/tlp.js';
import { scoId } from '../stix/ids.js';
import { collectionAccess, collectionsFor, createCollection, getCollection, listCollections, type Collection } from './collections.js';
import { deleteObject, putObjects, readObjects } from './object-store.js';

let s: TempStores;
let orgA: string;
let orgB: string;
let col: Collection;
const by = (): { userId: string; orgId: string } => ({ userId: 'u-a', orgId: orgA });

const uuid = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const indicator = (n: number, modified = '2026-01-01T00:00:00.000Z', extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'indicator', spec_version: '2.1', id: `indicator--${uuid(n)}`, created: '2026-01-01T00:00:00.000Z', modified,
  pattern: `[ipv4-addr:value = '192.0.2.${n % 250}']`, pattern_type: 'stix', valid_from: '2026-01-01T00:00:00Z', ...extra,
});

beforeAll(async () => {
  s = await tempStores('object-store');
  orgA = (await createOrg(s.state, { name: 'Alpha ISP' })).id;
  orgB = (await createOrg(s.state, { name: 'Bravo CERT' })).id;
  col = await createCollection(s.state, { title: 'Scanners', alias: 'scanners', read: ['Alpha ISP', orgB], write: [orgA] }, 'u-admin');
}, 60_000);
afterAll(async () => s?.dispose());

describe('collections', () => {
  it('are found by id and alias, with readers and writers resolved from names', async () => {
    expect([...col.read].sort()).toEqual([orgA, orgB].sort());
    expect(col.write).toEqual([orgA]);
    expect((await getCollection(s.state, col.id)).title).toBe('Scanners');
    expect((await getCollection(s.state, 'scanners')).id).toBe(col.id);
    expect((await listCollections(s.state)).map((c) => c.id)).toContain(col.id);
  });
  it('refuse a bad title, a taken alias, an unknown organisation', async () => {
    await expect(createCollection(s.state, { title: ' ' }, 'u')).rejects.toThrow(/title/);
    await expect(createCollection(s.state, { title: 'x', alias: 'scanners' }, 'u')).rejects.toThrow(/alias/);
    await expect(createCollection(s.state, { title: 'x', read: ['Nobody'] }, 'u')).rejects.toThrow(/no organisation Nobody/);
    await expect(getCollection(s.state, uuid(999))).rejects.toThrow(/no collection/);
  });
  it('grant reading and writing by organisation, role and scope', async () => {
    const member = (orgId: string | null, scopes: ('read' | 'write')[], role: 'org-member' | 'org-admin' | 'analyst' = 'org-admin') => collectionAccess(col, { role, orgId, scopes });
    expect(member(orgA, ['read', 'write'])).toEqual({ canRead: true, canWrite: true });
    expect(member(orgA, ['read'])).toEqual({ canRead: true, canWrite: false });
    expect(member(orgB, ['read', 'write'])).toEqual({ canRead: true, canWrite: false });
    const orgC = (await createOrg(s.state, { name: 'Charlie Corp' })).id;
    expect(member(orgC, ['read', 'write'])).toEqual({ canRead: false, canWrite: false });
    expect(member(null, ['read'], 'analyst')).toEqual({ canRead: true, canWrite: false });
    expect((await collectionsFor(s.state, { role: 'org-member', orgId: orgC, scopes: ['read'] })).length).toBe(0);
  });
});

describe('putObjects', () => {
  it('stores valid objects, reports each invalid one, and stores no version twice', async () => {
    const objects = [indicator(1), { type: 'indicator', id: 'indicator--nope' }, indicator(2), 'text', indicator(3, '2025-01-01T00:00:00Z')];
    const r = await putObjects(s.state, col.id, objects, by());
    expect(r.successes.map((x) => x.id)).toEqual([`indicator--${uuid(1)}`, `indicator--${uuid(2)}`]);
    expect(r.failures).toEqual([
      { id: 'indicator--nope', message: expect.stringMatching(/^id: /) },
      { id: 'objects[3]', message: expect.stringMatching(/must be a JSON object/) },
      { id: `indicator--${uuid(3)}`, message: expect.stringMatching(/modified: must be later than or equal to created/) },
    ]);
    const again = await putObjects(s.state, col.id, [indicator(1), indicator(1)], by());
    expect(again.successes).toEqual([{ id: `indicator--${uuid(1)}`, version: '2026-01-01T00:00:00.000Z' }, { id: `indicator--${uuid(1)}`, version: '2026-01-01T00:00:00.000Z' }]);
    const all = await readObjects(s.state, col.id, { ids: [`indicator--${uuid(1)}`], versions: ['all'], limit: 10 });
    expect(all.objects.length).toBe(1);
  });

  it('keeps the text as posted, and a versionless object once per text', async () => {
    const id = scoId('ipv4-addr', { value: '198.51.100.3' });
    const text = `{ "type":"ipv4-addr",  "spec_version":"2.1", "id":"${id}", "value":"198.51.100.3" }`;
    const sco = JSON.parse(text) as unknown;
    const first = await putObjects(s.state, col.id, [sco], by(), { texts: [text] });
    const second = await putObjects(s.state, col.id, [sco], by(), { texts: [text] });
    expect(second.successes[0]?.version).toBe(first.successes[0]?.version);
    expect(first.successes[0]?.version).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const page = await readObjects(s.state, col.id, { ids: [id], versions: ['all'], limit: 10 });
    expect(page.objects.map((o) => o.body)).toEqual([text]);
  });

  it('refuses unknown marking-definitions; TLP, batch and stored ones are known; the strictest TLP is kept', async () => {
    const custom = `marking-definition--${uuid(77)}`;
    const marked = indicator(10, '2026-01-01T00:00:00.000Z', { object_marking_refs: [custom] });
    const r1 = await putObjects(s.state, col.id, [marked], by());
    expect(r1.failures[0]?.message).toMatch(/unknown marking-definition marking-definition--0{8}/);
    const def = { type: 'marking-definition', spec_version: '2.1', id: custom, created: '2026-01-01T00:00:00.000Z', name: 'ours', definition_type: 'statement', definition: { statement: 'ours' } };
    const r2 = await putObjects(s.state, col.id, [marked, def], by());
    expect(r2.failures).toEqual([]);
    const later = indicator(11, '2026-01-01T00:00:00.000Z', { granular_markings: [{ marking_ref: custom, selectors: ['pattern'] }], object_marking_refs: [TLP2_IDS.green, TLP2_IDS.red] });
    expect((await putObjects(s.state, col.id, [later], by())).failures).toEqual([]);
    const [o] = (await readObjects(s.state, col.id, { ids: [`indicator--${uuid(11)}`], limit: 1 })).objects;
    expect(o?.tlp).toBe('red');
    expect(o?.ownerOrgId).toBe(orgA);
  });
});

describe('reads', () => {
  let c2: Collection;
  beforeAll(async () => {
    c2 = await createCollection(s.state, { title: 'Versions', read: [orgA] }, 'u-admin');
    // Three versions of one object, posted out of order, and 25 others.
    await putObjects(s.state, c2.id, [indicator(500, '2026-01-02T00:00:00.000Z')], by());
    await putObjects(s.state, c2.id, [indicator(500, '2026-01-01T00:00:00.000Z'), indicator(500, '2026-01-03T00:00:00.123456Z')], by());
    await putObjects(s.state, c2.id, Array.from({ length: 25 }, (_, i) => indicator(600 + i)), by());
  });

  it('page by added_after with every object exactly once, date_added unique and increasing', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await readObjects(s.state, c2.id, { addedAfter: after, versions: ['all'], limit: 4 });
      for (const o of page.objects) {
        if (after) expect(o.dateAdded > after).toBe(true);
        seen.push(`${o.id}@${o.version}`);
        after = o.dateAdded;
      }
      if (!page.more) break;
    }
    expect(seen.length).toBe(28);
    expect(new Set(seen).size).toBe(28);
    const other = await readObjects(s.state, col.id, { versions: ['all'], limit: 1000 });
    expect(other.objects.some((o) => o.id === `indicator--${uuid(500)}`)).toBe(false);
  });

  it('match versions: last (default), first, all, a timestamp, and lists of them', async () => {
    const v = async (versions?: string[]): Promise<string[]> => (await readObjects(s.state, c2.id, { ids: [`indicator--${uuid(500)}`], limit: 10, ...(versions ? { versions } : {}) })).objects.map((o) => o.version).sort();
    expect(await v()).toEqual(['2026-01-03T00:00:00.123456Z']);
    expect(await v(['first'])).toEqual(['2026-01-01T00:00:00.000Z']);
    expect(await v(['first', 'last'])).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-03T00:00:00.123456Z']);
    expect((await v(['all'])).length).toBe(3);
    expect(await v(['2026-01-02T00:00:00Z'])).toEqual(['2026-01-02T00:00:00.000Z']);
    expect((await readObjects(s.state, c2.id, { types: ['malware'], limit: 10 })).objects).toEqual([]);
  });

  it('delete the matching versions of one object', async () => {
    expect(await deleteObject(s.state, c2.id, `indicator--${uuid(500)}`, { versions: ['first'] })).toBe(1);
    expect(await deleteObject(s.state, c2.id, `indicator--${uuid(500)}`)).toBe(2);
    expect((await readObjects(s.state, c2.id, { ids: [`indicator--${uuid(500)}`], versions: ['all'], limit: 10 })).objects).toEqual([]);
  });
});
