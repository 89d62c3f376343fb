/**
 * Masscan's outputs, one parser for all of them: JSON records are read whatever their layout
 * (json-records.ts: masscan's own, one array on one line as `jq -c .` writes it, pretty-printed as
 * `jq .` does, JSON lines), the line formats line by line between them.
 *
 * - `-oJ`: a JSON array with one object per line, `{"ip": …, "timestamp": "…", "ports": [{"port": 80,
 *   "proto": "tcp", "status": "open", "reason": "syn-ack", "ttl": 64}]}`, or for a banner
 *   `"ports": [{"port": 80, "proto": "tcp", "service": {"name": "http", "banner": "…"}}]`. Separating
 *   commas lead the line (1.3) or trail it (older releases, which also end with `{finished: 1}`).
 * - `-oD`: NDJSON, `{"ip": …, "timestamp": "…", "port": 80, "proto": "tcp", "rec_type": "status",
 *   "data": {"status": "open", "reason": "syn-ack", "ttl": 64}}` or `"rec_type": "banner",
 *   "data": {"service_name": "http", "banner": "…"}`.
 * - `-oL`: `#masscan`, then `open tcp 80 192.0.2.1 1390309012` and
 *   `banner tcp 80 192.0.2.1 1390309012 http <banner>`, then `# end`.
 * - `-oG`: `Timestamp: 1390309012\tHost: 192.0.2.1 ()\tPorts: 80/open/tcp//http//` (1.0.x wrote
 *   no Timestamp) and `Host: 192.0.2.1 ()\tPort: 80\tService: http\tBanner: <banner>` (no time, no
 *   protocol), `#` comments.
 * - `-oX`: nmap-like XML with one `<host endtime>` per record, each on its own line.
 * - `-oB` (binary) is not read: one problem says to convert it with `masscan --readscan`.
 *
 * Banners are bytes: -oJ/-oD write each byte that is not printable ASCII as `\u00XX`, the text
 * formats as `\xNN`; they are read back to bytes and then as UTF-8 when they are UTF-8.
 *
 * Masscan writes a port's status and each of its banners as separate records; they share a merge
 * key so that within a batch they become one row.
 */
import type { ServiceFinding } from '../schema/service-observation.js';
import { MAX_RECORD_BYTES, type ParseOptions, type ParseSink, type TextParser } from './types.js';
import { bannerString, certFields, checkIp, checkPort, decodeEntities, epochSecondsToMs, jsonObjectLine } from './values.js';
import { JsonRecordSplitter, type JsonRecordSink } from './json-records.js';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Masscan's `service.name` (masscan-app.c) → the service column. */
const SERVICE_NAMES: Record<string, string> = {
  http: 'http', 'http.server': 'http', title: 'http', html: 'http', ssh: 'ssh', ftp: 'ftp', telnet: 'telnet', ssl: 'tls', X509: 'tls', X509CA: 'tls',
  smtp: 'smtp', pop: 'pop3', imap: 'imap', vnc: 'vnc', 'vnc-info': 'vnc', rdp: 'rdp', smb: 'smb', snmp: 'snmp', ntp: 'ntp', 'dns-ver': 'dns',
  memcached: 'memcached', minecraft: 'minecraft', coap: 'coap', isakmp: 'isakmp', nbtstat: 'netbios',
};

interface Parsed { ip: string; port: number; proto: string; time: number }

/** -oD status: ip, timestamp, port, proto, status. */
const STATUS_ND = /^\{"ip":"([^"\\]{1,45})","timestamp":"(\d{1,12})","port":(0|[1-9]\d{0,4}),"proto":"([a-z]{1,8})","rec_type":"status","data":\{"status":"([a-z]{1,10})","reason":"[^"\\]*","ttl":(?:0|[1-9]\d{0,9})\}\}$/;
/** -oJ object with one status port (the trailing comma is gone by now). */
const STATUS_J = /^\{\s*"ip":\s*"([^"\\]{1,45})",\s*"timestamp":\s*"(\d{1,12})",\s*"ports":\s*\[\s*\{\s*"port":\s*(0|[1-9]\d{0,4}),\s*"proto":\s*"([a-z]{1,8})",\s*"status":\s*"([a-z]{1,10})",\s*"reason":\s*"[^"\\]*",\s*"ttl":\s*(?:0|[1-9]\d{0,9})\s*\}\s*\]\s*\}$/;

