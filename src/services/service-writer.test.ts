import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../store/open-stores.js';
import { createEnricher } from '../enrich/index.js';
import { serviceRow } from '../schema/service-observation.js';
import { writeServices } from './service-writer.js';

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
});
