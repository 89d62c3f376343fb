import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../store/open-stores.js';
import { createEnricher } from '../enrich/index.js';
import { serviceRow } from '../schema/service-observation.js';
import { importVulnFeed } from '../vulns/import.js';
import { OPENSSH_CVES, kevEntry, kevFeed, nvdCve, nvdFeed } from '../vulns/testing/feeds.js';
import { writeServices } from './service-writer.js';
import { loadServicePostProcessing } from './post-process.js';

describe('service post-processing end to end: feeds → rules → CVEs → events store', () => {
  let dir: string;
  let stores: Stores;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sakimori-postproc-'));
    stores = await openStores({ dataDir: join(dir, 'data') });
    const nvd = join(dir, 'nvdcve-2.0-sample.json');
    await writeFile(nvd, nvdFeed([
      ...OPENSSH_CVES,
      nvdCve('CVE-2021-41773', [{ criteria: 'cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*' }], { score: 7.5, severity: 'HIGH' }),
      nvdCve('CVE-2021-42013', [{ criteria: 'cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*' }, { criteria: 'cpe:2.3:a:apache:http_server:2.4.50:*:*:*:*:*:*:*' }]),
    ]));
    const kev = join(dir, 'kev.json');
    // Sample catalogue: CVE-2021-41773/42013 are in the real KEV; CVE-2023-38408 is listed here for the test.
    await writeFile(kev, kevFeed([kevEntry('CVE-2021-41773', 'Apache', 'HTTP Server'), kevEntry('CVE-2021-42013', 'Apache', 'HTTP Server'), kevEntry('CVE-2023-38408', 'OpenBSD', 'OpenSSH')]));
    expect((await importVulnFeed(stores.state, nvd, { format: 'nvd' })).imported).toBe(7);
    expect((await importVulnFeed(stores.state, kev, { format: 'kev' })).imported).toBe(3);
  }, 120_000);
  afterAll(async () => {
    await stores.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('identifies OpenSSH 7.4, infers its CVEs, tags KEV, keeps a module-verified CVE, and stores it all', async () => {
    const post = await loadServicePostProcessing(stores.state);
    expect(post.matcher?.size).toBe(11);
    const rows = [
      serviceRow({ ip: '198.51.100.20', port: 22, transport: 'tcp', source: 'survey', service: 'ssh', ssh_ident: 'SSH-2.0-OpenSSH_7.4', banner: 'SSH-2.0-OpenSSH_7.4\\r\\n' }, '2026-11-01T00:00:00Z'),
      serviceRow({ ip: '198.51.100.20', port: 80, transport: 'tcp', source: 'survey', service: 'http', http_status: 200, http_server: 'Apache/2.4.49 (Unix)',
        cves: ['CVE-2021-41773'], cve_evidence: ['verified'] }, '2026-11-01T00:00:00Z'),
      serviceRow({ ip: '198.51.100.20', port: 8080, transport: 'tcp', source: 'survey', service: 'http', http_status: 200, http_server: 'nginx/1.25.3' }, '2026-11-01T00:00:00Z'),
    ];
    await writeServices(stores.events, createEnricher({}), rows, { dedupToken: 'pp-1', postProcessors: post.processors });
    const back = await stores.events.query<{ port: number; vendor: string; product: string; version: string; cpe: string[]; cves: string[]; cve_evidence: string[]; tags: string[] }>(
      'SELECT port, vendor, product, version, cpe, cves, cve_evidence, tags FROM services ORDER BY port',
    );
    expect(back).toEqual([
      {
        port: 22, vendor: 'OpenBSD', product: 'OpenSSH', version: '7.4', cpe: ['cpe:2.3:a:openbsd:openssh:7.4:*:*:*:*:*:*:*'],
        cves: ['CVE-2018-15473', 'CVE-2020-15778', 'CVE-2023-38408'], cve_evidence: ['inferred', 'inferred', 'inferred'], tags: ['kev'],
      },
      {
        port: 80, vendor: 'Apache', product: 'HTTP Server', version: '2.4.49', cpe: ['cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*'],
        cves: ['CVE-2021-41773', 'CVE-2021-42013'], cve_evidence: ['verified', 'inferred'], tags: ['kev'],
      },
      {
        port: 8080, vendor: 'F5', product: 'nginx', version: '1.25.3', cpe: ['cpe:2.3:a:f5:nginx:1.25.3:*:*:*:*:*:*:*', 'cpe:2.3:a:nginx:nginx:1.25.3:*:*:*:*:*:*:*'],
        cves: [], cve_evidence: [], tags: [],
      },
    ]);
    // The search view sees the same (services_current).
    const cur = await stores.events.query<{ cves: string[] }>(`SELECT cves FROM services_current FINAL WHERE port = 22`);
    expect(cur[0]?.cves).toContain('CVE-2023-38408');
  });

  it('works without a state store or feeds: rules only', async () => {
    const post = await loadServicePostProcessing(undefined);
    expect(post.matcher).toBeUndefined();
    const row = serviceRow({ ip: '192.0.2.1', port: 21, transport: 'tcp', banner: '220 (vsFTPd 2.3.4)\\r\\n' });
    for (const p of post.processors) p(row);
    expect([row.product, row.version, row.cves]).toEqual(['vsftpd', '2.3.4', []]);
  });
});
