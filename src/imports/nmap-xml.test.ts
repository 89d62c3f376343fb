import { describe, expect, it } from 'vitest';
import { parseText } from './testing/parse-text.js';
import { nmapXmlParser, parseAttrs } from './nmap-xml.js';
import { batchRows, RowCollector } from './collector.js';
import { cpe23 } from './values.js';
import { ed25519Blob, masscanXml, nmapDoc, nmapHost, nmapSshHostkey, T0, type PortRec } from './testing/samples.js';

const DOC = nmapDoc([
  nmapHost('192.0.2.1', [
    { port: 22, name: 'ssh', product: 'OpenSSH', version: '9.2p1 Debian 2+deb12u3', extrainfo: 'protocol 2.0', cpes: ['cpe:/a:openbsd:openssh:9.2p1', 'cpe:/o:linux:linux_kernel'], scripts: [nmapSshHostkey()] },
    { port: 80, name: 'http', product: 'lighttpd', version: '1.4.59', scripts: ['<script id="http-title" output="Admin &amp; &quot;Setup&quot;"><elem key="title">Admin &amp; &quot;Setup&quot;</elem></script>', '<script id="http-server-header" output="lighttpd/1.4.59"><elem>lighttpd/1.4.59</elem></script>'] },
    { port: 443, name: 'http', tunnel: 'ssl', product: 'nginx' },
    { port: 23, state: 'closed', name: 'telnet' },
    { port: 25, state: 'filtered', name: 'smtp' },
    { port: 21, name: 'ftp', scripts: ['<script id="banner" output="220 (vsFTPd 3.0.3)\\x0D\\x0A"/>'] },
  ]),
  nmapHost('2001:db8::1', [{ port: 161, proto: 'udp', name: 'snmp', product: 'net-snmp; net-snmp SNMPv3 server' }], T0 + 30),
]);

