import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../store/open-stores.js';
import { createEnricher } from '../enrich/index.js';
import { SERVICE_FIELDS, serviceRow, serviceStructure, type ServiceFinding, type ServiceRow } from '../schema/service-observation.js';
import { compactJson, prepareFindings, storeServices, writeServices } from './service-writer.js';
import { writeNarrow } from '../imports/import-writer.js';

describe('writeServices', () => {
  let dir: string;
  let stores: Stores;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sakimori-services-'));
    stores = await openStores({ dataDir: dir });
  }, 60_000);
  afterAll(async () => {
    await stores.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores every column, keeps history, shows the latest per port and counts a re-sent batch once', async () => {
    const none = createEnricher({});
    const first = [
      serviceRow({ ip: '192.0.2.1', port: 80, transport: 'tcp', service: 'http', http_status: 200, http_title: 'Router', http_headers: { server: 'x' }, tls_sans: [], cves: ['CVE-2024-1'], cve_evidence: ['inferred'] }, '2026-11-01T00:00:00Z'),
      serviceRow({ ip: '2001:db8::1', port: 22, transport: 'tcp', service: 'ssh', ssh_kex: ['curve25519-sha256'], tls_not_after: '2027-01-01T00:00:00Z' }, '2026-11-01T00:00:00Z'),
    ];
    expect(await writeServices(stores.events, none, first, { dedupToken: 't1' })).toBe(2);
    expect(await writeServices(stores.events, none, first, { dedupToken: 't1' })).toBe(2);
    await writeServices(stores.events, none, [serviceRow({ ip: '192.0.2.1', port: 80, transport: 'tcp', service: 'http', http_status: 401 }, '2026-11-02T00:00:00Z')]);
    const history = await stores.events.query<{ n: number }>('SELECT count() AS n FROM services');
    expect(history[0]?.n).toBe(3);
    const current = await stores.events.query<{ ip: string; port: number; http_status: number; http_title: string; ssh_kex: string[] }>(
      'SELECT ip, port, http_status, http_title, ssh_kex FROM services_current FINAL ORDER BY port',
    );
    expect(current).toEqual([
      { ip: '2001:db8::1', port: 22, http_status: 0, http_title: '', ssh_kex: ['curve25519-sha256'] },
      { ip: '::ffff:192.0.2.1', port: 80, http_status: 401, http_title: '' },
    ].map((r) => ({ ssh_kex: [], ...r })));
  });
  it('stores the same rows from compact JSON as from the full row (0 in a Nullable column stays 0)', async () => {
    const none = createEnricher({});
    const make = (run: string): ServiceRow[] => [
      serviceRow({ ip: '192.0.2.50', port: 1, transport: 'tcp', source: 'eq', run_id: run }, '2026-11-03T00:00:00Z'),
      serviceRow({
        ip: '2001:db8::50', port: 443, transport: 'tcp', source: 'eq', run_id: run, status: 'open', service: 'https', banner: 'b', http_status: 200, http_title: 't',
        http_headers: { server: 's' }, http_favicon_hash: 0, tls_subject: 'CN=x', tls_sans: ['x'], tls_not_before: '2026-01-01T00:00:00Z', tls_self_signed: 1,
        ssh_kex: ['k'], login_prompt: 1, weak_credential: 1, credential_list: 'l', credential_id: 'e1', vendor: 'v', product: 'p', version: '1',
        cpe: ['cpe:2.3:a:v:p:1:*:*:*:*:*:*:*'], cves: ['CVE-2024-1'], cve_evidence: ['verified'], tags: ['self-signed'], asn: 64500, org: 'o', country: 'JP', details: '{}',
      }, '2026-11-03T00:00:00Z'),
    ];
    await writeServices(stores.events, none, make('compact'), { dedupToken: 'eq-compact' });
    const structure = serviceStructure();
    const cols = SERVICE_FIELDS.map((f) => f.name).join(', ');
    const body = Buffer.from(make('full').map((r) => JSON.stringify(r)).join('\n') + '\n');
    await stores.events.withBatch('JSONEachRow', structure, [body], (src) => stores.events.exec(`INSERT INTO services (${cols}) SELECT ${cols} FROM ${src}`, {}, { date_time_input_format: 'best_effort' }));
    const others = SERVICE_FIELDS.map((f) => f.name).filter((c) => c !== 'run_id').join(', ');
    const q = (run: string): Promise<unknown[]> => stores.events.query(`SELECT ${others} FROM services WHERE run_id = '${run}' ORDER BY port`);
    const full = await q('full');
    expect(full).toHaveLength(2);
    expect(await q('compact')).toEqual(full);
    // Sparse findings (what the import parsers make), written without full rows: the same rows.
    const findings = make('sparse').map((r) => Object.fromEntries(Object.entries(r).filter(([k, v]) => ['ip', 'port', 'transport', 'time', 'source', 'run_id', 'status'].includes(k) || (v !== '' && v !== 0 && v !== null && !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0)) || (k === 'http_favicon_hash' && v === 0))) as ServiceFinding);
    delete findings[0]?.time;
    await storeServices(stores.events, prepareFindings(none, findings, Date.parse('2026-11-03T00:00:00Z'), { dedupToken: 'eq-sparse' }));
    expect(await q('sparse')).toEqual(full);
    expect((full[1] as { http_favicon_hash: number | null }).http_favicon_hash).toBe(0);
    expect(compactJson(make('x')[0] as ServiceRow)).toBe('{"time":"2026-11-03T00:00:00Z","ip":"192.0.2.50","port":1,"transport":"tcp","source":"eq","run_id":"x","status":"open","cve_evidence":[],"tags":[]}');
  });

  it('never leaves two rows of one key in one part of the current view, however the address is spelt', async () => {
    const none = createEnricher({});
    const t = '2026-11-04T00:00:00Z';
    await writeServices(stores.events, none, [
      serviceRow({ ip: '198.51.100.7', port: 23, transport: 'tcp', banner: 'a' }, t),
      serviceRow({ ip: '::ffff:198.51.100.7', port: 23, transport: 'tcp', banner: 'b' }, t),
      serviceRow({ ip: '2001:DB8:0::7', port: 23, transport: 'tcp' }, t),
      serviceRow({ ip: '2001:db8::7', port: 23, transport: 'tcp' }, t),
    ]);
    await writeNarrow(stores.events, none, [
      { ip: '198.51.100.8', port: 80, transport: 'tcp', time: t },
      { ip: '::ffff:198.51.100.8', port: 80, transport: 'tcp', time: t },
    ], 'narrow-dup');
    await storeServices(stores.events, prepareFindings(none, [
      { ip: '198.51.100.9', port: 161, transport: 'udp', banner: 'a' },
      { ip: '::ffff:198.51.100.9', port: 161, transport: 'udp', banner: 'b' },
      { ip: '2001:DB8:0::9', port: 23, transport: 'tcp' },
      { ip: '2001:db8::9', port: 23, transport: 'tcp' },
    ], Date.parse(t), { dedupToken: 'findings-dup' }));
    // No FINAL: what one part holds.
    const rows = await stores.events.query<{ addr: string; n: number }>(
      "SELECT toString(ip) AS addr, count() AS n FROM services_current WHERE ip IN (toIPv6('198.51.100.7'), toIPv6('2001:db8::7'), toIPv6('198.51.100.8'), toIPv6('198.51.100.9'), toIPv6('2001:db8::9')) GROUP BY addr ORDER BY addr",
    );
    expect(rows).toEqual([
      { addr: '2001:db8::7', n: 1 }, { addr: '2001:db8::9', n: 1 }, { addr: '::ffff:198.51.100.7', n: 1 }, { addr: '::ffff:198.51.100.8', n: 1 }, { addr: '::ffff:198.51.100.9', n: 1 },
    ]);
  });
});
