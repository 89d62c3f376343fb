/**
 * nmap's XML output (`-oX`), read as a stream of tags — never a whole-document tree — so a file of
 * millions of hosts takes the memory of one host. Per `<host>`: its `<address addrtype="ipv4|ipv6">`,
 * `starttime`, and per `<port protocol portid>` the `<state>`, the `<service name product version
 * extrainfo devicetype tunnel>` with its `<cpe>` names, and the `<script id output>` results (with
 * their `<elem>`s: ssh-hostkey keys, ssl-cert PEM, http-title, http-server-header, banner).
 * Entities (named, decimal, hex) are decoded in attributes and text.
 *
 * A damaged document costs the host it damages: a host not closed when the next begins or the
 * input ends is reported with the line it started on, and the hosts before it are kept. A scan
 * interrupted between hosts (Ctrl-C leaves no closing tags) and one nmap ended with an error
 * (`<finished exit="error">`) are reported too.
 *
 * masscan -oX looks like this (`<nmaprun scanner="masscan">`): one `<host endtime>` per record, a
 * banner as `<service name banner>` with masscan's names and escapes; its records of one port are
 * merged into one row as the masscan importer does.
 */
import { createHash } from 'node:crypto';
import type { ServiceFinding } from '../schema/service-observation.js';
import type { ParseOptions, ParseSink, TextParser } from './types.js';
import { bannerString, certFields, checkIp, checkPort, cpe23, decodeEntities, epochSecondsToMs } from './values.js';
import { bannerFinding } from './masscan.js';

/** elems: key path, text, and which <table> of the script holds it (0 none). */
interface Script { id: string; output: string; elems: [string, string, number][]; tables: number }
interface Port {
  protocol: string;
  portid: string;
  line: number;
  state: Record<string, string>;
  service: Record<string, string> | undefined;
  cpes: string[];
  scripts: Script[];
}
interface Host {
  line: number;
  attrs: Record<string, string>;
  addrs: { addr: string; type: string }[];
  hostnames: string[];
  ports: Port[];
}

const MAX_TAG = 16 * 1024 * 1024;

/** Attributes of a start tag (`name="v"` or `name='v'`), values entity-decoded. */
export function parseAttrs(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) out[m[1] as string] = decodeEntities(m[2] ?? m[3] ?? '');
  return out;
}

/** Where the `>` that ends the tag starting at `lt` is, quotes respected; -1 if not in `s`. */
function tagEnd(s: string, lt: number): number {
  let q = 0;
  for (let i = lt + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (q !== 0) {
      if (c === q) q = 0;
    } else if (c === 34 || c === 39) {
      q = c;
    } else if (c === 62) {
      return i;
    }
  }
  return -1;
}

