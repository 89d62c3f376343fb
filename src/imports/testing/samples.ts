/**
 * Survey outputs written the way the tools write them (from their output code and documentation),
 * generated here rather than copied: for the parser tests, the fuzz tests and bench/import.ts.
 */
import { createHash } from 'node:crypto';

export const T0 = 1_700_000_000; // 2023-11-14T22:13:20Z

/** Masscan's normalize_json_string of the text's UTF-8 bytes: printable ASCII except <>&\"' kept, every other byte as \u00XX. */
export function masscanJsonString(s: string): string {
  let out = '';
  for (const ch of Buffer.from(s, 'utf8')) {
    if (ch >= 0x20 && ch < 0x7f && !'<>&\\"\''.includes(String.fromCharCode(ch))) out += String.fromCharCode(ch);
    else out += `\\u00${ch.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** Masscan's normalize_string (-oL, -oG, -oX) of the text's UTF-8 bytes: the same set kept, the rest as \xNN. */
export function masscanTextString(s: string): string {
  let out = '';
  for (const ch of Buffer.from(s, 'utf8')) {
    if (ch >= 0x20 && ch < 0x7f && !'<>&\\"\''.includes(String.fromCharCode(ch))) out += String.fromCharCode(ch);
    else out += `\\x${ch.toString(16).padStart(2, '0')}`;
  }
  return out;
}

export interface PortRec { ip: string; port: number; proto?: string; ts?: number; status?: string; ttl?: number; banner?: { name: string; text: string } }

/**
 * Masscan records of the parser tests: status and banners of a port (http, title with braces and
 * an ampersand, ssh), a UDP port, a closed port and an ICMP record (skipped).
 */
export const MASSCAN_RECS: PortRec[] = [
  { ip: '192.0.2.1', port: 80, ttl: 54 },
  { ip: '192.0.2.1', port: 80, ts: T0 + 1, banner: { name: 'http', text: 'HTTP/1.1 401 Unauthorized\r\nServer: mini_httpd/1.19\r\nWWW-Authenticate: Basic realm="<router>"\r\n\r\n' } },
  { ip: '192.0.2.1', port: 80, ts: T0 + 1, banner: { name: 'title', text: 'Login {&} Setup' } },
  { ip: '192.0.2.2', port: 22 },
  { ip: '192.0.2.2', port: 22, banner: { name: 'ssh', text: 'SSH-2.0-dropbear_2019.78\r\n' } },
  { ip: '2001:db8::5', port: 161, proto: 'udp' },
  { ip: '192.0.2.3', port: 23, status: 'closed' },
  { ip: '192.0.2.4', port: 0, proto: 'icmp' },
];

/** -oJ as masscan 1.3 writes it: "[", records with the separating comma leading the next line, "]". */
export function masscanJson(recs: PortRec[], style: 'leading' | 'trailing' = 'leading'): string {
  const objs = recs.map((r) => {
    const p = r.banner
      ? `{"port": ${r.port}, "proto": "${r.proto ?? 'tcp'}", "service": {"name": "${r.banner.name}", "banner": "${masscanJsonString(r.banner.text)}"} }`
      : `{"port": ${r.port}, "proto": "${r.proto ?? 'tcp'}", "status": "${r.status ?? 'open'}", "reason": "syn-ack", "ttl": ${r.ttl ?? 64}}`;
    return `{   "ip": "${r.ip}",   "timestamp": "${r.ts ?? T0}", "ports": [ ${p} ] }`;
  });
  if (style === 'leading') return `[\n${objs.join('\n,\n')}\n]\n`;
  return `[\n${objs.map((o) => `${o},\n`).join('')}{finished: 1}\n]\n`;
}

/** -oD: one object per line. */
export function masscanNdjson(recs: PortRec[]): string {
  return recs.map((r) => r.banner
    ? `{"ip":"${r.ip}","timestamp":"${r.ts ?? T0}","port":${r.port},"proto":"${r.proto ?? 'tcp'}","rec_type":"banner","data":{"service_name":"${r.banner.name}","banner":"${masscanJsonString(r.banner.text)}"}}\n`
    : `{"ip":"${r.ip}","timestamp":"${r.ts ?? T0}","port":${r.port},"proto":"${r.proto ?? 'tcp'}","rec_type":"status","data":{"status":"${r.status ?? 'open'}","reason":"syn-ack","ttl":${r.ttl ?? 64}}}\n`).join('');
}

/** -oL: "#masscan", status and banner lines, "# end". */
export function masscanList(recs: PortRec[]): string {
  return `#masscan\n${recs.map((r) => r.banner
    ? `banner ${r.proto ?? 'tcp'} ${r.port} ${r.ip} ${r.ts ?? T0} ${r.banner.name} ${masscanTextString(r.banner.text)}\n`
    : `${r.status ?? 'open'} ${r.proto ?? 'tcp'} ${r.port} ${r.ip} ${r.ts ?? T0}\n`).join('')}# end\n`;
}

