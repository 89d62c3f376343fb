/**
 * Dionaea's SQLite log (ihandler logsql): `connections` (one row per connection, `connection_root`
 * the attack it belongs to, `connection_timestamp` epoch seconds), and per connection `offers`
 * (URLs an exploit offered), `downloads` (URL and MD5 of what arrived), `logins`,
 * `mssql_commands` and `p0fs`. Node 20 has no SQLite of its own and the project installs no
 * SQLite package, so the database is read through the `sqlite3` command (Debian package
 * `sqlite3`), read-only, as JSON rows, one per line, which `DionaeaSqliteReader` maps like any
 * line-based log. Connections Dionaea opened itself (`connect`, `listen`) are counted, not stored.
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { SakimoriError } from '../../errors.js';
import type { HoneypotEventKind, HoneypotEventRow } from '../../schema/honeypot-event.js';
import { detailOf, num, port, str, text, urlHost } from './fields.js';
import { parseLine, type HoneypotLineReader } from './line-reader.js';
import { LineReaderBase } from './line-reader-base.js';

const SQLITE3 = 'sqlite3';
const NEEDS = 'reading Dionaea\'s SQLite log needs the sqlite3 command (Debian package sqlite3): install it, or use Dionaea\'s JSON log';

/** Per table: the row kind, and the two columns carried as `a` and `b`. */
const PARTS: Record<string, { k: string; a: string; b: string }> = {
  offers: { k: 'offer', a: 'offer_url', b: 'NULL' },
  downloads: { k: 'download', a: 'download_url', b: 'download_md5_hash' },
  logins: { k: 'login', a: 'login_username', b: 'login_password' },
  mssql_commands: { k: 'mssql', a: 'mssql_command_cmd', b: 'mssql_command_status' },
  p0fs: { k: 'p0f', a: 'p0f_genre', b: 'p0f_detail' },
};

const CONN = 'c.connection AS id, c.connection_root AS root, c.connection_type AS type, c.connection_transport AS transport, c.connection_protocol AS protocol, c.connection_timestamp AS ts, c.local_host AS lh, c.local_port AS lp, c.remote_host AS rh, c.remote_hostname AS rn, c.remote_port AS rp';

function missing(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'ENOENT';
}

/** The query over the tables this database has: every event row with its connection, an attack's rows together. */
export async function dionaeaQuery(path: string): Promise<string> {
  let out: string;
  try {
    out = (await promisify(execFile)(SQLITE3, ['-readonly', '-json', path, "SELECT name FROM sqlite_master WHERE type = 'table'"], { maxBuffer: 1 << 20 })).stdout;
  } catch (e) {
    if (missing(e)) throw new SakimoriError('INPUT_READ_FAILED', NEEDS, { file: path });
    throw new SakimoriError('IMPORT_BAD_FORMAT', `not a Dionaea SQLite log: ${(e as { stderr?: string }).stderr?.trim() || String(e)}`, { file: path });
  }
  const tables = new Set((out.trim() ? JSON.parse(out) as { name: string }[] : []).map((t) => t.name));
  if (!tables.has('connections')) throw new SakimoriError('IMPORT_BAD_FORMAT', 'not a Dionaea SQLite log: it has no connections table', { file: path });
  const parts = [`SELECT 'connection' AS k, ${CONN}, NULL AS a, NULL AS b FROM connections c`];
  for (const [table, p] of Object.entries(PARTS)) {
    if (tables.has(table)) parts.push(`SELECT '${p.k}', ${CONN}, t.${p.a}, ${p.b === 'NULL' ? 'NULL' : `t.${p.b}`} FROM ${table} t JOIN connections c ON c.connection = t.connection`);
  }
  return `${parts.join(' UNION ALL ')} ORDER BY root, id, k`;
}

