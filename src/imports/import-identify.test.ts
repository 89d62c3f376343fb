/**
 * Imported banners get the survey's identification: the service named from the banner, the
 * fingerprint rules (product, version, CPE) and the CVEs of the imported feeds, so that search
 * finds them as it finds a survey's (product:OpenSSH, service:ssh version<7.5, cve:…).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../store/open-stores.js';
import { createEnricher } from '../enrich/index.js';
import { importVulnFeed } from '../vulns/import.js';
import { OPENSSH_CVES, nvdCve, nvdFeed } from '../vulns/testing/feeds.js';
import { search } from '../search/search.js';
import { UNRESTRICTED } from '../store/need-to-know.js';
import { importStream } from './import-file.js';
import type { ImportFormat } from './types.js';
import { masscanJson, masscanList, nmapDoc, nmapHost, zgrab2Banner, zgrab2Ssh } from './testing/samples.js';

async function* once(b: Uint8Array): AsyncGenerator<Uint8Array> {
  yield b;
}

const SSH74 = 'SSH-2.0-OpenSSH_7.4\r\n';
const VSFTPD = '220 (vsFTPd 2.3.4)\r\n';

/** Each tool's output as it writes it: the same two services (OpenSSH 7.4, vsftpd 2.3.4) per tool on its own addresses. */
const INPUTS: { format: ImportFormat; text: string }[] = [
  { format: 'masscan', text: masscanJson([
    { ip: '198.18.1.1', port: 22 }, { ip: '198.18.1.1', port: 22, banner: { name: 'ssh', text: SSH74 } },
    { ip: '198.18.1.2', port: 21 }, { ip: '198.18.1.2', port: 21, banner: { name: 'ftp', text: VSFTPD } },
  ]) },
  // -oL: banner lines of a port masscan did not name.
  { format: 'masscan', text: masscanList([{ ip: '198.18.2.1', port: 2222, banner: { name: 'unknown', text: SSH74 } }, { ip: '198.18.2.2', port: 2121, banner: { name: 'ftp', text: VSFTPD } }]) },
  // The ssh module, and the banner module on a port ZGrab2 was not told the protocol of.
  { format: 'zgrab2', text: `${zgrab2Ssh('198.18.3.1').replace('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3', 'SSH-2.0-OpenSSH_7.4').replace('OpenSSH_9.2p1', 'OpenSSH_7.4')}\n${zgrab2Banner('198.18.3.2', 'banner', 2222, SSH74)}\n${zgrab2Banner('198.18.3.3', 'ftp', 21, VSFTPD)}\n` },
  // nmap -sV --script banner: its own product, version and CPE, and the banner the rules read.
  { format: 'nmap', text: nmapDoc([nmapHost('198.18.4.1', [
    { port: 22, name: 'ssh', product: 'OpenSSH', version: '7.4', extrainfo: 'protocol 2.0', cpes: ['cpe:/a:openbsd:openssh:7.4'] },
    { port: 21, name: 'ftp', scripts: ['<script id="banner" output="220 (vsFTPd 2.3.4)"/>'] },
  ])]) },
];

describe('imported banners are identified as the survey identifies its own', () => {
  let dir: string;
  let stores: Stores;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sakimori-import-identify-'));
    stores = await openStores({ dataDir: join(dir, 'data') });
    const nvd = join(dir, 'nvd.json');
    await writeFile(nvd, nvdFeed([...OPENSSH_CVES, nvdCve('CVE-2011-2523', [{ criteria: 'cpe:2.3:a:beasts:vsftpd:2.3.4:*:*:*:*:*:*:*' }])]));
    await importVulnFeed(stores.state, nvd, { format: 'nvd' });
    for (const input of INPUTS) {
      const s = await importStream({ events: stores.events, enricher: createEnricher({}), state: stores.state }, once(Buffer.from(input.text)), { format: input.format });
      expect(s.errors, `${input.format}: ${JSON.stringify(s.firstErrors)}`).toBe(0);
    }
  }, 120_000);
  afterAll(async () => {
    await stores.close();
    await rm(dir, { recursive: true, force: true });
  });

  const hits = async (query: string): Promise<string[]> =>
    (await search(stores.events, { query, restriction: UNRESTRICTED, limit: 100 })).hits.map((h) => `${h.ip}:${h.port}`).sort();

  const SSH = ['198.18.1.1:22', '198.18.2.1:2222', '198.18.3.1:22', '198.18.3.2:2222', '198.18.4.1:22'];
  const FTP = ['198.18.1.2:21', '198.18.2.2:2121', '198.18.3.3:21', '198.18.4.1:21'];

  it('finds every OpenSSH 7.4 by product, service and version', async () => {
    expect(await hits('product:OpenSSH')).toEqual(SSH);
    expect(await hits('service:ssh version<7.5')).toEqual(SSH);
    expect(await hits('service:ssh version>=7.5')).toEqual([]);
  });

  it('finds every vsftpd 2.3.4 by product and version', async () => {
    expect(await hits('product:vsftpd version:2.3.4')).toEqual(FTP);
  });

  it('attaches the CVEs of the feeds to them', async () => {
    expect(await hits('cve:CVE-2018-15473')).toEqual(SSH);
    expect(await hits('cve:CVE-2023-38408')).toEqual(SSH);
    expect(await hits('cve:CVE-2011-2523')).toEqual(FTP);
    const row = await stores.events.query<{ vendor: string; product: string; version: string; cpe: string[]; cves: string[]; cve_evidence: string[] }>(
      "SELECT vendor, product, version, cpe, cves, cve_evidence FROM services_current FINAL WHERE ip = toIPv6('198.18.3.2')",
    );
    expect(row).toEqual([{
      vendor: 'OpenBSD', product: 'OpenSSH', version: '7.4', cpe: ['cpe:2.3:a:openbsd:openssh:7.4:*:*:*:*:*:*:*'],
      cves: ['CVE-2018-15473', 'CVE-2020-15778', 'CVE-2023-38408'], cve_evidence: ['inferred', 'inferred', 'inferred'],
    }]);
  });

  it('names the service of a banner the scanner did not name', async () => {
    const r = await stores.events.query<{ ip: string; service: string; ssh_ident: string }>(
      "SELECT IPv6NumToString(s.ip) AS ip, s.service AS service, s.ssh_ident AS ssh_ident FROM services_current AS s FINAL WHERE s.port = 2222 ORDER BY s.ip",
    );
    expect(r).toEqual([{ ip: '::ffff:198.18.2.1', service: 'ssh', ssh_ident: 'SSH-2.0-OpenSSH_7.4' }, { ip: '::ffff:198.18.3.2', service: 'ssh', ssh_ident: 'SSH-2.0-OpenSSH_7.4' }]);
  });
});