/**
 * -oG (out-grepable.c): "# Masscan … scan initiated" and "# Ports scanned" comments, status lines
 * "Timestamp: T\tHost: IP ()\tPorts: PORT/STATUS/PROTO//SERVICE//" (1.0.x: no Timestamp, no
 * service), banner lines "Host: IP ()\tPort: PORT\tService: NAME\tBanner: TEXT", "# Masscan done".
 */
export function masscanGrepable(recs: PortRec[], style: 'timestamp' | 'old' = 'timestamp'): string {
  const lines = recs.map((r) => r.banner
    ? `Host: ${r.ip} ()\tPort: ${r.port}\tService: ${r.banner.name}\tBanner: ${masscanTextString(r.banner.text)}\n`
    : `${style === 'timestamp' ? `Timestamp: ${r.ts ?? T0}\t` : ''}Host: ${r.ip} ()\tPorts: ${r.port}/${r.status ?? 'open'}/${r.proto ?? 'tcp'}/${style === 'timestamp' && r.port === 80 ? '/http//' : '///'}\n`);
  return `# Masscan 1.3.2 scan initiated Tue Nov 14 22:13:20 2023\n# Ports scanned: TCP(3;22-23,80) UDP(1;161-161) SCTP(0;) PROTOCOLS(0;)\n${lines.join('')}# Masscan done at Tue Nov 14 22:14:20 2023\n`;
}

/** -oX (out-xml.c): nmap-like, one <host> per record on one line (CR LF), addrtype always ipv4. */
export function masscanXml(recs: PortRec[]): string {
  const hosts = recs.map((r) => `<host endtime="${r.ts ?? T0}"><address addr="${r.ip}" addrtype="ipv4"/><ports><port protocol="${r.proto ?? 'tcp'}" portid="${r.port}">${r.banner
    ? `<state state="open" reason="syn-ack" reason_ttl="${r.ttl ?? 64}" /><service name="${r.banner.name}" banner="${masscanTextString(r.banner.text)}"></service>`
    : `<state state="${r.status ?? 'open'}" reason="syn-ack" reason_ttl="${r.ttl ?? 64}"/>`}</port></ports></host>\r\n`);
  return `<?xml version="1.0"?>\r\n<!-- masscan v1.0 scan -->\r\n<nmaprun scanner="masscan" start="${T0}" version="1.0-BETA"  xmloutputversion="1.03">\r\n<scaninfo type="syn" protocol="tcp" />\r\n${hosts.join('')}<runstats>\r\n<finished time="${T0 + 60}" timestr="2023-11-14 22:14:20" elapsed="60" />\r\n<hosts up="3" down="1" total="4" />\r\n</runstats>\r\n</nmaprun>\r\n`;
}

export const ZMAP_HEADER = 'saddr,daddr,sport,dport,seqnum,acknum,cooldown,repeat,timestamp_str,classification,success';

/** A ZMap tcp_synscan CSV row for ZMAP_HEADER; timestamp_str as ZMap prints it (local offset ±hhmm). */
export function zmapRow(ip: string, port: number, opts: { success?: boolean; repeat?: boolean; ts?: string } = {}): string {
  const ok = opts.success ?? true;
  return `${ip},198.51.100.7,${port},41234,${ok ? 3456789 : 0},1234,0,${opts.repeat ? 1 : 0},${opts.ts ?? '2023-11-15T07:13:20.250+0900'},${ok ? 'synack' : 'rst'},${ok ? 1 : 0}`;
}

