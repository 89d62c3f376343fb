import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateState } from '../store/migrate.js';
import { PgliteStateStore } from '../store/state/pglite-store.js';
import { importVulnFeed, listVulnFeeds } from './import.js';
import { CveMatcher } from './cve-matcher.js';
import { OPENSSH_CVES, kevEntry, kevFeed, nvdCve, nvdFeed } from './testing/feeds.js';

describe('vulnerability feed import', () => {
  let dir: string;
  let s: PgliteStateStore;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sakimori-vulns-'));
    s = await PgliteStateStore.open();
    await migrateState(s);
  });
  afterAll(async () => {
    await s.close();
    await rm(dir, { recursive: true, force: true });
  });
  const count = async (table: string): Promise<number> => (await s.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n ?? -1;

  it('imports the KEV catalogue, skips and names bad records, and replaces it on re-import', async () => {
    const file = join(dir, 'known_exploited_vulnerabilities.json');
    await writeFile(file, kevFeed([
      kevEntry('CVE-2024-6387', 'OpenBSD', 'OpenSSH'),
      { ...kevEntry('CVE-2021-41773', 'Apache', 'HTTP Server', 'Known') },
      { ...kevEntry('CVE-2022-1', 'X', 'Y'), cveID: 'CVE-22-1' },
      { ...kevEntry('CVE-2022-22222', 'X', 'Y'), dateAdded: 'yesterday' },
      kevEntry('CVE-2019-0708', 'Microsoft', 'Remote Desktop Services'),
    ]));
    const a = await importVulnFeed(s, file, { format: 'kev', batchSize: 2 });
    expect(a).toMatchObject({ feed: 'kev', catalogVersion: '2024.07.01', records: 5, imported: 3, skipped: 2, complete: true, removed: 0 });
    expect(a.issues).toEqual([
      { record: 2, id: 'CVE-22-1', message: 'cveID: not a CVE id' },
      { record: 3, id: 'CVE-2022-22222', message: 'dateAdded: not a YYYY-MM-DD date' },
    ]);
    const [row] = await s.query<{ known_ransomware: boolean; cwes: string[]; date_added: Date }>(`SELECT known_ransomware, cwes, date_added FROM vuln_kev WHERE cve_id = 'CVE-2021-41773'`);
    expect(row?.known_ransomware).toBe(true);
    expect(row?.cwes).toEqual(['CWE-78']);

    // Same file again: nothing changes. A newer catalogue without one entry: it is removed.
    await importVulnFeed(s, file, { format: 'kev' });
    expect(await count('vuln_kev')).toBe(3);
    await writeFile(file, kevFeed([kevEntry('CVE-2024-6387', 'OpenBSD', 'OpenSSH'), kevEntry('CVE-2021-41773', 'Apache', 'HTTP Server', 'Known')], '2024.07.02'));
    const b = await importVulnFeed(s, file, { format: 'kev' });
    expect(b).toMatchObject({ imported: 2, removed: 1, complete: true, catalogVersion: '2024.07.02' });
    expect((await s.query<{ cve_id: string }>('SELECT cve_id FROM vuln_kev ORDER BY cve_id')).map((r) => r.cve_id)).toEqual(['CVE-2021-41773', 'CVE-2024-6387']);
  });

  it('imports NVD CVE JSON 2.0 (gzip), picks the primary CVSS 3.1 score, stores the CPE criteria', async () => {
    const file = join(dir, 'nvdcve-2.0-sample.json.gz');
    const rejected = nvdCve('CVE-2023-99999', [{ criteria: 'cpe:2.3:a:acme:x:*:*:*:*:*:*:*:*' }], { status: 'Rejected' });
    await writeFile(file, gzipSync(nvdFeed([...OPENSSH_CVES, rejected])));
    const r = await importVulnFeed(s, file, { format: 'nvd', batchSize: 2 });
    expect(r).toMatchObject({ feed: 'nvdcve-2.0-sample', records: 6, imported: 5, rejected: 1, skipped: 0, cpeMatches: 8, complete: true, catalogVersion: '2024-07-01T00:00:00.000' });
    const [cve] = await s.query<{ summary: string; cvss_score: number; cvss_severity: string; cvss_version: string; published: Date }>(
      `SELECT summary, cvss_score, cvss_severity, cvss_version, published FROM vuln_cve WHERE id = 'CVE-2023-38408'`,
    );
    expect(cve).toMatchObject({ summary: 'CVE-2023-38408 summary', cvss_score: 9.8, cvss_severity: 'CRITICAL', cvss_version: '3.1' });
    expect(cve?.published.toISOString()).toBe('2023-07-20T03:15:10.170Z');
    const m = await s.query<{ version: string; cpe_update: string; version_end_excluding: string | null }>(
      `SELECT version, cpe_update, version_end_excluding FROM vuln_cpe_match WHERE cve_id = 'CVE-2023-38408' ORDER BY node, version_end_excluding NULLS LAST, cpe_update`,
    );
    expect(m).toEqual([
      { version: '*', cpe_update: '*', version_end_excluding: '9.3' },
      { version: '9.3', cpe_update: '-', version_end_excluding: null },
      { version: '9.3', cpe_update: 'p1', version_end_excluding: null },
    ]);
    const feeds = await listVulnFeeds(s);
    expect(feeds.map((f) => [f.feed, f.format, f.complete])).toContainEqual(['nvdcve-2.0-sample', 'nvd', true]);

    // Idempotent: the same file again leaves the same rows.
    await importVulnFeed(s, file, { format: 'nvd' });
    expect(await count('vuln_cve')).toBe(5);
    expect(await count('vuln_cpe_match')).toBe(8);
  });

  it('keeps the records before a truncated or corrupt spot, names the record, and removes nothing else', async () => {
    const file = join(dir, 'nvdcve-2.0-sample.json');
    // One corrupt record (skipped, counted) and the file cut inside the record after it.
    const text = nvdFeed([
      nvdCve('CVE-2024-6387', [{ criteria: 'cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*', versionStartIncluding: '8.5', versionEndExcluding: '9.8' }], { score: 8.1, severity: 'HIGH', lastModified: '2024-07-09T00:00:00.000' }),
      { cve: { id: 'CVE-2024-0001', configurations: [{ nodes: [{ operator: 'OR', cpeMatch: [{ vulnerable: true, criteria: 'cpe:2.3:a:broken' }] }] }] } },
      nvdCve('CVE-2024-0002', [{ criteria: 'cpe:2.3:a:acme:widget:*:*:*:*:*:*:*:*', versionEndExcluding: '2.0' }]),
    ]);
    const cut = text.slice(0, text.indexOf('CVE-2024-0002') + 40);
    await writeFile(file, cut);
    const r = await importVulnFeed(s, file, { format: 'nvd' });
    expect(r).toMatchObject({ feed: 'nvdcve-2.0-sample', records: 2, imported: 1, skipped: 1, complete: false, removed: 0 });
    expect(r.issues[0]).toEqual({ record: 1, id: 'CVE-2024-0001', message: 'cve.configurations[0].nodes[0].cpeMatch[0].criteria: not a CPE 2.3 name' });
    expect(r.error).toMatch(/inside record 2 \(truncated/);
    // The record before the cut was rewritten; the feed's other CVEs from the complete import stay.
    expect(await count('vuln_cve')).toBe(5);
    const [score] = await s.query<{ cvss_score: number }>(`SELECT cvss_score FROM vuln_cve WHERE id = 'CVE-2024-6387'`);
    expect(score?.cvss_score).toBeCloseTo(8.1);

    // A truncated gzip stream: same.
    const gz = join(dir, 'nvdcve-2.0-sample.json.gz');
    const full = gzipSync(nvdFeed(OPENSSH_CVES));
    await writeFile(gz, full.subarray(0, Math.floor(full.length * 0.9)));
    const g = await importVulnFeed(s, gz, { format: 'nvd' });
    expect(g.complete).toBe(false);
    expect(g.imported).toBeGreaterThan(0);
    expect(g.error).toMatch(new RegExp(`inside record ${g.records}`));
    // Cut inside the first record: nothing usable, refused with the record named.
    await writeFile(gz, full.subarray(0, Math.floor(full.length * 0.3)));
    await expect(importVulnFeed(s, gz, { format: 'nvd' })).rejects.toThrow(/invalid vulnerability feed: input ends inside record 0/);
    expect(await count('vuln_cve')).toBe(5);
  });

  it('refuses a file with no usable record and leaves the stored feed as it was', async () => {
    const file = join(dir, 'wrong.json');
    await writeFile(file, kevFeed([kevEntry('CVE-2024-6387', 'OpenBSD', 'OpenSSH')]));
    await expect(importVulnFeed(s, file, { format: 'nvd', feed: 'nvdcve-2.0-sample' })).rejects.toThrow(/invalid vulnerability feed: no valid NVD record; record 0 \(CVE-2024-6387\)|record 0/);
    await writeFile(file, '<html>not json</html>');
    await expect(importVulnFeed(s, file, { format: 'kev' })).rejects.toMatchObject({ code: 'VULN_FEED_INVALID' });
    await expect(importVulnFeed(s, join(dir, 'missing.json'), { format: 'kev' })).rejects.toMatchObject({ code: 'INPUT_NOT_FOUND' });
    expect(await count('vuln_cve')).toBe(5);
    expect(await count('vuln_kev')).toBe(2);
  });

  it('loads the matcher from the tables: the most recently modified copy of a CVE counts', async () => {
    const other = join(dir, 'nvdcve-2.0-modified.json');
    // The modified feed narrows CVE-2020-15778 to versions before 7.0: its newer copy wins.
    await writeFile(other, nvdFeed([nvdCve('CVE-2020-15778', [{ criteria: 'cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*', versionEndExcluding: '7.0' }], { lastModified: '2025-01-01T00:00:00.000' })]));
    await importVulnFeed(s, other, { format: 'nvd' });
    const m = await CveMatcher.load(s);
    expect(m.match(['cpe:2.3:a:openbsd:openssh:7.4:p1:*:*:*:*:*:*'])).toEqual(['CVE-2018-15473', 'CVE-2023-38408']);
    expect(m.match(['cpe:2.3:a:openbsd:openssh:6.6:p1:*:*:*:*:*:*'])).toEqual(['CVE-2020-15778', 'CVE-2023-38408']);
    expect(m.isKev('CVE-2024-6387')).toBe(true);
  });
});
