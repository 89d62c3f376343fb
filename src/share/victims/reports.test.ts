import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStores, type TempStores } from '../../store/testing/temp-stores.js';
import { createOrg } from '../../orgs/org-store.js';
import { isSakimoriError } from '../../errors.js';
import { seededRandom } from '../../util/seeded-random.js';
import { consentVictimReport, getVictimReport, listVictimReports, releaseVictimReport, reportRow, submitVictimReport, type ReportViewer } from './reports.js';
import { INCIDENT_CORE_EXTENSION, parseVictimReport } from './report-input.js';
import { technicalStix, victimStix } from './released-stix.js';
import { hubCryptoPan } from './hub-key.js';
import { computeVictimAggregates } from './aggregates.js';
import { validateObject } from '../stix/validate.js';
import { victimReportStixFor } from './report-stix-for.js';

const HUB = 'identity--7e1a1f3c-1d2e-4f5a-8b6c-9d0e1f2a3b4c';
const FORM = {
  title: 'Ransomware at Example Hospital', description: 'Encrypted the PACS servers', attackKind: 'ransomware', occurredAt: '2026-11-03T04:00:00+09:00',
  technical: { c2: ['198.51.100.23', 'c2.bad.example'], malware: ['LockBit'], techniques: ['T1486', 'T1110.001'] },
  victim: { name: 'Example Hospital', addresses: ['203.0.113.10', '203.0.113.64/26'], sector: 'Healthcare', employees: 320, region: 'Kanto', affectedSystems: ['PACS'] },
};

let s: TempStores;
const org: Record<string, string> = {};
const viewer = (o: string, role: ReportViewer['role'] = 'org-member'): ReportViewer => ({ userId: `u-${o}-${role}`, orgId: org[o] as string, role });
const operator: ReportViewer = { userId: 'u-op', orgId: null, role: 'analyst' };
const code = async (p: Promise<unknown>): Promise<string> => p.then(() => 'ok', (e: unknown) => (isSakimoriError(e) ? e.code : String(e)));

beforeAll(async () => {
  s = await tempStores('victims');
  for (const n of ['a', 'b', 'c', 'd', 'e', 'f']) org[n] = (await createOrg(s.state, { name: `Org ${n}` })).id;
});
afterAll(async () => s.dispose());

