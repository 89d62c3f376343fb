/**
 * The observation report's exposure figures against search on the same store, and against what
 * was put in: services from Masscan, nmap and ZGrab2 imports (open, closed, a target never
 * reached) and from the survey (open, timeout, error), each figure being what searching the query
 * the report names beside it answers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.js';
import { openContext, type AppContext } from '../app/context.js';
import { importFile } from '../imports/import-file.js';
import { masscanJson, nmapDoc, nmapHost, zgrab2Banner, zgrab2Failure, zgrab2Http } from '../imports/testing/samples.js';
import { writeServices } from '../services/service-writer.js';
import { serviceRow, type ServiceFinding } from '../schema/service-observation.js';
import { search } from '../search/search.js';
import { UNRESTRICTED } from '../store/need-to-know.js';
import { EXPOSURE_QUERIES, observationData, observationHtml, type ObservationData } from './observation-report.js';

const WINDOW = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-30T00:00:00Z') };

// What was put in, open services only: 7 from the imports, 4 from the survey, on 10 hosts.
const TRUTH = {
  openServices: 11,
  hosts: 10,
  services: { telnet: 4, http: 2, redis: 1, ssh: 1 }, // three Masscan ports without a banner have no service
  weakCredentials: 1,
  noAuth: 1,
  cves: { 'CVE-2018-18778': 1, 'CVE-2023-38408': 1 },
  models: ['ACME mini_httpd 1.19', 'BusyBox telnetd', 'OpenBSD OpenSSH 7.4'],
};

describe('the observation report and search agree', () => {
  let dir: string;
  let ctx: AppContext;
  let d: ObservationData;
  const svc = (f: Omit<ServiceFinding, 'transport'>): ReturnType<typeof serviceRow> => serviceRow({ source: 'survey', status: 'open', ...f, transport: 'tcp' }, '2026-11-10T00:00:00Z');
  const total = async (query: string): Promise<number> => (await search(ctx.events, { query, restriction: UNRESTRICTED, limit: 0 })).total;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sakimori-report-search-'));
    ctx = await openContext(configSchema.parse({ dataDir: join(dir, 'data') }));
    const files = {
      masscan: masscanJson([{ ip: '192.0.2.1', port: 23 }, { ip: '192.0.2.2', port: 23 }, { ip: '192.0.2.3', port: 23, banner: { name: 'telnet', text: 'login: ' } }, { ip: '192.0.2.4', port: 80 }]),
      nmap: nmapDoc([
        nmapHost('192.0.2.5', [{ port: 23, name: 'telnet', product: 'BusyBox telnetd' }, { port: 22, state: 'closed', name: 'ssh' }]),
        nmapHost('192.0.2.6', [{ port: 23, state: 'filtered', name: 'telnet' }]),
      ]),
      zgrab2: [
        zgrab2Banner('192.0.2.7', 'telnet', 23, 'login: '),
        zgrab2Failure('192.0.2.8', 'telnet', 'unknown-error', 'unable to dial target (192.0.2.8:23): dial tcp 192.0.2.8:23: i/o timeout'),
        zgrab2Http('192.0.2.9'),
      ].join('\n') + '\n',
    } as const;
    for (const [format, text] of Object.entries(files)) {
      const file = join(dir, format);
      writeFileSync(file, text);
      await importFile({ events: ctx.events, enricher: ctx.enricher }, file, { format: format as keyof typeof files, includeClosed: true });
    }
    await writeServices(ctx.events, ctx.enricher, [
      svc({ ip: '198.51.100.1', port: 23, service: 'telnet', weak_credential: 1, credential_list: 'starter', credential_id: 'c002', vendor: 'BusyBox', product: 'BusyBox telnetd' }),
      svc({ ip: '198.51.100.1', port: 80, service: 'http', vendor: 'ACME', product: 'mini_httpd', version: '1.19', cves: ['CVE-2018-18778'], cve_evidence: ['inferred'] }),
      svc({ ip: '198.51.100.2', port: 6379, service: 'redis', no_auth: 1 }),
      svc({ ip: '198.51.100.3', port: 23, service: 'telnet', status: 'timeout' }),
      svc({ ip: '198.51.100.4', port: 22, service: 'ssh', status: 'error', error: 'kex failed' }),
      svc({ ip: '2001:db8::7', port: 22, service: 'ssh', vendor: 'OpenBSD', product: 'OpenSSH', version: '7.4', cves: ['CVE-2023-38408'], cve_evidence: ['inferred'] }),
    ], { dedupToken: 'report-vs-search' });
    d = await observationData(ctx, WINDOW);
  }, 120_000);
  afterAll(async () => {
    await ctx?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('counts what was put in', () => {
    const e = d.exposure;
    expect({ openServices: e.openServices, hosts: e.hosts, weakCredentials: e.weakCredentials, noAuth: e.noAuth }).toEqual({
      openServices: TRUTH.openServices, hosts: TRUTH.hosts, weakCredentials: TRUTH.weakCredentials, noAuth: TRUTH.noAuth,
    });
    expect(Object.fromEntries(e.services.map((s) => [s.service, s.n]))).toEqual(TRUTH.services);
    expect(Object.fromEntries(e.cves.map((c) => [c.cve, c.n]))).toEqual(TRUTH.cves);
    expect(e.models.map((m) => m.model).sort()).toEqual(TRUTH.models);
  });

  it('gives for every figure what searching its query answers', async () => {
    const e = d.exposure;
    const q = e.queries;
    expect(q).toEqual(EXPOSURE_QUERIES);
    expect(await total(q.open)).toBe(e.openServices);
    const hits = await search(ctx.events, { query: q.open, restriction: UNRESTRICTED, limit: 1000 });
    expect(new Set(hits.hits.map((h) => h.ip)).size).toBe(e.hosts);
    for (const s of e.services) expect(await total(`${q.open} service:${s.service}`), s.service).toBe(s.n);
    for (const c of e.cves) expect(await total(`${q.open} cve:${c.cve}`), c.cve).toBe(c.n);
    expect(await total(q.weakCredentials)).toBe(e.weakCredentials);
    expect(await total(q.noAuth)).toBe(e.noAuth);
    expect(await total(q.needingAction)).toBe(e.models.reduce((a, m) => a + m.n, 0));
    // All services, closed, timed out and failed ones too, are more: the report says which it counts.
    expect(await total('*')).toBe(TRUTH.openServices + 3);
    expect(await total('service:telnet')).toBe(TRUTH.services.telnet + 1);
  });

  it('names each figure\'s query and writes DoS times as the rest of the report, in both languages', () => {
    const attack = { ip: '203.0.113.9', packets: 4321, start: '2026-11-10T03:04:05.123Z', end: '2026-11-10T04:05:06.789Z', peakRate: 99, darknetAddresses: 12, ports: ['tcp/80'] };
    const withDos: ObservationData = { ...d, darknet: { ...d.darknet, dosVictims: [attack] } };
    for (const lang of ['ja', 'en'] as const) {
      const html = observationHtml(withDos, lang, new Date('2026-11-30T12:34:56Z'));
      for (const query of Object.values(EXPOSURE_QUERIES)) expect(html, `${lang}: ${query}`).toContain(`<code>${query.replace(/'/g, '&#39;')}</code>`);
      expect(html, lang).toContain('>11<');
      expect(html, lang).toContain('2026-11-10 03:04:05 UTC');
      expect(html, lang).toContain('2026-11-10 04:05:06 UTC');
      expect(html, lang).toContain('2026-11-30 12:34 UTC');
      expect(html, lang).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
    }
  });
});
