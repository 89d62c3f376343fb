import { beforeAll, describe, expect, it } from 'vitest';
import { serviceRow, type ServiceFinding } from '../schema/service-observation.js';
import { FingerprintRules } from './device-rules.js';

interface Sample {
  rule: string;
  f: Omit<ServiceFinding, 'ip' | 'port' | 'transport'> & { port?: number };
  vendor?: string;
  product?: string;
  version?: string;
  device_type?: string;
  cpe?: string[];
  tags?: string[];
}

const auth = (v: string): Record<string, string> => ({ 'www-authenticate': v });

/** One realistic sample per starter rule (documented defaults and commonly seen banners). */
const SAMPLES: Sample[] = [
  { rule: 'mikrotik-routeros-ftp', f: { banner: '220 MikroTik FTP server (MikroTik 6.40.4) ready\\r\\n' }, vendor: 'MikroTik', product: 'RouterOS', version: '6.40.4', device_type: 'router', cpe: ['cpe:2.3:o:mikrotik:routeros:6.40.4:*:*:*:*:*:*:*'] },
  { rule: 'mikrotik-routeros-ssh', f: { ssh_ident: 'SSH-2.0-ROSSSH' }, product: 'RouterOS' },
  { rule: 'mikrotik-routeros-web', f: { http_title: 'RouterOS router configuration page' }, product: 'RouterOS', device_type: 'router' },
  { rule: 'hikvision-nvr-web', f: { http_server: 'DNVRS-Webs' }, vendor: 'Hikvision', device_type: 'nvr' },
  { rule: 'hikvision-app-webs', f: { http_server: 'App-webs/' }, vendor: 'Hikvision', device_type: 'camera' },
  { rule: 'hikvision-realm', f: { http_status: 401, http_headers: auth('Basic realm="DS-2CD2032-I"') }, vendor: 'Hikvision', device_type: 'camera' },
  { rule: 'dahua-realm', f: { http_status: 401, http_www_authenticate: 'Digest realm="Login to 4L0A1B2PAZ3C4D5", qop="auth", nonce="1234567890", opaque="abcdef"' }, vendor: 'Dahua' },
  { rule: 'dahua-web-title', f: { http_title: 'WEB SERVICE' }, vendor: 'Dahua', device_type: 'camera' },
  { rule: 'xiongmai-netsurveillance', f: { http_title: 'NETSurveillance WEB' }, vendor: 'Xiongmai', device_type: 'dvr' },
  { rule: 'xiongmai-uc-httpd', f: { http_server: 'uc-httpd 1.0.0' }, vendor: 'Xiongmai', product: 'uc-httpd', version: '1.0.0' },
  { rule: 'panasonic-network-camera', f: { http_title: 'WV-S1131' }, vendor: 'Panasonic', device_type: 'camera' },
  { rule: 'synology-dsm', f: { http_title: 'Synology DiskStation - DS218', http_server: 'nginx' }, vendor: 'Synology', product: 'DiskStation Manager', version: '', device_type: 'nas',
    cpe: ['cpe:2.3:o:synology:diskstation_manager:*:*:*:*:*:*:*:*', 'cpe:2.3:a:f5:nginx:*:*:*:*:*:*:*:*', 'cpe:2.3:a:nginx:nginx:*:*:*:*:*:*:*:*'] },
  { rule: 'synology-srm', f: { http_title: 'Synology Router - RT2600ac' }, product: 'Router Manager', device_type: 'router' },
  { rule: 'qnap-qts-cert', f: { port: 443, tls_subject: 'CN=QNAP NAS,OU=QNAP NAS,O=QNAP Systems Inc.,L=Taipei,ST=Taiwan,C=TW', tls_issuer: 'CN=QNAP NAS,OU=QNAP NAS,O=QNAP Systems Inc.,L=Taipei,ST=Taiwan,C=TW' }, vendor: 'QNAP', product: 'QTS', device_type: 'nas' },
  { rule: 'qnap-qts-web', f: { http_title: 'QNAP Turbo NAS' }, product: 'QTS' },
  { rule: 'buffalo-airstation', f: { http_title: 'BUFFALO AirStation' }, vendor: 'BUFFALO', device_type: 'router' },
  { rule: 'buffalo-linkstation', f: { http_title: 'LinkStation - LS210D' }, vendor: 'BUFFALO', device_type: 'nas' },
  { rule: 'yamaha-rtx-realm', f: { http_status: 401, http_headers: auth('Basic realm="RTX1210"') }, vendor: 'Yamaha', device_type: 'router' },
  { rule: 'yamaha-rtx-telnet', f: { banner: '\\r\\nPassword: \\r\\nRTX1210 Rev.14.01.38 (Fri Jul 10 09:41:45 2020)\\r\\n  Copyright (c) 1994-2020 Yamaha Corporation. All Rights Reserved.' }, vendor: 'Yamaha', version: '14.01.38' },
  { rule: 'nec-aterm', f: { http_status: 401, http_headers: auth('Basic realm="Aterm WG1200HS"') }, vendor: 'NEC', product: 'Aterm' },
  { rule: 'iodata-landisk', f: { http_title: 'LANDISK-A1B2C3' }, vendor: 'I-O DATA', device_type: 'nas' },
  { rule: 'iodata-device', f: { http_title: 'I-O DATA WN-AX1167GR' }, vendor: 'I-O DATA', product: '' },
  { rule: 'fortinet-fortigate-cert', f: { port: 10443, tls_subject: '1.2.840.113549.1.9.1=support@fortinet.com,CN=FGT60E4Q16000000,OU=FortiGate,O=Fortinet,L=Sunnyvale,ST=California,C=US', tls_issuer: '1.2.840.113549.1.9.1=support@fortinet.com,CN=fortinet-subca2001,OU=Certificate Authority,O=Fortinet,L=Sunnyvale,ST=California,C=US' }, vendor: 'Fortinet', product: 'FortiOS', tags: ['vpn', 'firewall'] },
  { rule: 'fortinet-ssl-vpn', f: { http_title: 'FortiGate' }, product: 'FortiOS' },
  { rule: 'pulse-connect-secure', f: { http_title: 'Pulse Connect Secure' }, vendor: 'Ivanti', device_type: 'vpn' },
  { rule: 'citrix-gateway', f: { http_title: 'NetScaler Gateway' }, vendor: 'Citrix', tags: ['vpn'] },
  { rule: 'sonicwall-sslvpn', f: { http_server: 'SonicWALL SSL-VPN Web Server' }, vendor: 'SonicWall' },
  { rule: 'microsoft-rdp-cert', f: { port: 3389, tls_subject: 'CN=WIN-4J5K6L7M8N9', tls_issuer: 'CN=WIN-4J5K6L7M8N9', tls_self_signed: 1 }, vendor: 'Microsoft', product: 'Remote Desktop Services', tags: ['rdp'] },
  { rule: 'busybox', f: { banner: 'BusyBox v1.19.4 (2014-07-08 10:42:32 CST) built-in shell (ash)\\r\\nEnter \'help\' for a list of built-in commands.\\r\\n\\r\\n# ' }, product: 'BusyBox', version: '1.19.4', cpe: ['cpe:2.3:a:busybox:busybox:1.19.4:*:*:*:*:*:*:*'] },
  { rule: 'embedded-linux-none-login', f: { banner: '\\r\\n(none) login: ' }, tags: ['embedded-linux'] },
  { rule: 'openssh', f: { ssh_ident: 'SSH-2.0-OpenSSH_7.4p1 Debian-10+deb9u7', banner: 'SSH-2.0-OpenSSH_7.4p1 Debian-10+deb9u7\\r\\n' }, vendor: 'OpenBSD', product: 'OpenSSH', version: '7.4p1', cpe: ['cpe:2.3:a:openbsd:openssh:7.4:p1:*:*:*:*:*:*'] },
  { rule: 'dropbear', f: { banner: 'SSH-2.0-dropbear_2019.78\\r\\n' }, product: 'Dropbear SSH', version: '2019.78', cpe: ['cpe:2.3:a:dropbear_ssh_project:dropbear_ssh:2019.78:*:*:*:*:*:*:*'] },
  { rule: 'cisco-ssh', f: { ssh_ident: 'SSH-2.0-Cisco-1.25' }, vendor: 'Cisco', device_type: 'router' },
  { rule: 'vsftpd', f: { banner: '220 (vsFTPd 3.0.3)\\r\\n' }, product: 'vsftpd', version: '3.0.3', cpe: ['cpe:2.3:a:beasts:vsftpd:3.0.3:*:*:*:*:*:*:*'] },
  { rule: 'proftpd', f: { banner: '220 ProFTPD 1.3.5e Server (Debian) [::ffff:192.0.2.10]\\r\\n' }, product: 'ProFTPD', version: '1.3.5e', cpe: ['cpe:2.3:a:proftpd:proftpd:1.3.5:e:*:*:*:*:*:*'] },
  { rule: 'pure-ftpd', f: { banner: '220---------- Welcome to Pure-FTPd [privsep] [TLS] ----------\\r\\n220-You are user number 1 of 50 allowed.\\r\\n' }, product: 'Pure-FTPd' },
  { rule: 'filezilla-server', f: { banner: '220-FileZilla Server 0.9.60 beta\\r\\n220-written by Tim Kosse (tim.kosse@filezilla-project.org)\\r\\n' }, product: 'FileZilla Server', version: '0.9.60' },
  { rule: 'microsoft-ftp', f: { banner: '220 Microsoft FTP Service\\r\\n' }, vendor: 'Microsoft', product: 'IIS FTP Service' },
  { rule: 'mosquitto', f: { port: 1883, service: 'mqtt', details: '{"return_code":0,"sys":{"$SYS/broker/version":"mosquitto version 1.6.9"}}' }, product: 'Mosquitto', version: '1.6.9' },
  { rule: 'redis', f: { port: 6379, service: 'redis', details: '{"no_auth":true,"redis_version":"5.0.7","os":"Linux 5.4.0-42-generic x86_64"}' }, product: 'Redis', version: '5.0.7', cpe: ['cpe:2.3:a:redis:redis:5.0.7:*:*:*:*:*:*:*'] },
  { rule: 'rompager', f: { http_server: 'RomPager/4.07 UPnP/1.0' }, product: 'RomPager', version: '4.07' },
  { rule: 'boa', f: { http_server: 'Boa/0.94.14rc21' }, product: 'Boa', version: '0.94.14rc21', cpe: ['cpe:2.3:a:boa:boa:0.94.14rc21:*:*:*:*:*:*:*'] },
  { rule: 'goahead', f: { http_server: 'GoAhead-Webs' }, product: 'GoAhead', version: '', cpe: ['cpe:2.3:a:embedthis:goahead:*:*:*:*:*:*:*:*'] },
  { rule: 'mini-httpd', f: { http_server: 'mini_httpd/1.19 19dec2003' }, product: 'mini_httpd', version: '1.19' },
  { rule: 'thttpd', f: { http_server: 'thttpd/2.25b 29dec2003' }, product: 'thttpd', version: '2.25b' },
  { rule: 'lighttpd', f: { http_server: 'lighttpd/1.4.35' }, product: 'lighttpd', version: '1.4.35' },
  { rule: 'nginx', f: { http_server: 'nginx/1.14.0 (Ubuntu)' }, product: 'nginx', version: '1.14.0', cpe: ['cpe:2.3:a:f5:nginx:1.14.0:*:*:*:*:*:*:*', 'cpe:2.3:a:nginx:nginx:1.14.0:*:*:*:*:*:*:*'] },
  { rule: 'apache-tomcat-coyote', f: { http_server: 'Apache-Coyote/1.1' }, product: 'Tomcat' },
  { rule: 'apache-httpd', f: { http_server: 'Apache/2.4.49 (Unix)' }, product: 'HTTP Server', version: '2.4.49', cpe: ['cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*'] },
  { rule: 'microsoft-iis', f: { http_server: 'Microsoft-IIS/10.0' }, product: 'IIS', version: '10.0' },
  { rule: 'jetty', f: { http_server: 'Jetty(9.4.43.v20210629)' }, product: 'Jetty', version: '9.4.43' },
];

