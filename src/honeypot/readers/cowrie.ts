/**
 * Cowrie's JSON log (output_jsonlog: one object per line, `eventid`), onto the harmonised event.
 * Every event id Cowrie emits (its src/cowrie/core/eventids.py and docs/OUTPUT.rst) is either
 * mapped or counted `ignored:<id>` (the honeypot's own plumbing and lookups: nothing a client
 * did); an id Cowrie does not emit is counted `unknown-event:<id>`. Older Cowrie (before
 * client.kex) logged the SSH algorithms on client.version and durations in seconds; both forms
 * are read. The mapping table is in docs/honeypot.md ("Ingest").
 */
import type { HoneypotEventKind, HoneypotEventRow } from '../../schema/honeypot-event.js';
import { detailOf, hostPort, num, port, str, text, urlHost, type Obj } from './fields.js';
import { parseLine, type HoneypotLineReader } from './line-reader.js';
import { LineReaderBase } from './line-reader-base.js';
import { isoMs } from './session-watch.js';

/** Events that carry no client action: counted, not stored. */
const IGNORED = new Set([
  'cowrie.log.open', 'cowrie.session.params', 'cowrie.telnet.error',
  'cowrie.greynoise.result', 'cowrie.reversedns.connect', 'cowrie.reversedns.forward',
  'cowrie.virustotal.scanfile', 'cowrie.virustotal.scanurl', 'cowrie.urlhaus.submitted',
  'cowrie.abuseipdb.ratelimited', 'cowrie.abuseipdb.reportedip', 'cowrie.abuseipdb.reportfail', 'cowrie.abuseipdb.started', 'cowrie.abuseipdb.wakeup',
  'cowrie.proxy.backend_connect_error', 'cowrie.proxy.backend_connected', 'cowrie.proxy.backend_disconnected', 'cowrie.proxy.client_disconnect', 'cowrie.proxy.ssh',
  'cowrie.backend_pool.libvirtd',
]);

/** Seconds from `duration` (older Cowrie, seconds) or `duration_ms` (newer). */
function seconds(o: Obj): number | undefined {
  const s = num(o.duration);
  if (s !== undefined) return s;
  const ms = num(o.duration_ms);
  return ms === undefined ? undefined : ms / 1000;
}

function lowerHex(v: unknown): string | undefined {
  const s = str(v);
  return s && /^[0-9a-fA-F]{64}$/.test(s) ? s.toLowerCase() : undefined;
}

export class CowrieReader extends LineReaderBase implements HoneypotLineReader {
  readonly honeypot = 'cowrie' as const;
  /** A session's protocol (ssh, telnet), from its connect: later events of older Cowrie do not repeat it. */
  private readonly protos = new Map<string, string>();
  /**
   * Each session's last command line and the batch it went into. Cowrie logs a line's outcome
   * (command.failed / command.success) as a second event right after command.input; folded into
   * the line's own row while that row is still in the batch being filled, so that one command
   * line is one `command` row, as our sensor writes it (an outcome that arrives after its line
   * was handed over stays a row of its own).
   */
  private readonly lastLine = new Map<string, { row: HoneypotEventRow; batch: HoneypotEventRow[] }>();

  line(line: string, no: number, out: HoneypotEventRow[]): void {
    const o = parseLine(line, no, this.counts);
    if (!o) return;
    const id = str(o.eventid);
    if (id === undefined) { this.counts.skip('eventid-missing', no); return; }
    if (IGNORED.has(id)) { this.counts.skip(`ignored:${id}`, no); return; }
    const kind = this.kindOf(id);
    if (kind === undefined) { this.counts.skip(`unknown-event:${id.slice(0, 80)}`, no); return; }
    const src = str(o.src_ip);
    if (!this.addresses.valid(src)) { this.counts.skip('src-invalid', no); return; }
    const ts = str(o.timestamp);
    const session = text(o.session) ?? '';
    if (ts === undefined || !this.sessions.time(isoMs(ts), session, no)) {
      if (ts === undefined) this.counts.skip('timestamp-invalid', no);
      return;
    }
    let proto = str(o.protocol);
    if (id === 'cowrie.session.connect') {
      this.sessions.connect(session, isoMs(ts), no);
      if (proto) this.protos.set(session, proto);
    } else {
      proto ??= this.protos.get(session);
    }
    if (id === 'cowrie.session.closed') {
      this.sessions.close(session);
      this.protos.delete(session);
      this.lastLine.delete(session);
    }
    if (id === 'cowrie.command.failed' || id === 'cowrie.command.success') {
      const last = this.lastLine.get(session);
      if (last && last.batch === out && last.row.success === undefined && last.row.input === (text(o.input) ?? '')) {
        last.row.success = id === 'cowrie.command.failed' ? 0 : 1;
        this.lastLine.delete(session);
        this.counts.skip(`merged:${id}`, no);
        return;
      }
    }
    const row: HoneypotEventRow = {
      ts, honeypot: 'cowrie', sensor: str(o.sensor), session, kind, proto, src,
      src_port: port(o.src_port),
    };
    const dst = str(o.dst_ip);
    // dst_ip is the honeypot's own address, except on forwarding events, where it is the target.
    if (!id.startsWith('cowrie.direct-tcpip.') && !id.startsWith('cowrie.tunnelproxy-') && dst !== undefined && this.addresses.valid(dst)) {
      row.dst = dst;
      row.dst_port = port(o.dst_port);
    }
    this.fill(id, o, row);
    out.push(row);
    if (id === 'cowrie.command.input' || id === 'cowrie.session.input') this.lastLine.set(session, { row, batch: out });
  }