/** -oG status line (out-grepable.c): optional Timestamp, Host, Ports: port/status/proto/owner/service/rpc/version. */
const GREP_STATUS = /^(?:Timestamp: (\d{1,12})\t)?Host: (\S{1,45}) \([^)]*\)\tPorts: (\d{1,5})\/([a-z]*)\/([a-z]*)\//;
/** -oG banner line: no time, no protocol. */
const GREP_BANNER = /^Host: (\S{1,45}) \([^)]*\)\tPort: (\d{1,5})\tService: ([^\t]*)\tBanner:(?: (.*))?$/;
/** -oX record (out-xml.c): one host, one port, a state and for a banner a service; addrtype is ipv4 even for IPv6. */
const XML_HOST = /^<host endtime="(\d{1,12})"><address addr="([^"]{1,45})" addrtype="ipv[46]"\/><ports><port protocol="([a-z]{1,8})" portid="(\d{1,5})"><state state="([a-z]{1,10})" reason="[^"]*" reason_ttl="\d{1,10}" ?\/>(?:<service name="([^"]*)" banner="([^"]*)"><\/service>)?<\/port><\/ports><\/host>$/;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A masscan banner back to its text: `\xNN` escapes (text formats; `hexEscaped`) to bytes, and the
 * bytes (JSON gives one char per byte, from `\u00XX`) read as UTF-8 when they are valid UTF-8.
 */
export function masscanBannerText(s: string, hexEscaped: boolean): string {
  let t = s;
  if (hexEscaped && t.indexOf('\\x') >= 0) t = t.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  if (!/[\x80-\xff]/.test(t) || /[^\x00-\xff]/.test(t)) return t;
  try {
    return utf8.decode(Buffer.from(t, 'latin1'));
  } catch {
    return t;
  }
}

export function masscanParser(opts: ParseOptions = {}, now: number = Date.now()): TextParser {
  /** -oG banner lines name no protocol: the UDP ports their status lines named. */
  const grepUdp = new Set<string>();
  let binary = false;

  const base = (sink: ParseSink, lineNo: number, ipRaw: unknown, portRaw: unknown, protoRaw: unknown, tsRaw: unknown): Parsed | undefined => {
    const ip = typeof ipRaw === 'string' ? checkIp(ipRaw) : undefined;
    if (ip === undefined) {
      sink.problem(lineNo, `ip is not an IP address: ${JSON.stringify(ipRaw)?.slice(0, 60) ?? 'missing'}`);
      return undefined;
    }
    const port = checkPort(portRaw);
    if (port === undefined) {
      sink.problem(lineNo, `port is not a port number: ${JSON.stringify(portRaw)?.slice(0, 20) ?? 'missing'}`);
      return undefined;
    }
    const proto = typeof protoRaw === 'string' ? protoRaw : opts.transport ?? 'tcp';
    let time = now;
    if (tsRaw !== undefined) {
      const t = epochSecondsToMs(tsRaw);
      if (t === undefined) {
        sink.problem(lineNo, `timestamp is not a time: ${JSON.stringify(tsRaw)?.slice(0, 30) ?? ''}`);
        return undefined;
      }
      time = t;
    }
    return { ip, port, proto, time };
  };

  const status = (sink: ParseSink, lineNo: number, p: Parsed, st: unknown): void => {
    if (p.proto !== 'tcp' && p.proto !== 'udp') return sink.skip(`${String(p.proto).slice(0, 10)} record (only tcp and udp are stored)`);
    if (st === 'open' || (st === 'closed' && opts.includeClosed)) {
      sink.finding({ ip: p.ip, port: p.port, transport: p.proto === 'udp' ? 'udp' : 'tcp', time: p.time, status: st }, `${p.ip}|${p.port}|${p.proto}`);
    } else if (st === 'closed' || st === 'up' || st === 'unknown') {
      sink.skip(`${st} port`);
    } else {
      sink.problem(lineNo, `status is not open or closed: ${JSON.stringify(st)?.slice(0, 20) ?? 'missing'}`);
    }
  };

  const banner = (sink: ParseSink, lineNo: number, p: Parsed, nameRaw: unknown, text: unknown, escaped: boolean): void => {
    if (p.proto !== 'tcp' && p.proto !== 'udp') return sink.skip(`${String(p.proto).slice(0, 10)} record (only tcp and udp are stored)`);
    if (typeof nameRaw !== 'string' || typeof text !== 'string') return sink.problem(lineNo, 'banner record without service name and banner text');
    sink.finding(bannerFinding(p, nameRaw, text, escaped), `${p.ip}|${p.port}|${p.proto}`);
  };

  /**
   * Status records, most of any scan, as masscan prints them on a line (out-ndjson.c, out-json.c):
   * read without building the object. Strings hold no quote or backslash here, so the values are
   * exactly JSON.parse's; any other record (banners, spacing, key order, pretty-printed) is read as
   * JSON. False when the line is not one.
   */
  const statusLine = (line: string, lineNo: number, sink: ParseSink): boolean => {
    const m = STATUS_ND.exec(line) ?? STATUS_J.exec(line);
    if (!m) return false;
    sink.record();
    const p = base(sink, lineNo, m[1], Number(m[3]), m[4], m[2]);
    if (p) status(sink, lineNo, p, m[5]);
    return true;
  };

  const json = (text: string, lineNo: number, sink: ParseSink): void => {
    sink.record();
    const o = jsonObjectLine(text, lineNo, sink);
    if (!o) return;
    if ('finished' in o && !('ip' in o)) return;
    if (Array.isArray(o['ports'])) {
      // -oJ: one port per object in practice; more are read alike.
      if (o['ports'].length === 0) return sink.problem(lineNo, 'empty ports list');
      for (const port of o['ports']) {
        if (!isObj(port)) return sink.problem(lineNo, 'ports entry is not an object');
        const p = base(sink, lineNo, o['ip'], port['port'], port['proto'], o['timestamp']);
        if (!p) return;
        if (isObj(port['service'])) banner(sink, lineNo, p, port['service']['name'], port['service']['banner'], false);
        else status(sink, lineNo, p, port['status']);
      }
      return;
    }
    // -oD
    const data = o['data'];
    if (!isObj(data)) return sink.problem(lineNo, 'neither a ports list (-oJ) nor a data object (-oD)');
    const p = base(sink, lineNo, o['ip'], o['port'], o['proto'], o['timestamp']);
    if (!p) return;
    if (o['rec_type'] === 'banner') banner(sink, lineNo, p, data['service_name'], data['banner'], false);
    else if (o['rec_type'] === 'status' || o['rec_type'] === undefined) status(sink, lineNo, p, data['status']);
    else sink.problem(lineNo, `unknown rec_type ${JSON.stringify(o['rec_type']).slice(0, 30)}`);
  };

  const text = (line: string, lineNo: number, sink: ParseSink): void => {
    // open tcp 80 192.0.2.1 1390309012 | banner tcp 80 192.0.2.1 1390309012 http <banner>
    const f: string[] = [];
    let at = 0;
    const want = line.startsWith('banner ') ? 6 : 5;
    while (f.length < want) {
      const sp = line.indexOf(' ', at);
      if (sp < 0) {
        f.push(line.slice(at));
        at = line.length + 1;
        break;
      }
      f.push(line.slice(at, sp));
      at = sp + 1;
    }
    if (f.length < want) return sink.problem(lineNo, `expected "${want === 6 ? 'banner PROTO PORT IP TIME SERVICE BANNER' : 'STATUS PROTO PORT IP TIME'}", got ${f.length} fields`);
    const p = base(sink, lineNo, f[3], f[2], f[1], f[4]);
    if (!p) return;
    if (want === 6) banner(sink, lineNo, p, f[5], at <= line.length ? line.slice(at) : '', true);
    else if (want === 5 && at <= line.length) sink.problem(lineNo, 'extra fields after the timestamp');
    else status(sink, lineNo, p, f[0]);
  };

  const grepable = (line: string, lineNo: number, sink: ParseSink): void => {
    const m = GREP_STATUS.exec(line);
    if (m) {
      const p = base(sink, lineNo, m[2], m[3], m[5], m[1]);
      if (!p) return;
      if (p.proto === 'udp') {
        // Bounded, so that memory does not grow with a huge UDP scan; a banner comes soon after its port.
        if (grepUdp.size >= 1_000_000) grepUdp.clear();
        grepUdp.add(`${p.ip}|${p.port}`);
      }
      return status(sink, lineNo, p, m[4]);
    }
    const b = GREP_BANNER.exec(line);
    if (!b) return sink.problem(lineNo, 'not a masscan -oG line ("Host: IP ()\\tPorts: …" or "\\tPort: … Service: … Banner: …")');
    const ip = b[1] !== undefined ? checkIp(b[1]) : undefined;
    const proto = ip !== undefined && grepUdp.has(`${ip}|${b[2]}`) ? 'udp' : undefined;
    const p = base(sink, lineNo, b[1], b[2], proto, undefined);
    if (p) banner(sink, lineNo, p, b[3], b[4] ?? '', true);
  };

  const xml = (line: string, lineNo: number, sink: ParseSink): void => {
    const m = XML_HOST.exec(line);
    if (!m) return sink.problem(lineNo, 'not a masscan -oX <host> line');
    const p = base(sink, lineNo, m[2], m[4], m[3], m[1]);
    if (!p) return;
    if (m[6] !== undefined) banner(sink, lineNo, p, decodeEntities(m[6]), decodeEntities(m[7] ?? ''), true);
    else status(sink, lineNo, p, m[5]);
  };

  /**
   * A line between JSON records (trimmed, separating commas gone): masscan's own status lines, the
   * line formats, comments and trailers are taken here; false leaves the line to the JSON reader.
   */
  const line = (l: string, lineNo: number, sink: ParseSink): boolean => {
    if (binary) return true;
    const c = l.charCodeAt(0);
    if (c === 123 /* { */) {
      if (/^\{\s*finished\s*:\s*1\s*\}$/.test(l)) return true; // trailer of older -oJ (not JSON: the key is not quoted)
      return statusLine(l, lineNo, sink);
    }
    // JSON that is not a record's start (a pretty-printed record read again after a broken one).
    if (c === 91 || c === 93 || c === 125 || c === 34 || c === 45 || (c >= 48 && c <= 57)) return false;
    if (c === 35 /* # */ || (c === 60 /* < */ && !l.startsWith('<host '))) return true; // comments, -oX prologue and trailer
    sink.record();
    if (c === 60) xml(l, lineNo, sink);
    else if ((c === 72 /* H */ && l.startsWith('Host: ')) || (c === 84 /* T */ && l.startsWith('Timestamp: '))) grepable(l, lineNo, sink);
    else if (c === 109 /* m */ && l.startsWith('masscan/')) {
      // -oB starts "masscan/1.1\ns:<time>\n" and goes on in binary records.
      binary = true;
      splitter.stop();
      sink.problem(lineNo, 'masscan binary output (-oB) is not read here; convert it first: masscan --readscan FILE -oJ FILE.json');
    } else text(l, lineNo, sink);
    return true;
  };

  // -oJ and -oD are read as JSON whatever their layout (one record per line, one array on one
  // line, pretty-printed by jq); the line formats are taken line by line on the way.
  const splitter = new JsonRecordSplitter(MAX_RECORD_BYTES);
  let out: ParseSink | undefined;
  let cut: (pos: number) => void = () => undefined;
  const records: JsonRecordSink = {
    line: (l, lineNo) => line(l, lineNo, out as ParseSink),
    record: (t, lineNo) => json(t, lineNo, out as ParseSink),
    broken: (lineNo, message) => {
      (out as ParseSink).record();
      (out as ParseSink).problem(lineNo, `not JSON: ${message}`);
    },
    boundary: (pos) => cut(pos),
  };
  return {
    kind: 'text',
    cutBytes: [0x0a, 0x7d], // LF, '}'
    push(piece, sink, boundary) {
      out = sink;
      cut = boundary;
      splitter.push(piece, records);
    },
    end(sink) {
      out = sink;
      cut = () => undefined;
      splitter.end(records);
    },
  };
}

/**
 * One banner record as service fields. `escaped`: the text formats' banner, bytes written as
 * `\xNN`; read back so that every output format gives the same columns.
 */
export function bannerFinding(p: Parsed, name: string, raw: string, escaped: boolean): ServiceFinding {
  const service = SERVICE_NAMES[name] ?? name.toLowerCase().replace(/[^a-z0-9.-]/g, '').slice(0, 32);
  const f: ServiceFinding = { ip: p.ip, port: p.port, transport: p.proto === 'udp' ? 'udp' : 'tcp', time: p.time, service };
  const text = masscanBannerText(raw, escaped);
  const shown = bannerString(text);
  switch (name) {
    case 'title':
      f.http_title = text.replace(/\s+/g, ' ').trim().slice(0, 512);
      break;
    case 'http.server':
      f.http_server = text.trim().slice(0, 512);
      break;
    case 'http': {
      f.banner = shown;
      const m = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(text);
      if (m) f.http_status = Number(m[1]);
      break;
    }
    case 'ssh':
      f.banner = shown;
      f.ssh_ident = shown.split(/\\r|\\n|\r|\n/)[0] ?? '';
      break;
    case 'X509':
      Object.assign(f, certFields(text));
      break;
    case 'X509CA':
      break; // the chain's CA: the leaf (X509) is what is kept
    default:
      f.banner = shown;
  }
  return f;
}