describe('starter fingerprint rules', () => {
  let rules: FingerprintRules;
  beforeAll(async () => {
    rules = await FingerprintRules.load();
  });

  it('has a sample for every rule', () => {
    expect(rules.rules.length).toBeGreaterThanOrEqual(40);
    expect(new Set(SAMPLES.map((s) => s.rule))).toEqual(new Set(rules.rules.map((r) => r.id)));
  });

  for (const s of SAMPLES) {
    it(s.rule, () => {
      const row = serviceRow({ ip: '192.0.2.10', port: 80, transport: 'tcp', ...s.f });
      const hits = rules.apply(row);
      expect(hits[0]).toBe(s.rule);
      for (const k of ['vendor', 'product', 'version', 'device_type'] as const) {
        const want = s[k];
        if (want !== undefined) expect(row[k], k).toBe(want);
      }
      if (s.cpe) expect(row.cpe).toEqual(s.cpe);
      for (const t of s.tags ?? []) expect(row.tags).toContain(t);
    });
  }

  it('does not match near misses', () => {
    const cases: ServiceFinding[] = [
      { ip: '192.0.2.1', port: 80, transport: 'tcp', http_server: 'Apache-Coyote/1.1' },
      { ip: '192.0.2.1', port: 443, transport: 'tcp', tls_subject: 'CN=www.example.com', tls_issuer: 'CN=R3,O=Let\'s Encrypt,C=US' },
      { ip: '192.0.2.1', port: 80, transport: 'tcp', http_server: 'Apachee' },
    ];
    const hits = cases.map((f) => rules.apply(serviceRow(f)));
    expect(hits[0]).toEqual(['apache-tomcat-coyote']);
    expect(hits[1]).toEqual([]);
    expect(hits[2]).toEqual([]);
  });
});