  end(): void {
    this.sessions.end();
    this.protos.clear();
    this.lastLine.clear();
  }

  private kindOf(id: string): HoneypotEventKind | undefined {
    switch (id) {
      case 'cowrie.session.connect': return 'session.connect';
      case 'cowrie.session.closed': return 'session.close';
      case 'cowrie.client.version': return 'client.version';
      case 'cowrie.client.kex': case 'cowrie.client.fingerprint': case 'cowrie.client.size': case 'cowrie.client.var':
      case 'cowrie.client.malformed_packet': case 'cowrie.telnet.option':
      case 'cowrie.direct-tcpip.ja4': case 'cowrie.direct-tcpip.ja4h':
        return 'client.fingerprint';
      case 'cowrie.login.success': case 'cowrie.login.failed':
      case 'cowrie.telnet.exploit_attempt': case 'cowrie.telnet.exploit_success':
        return 'login';
      case 'cowrie.command.input': case 'cowrie.command.failed': case 'cowrie.command.success':
      case 'cowrie.session.input': case 'cowrie.command.chpasswd':
        return 'command';
      case 'cowrie.session.file_download': case 'cowrie.session.file_download.failed': return 'download';
      case 'cowrie.session.file_upload': return 'upload';
      case 'cowrie.direct-tcpip.request': case 'cowrie.direct-tcpip.data': case 'cowrie.direct-tcpip.redirect':
      case 'cowrie.direct-tcpip.tunnel': case 'cowrie.tunnelproxy-tcpip.data':
        return 'proxy';
      case 'cowrie.log.closed': return 'tty';
      default: return undefined;
    }
  }

