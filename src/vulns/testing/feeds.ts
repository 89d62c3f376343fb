/**
 * Small hand-written feed samples in the published shapes (CISA KEV JSON, NVD CVE JSON 2.0) for
 * the tests. The CVE ids and ranges are those of real records; descriptions are shortened.
 */
export interface NvdSampleCpe {
  criteria: string;
  vulnerable?: boolean;
  versionStartIncluding?: string;
  versionStartExcluding?: string;
  versionEndIncluding?: string;
  versionEndExcluding?: string;
}

export function nvdCve(id: string, matches: NvdSampleCpe[], opts: { score?: number; severity?: string; lastModified?: string; status?: string; andPlatform?: string } = {}): unknown {
  const nodes: unknown[] = [{ operator: 'OR', negate: false, cpeMatch: matches.map((m, i) => ({ vulnerable: true, matchCriteriaId: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`, ...m })) }];
  if (opts.andPlatform) nodes.push({ operator: 'OR', negate: false, cpeMatch: [{ vulnerable: false, criteria: opts.andPlatform, matchCriteriaId: 'ffffffff-0000-0000-0000-000000000000' }] });
  return {
    cve: {
      id,
      sourceIdentifier: 'cve@mitre.org',
      published: '2023-07-20T03:15:10.170',
      lastModified: opts.lastModified ?? '2024-06-01T00:00:00.000',
      vulnStatus: opts.status ?? 'Modified',
      descriptions: [{ lang: 'es', value: 'descripción' }, { lang: 'en', value: `${id} summary` }],
      metrics: {
        cvssMetricV31: [
          { source: 'cna@example.com', type: 'Secondary', cvssData: { version: '3.1', vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:L', baseScore: 7.3, baseSeverity: 'HIGH' } },
          { source: 'nvd@nist.gov', type: 'Primary', cvssData: { version: '3.1', vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', baseScore: opts.score ?? 9.8, baseSeverity: opts.severity ?? 'CRITICAL' }, exploitabilityScore: 3.9, impactScore: 5.9 },
        ],
        cvssMetricV2: [{ source: 'nvd@nist.gov', type: 'Primary', cvssData: { version: '2.0', vectorString: 'AV:N/AC:L/Au:N/C:P/I:P/A:P', baseScore: 7.5 }, baseSeverity: 'HIGH' }],
      },
      weaknesses: [{ source: 'nvd@nist.gov', type: 'Primary', description: [{ lang: 'en', value: 'CWE-428' }] }],
      configurations: [{ ...(opts.andPlatform ? { operator: 'AND' } : {}), nodes }],
      references: [{ url: 'https://www.openssh.com/security.html', source: 'cve@mitre.org' }],
    },
  };
}

export function nvdFeed(records: unknown[]): string {
  return JSON.stringify({ resultsPerPage: records.length, startIndex: 0, totalResults: records.length, format: 'NVD_CVE', version: '2.0', timestamp: '2024-07-01T00:00:00.000', vulnerabilities: records }, null, 1);
}

export function kevEntry(cveID: string, vendorProject: string, product: string, ransomware = 'Unknown'): Record<string, unknown> {
  return {
    cveID, vendorProject, product, vulnerabilityName: `${vendorProject} ${product} vulnerability`, dateAdded: '2024-05-01',
    shortDescription: 'short description', requiredAction: 'Apply mitigations per vendor instructions or discontinue use of the product if mitigations are unavailable.',
    dueDate: '2024-05-22', knownRansomwareCampaignUse: ransomware, notes: 'https://nvd.nist.gov/vuln/detail/' + cveID, cwes: ['CWE-78'],
  };
}

export function kevFeed(entries: unknown[], catalogVersion = '2024.07.01'): string {
  return JSON.stringify({ title: 'CISA Catalog of Known Exploited Vulnerabilities', catalogVersion, dateReleased: '2024-07-01T15:00:00.000Z', count: entries.length, vulnerabilities: entries }, null, 2);
}

/** OpenSSH and Apache records in NVD's style (ranges and an exact version with update). */
export const OPENSSH_CVES = [
  // ssh-agent PKCS#11 RCE: all versions before 9.3p2.
  nvdCve('CVE-2023-38408', [{ criteria: 'cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*', versionEndExcluding: '9.3' }, { criteria: 'cpe:2.3:a:openbsd:openssh:9.3:-:*:*:*:*:*:*' }, { criteria: 'cpe:2.3:a:openbsd:openssh:9.3:p1:*:*:*:*:*:*' }]),
  // regreSSHion: 8.5p1 ≤ v < 9.8p1 (and < 4.4p1).
  nvdCve('CVE-2024-6387', [{ criteria: 'cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*', versionEndExcluding: '4.4' }, { criteria: 'cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*', versionStartIncluding: '8.5', versionEndExcluding: '9.8' }], { score: 8.1, severity: 'HIGH' }),
  // scp client: up to 8.3p1.
  nvdCve('CVE-2020-15778', [{ criteria: 'cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*', versionEndIncluding: '8.3' }], { score: 7.8, severity: 'HIGH' }),
  // user enumeration: exactly 7.4 (any update) in this sample.
  nvdCve('CVE-2018-15473', [{ criteria: 'cpe:2.3:a:openbsd:openssh:7.4:*:*:*:*:*:*:*' }], { score: 5.3, severity: 'MEDIUM' }),
  // exact 7.5 only.
  nvdCve('CVE-2017-15906', [{ criteria: 'cpe:2.3:a:openbsd:openssh:7.5:*:*:*:*:*:*:*' }], { score: 5.3, severity: 'MEDIUM' }),
];
