/**
 * Dionaea's JSON log (ihandler log_json: one object per connection, written when the connection
 * is freed): the connection (`src_ip`/`src_port`/`dst_ip`/`dst_port`, `connection.{protocol,
 * transport,type}`), the credentials tried (`credentials[]`), FTP commands (`ftp.commands[]`)
 * and p0f's guess. With `flat_data` the lists are objects of lists (`credentials.username[]`);
 * the documented older form (`connection.local/remote.{address,port}`) is read too. A line is a
 * whole connection, so there is no close to wait for; its session id is made from the client's
 * address, port and time.
 */
import type { HoneypotEventRow } from '../../schema/honeypot-event.js';
import { detailOf, isObj, port, str, text, type Obj } from './fields.js';
import { parseLine, type HoneypotLineReader } from './line-reader.js';
import { LineReaderBase } from './line-reader-base.js';
import { isoMs, utcText } from './session-watch.js';

/** Connection types that are a client reaching the honeypot; the others are its own sockets. */
const CLIENT_TYPES = new Set(['accept', 'reject', '']);

/** List form or flattened form (`{key: [v…]}`) → list of objects. */
function records(v: unknown, keys: readonly string[]): Obj[] {
  if (Array.isArray(v)) return v.filter(isObj);
  if (!isObj(v)) return [];
  const cols = keys.map((k) => (Array.isArray(v[k]) ? (v[k] as unknown[]) : []));
  const n = Math.max(0, ...cols.map((c) => c.length));
  const out: Obj[] = [];
  for (let i = 0; i < n; i++) {
    const o: Obj = {};
    keys.forEach((k, j) => { o[k] = cols[j]?.[i]; });
    out.push(o);
  }
  return out;
}

export class DionaeaJsonReader extends LineReaderBase implements HoneypotLineReader {
  readonly honeypot = 'dionaea' as const;

  line(line: string, no: number, out: HoneypotEventRow[]): void {
    const o = parseLine(line, no, this.counts);
    if (!o) return;
    const conn = isObj(o.connection) ? o.connection : {};
    const remote = isObj(conn.remote) ? conn.remote : {};
    const local = isObj(conn.local) ? conn.local : {};
    const type = str(conn.type) ?? '';
    if (!CLIENT_TYPES.has(type)) { this.counts.skip(`ignored:connection-${type.slice(0, 40)}`, no); return; }
    const src = str(o.src_ip) ?? str(remote.address);
    if (src === undefined && !isObj(o.connection)) { this.counts.skip('not-a-connection', no); return; }
    if (!this.addresses.valid(src)) { this.counts.skip('src-invalid', no); return; }
    const tsRaw = str(o.timestamp);
    if (tsRaw === undefined) { this.counts.skip('timestamp-invalid', no); return; }
    if (!this.sessions.time(isoMs(tsRaw), '', no)) return;
    const ts = utcText(tsRaw);
    const srcPort = port(o.src_port) ?? port(remote.port);
    const dstText = str(o.dst_ip) ?? str(local.address);
    const dst = dstText !== undefined && this.addresses.valid(dstText) ? dstText : undefined;
    const dstPort = port(o.dst_port) ?? port(local.port);
    const proto = str(conn.protocol);
    const session = `${src}:${srcPort ?? ''}@${ts}`;
    const base = { ts, honeypot: 'dionaea' as const, session, proto, src, src_port: srcPort, dst, dst_port: dstPort };
    out.push({
      ...base, kind: 'session.connect',
      detail: detailOf({ transport: conn.transport, type: type || undefined, hostname: o.src_hostname ?? remote.hostname }),
    });
    for (const c of records(o.credentials, ['username', 'password'])) {
      out.push({ ...base, kind: 'login', username: text(c.username) ?? '', password: text(c.password) ?? '' });
    }
    const ftp = isObj(o.ftp) ? o.ftp : {};
    for (const c of records(ftp.commands, ['command', 'arguments'])) {
      const args = Array.isArray(c.arguments) ? c.arguments.map((a) => text(a) ?? '').join(' ') : text(c.arguments) ?? '';
      const cmd = text(c.command) ?? '';
      out.push({ ...base, kind: 'command', input: args ? `${cmd} ${args}` : cmd });
    }
    if (isObj(o.p0f)) {
      const p = o.p0f;
      out.push({ ...base, kind: 'client.fingerprint', fingerprint: [text(p.genre), text(p.detail)].filter(Boolean).join(' '), detail: detailOf({ what: 'p0f', ...p }) });
    }
  }

  end(): void {
    this.sessions.end();
  }
}
