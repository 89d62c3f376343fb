import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../store/open-stores.js';
import { createEnricher } from '../enrich/index.js';
import { serviceRow, SERVICE_FIELDS } from '../schema/service-observation.js';
import { writeServices } from '../services/service-writer.js';
import { importFile, importStream } from './import-file.js';
import { writeNarrow } from './import-writer.js';
import { masscanNdjson, nmapDoc, nmapHost, T0, ZMAP_HEADER, zgrab2Failure, zgrab2Http, zgrab2Imaps, zgrab2Ssh, zmapRow } from './testing/samples.js';
import { search } from '../search/search.js';
import { UNRESTRICTED } from '../store/need-to-know.js';

async function* once(b: Uint8Array): AsyncGenerator<Uint8Array> {
  yield b;
}

describe('import into the embedded store', () => {
  let dir: string;
  let stores: Stores;
  const enricher = createEnricher({});
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sakimori-import-'));
    stores = await openStores({ dataDir: dir });
  }, 60_000);
  afterAll(async () => {
    await stores.close();
    await rm(dir, { recursive: true, force: true });
  });
  const deps = (): { events: Stores['events']; enricher: typeof enricher } => ({ events: stores.events, enricher });
  const count = async (where: string): Promise<number> => Number((await stores.events.query<{ n: number }>(`SELECT count() AS n FROM services WHERE ${where}`))[0]?.n);

  it('imports a ZMap file in batches, reads it back, and counts a re-import (plain, gzip, piped) nothing twice', async () => {
    const lines = Array.from({ length: 2500 }, (_, k) => zmapRow(k % 5 === 0 ? `2001:db8::${k.toString(16)}` : `198.18.${k >> 8}.${k & 255}`, 80, { success: k % 10 !== 9 }));
    const text = `${ZMAP_HEADER}\n${lines.join('\n')}\n192.0.2.999,x\n`;
    const file = join(dir, 'zmap.csv');
    await writeFile(file, text);
    const first = await importFile(deps(), file, { format: 'zmap', batchSize: 1000 });
    expect(first).toMatchObject({ format: 'zmap', records: 2501, services: 2250, stored: 2250, alreadyImported: 0, batches: 3, errors: 1, skipped: { 'closed port': 250 }, gzip: false });
    expect(first.firstErrors).toEqual([{ line: 2502, message: 'expected 11 fields (saddr,daddr,sport,dport,seqnum,acknum,cooldown,repeat,timestamp_str,classification,success), got 2' }]);
    expect(await count(`source = 'zmap' AND run_id = '${first.importId}'`)).toBe(2250);

    const again = await importFile(deps(), file, { format: 'zmap', batchSize: 1000 });
    expect(again).toMatchObject({ services: 2250, stored: 0, alreadyImported: 2250 });
    await writeFile(`${file}.gz`, gzipSync(Buffer.from(text)));
    const gz = await importFile(deps(), `${file}.gz`, { format: 'zmap', batchSize: 1000 });
    expect(gz).toMatchObject({ gzip: true, stored: 0, alreadyImported: 2250 });
    const piped = await importStream(deps(), once(Buffer.from(text)), { format: 'zmap', batchSize: 1000 });
    expect(piped.stored).toBe(0);
    // Other parse options give other rows: not taken for a re-import.
    const closed = await importFile(deps(), file, { format: 'zmap', batchSize: 1000, includeClosed: true });
    expect(closed.stored).toBe(2500);
    expect(await count("source = 'zmap'")).toBe(4750);

    const cur = await stores.events.query<{ ip: string; port: number; status: string }>(
      "SELECT ip, port, status FROM services_current FINAL WHERE ip = toIPv6('198.18.0.1') OR ip = toIPv6('2001:db8::a') ORDER BY ip DESC",
    );
    expect(cur.map((r) => [r.ip, r.port, r.status])).toEqual([['2001:db8::a', 80, 'open'], ['::ffff:198.18.0.1', 80, 'open']]);
  });

  it('imports Masscan, ZGrab2 and nmap with their content, IPv6 included', async () => {
    const m = await importStream(deps(), once(Buffer.from(masscanNdjson([
      { ip: '2001:db8::80', port: 8080 }, { ip: '2001:db8::80', port: 8080, banner: { name: 'title', text: 'Camera' } }, { ip: '192.0.2.80', port: 443 },
    ]))), { format: 'masscan' });
    expect(m).toMatchObject({ records: 3, services: 2, stored: 2, errors: 0 });
    const z = await importStream(deps(), once(Buffer.from(`${zgrab2Http('192.0.2.81', { status: 401, tls: true, port: 443 })}\n${zgrab2Ssh('2001:db8::22')}\n`)), { format: 'zgrab2' });
    expect(z).toMatchObject({ services: 2, stored: 2 });
    const n = await importStream(deps(), once(Buffer.from(nmapDoc([nmapHost('2001:db8::23', [{ port: 23, name: 'telnet', product: 'BusyBox telnetd', cpes: ['cpe:/a:busybox:busybox'] }])]))), { format: 'nmap' });
    expect(n).toMatchObject({ records: 1, services: 1, stored: 1 });

    const rows = await stores.events.query<Record<string, unknown>>(
      "SELECT source, ip, port, service, http_title, http_status, tls_subject, tls_not_after, ssh_host_key_type, product, cpe, time FROM services_current FINAL WHERE source IN ('masscan', 'zgrab2', 'nmap') ORDER BY source, port",
    );
    expect(rows).toEqual([
      { source: 'masscan', ip: '::ffff:192.0.2.80', port: 443, service: '', http_title: '', http_status: 0, tls_subject: '', tls_not_after: null, ssh_host_key_type: '', product: '', cpe: [], time: '2023-11-14 22:13:20.000' },
      { source: 'masscan', ip: '2001:db8::80', port: 8080, service: 'http', http_title: 'Camera', http_status: 0, tls_subject: '', tls_not_after: null, ssh_host_key_type: '', product: '', cpe: [], time: '2023-11-14 22:13:20.000' },
      { source: 'nmap', ip: '2001:db8::23', port: 23, service: 'telnet', http_title: '', http_status: 0, tls_subject: '', tls_not_after: null, ssh_host_key_type: '', product: 'BusyBox telnetd', cpe: ['cpe:2.3:a:busybox:busybox:*:*:*:*:*:*:*:*'], time: '2023-11-14 22:13:20.000' },
      // Identified as the survey identifies (identify-findings.ts): OpenSSH from the identification, lighttpd from Server.
      { source: 'zgrab2', ip: '2001:db8::22', port: 22, service: 'ssh', http_title: '', http_status: 0, tls_subject: '', tls_not_after: null, ssh_host_key_type: 'ssh-ed25519', product: 'OpenSSH', cpe: ['cpe:2.3:a:openbsd:openssh:9.2:p1:*:*:*:*:*:*'], time: '2023-11-14 22:13:20.000' },
      { source: 'zgrab2', ip: '::ffff:192.0.2.81', port: 443, service: 'https', http_title: 'Router Login', http_status: 401, tls_subject: 'CN=router.example, O=Example', tls_not_after: '2033-01-01 00:00:00', ssh_host_key_type: '', product: 'lighttpd', cpe: ['cpe:2.3:a:lighttpd:lighttpd:1.4.59:*:*:*:*:*:*:*'], time: '2023-11-14 22:13:20.123' },
    ]);
  });

  it('gives every imported service its status: status:open finds the ZGrab2 grabs as it finds ZMap, Masscan and nmap rows, and no target never reached', async () => {
    const zmap = `${ZMAP_HEADER}\n${zmapRow('198.19.0.1', 23)}\n`;
    const masscan = masscanNdjson([{ ip: '198.19.0.2', port: 22 }, { ip: '198.19.0.3', port: 21, banner: { name: 'ftp', text: '220 FTP ready\r\n' } }]);
    const zgrab2 = [
      zgrab2Http('198.19.0.4'), zgrab2Imaps('198.19.0.5'),
      zgrab2Failure('198.19.0.6', 'http', 'unknown-error', 'unable to dial target (198.19.0.6:80) with L4 Dialer: dial tcp 198.19.0.6:80: i/o timeout'),
      zgrab2Failure('198.19.0.7', 'imap', 'unknown-error', 'error opening connection to target 198.19.0.7:993: dial tcp 198.19.0.7:993: i/o timeout'),
    ].join('\n');
    const nmap = nmapDoc([nmapHost('198.19.0.8', [{ port: 80, name: 'http' }])]);
    for (const [format, text] of [['zmap', zmap], ['masscan', masscan], ['zgrab2', zgrab2], ['nmap', nmap]] as const) {
      await importStream(deps(), once(Buffer.from(text)), { format });
    }
    const r = await search(stores.events, { query: 'ip:198.19.0.0/24 AND status:open', restriction: UNRESTRICTED, limit: 100 });
    expect(r.hits.map((h) => `${h.ip}:${h.port}`).sort()).toEqual(['198.19.0.1:23', '198.19.0.2:22', '198.19.0.3:21', '198.19.0.4:80', '198.19.0.5:993', '198.19.0.8:80']);
    const all = await stores.events.query<{ ip: string; status: string }>("SELECT IPv6NumToString(s.ip) AS ip, s.status AS status FROM services AS s WHERE s.ip >= toIPv6('198.19.0.0') AND s.ip <= toIPv6('198.19.0.255') ORDER BY s.ip");
    expect(all.every((x) => x.status === 'open')).toBe(true);
    expect(all).toHaveLength(6);
  });

  it('stores port-only rows through the narrow insert exactly as writeServices would', async () => {
    const make = (run: string): ReturnType<typeof serviceRow>[] => [
      serviceRow({ ip: '192.0.2.200', port: 1, transport: 'tcp', source: 'eq', run_id: run, status: 'open', service: '' }, T0 * 1000),
      serviceRow({ ip: '2001:db8::200', port: 2, transport: 'udp', source: 'eq', run_id: run, status: 'closed', service: 'x"y\\z\t' }, '2023-11-14T22:13:20.5Z'),
    ];
    await writeServices(stores.events, enricher, make('full'), { dedupToken: 'eq-full' });
    await writeNarrow(stores.events, enricher, make('narrow'), 'eq-narrow');
    const cols = SERVICE_FIELDS.map((f) => f.name).filter((c) => c !== 'run_id').join(', ');
    const q = (run: string): Promise<unknown[]> => stores.events.query(`SELECT ${cols} FROM services WHERE run_id = '${run}' ORDER BY port`);
    const full = await q('full');
    expect(full).toHaveLength(2);
    expect(await q('narrow')).toEqual(full);
  });
});
