import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseText } from './testing/parse-text.js';
import { hasCommand } from '../util/testing/has-command.js';
import { MASSCAN_RECS, masscanGrepable, masscanJson, masscanList, masscanNdjson, masscanXml, T0, type PortRec } from './testing/samples.js';

const RECS = MASSCAN_RECS;

function expectRecs(text: string): void {
  const { rows, collector } = parseText('masscan', text);
  expect(collector.problems).toEqual([]);
  expect(collector.records).toBe(RECS.length);
  expect(collector.skipped).toEqual({ 'closed port': 1, 'icmp record (only tcp and udp are stored)': 1 });
  expect(rows.map((r) => [r.ip, r.port, r.transport, r.service, r.status, r.time])).toEqual([
    ['192.0.2.1', 80, 'tcp', 'http', 'open', T0 * 1000],
    ['192.0.2.2', 22, 'tcp', 'ssh', 'open', T0 * 1000],
    ['2001:db8::5', 161, 'udp', '', 'open', T0 * 1000],
  ]);
  const web = rows[0];
  expect(web?.http_status).toBe(401);
  expect(web?.http_title).toBe('Login {&} Setup');
  expect(web?.banner).toContain('WWW-Authenticate: Basic realm="<router>"\\r\\n');
  expect(rows[1]?.ssh_ident).toBe('SSH-2.0-dropbear_2019.78');
}