  private fill(id: string, o: Obj, r: HoneypotEventRow): void {
    switch (id) {
      case 'cowrie.session.closed':
        r.duration = seconds(o);
        return;
      case 'cowrie.client.version':
        r.client = str(o.version);
        // Older Cowrie logged the client's algorithms here, before client.kex existed.
        if (o.kexAlgs !== undefined) r.detail = detailOf({ kexAlgs: o.kexAlgs, keyAlgs: o.keyAlgs, encCS: o.encCS, macCS: o.macCS, compCS: o.compCS });
        return;
      case 'cowrie.client.kex':
        r.fingerprint = str(o.hassh);
        r.detail = detailOf({ what: 'kex', hasshAlgorithms: o.hasshAlgorithms, kexAlgs: o.kexAlgs, keyAlgs: o.keyAlgs, encCS: o.encCS, macCS: o.macCS, compCS: o.compCS, langCS: o.langCS });
        return;
      case 'cowrie.client.fingerprint':
        r.username = str(o.username);
        r.fingerprint = str(o.fingerprint);
        r.detail = detailOf({ what: 'publickey', type: o.type, key: o.key });
        return;
      case 'cowrie.client.size':
        r.detail = detailOf({ what: 'size', width: o.width, height: o.height });
        return;
      case 'cowrie.client.var':
        r.detail = detailOf({ what: 'env', name: o.name, value: o.value });
        return;
      case 'cowrie.client.malformed_packet':
        r.detail = detailOf({ what: 'malformed', messagenum: o.messagenum, datalen: o.datalen, data: o.data });
        return;
      case 'cowrie.telnet.option':
        r.detail = detailOf({ what: 'telnet-option', command: o.command, option_name: o.option_name, option_byte: o.option_byte });
        return;
      case 'cowrie.direct-tcpip.ja4': case 'cowrie.direct-tcpip.ja4h':
        r.fingerprint = str(o.ja4) ?? str(o.ja4h);
        r.target = this.target(o);
        r.detail = detailOf({ what: id === 'cowrie.direct-tcpip.ja4' ? 'ja4' : 'ja4h' });
        return;
      case 'cowrie.login.success': case 'cowrie.login.failed':
        r.username = text(o.username) ?? '';
        r.password = text(o.password);
        r.success = id === 'cowrie.login.success' ? 1 : 0;
        r.fingerprint = str(o.fingerprint);
        if (o.key !== undefined || o.type !== undefined) r.detail = detailOf({ type: o.type, key: o.key });
        return;
      case 'cowrie.telnet.exploit_attempt':
        r.username = str(o.value);
        r.success = 0;
        r.detail = detailOf({ what: 'exploit', cve: o.cve, name: o.name });
        return;
      case 'cowrie.telnet.exploit_success':
        r.username = str(o.username);
        r.success = 1;
        r.input = str(o.attempted_command);
        r.detail = detailOf({ what: 'exploit', cve: o.cve, original_username: o.original_username });
        return;
      case 'cowrie.command.input': case 'cowrie.session.input':
        r.input = text(o.input) ?? '';
        if (o.realm !== undefined) r.detail = detailOf({ realm: o.realm });
        return;
      case 'cowrie.command.failed':
        r.input = text(o.input) ?? '';
        r.success = 0;
        return;
      case 'cowrie.command.success':
        r.input = text(o.input) ?? '';
        r.success = 1;
        if (o.realm !== undefined) r.detail = detailOf({ realm: o.realm });
        return;
      case 'cowrie.command.chpasswd':
        r.input = 'chpasswd';
        r.username = str(o.username);
        r.detail = detailOf({ realm: o.realm });
        return;
      case 'cowrie.session.file_download': case 'cowrie.session.file_download.failed': {
        const url = str(o.url);
        if (url) { r.url = url; r.url_host = urlHost(url); }
        r.sha256 = lowerHex(o.shasum);
        r.size = num(o.size);
        r.success = id === 'cowrie.session.file_download' ? 1 : 0;
        r.detail = detailOf({ outfile: o.outfile, destfile: o.destfile, duplicate: o.duplicate, error: o.error });
        return;
      }
      case 'cowrie.session.file_upload':
        r.sha256 = lowerHex(o.shasum);
        r.size = num(o.size);
        // SCP puts the attacker's path in `url`: a path, not an address to share as an indicator.
        r.detail = detailOf({ filename: o.filename, outfile: o.outfile, destfile: o.destfile ?? (o.url !== o.filename ? o.url : undefined), duplicate: o.duplicate });
        return;
      case 'cowrie.direct-tcpip.request': case 'cowrie.direct-tcpip.redirect': case 'cowrie.direct-tcpip.tunnel':
        r.target = this.target(o);
        r.detail = detailOf({ what: id.slice('cowrie.direct-tcpip.'.length), orig_ip: o.orig_ip, orig_port: o.orig_port, new_ip: o.new_ip, new_port: o.new_port });
        return;
      case 'cowrie.direct-tcpip.data':
        // What was sent through a forward, not a request of its own: `input` says so, for counting.
        r.input = 'data';
        r.target = this.target(o);
        r.size = typeof o.data === 'string' ? o.data.length : undefined;
        r.detail = detailOf({ what: 'data', data: o.data, id: o.id });
        return;
      case 'cowrie.tunnelproxy-tcpip.data':
        r.input = 'data';
        r.size = typeof o.data === 'string' ? o.data.length : undefined;
        r.detail = detailOf({ what: 'tunnel-data', data: o.data });
        return;
      case 'cowrie.log.closed':
        r.sha256 = lowerHex(o.shasum);
        r.size = num(o.size);
        r.duration = seconds(o);
        r.detail = detailOf({ ttylog: o.ttylog, duplicate: o.duplicate });
        return;
      default:
        return;
    }
  }

  private target(o: Obj): string | undefined {
    const host = text(o.dst_ip);
    return host === undefined ? undefined : hostPort(host, port(o.dst_port));
  }
}