export function nmapXmlParser(opts: ParseOptions = {}, now: number = Date.now()): TextParser {
  let carry = '';
  let line = 1;
  let sawRun = false;
  /** Inside <nmaprun> (not yet closed), and whether masscan wrote it. */
  let runOpen = false;
  let masscan = false;
  let runStart: number | undefined;
  let host: Host | undefined;
  let port: Port | undefined;
  let script: Script | undefined;
  /** Keys of the enclosing <table>s inside a script, for elem paths. */
  const tables: string[] = [];
  const tableNo: number[] = [];
  let textOf: 'cpe' | 'elem' | undefined;
  let textKey = '';
  let text = '';

  const emit = (h: Host, sink: ParseSink): void => {
    sink.record();
    const a = h.addrs.find((x) => x.type === 'ipv4' || x.type === 'ipv6');
    if (!a) return sink.problem(h.line, 'host without an ipv4 or ipv6 address');
    const ip = checkIp(a.addr);
    if (ip === undefined) return sink.problem(h.line, `address is not an IP address: ${JSON.stringify(a.addr.slice(0, 60))}`);
    let time = runStart ?? now;
    // masscan writes endtime only.
    const start = h.attrs['starttime'] ?? h.attrs['endtime'];
    if (start !== undefined) {
      const t = epochSecondsToMs(start);
      if (t === undefined) return sink.problem(h.line, `starttime is not a time: ${JSON.stringify(start.slice(0, 30))}`);
      time = t;
    }
    if (h.ports.length === 0) return sink.skip('host without ports');
    for (const p of h.ports) {
      const n = checkPort(p.portid);
      if (n === undefined) {
        sink.problem(p.line, `portid is not a port number: ${JSON.stringify(p.portid.slice(0, 20))}`);
        continue;
      }
      if (p.protocol !== 'tcp' && p.protocol !== 'udp') {
        sink.skip(`${p.protocol.slice(0, 10) || 'unknown'} port (only tcp and udp are stored)`);
        continue;
      }
      const state = p.state['state'] ?? '';
      if (state !== 'open' && !(state === 'closed' && opts.includeClosed)) {
        sink.skip(`${state.slice(0, 20) || 'no state'} port`);
        continue;
      }
      const key = `${ip}|${n}|${p.protocol}`;
      const banner = masscan ? p.service?.['banner'] : undefined;
      if (banner !== undefined) {
        const f = bannerFinding({ ip, port: n, proto: p.protocol, time }, p.service?.['name'] ?? '', banner, true);
        f.status = 'open';
        sink.finding(f, key);
      } else {
        sink.finding(portFinding(ip, n, p.protocol, time, state, p, h), key);
      }
    }
  };

  const onTag = (raw: string, tagLine: number, sink: ParseSink): boolean => {
    // raw is the tag without < and >; returns true when a host ended.
    if (raw.charCodeAt(0) === 47 /* / */) {
      const name = raw.slice(1).trim();
      switch (name) {
        case 'host': {
          const h = host;
          host = undefined;
          port = undefined;
          script = undefined;
          if (h) {
            emit(h, sink);
            return true;
          }
          return false;
        }
        case 'nmaprun':
          runOpen = false;
          return false;
        case 'port':
          if (host && port) host.ports.push(port);
          port = undefined;
          script = undefined;
          return false;
        case 'script':
          if (port && script) port.scripts.push(script);
          script = undefined;
          tables.length = 0;
          tableNo.length = 0;
          return false;
        case 'table':
          tables.pop();
          tableNo.pop();
          return false;
        case 'cpe':
          if (textOf === 'cpe' && port) port.cpes.push(decodeEntities(text.trim()));
          textOf = undefined;
          return false;
        case 'elem':
          if (textOf === 'elem' && script && script.elems.length < 200) script.elems.push([textKey, decodeEntities(text), tableNo.at(-1) ?? 0]);
          textOf = undefined;
          return false;
        default:
          return false;
      }
    }
    const self = raw.charCodeAt(raw.length - 1) === 47;
    const sp = raw.search(/[\s/]/);
    const name = sp < 0 ? raw : raw.slice(0, sp);
    switch (name) {
      case 'nmaprun': {
        sawRun = true;
        runOpen = true;
        const a = parseAttrs(raw);
        masscan = a['scanner'] === 'masscan';
        if (a['start'] !== undefined) runStart = epochSecondsToMs(a['start']);
        return false;
      }
      case 'finished': {
        const a = parseAttrs(raw);
        if (a['exit'] === 'error') sink.problem(tagLine, `nmap ended with an error: ${(a['errormsg'] ?? '').slice(0, 200)}`);
        return false;
      }
      case 'host':
        if (host) {
          sink.record();
          sink.problem(host.line, `host not closed before the next one (line ${tagLine}); skipped`);
        }
        host = { line: tagLine, attrs: parseAttrs(raw), addrs: [], hostnames: [], ports: [] };
        port = undefined;
        script = undefined;
        if (self) {
          const h = host;
          host = undefined;
          emit(h, sink);
          return true;
        }
        return false;
      case 'address':
        if (host) {
          const a = parseAttrs(raw);
          host.addrs.push({ addr: a['addr'] ?? '', type: a['addrtype'] ?? 'ipv4' });
        }
        return false;
      case 'hostname':
        if (host && host.hostnames.length < 20) {
          const a = parseAttrs(raw);
          if (a['name']) host.hostnames.push(a['name']);
        }
        return false;
      case 'port': {
        if (!host) return false;
        const a = parseAttrs(raw);
        port = { protocol: a['protocol'] ?? '', portid: a['portid'] ?? '', line: tagLine, state: {}, service: undefined, cpes: [], scripts: [] };
        if (self) {
          host.ports.push(port);
          port = undefined;
        }
        return false;
      }
      case 'state':
        if (port) port.state = parseAttrs(raw);
        return false;
      case 'service':
        if (port) port.service = parseAttrs(raw);
        return false;
      case 'cpe':
        if (port && !self) {
          textOf = 'cpe';
          text = '';
        }
        return false;
      case 'script': {
        if (!port) return false;
        const a = parseAttrs(raw);
        const s: Script = { id: a['id'] ?? '', output: a['output'] ?? '', elems: [], tables: 0 };
        if (self) port.scripts.push(s);
        else {
          script = s;
          tables.length = 0;
          tableNo.length = 0;
        }
        return false;
      }
      case 'table':
        if (script && !self) {
          tables.push(parseAttrs(raw)['key'] ?? '');
          tableNo.push(++script.tables);
        }
        return false;
      case 'elem':
        if (script && !self) {
          textOf = 'elem';
          textKey = [...tables, parseAttrs(raw)['key'] ?? ''].filter(Boolean).join('.');
          text = '';
        }
        return false;
      default:
        return false;
    }
  };

  return {
    kind: 'text',
    cutBytes: [0x3e], // '>'
    push(piece, sink, boundary) {
      const buf = carry.length > 0 ? carry + piece : piece;
      const shift = carry.length;
      carry = '';
      let i = 0;
      let counted = 0;
      const lineAt = (pos: number): number => {
        for (let nl = buf.indexOf('\n', counted); nl >= 0 && nl < pos; nl = buf.indexOf('\n', nl + 1)) line++;
        counted = Math.max(counted, pos);
        return line;
      };
      for (;;) {
        const lt = buf.indexOf('<', i);
        const stop = lt < 0 ? buf.length : lt;
        if (textOf !== undefined && stop > i && text.length < 1_000_000) text += buf.slice(i, stop);
        if (lt < 0) {
          i = buf.length;
          break;
        }
        let end: number;
        let isComment = false;
        if (buf.startsWith('<!--', lt)) {
          const c = buf.indexOf('-->', lt + 4);
          end = c < 0 ? -1 : c + 2;
          isComment = true;
        } else if (buf.startsWith('<![CDATA[', lt)) {
          const c = buf.indexOf(']]>', lt + 9);
          if (c >= 0 && textOf !== undefined) text += buf.slice(lt + 9, c);
          end = c < 0 ? -1 : c + 2;
          isComment = true;
        } else {
          end = tagEnd(buf, lt);
        }
        if (end < 0) {
          // The tag goes on in the next piece.
          carry = buf.slice(lt);
          i = lt;
          if (carry.length > MAX_TAG) {
            sink.problem(lineAt(lt), 'a tag longer than 16 MiB; skipped');
            carry = '';
            i = buf.length;
          }
          break;
        }
        i = end + 1;
        const first = buf.charCodeAt(lt + 1);
        if (isComment || first === 63 /* ? */ || first === 33 /* ! */) continue;
        const tagLine = lineAt(lt);
        if (onTag(buf.slice(lt + 1, end), tagLine, sink)) boundary(Math.max(0, i - shift));
      }
      lineAt(i);
    },
    end(sink) {
      if (host) {
        sink.record();
        sink.problem(host.line, 'input ends inside this host (truncated file); skipped');
        host = undefined;
      } else if (runOpen) {
        sink.problem(line, 'input ends before </nmaprun>: the scan was interrupted or the file cut; the hosts before were kept');
      }
      runOpen = false;
      if (carry.trim().length > 0) {
        if (!sawRun) sink.problem(line, 'not nmap XML: no <nmaprun> element');
        carry = '';
      } else if (!sawRun) {
        sink.problem(1, 'not nmap XML: no <nmaprun> element');
      }
    },
  };
}