describe('victim reports', () => {
  let id = '';

  it('stores a submitted report once, as a draft of the submitter\'s organisation', async () => {
    const first = await submitVictimReport(s.state, FORM, viewer('a'));
    const again = await submitVictimReport(s.state, JSON.parse(JSON.stringify(FORM)), viewer('a'));
    id = first.report.id;
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, report: { id } });
    expect(first.report).toMatchObject({ state: 'draft', ownerOrgId: org['a'], occurredAt: '2026-11-02T19:00:00.000Z', generalised: { sector: 'healthcare', sizeBand: '250-999', region: 'Kanto' } });
    expect(first.report.victim?.name).toBe('Example Hospital');
  });

  it('never shows a draft to another organisation, and its victim part not even to operators', async () => {
    expect((await listVictimReports(s.state, viewer('b'))).map((r) => r.id)).not.toContain(id);
    expect(await code(getVictimReport(s.state, id, viewer('b', 'org-admin')))).toBe('NOT_FOUND');
    const op = await getVictimReport(s.state, id, operator);
    expect(op.technical?.c2).toEqual(['198.51.100.23', 'c2.bad.example']);
    expect(op.victim).toBeNull();
  });

  it('lets only an admin of the reporting organisation consent, and only an operator release', async () => {
    expect(await code(consentVictimReport(s.state, id, viewer('a')))).toBe('FORBIDDEN');
    expect(await code(consentVictimReport(s.state, id, viewer('b', 'org-admin')))).toBe('NOT_FOUND');
    expect(await code(consentVictimReport(s.state, id, { ...operator, role: 'platform-admin' }))).toBe('FORBIDDEN');
    expect(await code(releaseVictimReport(s.state, id, operator))).toBe('BAD_REQUEST');
    const c = await consentVictimReport(s.state, id, viewer('a', 'org-admin'));
    expect(c).toMatchObject({ state: 'consented', consentedBy: 'u-a-org-admin' });
    expect(c.consentedAt).not.toBeNull();
    expect(await code(consentVictimReport(s.state, id, viewer('a', 'org-admin')))).toBe('BAD_REQUEST');
    expect(await code(releaseVictimReport(s.state, id, viewer('a', 'org-admin')))).toBe('FORBIDDEN');
    expect((await getVictimReport(s.state, id, operator)).victim?.name).toBe('Example Hospital');
    const r = await releaseVictimReport(s.state, id, operator);
    expect(r).toMatchObject({ state: 'released', releasedBy: 'u-op' });
  });

  it('shows a released report to others generalised only', async () => {
    const seen = await getVictimReport(s.state, id, viewer('b'));
    expect(seen).toMatchObject({ title: null, victim: null, technical: null, description: null, ownerOrgId: '', generalised: { sector: 'healthcare' } });
    expect(JSON.stringify(seen)).not.toMatch(/Example Hospital|203\.0\.113|PACS|u-a-/);
  });

  it('produces the attack-technical STIX under the hub, and the victim STIX pseudonymised, without the name', async () => {
    const row = await reportRow(s.state, id);
    const tech = technicalStix(row, { hubIdentityId: HUB });
    expect(tech.map((o) => o.type).sort()).toEqual(['indicator', 'indicator', 'infrastructure', 'malware', 'note']);
    expect(tech.find((o) => o.type === 'note')?.['content']).toBe('T1486, T1110.001');
    expect(tech.every((o) => o.created_by_ref === HUB)).toBe(true);
    expect(tech.find((o) => o.type === 'indicator')?.['pattern']).toBe("[ipv4-addr:value = '198.51.100.23']");
    expect(JSON.stringify(tech)).not.toMatch(/Example Hospital|203\.0\.113|Kanto|healthcare|PACS/i);
    const pan = await hubCryptoPan(s.state);
    const vic = victimStix(row, pan, { hubIdentityId: HUB });
    const text = JSON.stringify(vic);
    expect(text).not.toMatch(/Example Hospital|203\.0\.113\.|PACS/);
    const values = vic.filter((o) => o.type === 'ipv4-addr').map((o) => o['value']);
    expect(values).toEqual([pan.anonymize('203.0.113.10'), `${pan.anonymize('203.0.113.64') as string}/26`]);
    // Prefix preserved: both pseudonyms share the /24 the originals share.
    expect((values[0] as string).split('.').slice(0, 3)).toEqual((values[1] as string).split('.').slice(0, 3));
    for (const o of [...tech, ...vic]) expect(validateObject(o), o.id).toEqual([]);
    const incident = vic.find((o) => o.type === 'incident');
    expect(incident?.id).toBe(`incident--${id}`);
    expect((incident?.['extensions'] as Record<string, unknown>)[INCIDENT_CORE_EXTENSION]).toMatchObject({ extension_type: 'property-extension', incident_types: ['ransomware'] });
    expect(vic.find((o) => o.type === 'identity')).toMatchObject({ sectors: ['healthcare'], name: 'Anonymised victim (healthcare, 250-999 employees, Kanto)' });
    // The same key next time: the same pseudonyms.
    expect((await hubCryptoPan(s.state)).anonymize('203.0.113.10')).toBe(values[0]);
    expect(technicalStix(row, { hubIdentityId: HUB }).map((o) => o.id)).toEqual(tech.map((o) => o.id));
  });

  it('delivers through the policy: the technical part of a draft, the victim part once released, each delivery audited', async () => {
    const draft = (await submitVictimReport(s.state, { ...FORM, title: 'another' }, viewer('c'))).report.id;
    const types = async (rid: string, v: ReportViewer): Promise<string[]> => (await victimReportStixFor(s.state, rid, v, 'rest')).map((o) => o.type).sort();
    expect(await types(draft, viewer('b'))).toEqual(['identity', 'indicator', 'indicator', 'infrastructure', 'malware', 'note']);
    expect(await types(id, viewer('b'))).toEqual(expect.arrayContaining(['incident', 'observed-data', 'ipv4-addr', 'ipv4-addr']));
    // Signed in but in no organisation and no operator: GREEN is for the community only.
    expect(await types(id, { userId: 'loner', orgId: null, role: 'org-member' })).toEqual([]);
    const [audit] = await s.state.query<{ n: number }>(`SELECT count(*)::int AS n FROM share_egress WHERE user_id = $1 AND path = 'rest'`, [viewer('b').userId]);
    expect(audit?.n).toBeGreaterThan(8);
  });

  it('reads a STIX incident with the incident-core extension', async () => {
    const bundle = {
      type: 'bundle', id: 'bundle--0f1e2d3c-4b5a-4968-8776-655443322110',
      objects: [
        { type: 'incident', spec_version: '2.1', id: 'incident--1a2b3c4d-5e6f-4a0b-8c1d-2e3f4a5b6c7d', created: '2026-11-20T00:00:00Z', modified: '2026-11-20T00:00:00Z', name: 'Botnet C2 traffic from the plant',
          extensions: { [INCIDENT_CORE_EXTENSION]: { extension_type: 'property-extension', investigation_status: 'open', incident_types: ['botnet'] } } },
        { type: 'identity', spec_version: '2.1', id: 'identity--2a2b3c4d-5e6f-4a0b-8c1d-2e3f4a5b6c7d', created: '2026-11-20T00:00:00Z', modified: '2026-11-20T00:00:00Z', name: 'Plant Co', identity_class: 'organization', sectors: ['manufacturing'], x_sakimori_employees: 1200 },
        { type: 'location', spec_version: '2.1', id: 'location--3a2b3c4d-5e6f-4a0b-8c1d-2e3f4a5b6c7d', created: '2026-11-20T00:00:00Z', modified: '2026-11-20T00:00:00Z', region: 'eastern-asia', country: 'JP' },
        { type: 'ipv4-addr', spec_version: '2.1', id: 'ipv4-addr--4a2b3c4d-5e6f-5a0b-8c1d-2e3f4a5b6c7d', value: '192.0.2.77' },
        { type: 'malware', spec_version: '2.1', id: 'malware--5a2b3c4d-5e6f-4a0b-8c1d-2e3f4a5b6c7d', created: '2026-11-20T00:00:00Z', modified: '2026-11-20T00:00:00Z', name: 'Mirai', is_family: true },
      ],
    };
    const input = parseVictimReport(bundle);
    expect(input).toMatchObject({ title: 'Botnet C2 traffic from the plant', attackKind: 'botnet', victim: { name: 'Plant Co', sector: 'manufacturing', employees: 1200, region: 'eastern-asia', addresses: ['192.0.2.77'] } });
    expect(input.technical.stix.map((o) => o.type)).toEqual(['malware']);
    const noExt = { ...bundle, objects: [{ ...bundle.objects[0], extensions: {} }, ...bundle.objects.slice(1)] };
    expect(() => parseVictimReport(noExt)).toThrow(/incident-core extension/);
  });

  it('names the field of bad input', () => {
    const bad = (patch: Record<string, unknown>): string => {
      try {
        parseVictimReport({ ...FORM, ...patch });
        return 'accepted';
      } catch (e) {
        return e instanceof Error ? e.message : String(e);
      }
    };
    expect(bad({ victim: { ...FORM.victim, addresses: ['203.0.113.1', 'nope'] } })).toMatch(/: victim\.addresses\.1: victim address: an IP address or CIDR/);
    expect(bad({ attackKind: 'alien' })).toMatch(/: attackKind:/);
    expect(bad({ technical: { techniques: ['X1'] } })).toMatch(/: technical\.techniques\.0:/);
    expect(bad({ technical: { stix: [{ type: 'identity', id: 'identity--2a2b3c4d-5e6f-4a0b-8c1d-2e3f4a5b6c7d' }] } })).toMatch(/: technical\.stix\.0\.type: attack-technical objects only/);
  });

  it('releases an aggregate cell only when k distinct organisations stand behind it', async () => {
    const report = (o: string, sector: string, n: number): Promise<unknown> =>
      submitVictimReport(s.state, { ...FORM, title: `r${n}`, victim: { ...FORM.victim, sector } }, viewer(o));
    // healthcare/ransomware/2026-11: a and c (above) + b, c, d, e = 6 reports of 5 organisations; f reports energy twice.
    for (const [i, o] of ['b', 'c', 'd', 'e'].entries()) await report(o, 'healthcare', i);
    for (const [i, o] of ['a', 'b', 'f', 'f'].entries()) await report(o, 'energy', 10 + i);
    const agg = await computeVictimAggregates(s.state, 5);
    expect(agg.cells).toEqual([{ month: '2026-11', sector: 'healthcare', attackKind: 'ransomware', victims: 6, reporters: 5 }]);
    expect(agg.suppressed).toBe(1);
    const k3 = await computeVictimAggregates(s.state, 3);
    expect(k3.cells.map((c) => [c.sector, c.victims, c.reporters])).toEqual([['energy', 4, 3], ['healthcare', 6, 5]]);
  });

  it('never crashes on corrupted submissions (seeded fuzz)', () => {
    const rnd = seededRandom(20);
    const text = JSON.stringify(FORM);
    for (let n = 0; n < 1500; n++) {
      const chars = [...text.slice(0, Math.floor(rnd() * (text.length + 1)))];
      for (let j = 0; j < Math.floor(rnd() * 6); j++) chars[Math.floor(rnd() * chars.length)] = String.fromCharCode(Math.floor(rnd() * 256));
      let body: unknown;
      try {
        body = JSON.parse(chars.join(''));
      } catch {
        body = rnd() < 0.5 ? { type: 'bundle', objects: [{ type: 'incident', extensions: null }] } : [null, 1, { type: 'incident' }];
      }
      try {
        parseVictimReport(body);
      } catch (e) {
        expect(isSakimoriError(e), String(e)).toBe(true);
      }
    }
  });
});
