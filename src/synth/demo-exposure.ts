/**
 * Service observations for the demo, made to agree with the darknet day: the sources the
 * telescope tagged as Mirai get the telnet service with a default credential that infected them
 * (as NOTICE and NICTER find together), others a router admin page, an SSH server, a self-signed
 * TLS certificate or an open Redis. Deterministic for a seed; rows carry their own evidence so
 * that the host page, the search and the monitors have something real to show.
 */
import { serviceRow, type ServiceRow } from '../schema/service-observation.js';
import { seededRandom } from '../util/seeded-random.js';

export interface DemoHosts { mirai: readonly string[]; other: readonly string[] }

const ROUTER_TITLES = ['ログイン - Wi-Fiルーター', 'AirStation 設定画面', 'Web Management', 'RouterOS router configuration page', 'NETGEAR Router'];
const SSH_IDENTS = ['SSH-2.0-OpenSSH_7.4', 'SSH-2.0-dropbear_2019.78', 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3', 'SSH-2.0-ROSSSH'];

export function demoExposureRows(hosts: DemoHosts, day: string, seed = 1): ServiceRow[] {
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const t0 = Date.parse(`${day}T00:00:00Z`);
  const at = (): number => t0 + Math.floor(rand() * 86_400_000);
  const rows: ServiceRow[] = [];
  const base = { transport: 'tcp' as const, source: 'survey', run_id: `demo-${day}` };
  for (const ip of hosts.mirai) {
    rows.push(serviceRow({
      ...base, ip, port: 23, service: 'telnet', banner: '\\r\\n(none) login: ', login_prompt: 1, weak_credential: 1,
      credential_list: 'notice-starter', credential_id: pick(['c001', 'c002', 'c004', 'c011']), vendor: 'BusyBox', product: 'BusyBox telnetd', device_type: 'router',
      tags: ['iot'], details: JSON.stringify({ options: ['WILL ECHO', 'WILL SGA'] }),
    }, at()));
    if (rand() < 0.5) {
      rows.push(serviceRow({
        ...base, ip, port: 80, service: 'http', http_status: 401, http_title: '', http_server: 'mini_httpd/1.19 19dec2003',
        http_www_authenticate: 'Basic realm="index.htm"', login_prompt: 1, vendor: 'ACME Home', product: 'mini_httpd', version: '1.19',
        cpe: ['cpe:2.3:a:acme:mini_httpd:1.19:*:*:*:*:*:*:*'], cves: ['CVE-2018-18778'], cve_evidence: ['inferred'], device_type: 'router',
      }, at()));
    }
  }
  for (const ip of hosts.other) {
    const r = rand();
    if (r < 0.35) {
      rows.push(serviceRow({
        ...base, ip, port: 80, service: 'http', http_status: 200, http_title: pick(ROUTER_TITLES), http_server: pick(['lighttpd/1.4.35', 'Boa/0.94.14rc21', 'GoAhead-Webs']),
        http_headers: { 'content-type': 'text/html; charset=UTF-8' }, http_body_sha256: (Math.floor(rand() * 2 ** 52)).toString(16).padStart(64, '0'), device_type: 'router',
      }, at()));
    } else if (r < 0.6) {
      const ident = pick(SSH_IDENTS);
      rows.push(serviceRow({
        ...base, ip, port: 22, service: 'ssh', ssh_ident: ident, ssh_hassh: (Math.floor(rand() * 2 ** 52)).toString(16).padStart(32, '0'),
        ssh_kex: ['curve25519-sha256', 'ecdh-sha2-nistp256', 'diffie-hellman-group14-sha256'], ssh_host_key_type: 'ssh-ed25519',
        ssh_host_key_sha256: `SHA256:${Buffer.from(ident + ip).toString('base64').slice(0, 43)}`,
        product: ident.includes('OpenSSH') ? 'OpenSSH' : ident.includes('dropbear') ? 'Dropbear SSH' : 'RouterOS SSH',
        version: /OpenSSH_([\w.]+)|dropbear_([\w.]+)/.exec(ident)?.slice(1).find(Boolean) ?? '',
      }, at()));
    } else if (r < 0.85) {
      rows.push(serviceRow({
        ...base, ip, port: 443, service: 'https', http_status: 200, http_title: 'NAS ログイン', tls_version: 'TLSv1.2', tls_cipher: 'ECDHE-RSA-AES128-GCM-SHA256',
        tls_subject: `CN=${ip}`, tls_issuer: `CN=${ip}`, tls_sans: [ip], tls_self_signed: 1, tls_chain_length: 1,
        tls_not_before: '2019-04-01T00:00:00Z', tls_not_after: '2029-03-29T00:00:00Z',
        tls_fingerprint_sha256: (Math.floor(rand() * 2 ** 52)).toString(16).padStart(64, 'a'), device_type: 'nas', tags: ['self-signed'],
      }, at()));
    } else {
      rows.push(serviceRow({
        ...base, ip, port: 6379, service: 'redis', no_auth: 1, product: 'Redis', version: '5.0.7', banner: 'redis_version:5.0.7',
        details: JSON.stringify({ redis_mode: 'standalone', os: 'Linux 4.15.0-20-generic x86_64' }),
      }, at()));
    }
  }
  return rows;
}
