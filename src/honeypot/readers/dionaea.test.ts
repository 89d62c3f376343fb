/**
 * Dionaea's two logs, as its ihandlers write them: the JSON of log_json.py (`json.dumps` of the
 * connection dict, plain and `flat_data`) and a SQLite database made here with the tables and
 * columns of logsql.py, read through the sqlite3 command.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DionaeaJsonReader } from './dionaea-json.js';
import { DionaeaSqliteReader, dionaeaSqliteLines } from './dionaea-sqlite.js';
import { kinds, readText } from './testing/read-text.js';

const NOW = Date.UTC(2026, 11, 1);
// Python's json.dumps separators, as log_json.py writes them.
const py = (o: unknown): string => JSON.stringify(o).replace(/","/g, '", "').replace(/":/g, '": ');

describe('DionaeaJsonReader', () => {
  it('maps a connection, its credentials, FTP commands and p0f; dionaea\'s own connections are counted', () => {
    const smb = { connection: { protocol: 'smbd', transport: 'tcp', type: 'accept' }, dst_ip: '192.0.2.5', dst_port: 445, src_hostname: '', src_ip: '198.51.100.20', src_port: 51234, timestamp: '2026-11-30T10:00:00.123456' };
    const ftp = {
      connection: { protocol: 'ftpd', transport: 'tcp', type: 'accept' }, dst_ip: '192.0.2.5', dst_port: 21, src_hostname: '', src_ip: '2001:db8::7', src_port: 40000, timestamp: '2026-11-30T10:01:00.000001',
      credentials: [{ password: 'admin', username: 'admin' }, { password: '1234', username: 'root' }],
      ftp: { commands: [{ command: 'USER', arguments: ['admin'] }, { command: 'RETR', arguments: ['a.exe'] }] },
      p0f: { detail: '2.6.x', dist: 11, fw: 0, genre: 'Linux', link: 'ethernet', nat: 0, tos: '', uptime: 0 },
    };
    const flat = { ...ftp, src_ip: '198.51.100.21', credentials: { password: ['sa', ''], username: ['sa', 'sa'] }, ftp: { commands: { command: ['USER'], arguments: ['sa'] } } };
    const own = { connection: { protocol: 'httpd', transport: 'tcp', type: 'listen' }, dst_ip: '0.0.0.0', dst_port: 80, src_hostname: '', src_ip: '', src_port: 0, timestamp: '2026-11-30T09:00:00.000000' };
    const reader = new DionaeaJsonReader(NOW);
    const { rows } = readText(reader, [py(smb), py(ftp), py(flat), py(own), '{"connection": '].join('\n'));
    expect(kinds(rows)).toEqual({ 'session.connect': 3, login: 4, command: 3, 'client.fingerprint': 2 });
    expect(rows[0]).toMatchObject({ ts: '2026-11-30T10:00:00.123456Z', honeypot: 'dionaea', kind: 'session.connect', proto: 'smbd', src: '198.51.100.20', src_port: 51234, dst: '192.0.2.5', dst_port: 445 });
    expect(rows.filter((r) => r.kind === 'login').map((r) => [r.src, r.username, r.password])).toEqual([
      ['2001:db8::7', 'admin', 'admin'], ['2001:db8::7', 'root', '1234'], ['198.51.100.21', 'sa', 'sa'], ['198.51.100.21', 'sa', ''],
    ]);
    expect(rows.filter((r) => r.kind === 'command').map((r) => r.input)).toEqual(['USER admin', 'RETR a.exe', 'USER sa']);
    expect(rows.find((r) => r.kind === 'client.fingerprint')?.fingerprint).toBe('Linux 2.6.x');
    // One session per connection: its rows share it.
    expect(new Set(rows.filter((r) => r.src === '2001:db8::7').map((r) => r.session)).size).toBe(1);
    expect(reader.counts.skipped).toEqual({ 'ignored:connection-listen': 1, 'json-invalid': 1 });
    expect(reader.counts.anomalies).toEqual({});
  });
});

describe('DionaeaSqliteReader through sqlite3', () => {
  let dir = '';
  let db = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sakimori-dionaea-'));
    db = join(dir, 'logsql.sqlite');
    // The tables and columns logsql.py creates (the ones read here), filled as its handlers do.
    const t0 = Date.UTC(2026, 10, 30, 10) / 1000;
    const sql = `
      CREATE TABLE connections (connection INTEGER PRIMARY KEY, connection_type TEXT, connection_transport TEXT, connection_protocol TEXT, connection_timestamp INTEGER, connection_root INTEGER, connection_parent INTEGER, local_host TEXT, local_port INTEGER, remote_host TEXT, remote_hostname TEXT, remote_port INTEGER);
      CREATE TRIGGER connections_INSERT_update_connection_root_trg AFTER INSERT ON connections FOR EACH ROW WHEN new.connection_root IS NULL BEGIN UPDATE connections SET connection_root = connection WHERE connection = new.connection AND new.connection_root IS NULL; END;
      CREATE TABLE offers (offer INTEGER PRIMARY KEY, connection INTEGER, offer_url TEXT);
      CREATE TABLE downloads (download INTEGER PRIMARY KEY, connection INTEGER, download_url TEXT, download_md5_hash TEXT);
      CREATE TABLE logins (login INTEGER PRIMARY KEY, connection INTEGER, login_username TEXT, login_password TEXT);
      CREATE TABLE p0fs (p0f INTEGER PRIMARY KEY, connection INTEGER, p0f_genre TEXT, p0f_link TEXT, p0f_detail TEXT, p0f_uptime INTEGER, p0f_tos TEXT, p0f_dist INTEGER, p0f_nat INTEGER, p0f_fw INTEGER);
      INSERT INTO connections (connection_timestamp, connection_type, connection_transport, connection_protocol, local_host, local_port, remote_host, remote_hostname, remote_port) VALUES
        (${t0}.25, 'accept', 'tcp', 'smbd', '192.0.2.5', 445, '198.51.100.30', '', 50001),
        (${t0 + 1}, 'connect', 'tcp', 'httpd', '192.0.2.5', 0, '198.51.100.99', '', 80),
        (${t0 + 2}, 'accept', 'tcp', 'mssqld', '192.0.2.5', 1433, 'not-an-address', '', 50002),
        (${t0 + 3}, 'listen', 'tcp', 'ftpd', '0.0.0.0', 21, '', '', 0);
      UPDATE connections SET connection_root = 1, connection_parent = 1 WHERE connection = 2;
      INSERT INTO offers (connection, offer_url) VALUES (1, 'http://198.51.100.99/x.exe');
      INSERT INTO downloads (connection, download_url, download_md5_hash) VALUES (1, 'http://198.51.100.99/x.exe', '0123456789ABCDEF0123456789ABCDEF');
      INSERT INTO logins (connection, login_username, login_password) VALUES (1, 'administrator', 'P@ss');
      INSERT INTO p0fs (connection, p0f_genre, p0f_link, p0f_detail, p0f_uptime, p0f_tos, p0f_dist, p0f_nat, p0f_fw) VALUES (1, 'Windows', 'ethernet', 'XP', 0, '', 10, 0, 0);`;
    execFileSync('sqlite3', [db, sql]);
  });
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('reads connections, offers, downloads (MD5 in the detail), logins and p0f; dionaea\'s own and bad addresses counted', async () => {
    const chunks: Buffer[] = [];
    for await (const c of dionaeaSqliteLines(db)) chunks.push(Buffer.from(c));
    const reader = new DionaeaSqliteReader(NOW);
    const { rows } = readText(reader, Buffer.concat(chunks).toString('utf8'));
    expect(kinds(rows)).toEqual({ 'session.connect': 1, offer: 1, download: 1, login: 1, 'client.fingerprint': 1 });
    expect(rows.every((r) => r.src === '198.51.100.30' && r.session === '1' && r.proto === 'smbd')).toBe(true);
    expect(rows[0]).toMatchObject({ ts: '2026-11-30T10:00:00.250Z', kind: 'session.connect', dst: '192.0.2.5', dst_port: 445, src_port: 50001 });
    const dl = rows.find((r) => r.kind === 'download');
    expect(dl).toMatchObject({ url: 'http://198.51.100.99/x.exe', url_host: '198.51.100.99', success: 1 });
    expect(JSON.parse(dl?.detail ?? '{}')).toMatchObject({ md5: '0123456789abcdef0123456789abcdef' });
    expect(rows.find((r) => r.kind === 'login')).toMatchObject({ username: 'administrator', password: 'P@ss' });
    expect(reader.counts.skipped).toEqual({ 'ignored:connection-connect': 1, 'ignored:connection-listen': 1, 'src-invalid': 1 });
  });

  it('says clearly when a file is no Dionaea database', async () => {
    const other = join(dir, 'other.sqlite');
    execFileSync('sqlite3', [other, 'CREATE TABLE t (a INTEGER);']);
    await expect(async () => { for await (const _ of dionaeaSqliteLines(other)) { /* drain */ } }).rejects.toThrow(/not a Dionaea SQLite log: it has no connections table/);
  });
});
