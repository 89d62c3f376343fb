/**
 * Publish, export, import, match and feedback on real embedded stores: what a member receives is
 * decided by the policy and written to the egress audit; a peer's indicator we saw becomes a
 * sighting by the hub; a peer's objection lowers our indicator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../auth/principal.js';
import { createOrg } from '../../orgs/org-store.js';
import { createCollection } from '../taxii/collections.js';
import { readEgress } from '../policy/egress-audit.js';
import { exportCollection } from '../export/collection-export.js';
import { blocklist, indicatorCsv } from '../export/indicator-exports.js';
import { darknetDay, shareContext, type ShareContext } from './testing/share-context.js';
import { publishIndicators } from './publish.js';
import { importObjects } from './import-objects.js';
import { matchCollection } from './match-collection.js';
import { hubIdentity } from './hub-identity.js';

const DAY = '2026-11-10';
const window = { from: new Date(`${DAY}T00:00:00Z`), to: new Date('2026-11-11T00:00:00Z') };
const now = new Date('2026-11-11T01:00:00Z');
const operator: Principal = { userId: 'peer:ops', username: 'ops', role: 'platform-admin', orgId: null, via: 'peer', scopes: ['read', 'write', 'admin'] };

describe('the indicators flow through a collection', () => {
  let s: ShareContext;
  let memberA: Principal;
  let memberB: Principal;
  let collectionId: string;
  let redId: string;

  beforeAll(async () => {
    s = await shareContext('indicators-flow');
    const a = await createOrg(s.ctx.state, { name: 'ISP A', kind: 'isp', emails: ['a@isp-a.example'] });
    const b = await createOrg(s.ctx.state, { name: 'ISP B', kind: 'isp', emails: ['b@isp-b.example'] });
    memberA = { userId: 'u-a', username: 'a', role: 'org-member', orgId: a.id, via: 'session', scopes: ['read'] };
    memberB = { userId: 'u-b', username: 'b', role: 'org-admin', orgId: b.id, via: 'session', scopes: ['read', 'write'] };
    collectionId = (await createCollection(s.ctx.state, { title: 'Scanners', alias: 'scanners', read: [a.id, b.id], write: [b.id] }, operator)).id;
    redId = (await createCollection(s.ctx.state, { title: 'Red', read: [a.id] }, operator)).id;
    await darknetDay(s.ctx, { ip: '45.33.1.1', day: DAY, scan: 40, hits: { 0: 40 } });
    await darknetDay(s.ctx, { ip: '45.33.1.2', day: DAY, scan: 10 });
    await darknetDay(s.ctx, { ip: '81.2.69.160', day: DAY, scan: 7 }); // a peer's indicator names it
  }, 180_000);
  afterAll(async () => s?.dispose());

  it('a dry run stores nothing; publish stores the indicators and a second publish adds nothing', async () => {
    const dry = await publishIndicators(s.ctx, operator, { collection: 'scanners', tlp: 'green', window, dryRun: true, now });
    expect(dry).toMatchObject({ dryRun: true, created: 3, stored: 0 });
    expect(dry.sample).toHaveLength(3);
    // Who would receive them: GREEN reaches every member organisation (the policy's dry run).
    expect(dry.recipients?.organisations.map((o) => o.name).sort()).toEqual(['ISP A', 'ISP B']);
    expect(dry.recipients?.victimFields).toBe(0);
    const r = await publishIndicators(s.ctx, operator, { collection: 'scanners', tlp: 'green', window, dryRun: false, now });
    // hub identity, Mirai, 3 indicators, 1 relationship
    expect(r).toMatchObject({ created: 3, objects: 6, stored: 6, failures: [] });
    const again = await publishIndicators(s.ctx, operator, { collection: 'scanners', tlp: 'green', window, dryRun: false, now });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    await expect(publishIndicators(s.ctx, memberA, { collection: 'scanners', tlp: 'green', window, dryRun: false, now })).rejects.toThrow(/may not write/);
  });

  it('export gives a member what the policy lets it receive, and audits it', async () => {
    const e = await exportCollection(s.ctx.state, memberA, 'scanners');
    expect(e.objects.filter((o) => o.type === 'indicator')).toHaveLength(3);
    expect(blocklist(e.objects, now).split('\n').filter(Boolean).sort()).toEqual(['45.33.1.1', '45.33.1.2', '81.2.69.160']);
    expect(indicatorCsv(e.objects).split('\r\n')[0]).toMatch(/^value,type,confidence/);
    const audit = await readEgress(s.ctx.state, { all: true });
    expect(audit.entries.filter((x) => x.userId === 'u-a' && x.path === 'export')).toHaveLength(e.objects.length);
    // TLP:RED: nobody named, so a reader organisation's member receives nothing.
    await publishIndicators(s.ctx, operator, { collection: redId, tlp: 'red', window, dryRun: false, now: new Date('2026-11-11T02:00:00Z') });
    const red = await exportCollection(s.ctx.state, memberA, redId);
    expect(red.objects.filter((o) => o.type === 'indicator')).toEqual([]);
    expect(red.withheld).toBeGreaterThan(0);
  });

  it("import: a peer's indicator we saw becomes a sighting by the hub; its opinion on ours is feedback", async () => {
    const hub = await hubIdentity(s.ctx.state);
    const peer = 'identity--5f1c1e4a-9b7d-4c2e-8a6f-3d2b1c0a9e88';
    const ours = (await exportCollection(s.ctx.state, operator, 'scanners')).objects.find((o) => o.type === 'indicator' && String(o['pattern']).includes('45.33.1.2'));
    const t = '2026-11-11T03:00:00.000Z';
    const bundle = {
      type: 'bundle', id: 'bundle--5f1c1e4a-9b7d-4c2e-8a6f-3d2b1c0a9e00', objects: [
        { type: 'indicator', spec_version: '2.1', id: 'indicator--5f1c1e4a-9b7d-4c2e-8a6f-3d2b1c0a9e01', created: t, modified: t, created_by_ref: peer, pattern: "[ipv4-addr:value = '81.2.69.160']", pattern_type: 'stix', valid_from: t },
        { type: 'indicator', spec_version: '2.1', id: 'indicator--5f1c1e4a-9b7d-4c2e-8a6f-3d2b1c0a9e02', created: t, modified: t, created_by_ref: peer, pattern: "[ipv4-addr:value = '203.0.113.250']", pattern_type: 'stix', valid_from: t },
        { type: 'opinion', spec_version: '2.1', id: 'opinion--5f1c1e4a-9b7d-4c2e-8a6f-3d2b1c0a9e03', created: t, modified: t, created_by_ref: peer, opinion: 'disagree', object_refs: [ours?.id] },
        { type: 'indicator', id: 'not-an-id' },
      ],
    };
    const imp = await importObjects(s.ctx.state, memberB, 'scanners', JSON.stringify(bundle));
    expect(imp).toMatchObject({ format: 'stix', objects: 4, stored: 3, feedback: 1 });
    expect(imp.failures).toHaveLength(1);
    const m = await matchCollection(s.ctx, operator, { collection: 'scanners', dryRun: false, tlp: 'green', now });
    expect(m).toMatchObject({ peerIndicators: 2, sighted: 1, sightings: 1, failures: [] });
    const sightings = (await exportCollection(s.ctx.state, operator, 'scanners')).objects.filter((o) => o.type === 'sighting');
    expect(sightings).toHaveLength(1);
    expect(sightings[0]).toMatchObject({ sighting_of_ref: 'indicator--5f1c1e4a-9b7d-4c2e-8a6f-3d2b1c0a9e01', where_sighted_refs: [hub.id], created_by_ref: hub.id, count: 1, first_seen: `${DAY}T10:00:00.000Z` });
    // Nothing new: no new sighting version.
    expect((await matchCollection(s.ctx, operator, { collection: 'scanners', dryRun: false, tlp: 'green', now })).sightings).toBe(0);
    // The peer's disagreement lowers our indicator in the next publish.
    const next = await publishIndicators(s.ctx, operator, { collection: 'scanners', tlp: 'green', window, dryRun: false, now: new Date('2026-11-11T04:00:00Z') });
    expect(next.updated).toBe(1);
    expect(next.sample[0]?.confidence).toBe(50 - 15);
  });

  it('import refuses what is not a bundle, an object or a MISP event, saying so', async () => {
    await expect(importObjects(s.ctx.state, memberB, 'scanners', '[1,2]')).rejects.toThrow(/STIX bundle/);
    await expect(importObjects(s.ctx.state, memberB, 'scanners', '{"type":"bundle"')).rejects.toThrow(/not JSON/);
  });
});