describe('Masscan', () => {
  it('-oJ as 1.3 writes it (leading commas): status and banners of a port become one row', () => expectRecs(masscanJson(RECS)));
  it('-oJ as older releases write it (trailing commas, {finished: 1})', () => expectRecs(masscanJson(RECS, 'trailing')));
  it('-oD (NDJSON with rec_type and data)', () => expectRecs(masscanNdjson(RECS)));
  it('-oL (#masscan, open/banner lines, # end)', () => {
    const { rows, collector } = parseText('masscan', masscanList(RECS));
    expect(collector.problems).toEqual([]);
    expect(rows.map((r) => `${r.ip}:${r.port}/${r.transport} ${r.service}`)).toEqual(['192.0.2.1:80/tcp http', '192.0.2.2:22/tcp ssh', '2001:db8::5:161/udp ']);
    // The same banner column as from -oJ: masscan's \\xNN escapes read back, controls escaped once.
    expect(rows[0]?.banner).toContain('\\r\\nServer: mini_httpd/1.19\\r\\nWWW-Authenticate: Basic realm="<router>"');
    expect(rows[0]?.http_status).toBe(401);
    expect(rows[0]?.http_title).toBe('Login {&} Setup');
  });

  it('-oG, as 1.3 writes it (Timestamp: … Host: … Ports: 80/open/tcp//http//) and as 1.0 did (no Timestamp)', () => {
    for (const style of ['timestamp', 'old'] as const) {
      const { rows, collector } = parseText('masscan', masscanGrepable(RECS, style), {}, 5_000);
      expect(collector.problems).toEqual([]);
      expect(collector.records).toBe(RECS.length);
      expect(collector.skipped).toEqual({ 'closed port': 1, 'icmp record (only tcp and udp are stored)': 1 });
      const t = style === 'timestamp' ? T0 * 1000 : 5_000; // 1.0 wrote no time: the import's
      expect(rows.map((r) => [r.ip, r.port, r.transport, r.service, r.status, r.time])).toEqual([
        ['192.0.2.1', 80, 'tcp', 'http', 'open', t],
        ['192.0.2.2', 22, 'tcp', 'ssh', 'open', t],
        ['2001:db8::5', 161, 'udp', '', 'open', t],
      ]);
      expect(rows[0]).toMatchObject({ http_status: 401, http_title: 'Login {&} Setup' });
      expect(rows[1]?.ssh_ident).toBe('SSH-2.0-dropbear_2019.78');
    }
    // A banner line says no protocol: a UDP port's banner joins its status line's row.
    const udp = parseText('masscan', masscanGrepable([{ ip: '192.0.2.9', port: 161, proto: 'udp' }, { ip: '192.0.2.9', port: 161, banner: { name: 'snmp', text: 'sysDescr: RouterOS' } }]));
    expect(udp.rows.map((r) => [r.port, r.transport, r.service, r.banner])).toEqual([[161, 'udp', 'snmp', 'sysDescr: RouterOS']]);
  });

  it('-oX (one <host> per record and line), banners joined to their port', () => {
    const { rows, collector } = parseText('masscan', masscanXml(RECS));
    expect(collector.problems).toEqual([]);
    expect(collector.records).toBe(RECS.length);
    expect(rows.map((r) => [r.ip, r.port, r.transport, r.service, r.status, r.time])).toEqual([
      ['192.0.2.1', 80, 'tcp', 'http', 'open', T0 * 1000],
      ['192.0.2.2', 22, 'tcp', 'ssh', 'open', T0 * 1000],
      ['2001:db8::5', 161, 'udp', '', 'open', T0 * 1000],
    ]);
    expect(rows[0]).toMatchObject({ http_status: 401, http_title: 'Login {&} Setup' });
  });

  it('says once that binary output (-oB) must be converted, not once per line', () => {
    const head = Buffer.alloc(99);
    head.write(`masscan/1.1\ns:${T0}\n`);
    const body = Buffer.from([0x04, 0x00, 0x0d, 0x65, 0x53, 0x0a, 0xc0, 0x00, 0x02, 0x01, 0x00, 0x50, 0x06, 0x12, 0x36, 0x0a, 0xff, 0xfe, 0x0a]);
    const { rows, collector } = parseText('masscan', Buffer.concat([head, body, head]).toString('utf8'));
    expect(rows).toEqual([]);
    expect(collector.errors).toBe(1);
    expect(collector.problems[0]).toMatchObject({ line: 1 });
    expect(collector.problems[0]?.message).toMatch(/binary output \(-oB\).*--readscan/);
  });

  it('reads banner bytes as UTF-8 when they are (-oJ writes each byte as \\u00XX, -oL as \\xNN)', () => {
    const recs: PortRec[] = [
      { ip: '192.0.2.1', port: 80 },
      { ip: '192.0.2.1', port: 80, banner: { name: 'title', text: 'ログイン画面' } },
      { ip: '192.0.2.1', port: 80, banner: { name: 'http', text: 'HTTP/1.0 200 OK\r\nServer: ルーター\r\n\r\n' } },
    ];
    for (const text of [masscanJson(recs), masscanNdjson(recs), masscanList(recs), masscanGrepable(recs), masscanXml(recs)]) {
      const { rows } = parseText('masscan', text);
      expect(rows[0]).toMatchObject({ http_title: 'ログイン画面', banner: 'HTTP/1.0 200 OK\\r\\nServer: ルーター\\r\\n\\r\\n' });
    }
    // Bytes that are not UTF-8 stay bytes: escaped when they are controls.
    const latin = parseText('masscan', '{"ip":"192.0.2.2","timestamp":"1700000000","port":21,"proto":"tcp","rec_type":"banner","data":{"service_name":"ftp","banner":"220 \\u00ff\\u0085caf\\u00e9"}}\n');
    expect(latin.rows[0]?.banner).toBe('220 \u00ff\\x85caf\u00e9');
  });

  it('reports malformed records with line numbers and keeps the others', () => {
    const good = masscanNdjson([{ ip: '192.0.2.1', port: 80 }, { ip: '192.0.2.9', port: 443 }]).split('\n');
    const text = [
      good[0],
      '{"ip":"192.0.2.2","timestamp":"1700000000","port":99999,"proto":"tcp","rec_type":"status","data":{"status":"open"}}',
      '{"ip":"not-an-ip","timestamp":"1700000000","port":80,"proto":"tcp","rec_type":"status","data":{"status":"open"}}',
      '{"ip":"192.0.2.3","timestamp":"1700000000","port":80,',
      'open tcp 80 192.0.2.4',
      'open tcp 80 192.0.2.5 yesterday',
      '{"ip":"192.0.2.6","timestamp":"1700000000","port":80,"proto":"tcp","rec_type":"status","data":{"status":"weird"}}',
      good[1],
    ].join('\n');
    const { rows, collector } = parseText('masscan', text);
    expect(rows.map((r) => r.ip)).toEqual(['192.0.2.1', '192.0.2.9']);
    expect(collector.problems.map((p) => [p.line, p.message.split(':')[0]])).toEqual([
      [2, 'port is not a port number'], [3, 'ip is not an IP address'], [4, 'not JSON'], [5, 'expected "STATUS PROTO PORT IP TIME", got 4 fields'],
      [6, 'timestamp is not a time'], [7, 'status is not open or closed'],
    ]);
  });

  it.skipIf(!hasCommand('openssl', ['version']))('reads the leaf certificate of an X509 banner', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sakimori-cert-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '30', '-subj', '/O=Example/CN=cam.example', '-addext', 'subjectAltName=DNS:cam.example,IP:192.0.2.7'], { stdio: 'ignore' });
      const pem = readFileSync(join(dir, 'c.pem'), 'utf8');
      const b64 = pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
      const { rows } = parseText('masscan', masscanNdjson([{ ip: '192.0.2.7', port: 443, banner: { name: 'X509', text: b64 } }]));
      expect(rows[0]).toMatchObject({ service: 'tls', tls_subject: 'CN=cam.example, O=Example', tls_issuer: 'CN=cam.example, O=Example', tls_self_signed: 1, tls_sans: ['cam.example', '192.0.2.7'] });
      expect(rows[0]?.tls_fingerprint_sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(String(rows[0]?.tls_not_after)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads status records the same through the fast path as through JSON.parse', () => {
    // Masscan's own layouts take the fast path; the same records with the keys in another order
    // (or odd spacing) take JSON.parse. Both must give the same rows and the same problems.
    const fast = [
      '{"ip":"192.0.2.1","timestamp":"1700000000","port":80,"proto":"tcp","rec_type":"status","data":{"status":"open","reason":"syn-ack","ttl":54}}',
      '{"ip":"2001:DB8::7","timestamp":"1700000001","port":0,"proto":"udp","rec_type":"status","data":{"status":"open","reason":"none","ttl":0}}',
      '{"ip":"192.0.2.2","timestamp":"1700000002","port":23,"proto":"tcp","rec_type":"status","data":{"status":"closed","reason":"rst","ttl":64}}',
      '{"ip":"192.0.2.3","timestamp":"1700000003","port":70000,"proto":"tcp","rec_type":"status","data":{"status":"open","reason":"syn-ack","ttl":64}}',
      '{"ip":"192.0.2.256","timestamp":"1700000004","port":80,"proto":"tcp","rec_type":"status","data":{"status":"open","reason":"syn-ack","ttl":64}}',
      '{"ip":"192.0.2.5","timestamp":"1700000005","port":80,"proto":"sctp","rec_type":"status","data":{"status":"open","reason":"syn-ack","ttl":64}}',
      '{"ip":"192.0.2.6","timestamp":"1700000006","port":80,"proto":"tcp","rec_type":"status","data":{"status":"weird","reason":"syn-ack","ttl":64}}',
      '{   "ip": "192.0.2.7",   "timestamp": "1700000007", "ports": [ {"port": 8080, "proto": "tcp", "status": "open", "reason": "syn-ack", "ttl": 51} ] },',
      '{"ip":"192.0.2.8","timestamp":"1700000008","port":080,"proto":"tcp","rec_type":"status","data":{"status":"open","reason":"syn-ack","ttl":64}}',
    ];
    const general = fast.map((l) => {
      const trailing = l.endsWith(',');
      const o = JSON.parse(trailing ? l.slice(0, -1) : l.replace('":080,', '":"080x",')) as Record<string, unknown>;
      const reordered = Object.fromEntries(Object.entries(o).reverse());
      const text = JSON.stringify(reordered, null, 1).replace(/\n/g, ' ');
      return l.includes('":080,') ? text.replace('"080x"', '080') : text + (trailing ? ',' : '');
    });
    const a = parseText('masscan', fast.join('\n') + '\n');
    const b = parseText('masscan', general.join('\n') + '\n');
    expect(a.rows.map((r) => [r.ip, r.port, r.transport, r.status, r.time])).toEqual([
      ['192.0.2.1', 80, 'tcp', 'open', 1700000000000],
      ['2001:db8::7', 0, 'udp', 'open', 1700000001000],
      ['192.0.2.7', 8080, 'tcp', 'open', 1700000007000],
    ]);
    expect(b.rows).toEqual(a.rows);
    expect(a.collector.problems.map((p) => p.line)).toEqual([4, 5, 7, 9]);
    expect(b.collector.problems.map((p) => p.line)).toEqual([4, 5, 7, 9]);
    expect(b.collector.skipped).toEqual(a.collector.skipped);
  });
});
