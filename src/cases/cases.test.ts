import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.js';
import { openContext, type AppContext } from '../app/context.js';
import { writeServices } from '../services/service-writer.js';
import { serviceRow, type ServiceFinding } from '../schema/service-observation.js';
import { addPrefixes, createOrg } from '../orgs/org-store.js';
import { buildCases } from './build-cases.js';
import { verifyCases } from './verify-cases.js';
import { noRecipientSummary } from './no-recipient.js';

describe('cases from findings', () => {
  let dir: string;
  let ctx: AppContext;
  const svc = (f: Omit<ServiceFinding, 'transport'>, time: string) => serviceRow({ source: 'survey', ...f, transport: 'tcp' }, time);
  const darknetDay = (ip: string, day: string, packets: number, miraiHits: number) => ctx.events.exec(
    `INSERT INTO darknet_source_day (day, sensor, src, first_seen, last_seen, packets, pkts_scan, pkts_backscatter, pkts_other, tag_hits, ports, dsts, asn, country)
     VALUES ({d:Date}, 'default', toIPv6({ip:String}), {t:DateTime64(6)}, {t:DateTime64(6)}, {p:UInt64}, {p:UInt64}, 0, 0, ([0], [{h:UInt64}]), ([], []), ([], []), 0, '')`,
    { d: day, ip, t: `${day} 12:00:00`, p: packets, h: miraiHits },
  );
  const cases = () => ctx.state.query<{ ip: string; kind: string; state: string; recipient: string; recipient_name: string }>('SELECT host(ip) AS ip, kind, state, recipient, recipient_name FROM cases ORDER BY ip, kind');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sakimori-cases-'));
    ctx = await openContext(configSchema.parse({ dataDir: dir }));
    const a = await createOrg(ctx.state, { name: 'ISP A', kind: 'isp', emails: ['abuse@isp-a.example'] });
    await addPrefixes(ctx.state, a.id, ['192.0.2.0/24']);
    await ctx.state.query(`INSERT INTO abuse_contacts (source, resource, prefix, email, via) VALUES ('RIPE', '198.51.100.0/24', '198.51.100.0/24', 'abuse@rir.example', 'abuse-c:X')`);
    await ctx.state.query(`INSERT INTO notify_opt_out (target, reason) VALUES ('192.0.2.3', 'research honeypot')`);
    await writeServices(ctx.events, ctx.enricher, [
      svc({ ip: '192.0.2.1', port: 23, service: 'telnet', weak_credential: 1, credential_list: 'starter', credential_id: 'c002', vendor: 'Acme', product: 'R100' }, '2026-11-10T00:00:00Z'),
      svc({ ip: '192.0.2.2', port: 6379, service: 'redis', no_auth: 1 }, '2026-11-10T00:00:00Z'),
      svc({ ip: '198.51.100.5', port: 80, service: 'http', cves: ['CVE-2018-18778'], cve_evidence: ['inferred'] }, '2026-11-10T00:00:00Z'),
      svc({ ip: '203.0.113.9', port: 23, service: 'telnet', weak_credential: 1 }, '2026-11-10T00:00:00Z'),
      svc({ ip: '203.0.113.9', port: 80, service: 'http', cves: ['CVE-2018-18778'], cve_evidence: ['inferred'] }, '2026-11-10T00:00:00Z'),
      svc({ ip: '192.0.2.3', port: 23, service: 'telnet', weak_credential: 1 }, '2026-11-10T00:00:00Z'),
      svc({ ip: '192.0.2.4', port: 22, service: 'ssh' }, '2026-11-10T00:00:00Z'),
    ], { dedupToken: 'cases-1' });
    await darknetDay('192.0.2.50', '2026-11-20', 1000, 1000);
    await darknetDay('192.0.2.51', '2026-11-20', 1000, 3); // a few accidental matches: not infected
  }, 120_000);
  afterAll(async () => {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens one case per recipient, address and kind; finds the recipient; counts findings without one; skips opt-outs', async () => {
    const s = await buildCases(ctx, { now: new Date('2026-11-21T00:00:00Z') });
    expect(s).toMatchObject({ opened: 4, seenAgain: 0, reopened: 0, optedOut: 1 });
    expect(s.noRecipient).toMatchObject({ findings: 2, addresses: 1, topCountries: [{ country: '', addresses: 1 }], topAsns: [{ asn: 0, addresses: 1 }] });
    expect(s.byKind).toEqual({ default_credential: 1, no_authentication: 1, vulnerable_firmware: 1, mirai_infection: 1 });
    const all = await cases();
    expect(all.map((c) => [c.ip, c.kind, c.state, c.recipient.split(':')[0], c.recipient_name])).toEqual([
      ['192.0.2.1', 'default_credential', 'new', 'org', 'ISP A'],
      ['192.0.2.2', 'no_authentication', 'new', 'org', 'ISP A'],
      ['192.0.2.50', 'mirai_infection', 'new', 'org', 'ISP A'],
      ['198.51.100.5', 'vulnerable_firmware', 'new', 'email', ''],
    ]);
    // 203.0.113.9: nobody to tell, so no case; counted with its kinds (a credential and a CVE).
    const none = await noRecipientSummary(ctx.state);
    expect(none).toMatchObject({ findings: 2, addresses: 1, legacyUnassignedCases: 0, countries: [{ country: '', addresses: 1 }], asns: [{ asn: 0, addresses: 1 }] });
    expect(none.byKind).toEqual([{ kind: 'default_credential', addresses: 1 }, { kind: 'vulnerable_firmware', addresses: 1 }]);
  });

  it('keeps cases for "unassigned" from earlier releases as they are, and counts them', async () => {
    await ctx.state.query(`INSERT INTO cases (recipient, ip, kind, detail, first_seen, last_seen) VALUES ('unassigned', '100.64.0.9', 'default_credential', '{}', '2026-10-01', '2026-10-01')`);
    await buildCases(ctx, { now: new Date('2026-11-21T00:30:00Z') });
    expect((await noRecipientSummary(ctx.state)).legacyUnassignedCases).toBe(1);
    await ctx.state.query("DELETE FROM cases WHERE recipient = 'unassigned'");
  });

  it('creates nothing twice when run again', async () => {
    const s = await buildCases(ctx, { now: new Date('2026-11-21T01:00:00Z') });
    expect(s).toMatchObject({ opened: 0, seenAgain: 4, reopened: 0 });
    const [n] = await ctx.state.query<{ n: number }>('SELECT count(*)::int AS n FROM cases');
    expect(n?.n).toBe(4);
  });

  it('resolves only from later evidence, and reopens a case whose weakness comes back', async () => {
    // Nothing newer than the findings: nothing resolves.
    expect((await verifyCases(ctx, { now: new Date('2026-11-21T02:00:00Z') })).resolved).toBe(0);
    await writeServices(ctx.events, ctx.enricher, [
      svc({ ip: '192.0.2.1', port: 23, service: 'telnet', weak_credential: 0, login_prompt: 1 }, '2026-11-22T00:00:00Z'),
      svc({ ip: '192.0.2.2', port: 6379, status: 'closed' }, '2026-11-22T00:00:00Z'),
      svc({ ip: '198.51.100.5', port: 80, service: 'http', cves: ['CVE-2018-18778'] }, '2026-11-22T00:00:00Z'),
    ], { dedupToken: 'cases-2' });
    const v = await verifyCases(ctx, { now: new Date('2026-11-22T01:00:00Z') });
    expect(v.byKind).toEqual({ default_credential: 1, no_authentication: 1 });
    const [res] = await ctx.state.query<{ resolution: { reason: string; observedAt: string } }>("SELECT resolution FROM cases WHERE host(ip) = '192.0.2.1'");
    expect(res?.resolution).toMatchObject({ reason: 'default credential no longer accepted', observedAt: '2026-11-22T00:00:00.000Z' });

    await writeServices(ctx.events, ctx.enricher, [
      svc({ ip: '192.0.2.1', port: 23, service: 'telnet', weak_credential: 1, credential_list: 'starter', credential_id: 'c002' }, '2026-11-25T00:00:00Z'),
    ], { dedupToken: 'cases-3' });
    const again = await buildCases(ctx, { now: new Date('2026-11-25T01:00:00Z') });
    expect(again.reopened).toBe(1);
    const events = await ctx.state.query<{ to_state: string }>("SELECT e.to_state FROM case_events e JOIN cases c ON c.id = e.case_id WHERE host(c.ip) = '192.0.2.1' ORDER BY e.id");
    expect(events.map((e) => e.to_state)).toEqual(['resolved', 'reopened']);
  });

  it('resolves an infection only after the telescope saw a quiet week', async () => {
    const mirai = ctx.fingerprinter.fingerprints.find((f) => f.name === 'mirai');
    expect((await verifyCases(ctx, { mirai, quietDays: 7 })).byKind['mirai_infection']).toBeUndefined();
    await darknetDay('198.18.0.1', '2026-11-29', 10, 0); // the telescope's coverage now reaches past a week
    const v = await verifyCases(ctx, { mirai, quietDays: 7, now: new Date('2026-11-30T00:00:00Z') });
    expect(v.byKind['mirai_infection']).toBe(1);
  });
});