/** An SSH public key blob of type ssh-ed25519 (a 32-byte key) and its OpenSSH SHA256 fingerprint. */
export function ed25519Blob(seed = 1): { blob: Buffer; b64: string; sha256: string; hex: string } {
  const t = Buffer.from('ssh-ed25519');
  const k = Buffer.alloc(32, seed);
  const blob = Buffer.concat([u32(t.length), t, u32(32), k]);
  const d = createHash('sha256').update(blob).digest();
  return { blob, b64: blob.toString('base64'), sha256: `SHA256:${d.toString('base64').replace(/=+$/, '')}`, hex: d.toString('hex') };
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** ZGrab2 http module result (ZGrab2 writes header names lower case with _ for -, values as lists). */
export function zgrab2Http(ip: string, opts: { port?: number; status?: number; title?: string; tls?: boolean; server?: string } = {}): string {
  const body = `<html><head><title>${opts.title ?? 'Router Login'}</title></head><body>hi</body></html>`;
  const request: Record<string, unknown> = { method: 'GET', url: { scheme: opts.tls ? 'https' : 'http', host: ip, path: '/' } };
  if (opts.tls) request['tls_log'] = zgrab2TlsLog();
  const resp = {
    status_line: `${opts.status ?? 200} OK`, status_code: opts.status ?? 200, protocol: { name: 'HTTP/1.1', major: 1, minor: 1 },
    headers: { server: [opts.server ?? 'lighttpd/1.4.59'], content_type: ['text/html'], www_authenticate: opts.status === 401 ? ['Basic realm="admin"'] : undefined, unknown: [{ key: 'x_frame_options', value: ['DENY'] }] },
    body, body_sha256: createHash('sha256').update(body).digest('hex'), content_length: body.length, request,
  };
  return JSON.stringify({ ip, data: { http: { status: 'success', protocol: 'http', ...(opts.port ? { port: opts.port } : {}), result: { response: resp }, timestamp: '2023-11-14T22:13:20.123456789Z' } } });
}

export function zgrab2TlsLog(): Record<string, unknown> {
  return {
    handshake_log: {
      server_hello: { version: { name: 'TLSv1.2', value: 771 }, cipher_suite: { hex: '0xC02F', name: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', value: 49199 } },
      server_certificates: {
        certificate: {
          raw: Buffer.from('not really DER').toString('base64'),
          parsed: {
            subject_dn: 'CN=router.example, O=Example', issuer_dn: 'CN=router.example, O=Example', fingerprint_sha256: 'ab'.repeat(32),
            validity: { start: '2023-01-01T00:00:00Z', end: '2033-01-01T00:00:00Z', length: 315532800 },
            extensions: { subject_alt_name: { dns_names: ['router.example', 'www.router.example'], ip_addresses: ['192.0.2.1'] } },
            signature: { self_signed: true },
          },
        },
        chain: [],
      },
    },
    handshake_completed_successfully: true,
  };
}

export function zgrab2Ssh(ip: string, port = 22): string {
  const k = ed25519Blob(7);
  return JSON.stringify({
    ip,
    data: {
      ssh: {
        status: 'success', protocol: 'ssh', port,
        result: {
          server_id: { raw: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3', version: '2.0', software: 'OpenSSH_9.2p1', comment: 'Debian-2+deb12u3' },
          server_key_exchange: {
            cookie: 'AAAAAAAAAAAAAAAAAAAAAA==', kex_algorithms: ['curve25519-sha256', 'diffie-hellman-group14-sha256'], host_key_algorithms: ['ssh-ed25519', 'rsa-sha2-512'],
            client_to_server_ciphers: ['chacha20-poly1305@openssh.com'], server_to_client_ciphers: ['chacha20-poly1305@openssh.com', 'aes256-gcm@openssh.com'],
            client_to_server_macs: ['hmac-sha2-256'], server_to_client_macs: ['hmac-sha2-256'], client_to_server_compression: ['none'], server_to_client_compression: ['none', 'zlib@openssh.com'],
            first_kex_follows: false, reserved: 0,
          },
          algorithm_selection: { dh_kex_algorithm: 'curve25519-sha256', host_key_algorithm: 'ssh-ed25519' },
          key_exchange: { curve25519_sha256_params: { server_public: 'AAAA' }, server_host_key: { raw: k.b64, algorithm: 'ssh-ed25519', fingerprint_sha256: k.hex, ed25519_public_key: { public_bytes: 'AAAA' } } },
        },
        timestamp: '2023-11-15T07:13:20+09:00',
      },
    },
  });
}

export function zgrab2Banner(ip: string, module: 'telnet' | 'ftp' | 'banner', port: number, banner: string): string {
  return JSON.stringify({ ip, data: { [module]: { status: 'success', protocol: module, port, result: { banner }, timestamp: '2023-11-14T22:13:20Z' } } });
}

export interface NmapPort { port: number; proto?: string; state?: string; name?: string; product?: string; version?: string; extrainfo?: string; tunnel?: string; cpes?: string[]; scripts?: string[] }

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** One <host> as nmap -oX writes it. */
export function nmapHost(ip: string, ports: NmapPort[], start = T0): string {
  const type = ip.includes(':') ? 'ipv6' : 'ipv4';
  const ps = ports.map((p) => {
    const svc = p.name
      ? `<service name="${p.name}"${p.product ? ` product="${esc(p.product)}"` : ''}${p.version ? ` version="${esc(p.version)}"` : ''}${p.extrainfo ? ` extrainfo="${esc(p.extrainfo)}"` : ''}${p.tunnel ? ` tunnel="${p.tunnel}"` : ''} method="probed" conf="10">${(p.cpes ?? []).map((c) => `<cpe>${c}</cpe>`).join('')}</service>`
      : '';
    return `<port protocol="${p.proto ?? 'tcp'}" portid="${p.port}"><state state="${p.state ?? 'open'}" reason="syn-ack" reason_ttl="63"/>${svc}${(p.scripts ?? []).join('')}</port>\n`;
  }).join('');
  return `<host starttime="${start}" endtime="${start + 5}"><status state="up" reason="echo-reply" reason_ttl="63"/>
<address addr="${ip}" addrtype="${type}"/>
<address addr="00:11:22:33:44:55" addrtype="mac" vendor="Example"/>
<hostnames>
<hostname name="host-${ip.replace(/[.:]/g, '-')}.example" type="PTR"/>
</hostnames>
<ports><extraports state="closed" count="997">
<extrareasons reason="resets" count="997" proto="tcp" ports="1-21,23-79"/>
</extraports>
${ps}</ports>
<times srtt="1000" rttvar="500" to="100000"/>
</host>
`;
}

export function nmapDoc(hosts: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nmaprun>
<?xml-stylesheet href="file:///usr/bin/../share/nmap/nmap.xsl" type="text/xsl"?>
<!-- Nmap 7.94SVN scan initiated as: nmap -sV -oX - 192.0.2.0/24 -->
<nmaprun scanner="nmap" args="nmap -sV -oX - 192.0.2.0/24" start="${T0}" startstr="Tue Nov 14 22:13:20 2023" version="7.94SVN" xmloutputversion="1.05">
<scaninfo type="syn" protocol="tcp" numservices="1000" services="1,3-4,6-7"/>
<verbose level="0"/>
<debugging level="0"/>
${hosts.join('')}<runstats><finished time="${T0 + 60}" timestr="Tue Nov 14 22:14:20 2023" summary="Nmap done" elapsed="60.00" exit="success"/><hosts up="${hosts.length}" down="0" total="${hosts.length}"/>
</runstats>
</nmaprun>
`;
}

/** The ssh-hostkey script element as nmap writes it (one table per key). */
export function nmapSshHostkey(): string {
  const k = ed25519Blob(9);
  return `<script id="ssh-hostkey" output="&#xa;  256 aa:bb (ED25519)"><table>
<elem key="type">ssh-ed25519</elem>
<elem key="bits">256</elem>
<elem key="fingerprint">aabbccddeeff00112233445566778899</elem>
<elem key="key">${k.b64}</elem>
</table>
</script>`;
}

/** A ZGrab2 module result that failed: status and error as the module wrote them, no result (or the given one). */
export function zgrab2Failure(ip: string, module: string, status: string, error: string, result?: Record<string, unknown>): string {
  return JSON.stringify({ ip, data: { [module]: { status, protocol: module, ...(result ? { result } : {}), timestamp: '2023-11-14T22:13:20Z', error } } });
}

/** `zgrab2 imap --imaps --port 993` (no port in the output): the greeting over TLS. */
export function zgrab2Imaps(ip: string, banner = '* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ AUTH=PLAIN] Dovecot (Ubuntu) ready.\r\n'): string {
  return JSON.stringify({ ip, data: { imap: { status: 'success', protocol: 'imap', result: { banner, tls: zgrab2TlsLog() }, timestamp: '2023-11-14T22:13:21Z' } } });
}

/**
 * The records of a Masscan -oJ file in the other layouts valid JSON allows, as jq writes them:
 * `oneLine` (`jq -c .`, one array on one line), `pretty` (`jq .`, two-space indent), `lines`
 * (`jq -c '.[]'`, one object per line). `ends`: where each record's closing brace ends, per layout.
 */
export function masscanJsonLayouts(recs: PortRec[]): { oneLine: string; pretty: string; lines: string; ends: { oneLine: number[]; pretty: number[]; lines: number[] } } {
  const objs = JSON.parse(masscanJson(recs)) as unknown[];
  const ends = { oneLine: [] as number[], pretty: [] as number[], lines: [] as number[] };
  let oneLine = '[';
  let pretty = '[\n';
  let lines = '';
  objs.forEach((o, k) => {
    oneLine += `${k > 0 ? ',' : ''}${JSON.stringify(o)}`;
    ends.oneLine.push(oneLine.length);
    pretty += `${k > 0 ? ',\n' : ''}${JSON.stringify(o, null, 2).replace(/^/gm, '  ')}`;
    ends.pretty.push(pretty.length);
    lines += JSON.stringify(o);
    ends.lines.push(lines.length);
    lines += '\n';
  });
  return { oneLine: `${oneLine}]\n`, pretty: `${pretty}\n]\n`, lines, ends };
}