function scriptValue(p: Port, id: string, key: string): string | undefined {
  const s = p.scripts.find((x) => x.id === id);
  if (!s) return undefined;
  const e = s.elems.find(([k]) => k === key);
  return e ? e[1] : s.output;
}

function portFinding(ip: string, port: number, protocol: string, time: number, state: string, p: Port, h: Host): ServiceFinding {
  const svc = p.service ?? {};
  const name = svc['name'] ?? '';
  const tunnel = svc['tunnel'] ?? '';
  const service = name === 'http' && tunnel === 'ssl' ? 'https' : name === 'ssl' ? 'tls' : name === 'http-proxy' || name === 'http-alt' ? 'http' : name;
  const f: ServiceFinding = { ip, port, transport: protocol === 'udp' ? 'udp' : 'tcp', time, status: state === 'open' ? 'open' : 'closed', service };
  if (svc['product']) f.product = svc['product'].slice(0, 200);
  if (svc['version']) f.version = svc['version'].slice(0, 200);
  if (svc['devicetype']) f.device_type = svc['devicetype'].slice(0, 100);
  const cpes = p.cpes.map(cpe23).filter((c): c is string => c !== undefined);
  if (cpes.length > 0) f.cpe = cpes.slice(0, 50);

  const banner = scriptValue(p, 'banner', '');
  if (banner) f.banner = bannerString(decodeBannerEscapes(banner));
  const title = scriptValue(p, 'http-title', 'title');
  if (title && !/^Site doesn't have a title/.test(title)) f.http_title = title.replace(/\s+/g, ' ').trim().slice(0, 512);
  const server = scriptValue(p, 'http-server-header', '');
  if (server) f.http_server = server.trim().slice(0, 512);

  const hostkey = p.scripts.find((s) => s.id === 'ssh-hostkey');
  if (hostkey) {
    // One unnamed <table> per key: elems type, bits, fingerprint (MD5), key (base64 blob).
    const byTable = new Map<number, { type: string; key: string }>();
    for (const [k, v, t] of hostkey.elems) {
      const cur = byTable.get(t) ?? { type: '', key: '' };
      if (k === 'type') cur.type = v;
      if (k === 'key') cur.key = v.trim();
      byTable.set(t, cur);
    }
    const keys = [...byTable.values()].filter((v) => v.key !== '');
    const pick = keys.find((k) => k.type === 'ssh-ed25519') ?? keys[0];
    if (pick) {
      f.ssh_host_key_type = pick.type.slice(0, 64);
      f.ssh_host_key_sha256 = `SHA256:${createHash('sha256').update(Buffer.from(pick.key, 'base64')).digest('base64').replace(/=+$/, '')}`;
    }
  }
  const cert = p.scripts.find((s) => s.id === 'ssl-cert');
  const pem = cert?.elems.find(([k]) => k === 'pem')?.[1];
  if (pem) {
    const b64 = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
    Object.assign(f, certFields(b64));
    f.tls_chain_length = 1;
  }

  const scripts: Record<string, string> = {};
  for (const s of p.scripts) if (s.id) scripts[s.id] = s.output.slice(0, 2048);
  const nmap: Record<string, unknown> = {};
  if (p.state['reason']) nmap['reason'] = p.state['reason'];
  if (p.state['reason_ttl']) nmap['ttl'] = Number(p.state['reason_ttl']);
  for (const k of ['extrainfo', 'ostype', 'method', 'conf', 'tunnel', 'hostname']) if (svc[k]) nmap[k] = svc[k];
  if (h.hostnames.length > 0) nmap['hostnames'] = h.hostnames;
  if (Object.keys(scripts).length > 0) nmap['scripts'] = scripts;
  if (Object.keys(nmap).length > 0) {
    const d = JSON.stringify({ nmap });
    if (d.length <= 16_384) f.details = d;
  }
  return f;
}

/** nmap's banner script writes bytes as `\xNN` and CR/LF as `\r`, `\n`: back to text before escaping once. */
function decodeBannerEscapes(s: string): string {
  return s.replace(/\\x([0-9a-fA-F]{2})|\\r|\\n|\\t/g, (all, hex: string | undefined) => (hex ? String.fromCharCode(parseInt(hex, 16)) : all === '\\r' ? '\r' : all === '\\n' ? '\n' : '\t'));
}
