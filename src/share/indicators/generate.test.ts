import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeServices } from '../../services/service-writer.js';
import { serviceRow } from '../../schema/service-observation.js';
import { TLP2_IDS } from '../stix/tlp.js';
import { darknetDay, shareContext, type ShareContext } from './testing/share-context.js';
import { generateIndicators, type GenerateOptions } from './generate.js';
import { importWarningList } from './warning-list-store.js';
import { addOwnSensors } from './own-sensors.js';
import { recordFeedback } from './feedback.js';
import { validateObject } from '../stix/validate.js';

const DAY1 = '2026-11-10';
const DAY2 = '2026-11-11';
const window = (from: string, to: string) => ({ from: new Date(`${from}T00:00:00Z`), to: new Date(`${to}T00:00:00Z`) });

describe('indicators from the darknet scanners', () => {
  let s: ShareContext;
  const opts = (o: Partial<GenerateOptions> = {}): GenerateOptions => ({
    scope: '', window: window(DAY1, DAY2), tlp: 'green', now: new Date(`${DAY2}T01:00:00Z`), dryRun: false, dosMinPackets: 25, ...o,
  });
  const gen = (o: Partial<GenerateOptions> = {}) => generateIndicators({ events: s.ctx.events, state: s.ctx.state, fingerprints: s.ctx.fingerprinter.fingerprints }, opts(o));

  beforeAll(async () => {
    s = await shareContext('indicators-gen');
    const { ctx } = s;
    await darknetDay(ctx, { ip: '45.33.1.1', day: DAY1, scan: 40, hits: { 0: 40 } }); // Mirai
    await darknetDay(ctx, { ip: '45.33.1.2', day: DAY1, scan: 1000, hits: { 1: 1000 } }); // Masscan
    await darknetDay(ctx, { ip: '2a01:4f8::5', day: DAY1, scan: 12 }); // untagged IPv6 scanner
    await darknetDay(ctx, { ip: '45.33.1.3', day: DAY1, backscatter: 500 }); // DoS victim
    await darknetDay(ctx, { ip: '45.33.1.4', day: DAY1, scan: 100, backscatter: 30 }); // scans, but a victim too
    await darknetDay(ctx, { ip: '45.33.1.5', day: DAY1, scan: 10 }); // weak credential in the survey
    await darknetDay(ctx, { ip: '192.0.2.77', day: DAY1, scan: 10 }); // documentation range
    await darknetDay(ctx, { ip: '45.33.2.9', day: DAY1, scan: 10 }); // our own sensor
    await darknetDay(ctx, { ip: '71.6.135.131', day: DAY1, scan: 10 }); // warning list (research scanner)
    await darknetDay(ctx, { ip: '45.33.1.6', day: DAY1, other: 10 }); // not a scanner
    await writeServices(ctx.events, ctx.enricher, [serviceRow({ ip: '45.33.1.5', port: 23, transport: 'tcp', source: 'survey', service: 'telnet', weak_credential: 1 }, `${DAY1}T00:00:00Z`)], { dedupToken: 'gen-1' });
    await importWarningList(ctx.state, 'research', '71.6.135.0/24\n');
    await addOwnSensors(ctx.state, ['45.33.2.0/24']);
  }, 180_000);
  afterAll(async () => s?.dispose());

  it('a dry run decides and writes nothing', async () => {
    const r = await gen({ dryRun: true });
    expect(r.created).toBe(3);
    const [n] = await s.ctx.state.query<{ n: number }>('SELECT count(*)::int AS n FROM share_indicators');
    expect(n?.n).toBe(0);
  });

  it('publishes scanners only, counting every exclusion by reason', async () => {
    const r = await gen();
    expect(r.sources).toBe(10);
    expect(r.created).toBe(3);
    expect(r.excluded).toMatchObject({ 'dos-victim': 2, 'survey-victim': 1, reserved: 1, 'own-sensor': 1, 'warning-list': 1, 'not-scanner': 1 });
    const indicators = r.objects.filter((o) => o.type === 'indicator');
    expect(indicators.map((o) => o.pattern).sort()).toEqual(["[ipv4-addr:value = '45.33.1.1']", "[ipv4-addr:value = '45.33.1.2']", "[ipv6-addr:value = '2a01:4f8::5']"]);
    const mirai = indicators.find((o) => o.pattern === "[ipv4-addr:value = '45.33.1.1']");
    expect(mirai).toMatchObject({
      spec_version: '2.1', pattern_type: 'stix', created_by_ref: r.hub.id, valid_from: `${DAY1}T10:00:00.000Z`,
      object_marking_refs: [TLP2_IDS.green], labels: ['scanner', 'mirai'], name: 'Mirai scanner 45.33.1.1',
    });
    expect(Number(mirai?.confidence)).toBeGreaterThan(80);
    expect(Date.parse(String(mirai?.valid_until))).toBeGreaterThan(Date.parse(`${DAY1}T10:00:00Z`) + 86_400_000);
    const malware = r.objects.find((o) => o.type === 'malware');
    expect(malware).toMatchObject({ name: 'Mirai', is_family: true });
    // Scanning tools are named, not objects: the hub accepts no tool objects.
    expect(r.objects.filter((o) => o.type === 'malware')).toHaveLength(1);
    expect(indicators.find((o) => o.pattern === "[ipv4-addr:value = '45.33.1.2']")).toMatchObject({ name: 'Masscan scanner 45.33.1.2', labels: ['scanner', 'masscan'] });
    expect(r.objects.filter((o) => o.type === 'relationship')).toEqual(expect.arrayContaining([
      expect.objectContaining({ relationship_type: 'indicates', source_ref: mirai?.id, target_ref: malware?.id }),
    ]));
    expect(r.objects.filter((o) => o.type === 'identity')).toEqual([r.hub]);
    // Every object passes the hub's STIX validation (stix/validate.ts).
    for (const o of r.objects) expect(validateObject(o), o.id).toEqual([]);
    // An untagged scanner seen one day is less certain than a tagged one.
    const plain = indicators.find((o) => String(o.pattern).includes('2a01'));
    expect(plain?.confidence).toBe(50);
  });

  it('a second run with nothing new publishes nothing; new sightings make a new version of the same id', async () => {
    const again = await gen();
    expect(again.created + again.updated).toBe(0);
    expect(again.unchanged).toBe(3);
    const before = await s.ctx.state.query<{ id: string; modified: Date }>(`SELECT id, modified FROM share_indicators WHERE value = '45.33.1.2'`);
    await darknetDay(s.ctx, { ip: '45.33.1.2', day: DAY2, scan: 500, hits: { 1: 500 }, hour: '08:00:00' });
    const r = await gen({ window: window(DAY2, '2026-11-12'), now: new Date(`${DAY2}T09:00:00Z`) });
    expect(r.created).toBe(0);
    expect(r.updated).toBe(1);
    const ind = r.objects.filter((o) => o.type === 'indicator');
    expect(ind).toHaveLength(1);
    expect(ind[0]?.id).toBe(before[0]?.id);
    expect(Date.parse(String(ind[0]?.modified))).toBeGreaterThan(new Date(before[0]?.modified as Date).getTime());
    expect(ind[0]?.valid_from).toBe(`${DAY1}T10:00:00.000Z`);
    expect(Date.parse(String(ind[0]?.valid_until))).toBeGreaterThan(Date.parse(`${DAY2}T08:00:00Z`));
  });

  it("peers' sightings raise confidence; their objections lower it and enough of them revoke it", async () => {
    const [row] = await s.ctx.state.query<{ id: string; confidence: number }>(`SELECT id, confidence FROM share_indicators WHERE value = '2a01:4f8::5'`);
    const id = row?.id as string;
    const peer = 'identity--0b0e7c7e-54bd-4a4b-8d5c-3c5e1f4a0001';
    const t = '2026-11-11T12:00:00.000Z';
    const sighting = { type: 'sighting', spec_version: '2.1', id: 'sighting--7a1e0c52-1c11-4a43-9a0e-0d0bb2b10001', created: t, modified: t, created_by_ref: peer, sighting_of_ref: id, count: 3 };
    expect(await recordFeedback(s.ctx.state, [sighting, sighting], 'identity--hub')).toBe(1);
    const up = await gen({ window: window('2026-11-12', '2026-11-13'), now: new Date('2026-11-11T13:00:00Z') });
    const raised = up.objects.find((o) => o.id === id);
    expect(Number(raised?.confidence)).toBeGreaterThan(row?.confidence as number);
    const opinion = (n: number, o: string) => ({ type: 'opinion', spec_version: '2.1', id: `opinion--7a1e0c52-1c11-4a43-9a0e-0d0bb2b1000${n}`, created: t, modified: t, created_by_ref: peer, opinion: o, object_refs: [id] });
    await recordFeedback(s.ctx.state, [opinion(1, 'strongly-disagree')], 'identity--hub');
    const down = await gen({ window: window('2026-11-12', '2026-11-13'), now: new Date('2026-11-11T14:00:00Z') });
    expect(Number(down.objects.find((o) => o.id === id)?.confidence)).toBeLessThan(Number(raised?.confidence));
    expect(down.objects.find((o) => o.id === id)?.revoked).toBeUndefined();
    const note = { type: 'note', spec_version: '2.1', id: 'note--7a1e0c52-1c11-4a43-9a0e-0d0bb2b10009', created: t, modified: t, created_by_ref: peer, content: 'A university research scanner: false positive.', object_refs: [id] };
    await recordFeedback(s.ctx.state, [note], 'identity--hub');
    const gone = await gen({ window: window('2026-11-12', '2026-11-13'), now: new Date('2026-11-11T15:00:00Z') });
    expect(gone.revoked).toBe(1);
    expect(gone.objects.find((o) => o.id === id)).toMatchObject({ revoked: true });
    // Revoked stays revoked, and is not published again.
    const after = await gen({ now: new Date('2026-11-11T16:00:00Z') });
    expect(after.objects.find((o) => o.id === id)).toBeUndefined();
  });

  it('revokes a published indicator whose address was put on a warning list since', async () => {
    const [row] = await s.ctx.state.query<{ id: string }>(`SELECT id FROM share_indicators WHERE value = '45.33.1.1'`);
    await importWarningList(s.ctx.state, 'late', '45.33.1.1\n');
    const r = await gen({ now: new Date('2026-11-11T17:00:00Z') });
    expect(r.revoked).toBe(1);
    expect(r.excluded['warning-list']).toBe(2);
    expect(r.objects.find((o) => o.id === row?.id)).toMatchObject({ revoked: true });
  });
});
