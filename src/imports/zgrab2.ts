/**
 * ZGrab2's output: one JSON object per line, `{"ip": …, "domain"?: …, "data": {"<module name>":
 * {"status": "success", "protocol": "http", "port"?: 80, "result": {…}, "timestamp": "…", "error"?: …}}}`.
 * Each module result is one finding; results of several modules on one port (http and tls on 443)
 * become one row. The port comes from the result (newer ZGrab2), the grab, `--port`, or the
 * module's default port, in that order.
 *
 * Mapped: http (`response.status_code`, `headers` — ZGrab2 writes names lower case with `_` for `-`
 * and values as lists —, `body` → title, `body_sha256`, TLS of https through `request.tls_log`), tls
 * (`handshake_log.server_hello` version and cipher, `server_certificates.certificate.parsed`:
 * `subject_dn`, `issuer_dn`, `fingerprint_sha256`, `validity`, SANs, self-signed, chain), ssh
 * (`server_id.raw`, `server_key_exchange` algorithms → kex list and HASSH, `key_exchange
 * .server_host_key` → type and `SHA256:` fingerprint), telnet, ftp and banner (`banner`), and for
 * any other module its `banner` if it has one; the rest of a result is kept in `details`.
 */
import { createHash } from 'node:crypto';
import type { ServiceFinding } from '../schema/service-observation.js';
import type { LineParser, ParseOptions, ParseSink } from './types.js';
import { zgrab2Outcome } from './zgrab2-outcome.js';
import { bannerString, checkIp, checkPort, dateToMs, htmlTitle, isoSeconds, jsonObjectLine, opensshSha256FromHex } from './values.js';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
/** The value at a path of object keys, or undefined. */
function at(v: unknown, ...path: string[]): unknown {
  let cur = v;
  for (const k of path) {
    if (!isObj(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Default ports of ZGrab2's modules (`DefaultPort()`), for results that do not carry one. */
const DEFAULT_PORTS: Record<string, number> = {
  http: 80, tls: 443, ssh: 22, telnet: 23, ftp: 21, smtp: 25, pop3: 110, imap: 143, mqtt: 1883, redis: 6379, mysql: 3306, postgres: 5432,
  mongodb: 27017, mssql: 1433, modbus: 502, siemens: 102, s7: 102, bacnet: 47808, dnp3: 20000, fox: 1911, ntp: 123, smb: 445, memcached: 11211,
  ipp: 631, oracle: 1521, amqp091: 5672, rdp: 3389, pptp: 1723, socks5: 1080, jarm: 443, managesieve: 4190, codesys2: 1200, enip: 44818,
};
const UDP_MODULES = new Set(['ntp', 'bacnet']);
/**
 * Ports of the protocols' implicit-TLS forms (imap --imaps, pop3 --pop3s, smtp --smtps, ftp
 * --implicit-tls), for results without a port: TLS without a STARTTLS (AUTH TLS) exchange, or
 * `implicit_tls`, says which form ran.
 */
const IMPLICIT_TLS_PORTS: Record<string, number> = { imap: 993, pop3: 995, smtp: 465, ftp: 990 };

export function zgrab2Parser(opts: ParseOptions = {}, now: number = Date.now()): LineParser {
  return {
    kind: 'lines',
    line(line, lineNo, sink) {
      if (line.length === 0 || (line.charCodeAt(0) !== 123 && line.trim() === '')) return;
      sink.record();
      const o = jsonObjectLine(line, lineNo, sink);
      if (!o) return;
      const data = o['data'];
      // A domain that did not resolve: {"domain", "error"} and no ip (processing.go).
      if (data === undefined && typeof o['error'] === 'string') return sink.skip('grab error');
      const ip = typeof o['ip'] === 'string' ? checkIp(o['ip']) : undefined;
      if (ip === undefined) return sink.problem(lineNo, o['ip'] === undefined ? `no ip (domain ${JSON.stringify(str(o['domain']).slice(0, 60))})` : `ip is not an IP address: ${JSON.stringify(o['ip']).slice(0, 60)}`);
      // No scanner ran for the target (its tag matched none): ZGrab2 leaves the empty data out.
      if (data === undefined) return sink.skip('grab without results');
      if (!isObj(data)) return sink.problem(lineNo, 'data is not an object');
      for (const [module, resp] of Object.entries(data)) {
        if (!isObj(resp)) {
          sink.problem(lineNo, `data.${module.slice(0, 40)} is not an object`);
          continue;
        }
        moduleFinding(ip, module, resp, o, opts, now, lineNo, sink);
      }
    },
    end() {
      /* nothing carried */
    },
  };
}

function moduleFinding(ip: string, module: string, resp: Json, grab: Json, opts: ParseOptions, now: number, lineNo: number, sink: ParseSink): void {
  const protocol = str(resp['protocol']) || module;
  const status = str(resp['status']);
  const portRaw = resp['port'] ?? grab['port'];
  let port: number | undefined;
  if (portRaw !== undefined && portRaw !== 0) {
    port = checkPort(portRaw);
    if (port === undefined) return sink.problem(lineNo, `data.${module.slice(0, 40)}: port is not a port number: ${JSON.stringify(portRaw).slice(0, 20)}`);
  } else {
    port = opts.port ?? implicitTlsPort(protocol, resp['result']) ?? DEFAULT_PORTS[protocol];
    if (port === undefined) return sink.problem(lineNo, `data.${module.slice(0, 40)}: no port in the result and none given (--port)`);
  }
  let time = now;
  if (resp['timestamp'] !== undefined) {
    const t = dateToMs(resp['timestamp']);
    if (t === undefined) return sink.problem(lineNo, `data.${module.slice(0, 40)}: timestamp is not a date: ${JSON.stringify(resp['timestamp']).slice(0, 40)}`);
    time = t;
  }
  const transport = UDP_MODULES.has(protocol) ? 'udp' : opts.transport ?? 'tcp';
  const error = typeof resp['error'] === 'string' ? resp['error'].slice(0, 500) : '';
  // Reached or not, from the status and the error together (zgrab2-outcome.ts).
  const outcome = zgrab2Outcome(status, error, transport === 'udp');
  if (outcome.kind === 'skip') return sink.skip(outcome.reason);
  const f: ServiceFinding = { ip, port, transport, time, status: outcome.kind };
  if (outcome.kind === 'closed') {
    if (!opts.includeClosed) return sink.skip('closed port');
    f.error = error;
    return sink.finding(f, `${ip}|${port}|${transport}`);
  }
  // The port answered but the protocol exchange failed: an open port of unknown service.
  if (status !== 'success') f.error = `${protocol}: ${status}${error ? `: ${error}` : ''}`;
  const result = resp['result'];
  if (status === 'success' || isObj(result)) {
    try {
      fillModule(f, protocol, isObj(result) ? result : {}, str(grab['domain']));
    } catch (e) {
      return sink.problem(lineNo, `data.${module.slice(0, 40)}: ${(e as Error).message.slice(0, 120)}`);
    }
  }
  if (!f.service) f.service = status === 'success' ? protocol : 'unknown';
  sink.finding(f, `${ip}|${port}|${transport}`);
}

function implicitTlsPort(protocol: string, result: unknown): number | undefined {
  if (!isObj(result) || !isObj(result['tls'])) return undefined;
  const upgraded = result['starttls'] !== undefined || result['auth_tls'] !== undefined || result['auth_ssl'] !== undefined;
  return result['implicit_tls'] === true || !upgraded ? IMPLICIT_TLS_PORTS[protocol] : undefined;
}

function fillModule(f: ServiceFinding, protocol: string, r: Json, domain: string): void {
  const extra: Json = {};
  switch (protocol) {
    case 'http': {
      const resp = targetResponse(r, f, domain, extra);
      if (isObj(resp)) fillHttp(f, resp);
      const tls = at(resp, 'request', 'tls_log');
      if (isObj(tls)) fillTls(f, tls);
      f.service = isObj(tls) ? 'https' : 'http';
      break;
    }
    case 'tls':
      fillTls(f, r);
      f.service = 'tls';
      break;
    case 'ssh':
      fillSsh(f, r, extra);
      f.service = 'ssh';
      break;
    case 'telnet': {
      f.service = 'telnet';
      const b = str(r['banner']);
      if (b) f.banner = bannerString(b);
      if (/(login|username|password)\s*:/i.test(b)) f.login_prompt = 1;
      for (const k of ['will', 'do', 'wont', 'dont']) if (Array.isArray(r[k])) extra[k] = r[k];
      break;
    }
    default: {
      f.service = protocol === 'banner' ? 'unknown' : protocol;
      const b = str(r['banner']);
      if (b) f.banner = bannerString(b);
      for (const [k, v] of Object.entries(r)) if (k !== 'banner' && k !== 'tls') extra[k] = v;
    }
  }
  const tls = r['tls'];
  if (protocol !== 'tls' && isObj(tls)) fillTls(f, tls);
  if (Object.keys(extra).length > 0) {
    const d = JSON.stringify({ zgrab2: { [protocol]: extra } });
    if (d.length <= 16_384) f.details = d;
  }
}

/**
 * The HTTP response the target port itself gave. With --max-redirects ZGrab2's `response` is the
 * last one, which may come from another host or port; the ones before it are in
 * `redirect_response_chain`, the target's own first. Where the redirects led is kept in details.
 */
function targetResponse(r: Json, f: ServiceFinding, domain: string, extra: Json): Json | undefined {
  const last = r['response'];
  const chain = r['redirect_response_chain'];
  const first: unknown = Array.isArray(chain) ? chain[0] : undefined;
  if (!isObj(first)) return isObj(last) ? last : undefined;
  const url = at(last, 'request', 'url');
  if (isObj(last) && isObj(url) && sameOrigin(url, f, domain)) return last;
  if (isObj(url)) extra['redirected_to'] = `${str(url['scheme'])}://${str(url['host'])}${str(url['path'])}`.slice(0, 2048);
  return first;
}

/** Whether a request URL (`{scheme, host, path}`, host with an optional port) is the target's host and port. */
function sameOrigin(url: Json, f: ServiceFinding, domain: string): boolean {
  const m = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d{1,5}))?$/.exec(str(url['host']).toLowerCase());
  if (!m) return false;
  const host = m[1] ?? m[2] ?? '';
  const port = m[3] !== undefined ? Number(m[3]) : str(url['scheme']) === 'https' ? 443 : 80;
  return port === f.port && (checkIp(host) === f.ip || (domain !== '' && host === domain.toLowerCase()));
}

function fillHttp(f: ServiceFinding, resp: Json): void {
  const code = resp['status_code'];
  if (typeof code === 'number' && Number.isInteger(code) && code >= 0 && code <= 65535) f.http_status = code;
  const headers: Record<string, string> = {};
  const h = resp['headers'];
  if (isObj(h)) {
    for (const [k, v] of Object.entries(h)) {
      if (k === 'unknown' && Array.isArray(v)) {
        for (const u of v) if (isObj(u) && typeof u['key'] === 'string') headers[u['key'].replace(/_/g, '-').toLowerCase()] = strs(u['value']).join(', ').slice(0, 4096);
      } else {
        headers[k.replace(/_/g, '-').toLowerCase()] = (typeof v === 'string' ? v : strs(v).join(', ')).slice(0, 4096);
      }
    }
  }
  f.http_headers = headers;
  if (headers['server']) f.http_server = headers['server'].slice(0, 512);
  if (headers['www-authenticate']) {
    f.http_www_authenticate = headers['www-authenticate'].slice(0, 512);
    if (f.http_status === 401) f.login_prompt = 1;
  }
  const body = str(resp['body']);
  if (body) f.http_title = htmlTitle(body);
  const sha = str(resp['body_sha256']) || str(resp['body_hash']).replace(/^sha256:/, '');
  if (/^[0-9a-f]{64}$/i.test(sha)) f.http_body_sha256 = sha.toLowerCase();
  const proto = typeof resp['protocol'] === 'string' ? resp['protocol'] : str(at(resp, 'protocol', 'name'));
  const line = str(resp['status_line']);
  if (line || proto) f.banner = bannerString(`${proto}${proto && line ? ' ' : ''}${line}`);
}

function fillTls(f: ServiceFinding, tlsLog: Json): void {
  const hs = at(tlsLog, 'handshake_log');
  if (!isObj(hs)) return;
  const version = str(at(hs, 'server_hello', 'version', 'name'));
  if (version) f.tls_version = version.slice(0, 32);
  const cipher = str(at(hs, 'server_hello', 'cipher_suite', 'name'));
  if (cipher) f.tls_cipher = cipher.slice(0, 100);
  const certs = at(hs, 'server_certificates');
  if (!isObj(certs)) return;
  const chain = Array.isArray(certs['chain']) ? certs['chain'].length : 0;
  const leaf = certs['certificate'];
  f.tls_chain_length = Math.min(255, (isObj(leaf) ? 1 : 0) + chain);
  if (!isObj(leaf)) return;
  const p = leaf['parsed'];
  let fp = isObj(p) ? str(p['fingerprint_sha256']) : '';
  if (!fp && typeof leaf['raw'] === 'string') fp = createHash('sha256').update(Buffer.from(leaf['raw'], 'base64')).digest('hex');
  if (/^[0-9a-f]{64}$/i.test(fp)) f.tls_fingerprint_sha256 = fp.toLowerCase();
  if (!isObj(p)) return;
  f.tls_subject = str(p['subject_dn']).slice(0, 1024);
  f.tls_issuer = str(p['issuer_dn']).slice(0, 1024);
  const nb = dateToMs(at(p, 'validity', 'start'));
  const na = dateToMs(at(p, 'validity', 'end'));
  if (nb !== undefined) f.tls_not_before = isoSeconds(nb);
  if (na !== undefined) f.tls_not_after = isoSeconds(na);
  const san = at(p, 'extensions', 'subject_alt_name');
  f.tls_sans = [...strs(at(san, 'dns_names')), ...strs(at(san, 'ip_addresses'))].slice(0, 100);
  const self = at(p, 'signature', 'self_signed');
  f.tls_self_signed = self === true || (self === undefined && f.tls_subject !== '' && f.tls_subject === f.tls_issuer) ? 1 : 0;
}

/**
 * HASSH of the server's algorithm lists. Servers share a few hundred such lists (that is what
 * makes HASSH a fingerprint), and making an MD5 hasher per record cost more than the rest of an
 * SSH record: the hashes are kept by list, a bounded number of them.
 */
const hasshByLists = new Map<string, string>();
function hasshOf(lists: string): string {
  let h = hasshByLists.get(lists);
  if (h === undefined) {
    h = createHash('md5').update(lists).digest('hex');
    if (hasshByLists.size >= 4096) hasshByLists.clear();
    hasshByLists.set(lists, h);
  }
  return h;
}

function fillSsh(f: ServiceFinding, r: Json, extra: Json): void {
  const raw = str(at(r, 'server_id', 'raw'));
  if (raw) {
    f.ssh_ident = raw.replace(/[\r\n]+$/, '').slice(0, 255);
    f.banner = bannerString(raw);
  }
  const software = str(at(r, 'server_id', 'software'));
  if (software) extra['software'] = software;
  const comment = str(at(r, 'server_id', 'comment'));
  if (comment) extra['comment'] = comment;
  const kex = at(r, 'server_key_exchange');
  if (isObj(kex)) {
    f.ssh_kex = strs(kex['kex_algorithms']).slice(0, 64);
    const given = str(kex['serverHaSSH']);
    if (/^[0-9a-f]{32}$/.test(given)) f.ssh_hassh = given;
    else if (f.ssh_kex.length > 0) {
      const s = [kex['kex_algorithms'], kex['server_to_client_ciphers'], kex['server_to_client_macs'], kex['server_to_client_compression']].map((l) => strs(l).join(',')).join(';');
      f.ssh_hassh = hasshOf(s);
    }
    extra['host_key_algorithms'] = strs(kex['host_key_algorithms']);
  }
  const hk = at(r, 'key_exchange', 'server_host_key');
  if (isObj(hk)) {
    const alg = str(hk['algorithm']) || str(at(r, 'algorithm_selection', 'host_key_algorithm'));
    if (alg) f.ssh_host_key_type = alg.slice(0, 64);
    let fp = opensshSha256FromHex(str(hk['fingerprint_sha256']));
    if (!fp && typeof hk['raw'] === 'string') fp = `SHA256:${createHash('sha256').update(Buffer.from(hk['raw'], 'base64')).digest('base64').replace(/=+$/, '')}`;
    if (fp) f.ssh_host_key_sha256 = fp;
  }
  const auth = r['userauth'];
  if (Array.isArray(auth)) extra['userauth'] = strs(auth);
}