describe('nmap XML', () => {
  it('reads hosts, open ports, services with CPEs, scripts and entities; IPv6; closed and filtered skipped', () => {
    const { rows, collector } = parseText('nmap', DOC);
    expect(collector.problems).toEqual([]);
    expect(collector.records).toBe(2);
    expect(collector.skipped).toEqual({ 'closed port': 1, 'filtered port': 1 });
    expect(rows.map((r) => `${r.ip} ${r.port}/${r.transport} ${r.service} ${r.time}`)).toEqual([
      `192.0.2.1 22/tcp ssh ${T0 * 1000}`, `192.0.2.1 80/tcp http ${T0 * 1000}`, `192.0.2.1 443/tcp https ${T0 * 1000}`, `192.0.2.1 21/tcp ftp ${T0 * 1000}`,
      `2001:db8::1 161/udp snmp ${(T0 + 30) * 1000}`,
    ]);
    const [ssh, http, , ftp, snmp] = rows;
    expect(ssh).toMatchObject({
      product: 'OpenSSH', version: '9.2p1 Debian 2+deb12u3', cpe: ['cpe:2.3:a:openbsd:openssh:9.2p1:*:*:*:*:*:*:*', 'cpe:2.3:o:linux:linux_kernel:*:*:*:*:*:*:*:*'],
      ssh_host_key_type: 'ssh-ed25519', ssh_host_key_sha256: ed25519Blob(9).sha256, source: 'nmap',
    });
    expect(JSON.parse(ssh?.details ?? '{}')).toMatchObject({ nmap: { reason: 'syn-ack', ttl: 63, extrainfo: 'protocol 2.0', hostnames: ['host-192-0-2-1.example'] } });
    expect(http).toMatchObject({ http_title: 'Admin & "Setup"', http_server: 'lighttpd/1.4.59', product: 'lighttpd', version: '1.4.59' });
    expect(ftp?.banner).toBe('220 (vsFTPd 3.0.3)\\r\\n');
    expect(snmp?.product).toBe('net-snmp; net-snmp SNMPv3 server');
  });

  it('gives the same rows whatever the pieces the text comes in', () => {
    const whole = parseText('nmap', DOC).rows;
    const col = new RowCollector('nmap', 'test', 0, Number.MAX_SAFE_INTEGER);
    const p = nmapXmlParser({}, 0);
    // Pieces cut after every '>' (as the importer cuts them), some after several.
    const cuts = [...DOC.matchAll(/>/g)].map((m) => (m.index ?? 0) + 1).filter((_, k) => k % 3 === 0);
    let from = 0;
    for (const c of [...cuts, DOC.length]) {
      p.push(DOC.slice(from, c), col, () => undefined);
      from = c;
    }
    p.end(col);
    expect(batchRows(col.take())).toEqual(whole);
  });

  it('reports a host cut off by the end of the input or by the next host, keeping the hosts before', () => {
    const h1 = nmapHost('192.0.2.1', [{ port: 80, name: 'http' }]);
    const h2 = nmapHost('192.0.2.2', [{ port: 80, name: 'http' }]);
    const cut = nmapDoc([h1, h2]).slice(0, nmapDoc([h1, h2]).indexOf('<port', nmapDoc([h1, h2]).indexOf('192.0.2.2')) + 10);
    const a = parseText('nmap', cut);
    expect(a.rows.map((r) => r.ip)).toEqual(['192.0.2.1']);
    expect(a.collector.problems).toEqual([{ line: 22, message: 'input ends inside this host (truncated file); skipped' }]);
    const unclosed = nmapDoc([h1.replace('</host>', ''), h2]);
    const b = parseText('nmap', unclosed);
    expect(b.rows.map((r) => r.ip)).toEqual(['192.0.2.2']);
    expect(b.collector.problems[0]?.message).toMatch(/host not closed before the next one \(line 22\)/);
  });

  it('keeps the hosts of a scan interrupted between hosts (no </nmaprun>) and says the file is incomplete', () => {
    // nmap killed by Ctrl-C writes no closing tags (nmap_tty.cc shutdown_clean): the file ends after
    // the last complete host, perhaps with verbose task lines after it.
    const doc = nmapDoc([nmapHost('192.0.2.1', [{ port: 80, name: 'http' }]), nmapHost('192.0.2.2', [{ port: 22, name: 'ssh' }])]);
    const cut = `${doc.slice(0, doc.indexOf('<runstats>'))}<taskbegin task="Service scan" time="${T0 + 7}"/>\n`;
    const { rows, collector } = parseText('nmap', cut);
    expect(rows.map((r) => `${r.ip}:${r.port}`)).toEqual(['192.0.2.1:80', '192.0.2.2:22']);
    expect(collector.errors).toBe(1);
    expect(collector.problems[0]?.message).toMatch(/ends before <\/nmaprun>.*interrupted/);
    // nmap stopped by an error says so in <finished exit="error" errormsg>.
    const failed = doc.replace('exit="success"', 'exit="error" errormsg="Failed to open device eth9"');
    expect(parseText('nmap', failed).collector.problems.map((p) => p.message)).toEqual(['nmap ended with an error: Failed to open device eth9']);
    expect(parseText('nmap', doc).collector.problems).toEqual([]);
  });

  it('reads nmap -sU output: open udp ports kept, open|filtered skipped', () => {
    const doc = nmapDoc([nmapHost('192.0.2.9', [{ port: 53, proto: 'udp', name: 'domain', product: 'dnsmasq', version: '2.80' }, { port: 161, proto: 'udp', state: 'open|filtered', name: 'snmp' }, { port: 123, proto: 'udp', state: 'closed' }])]).replace('type="syn" protocol="tcp"', 'type="udp" protocol="udp"');
    const { rows, collector } = parseText('nmap', doc);
    expect(rows.map((r) => [r.port, r.transport, r.service, r.product])).toEqual([[53, 'udp', 'domain', 'dnsmasq']]);
    expect(collector.skipped).toEqual({ 'open|filtered port': 1, 'closed port': 1 });
  });

  it('reads masscan -oX (nmap-like): endtime, banners as masscan names them, one row per port', () => {
    const recs: PortRec[] = [
      { ip: '192.0.2.1', port: 80, ts: T0 + 3 },
      { ip: '192.0.2.1', port: 80, ts: T0 + 4, banner: { name: 'http', text: 'HTTP/1.1 401 Unauthorized\r\nServer: mini_httpd/1.19\r\n\r\n' } },
      { ip: '192.0.2.1', port: 80, ts: T0 + 4, banner: { name: 'title', text: 'ログイン & Setup' } },
      { ip: '2001:db8::5', port: 22, ts: T0 + 5 },
      { ip: '2001:db8::5', port: 22, ts: T0 + 5, banner: { name: 'ssh', text: 'SSH-2.0-dropbear_2019.78\r\n' } },
    ];
    const { rows, collector } = parseText('nmap', masscanXml(recs));
    expect(collector.problems).toEqual([]);
    expect(rows.map((r) => [r.ip, r.port, r.transport, r.service, r.status, r.time])).toEqual([
      ['192.0.2.1', 80, 'tcp', 'http', 'open', (T0 + 3) * 1000],
      ['2001:db8::5', 22, 'tcp', 'ssh', 'open', (T0 + 5) * 1000],
    ]);
    expect(rows[0]).toMatchObject({ http_status: 401, http_title: 'ログイン & Setup', banner: 'HTTP/1.1 401 Unauthorized\\r\\nServer: mini_httpd/1.19\\r\\n\\r\\n' });
    expect(rows[1]?.ssh_ident).toBe('SSH-2.0-dropbear_2019.78');
  });

  it('says so when the input is not nmap XML', () => {
    expect(parseText('nmap', '{"ip": "192.0.2.1"}\n').collector.problems).toEqual([{ line: 1, message: 'not nmap XML: no <nmaprun> element' }]);
  });

  it('decodes attribute entities and converts CPE 2.2 URIs', () => {
    expect(parseAttrs(`name="a&amp;b" other='x &#x27;y&#39; &lt;z&gt;' bad="&bogus;"`)).toEqual({ name: 'a&b', other: "x 'y' <z>", bad: '&bogus;' });
    expect(cpe23('cpe:/a:apache:http_server:2.4.57')).toBe('cpe:2.3:a:apache:http_server:2.4.57:*:*:*:*:*:*:*');
    expect(cpe23('cpe:/h:tp-link:archer_c7')).toBe('cpe:2.3:h:tp-link:archer_c7:*:*:*:*:*:*:*:*');
    expect(cpe23('cpe:/a:vendor:pro%2bduct:1.0')).toBe('cpe:2.3:a:vendor:pro\\+duct:1.0:*:*:*:*:*:*:*');
    expect(cpe23('nonsense')).toBeUndefined();
  });
});