/** The rows of the query as `sqlite3 -json` prints them (one per line); an error of sqlite3 ends the iteration. */
export async function* dionaeaSqliteLines(path: string): AsyncGenerator<Uint8Array> {
  const query = await dionaeaQuery(path);
  const child = spawn(SQLITE3, ['-readonly', '-json', path, query], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let spawnError: unknown;
  child.stderr.on('data', (d: Buffer) => { if (stderr.length < 4096) stderr += d.toString(); });
  const exited = new Promise<number>((resolve) => {
    child.on('error', (e) => { spawnError = e; resolve(-1); });
    child.on('close', (code) => resolve(code ?? -1));
  });
  try {
    for await (const chunk of child.stdout) yield chunk as Uint8Array;
    const code = await exited;
    if (spawnError !== undefined) throw missing(spawnError) ? new SakimoriError('INPUT_READ_FAILED', NEEDS, { file: path }) : spawnError;
    if (code !== 0) throw new SakimoriError('INPUT_READ_FAILED', `sqlite3 failed: ${stderr.trim()}`, { file: path });
  } finally {
    if (child.exitCode === null) child.kill();
  }
}

/** The time of a connection: epoch seconds (Dionaea stores Python's time.time()). */
function isoOf(seconds: number): string {
  return new Date(Math.round(seconds * 1000)).toISOString();
}

export class DionaeaSqliteReader extends LineReaderBase implements HoneypotLineReader {
  readonly honeypot = 'dionaea' as const;

  line(raw: string, no: number, out: HoneypotEventRow[]): void {
    // sqlite3 -json: "[{…},", "{…},", "{…}]".
    let s = raw;
    if (s.startsWith('[')) s = s.slice(1);
    if (s.endsWith(',') || s.endsWith(']')) s = s.slice(0, -1);
    if (s.trim() === '') return;
    const o = parseLine(s, no, this.counts);
    if (!o) return;
    const k = str(o.k) ?? '';
    const type = str(o.type) ?? '';
    if (k === 'connection' && type !== 'accept' && type !== 'reject') { this.counts.skip(`ignored:connection-${type.slice(0, 40)}`, no); return; }
    const src = text(o.rh);
    if (!this.addresses.valid(src)) { this.counts.skip('src-invalid', no); return; }
    const seconds = num(o.ts);
    const ms = seconds === undefined ? NaN : seconds * 1000;
    if (!this.sessions.time(ms, '', no)) return;
    const lh = text(o.lh);
    const row: HoneypotEventRow = {
      ts: isoOf(seconds as number), honeypot: 'dionaea', session: text(o.root) ?? text(o.id) ?? '', kind: 'session.connect',
      proto: str(o.protocol), src, src_port: port(o.rp), dst: lh !== undefined && this.addresses.valid(lh) ? lh : undefined, dst_port: port(o.lp),
    };
    const a = text(o.a);
    const b = text(o.b);
    let kind: HoneypotEventKind;
    switch (k) {
      case 'connection':
        kind = 'session.connect';
        row.detail = detailOf({ transport: o.transport, type, hostname: o.rn, connection: o.id });
        break;
      case 'offer':
      case 'download':
        kind = k;
        if (a) { row.url = a; row.url_host = urlHost(a); }
        // Dionaea hashes downloads with MD5 only; the sha256 column stays empty.
        row.detail = detailOf({ md5: b && /^[0-9a-fA-F]{32}$/.test(b) ? b.toLowerCase() : undefined, connection: o.id });
        if (k === 'download') row.success = 1;
        break;
      case 'login':
        kind = 'login';
        row.username = a ?? '';
        row.password = b ?? '';
        break;
      case 'mssql':
        kind = 'command';
        row.input = a ?? '';
        row.detail = detailOf({ status: b });
        break;
      case 'p0f':
        kind = 'client.fingerprint';
        row.fingerprint = [a, b].filter(Boolean).join(' ');
        row.detail = detailOf({ what: 'p0f' });
        break;
      default:
        this.counts.skip(`unknown-event:${k.slice(0, 40)}`, no);
        return;
    }
    row.kind = kind;
    out.push(row);
  }

  end(): void {
    this.sessions.end();
  }
}
