/**
 * What the synthetic exposed services look like: device and server profiles with the ports they
 * listen on, what they say, what identifies them and which CVEs their versions carry, weighted
 * roughly as a survey of access and hosting networks finds them (home routers, cameras, DVRs and
 * NAS boxes beside ordinary web and SSH servers). Titles are in Japanese and English because the
 * devices' own UIs are. CVE ids are real ones for those products and versions.
 */
export interface ProductVersion {
  readonly version: string;
  readonly cves: readonly string[];
  /** Relative share among the profile's versions. */
  readonly weight: number;
}

export interface ServiceProfile {
  readonly id: string;
  readonly weight: number;
  readonly ports: readonly number[];
  readonly service: string;
  readonly vendor: string;
  readonly product: string;
  readonly deviceType: string;
  /** CPE 2.3 prefix; the version is appended. */
  readonly cpe: string;
  readonly versions: readonly ProductVersion[];
  readonly titles?: readonly string[];
  /** `{v}` is replaced by the version. */
  readonly server?: string;
  readonly httpStatus?: readonly number[];
  readonly wwwAuthenticate?: string;
  readonly banner?: readonly string[];
  readonly tls?: 'self-signed' | 'public';
  /** `{v}` is replaced by the version. */
  readonly sshIdent?: string;
  /** Share of these services that accepted a default credential. */
  readonly weakCredential?: number;
  readonly loginPrompt?: boolean;
  /** Share without authentication. */
  readonly noAuth?: number;
  readonly tags?: readonly string[];
}

const v = (version: string, weight: number, ...cves: string[]): ProductVersion => ({ version, weight, cves });

export const SERVICE_PROFILES: readonly ServiceProfile[] = [
  {
    id: 'busybox-telnet', weight: 9, ports: [23, 2323], service: 'telnet', vendor: 'BusyBox', product: 'BusyBox telnetd', deviceType: 'router',
    cpe: 'cpe:2.3:a:busybox:busybox', versions: [v('1.19.4', 3), v('1.22.1', 3), v('1.31.1', 2)],
    banner: ['\\r\\n(none) login: ', 'BCM96328 Broadband Router\\r\\nLogin: ', '\\r\\nDVRDVS-Webs login: ', 'ZXHN F660\\r\\nLogin: '],
    weakCredential: 0.08, loginPrompt: true, tags: ['iot', 'telnet'],
  },
  {
    id: 'router-web', weight: 10, ports: [80, 8080], service: 'http', vendor: 'ACME Home', product: 'mini_httpd', deviceType: 'router',
    cpe: 'cpe:2.3:a:acme:mini_httpd', versions: [v('1.19', 3, 'CVE-2018-18778'), v('1.30', 1)],
    titles: ['ログイン - Wi-Fiルーター', 'AirStation 設定画面', 'Aterm 設定ページ', 'Web Management', 'RouterOS router configuration page', 'NETGEAR Router', 'TP-LINK Wireless Router WR841N', 'ブロードバンドルータ 管理画面'],
    server: 'mini_httpd/{v} 19dec2003', httpStatus: [200, 200, 401], wwwAuthenticate: 'Basic realm="index.htm"', weakCredential: 0.02, loginPrompt: true, tags: ['iot'],
  },
  {
    id: 'boa-router', weight: 4, ports: [80], service: 'http', vendor: 'Realtek', product: 'Boa', deviceType: 'router',
    cpe: 'cpe:2.3:a:boa:boa', versions: [v('0.94.14rc21', 3, 'CVE-2017-9833', 'CVE-2017-9834'), v('0.94.13', 1, 'CVE-2009-4496')],
    titles: ['Realtek Router', 'ADSL Modem', 'ONU ログイン', 'GPON Home Gateway'], server: 'Boa/{v}', httpStatus: [200], loginPrompt: true, weakCredential: 0.03, tags: ['iot', 'eol'],
  },
  {
    id: 'hikvision-web', weight: 5, ports: [80, 8000, 81], service: 'http', vendor: 'Hikvision', product: 'Hikvision IP Camera', deviceType: 'camera',
    cpe: 'cpe:2.3:o:hikvision:ds-2cd2xx2f_firmware', versions: [v('5.4.5', 2, 'CVE-2017-7921', 'CVE-2021-36260'), v('5.5.0', 2, 'CVE-2021-36260'), v('5.7.3', 1)],
    titles: ['Web Client', 'ネットワークカメラ', 'IP Camera'], server: 'App-webs/', httpStatus: [200, 401], wwwAuthenticate: 'Digest realm="IP Camera(12345)"', weakCredential: 0.03, loginPrompt: true, tags: ['iot', 'camera'],
  },
  {
    id: 'dahua-web', weight: 3, ports: [80, 37777], service: 'http', vendor: 'Dahua', product: 'Dahua DVR', deviceType: 'dvr',
    cpe: 'cpe:2.3:o:dahuasecurity:dvr_firmware', versions: [v('2.608', 2, 'CVE-2021-33044', 'CVE-2021-33045'), v('4.001', 1)],
    titles: ['WEB SERVICE', 'DVR ログイン'], server: 'DNVRS-Webs', httpStatus: [200], weakCredential: 0.04, loginPrompt: true, tags: ['iot', 'dvr'],
  },
  {
    id: 'xiongmai-dvr', weight: 2, ports: [80, 34567], service: 'http', vendor: 'Xiongmai', product: 'NETSurveillance', deviceType: 'dvr',
    cpe: 'cpe:2.3:o:xiongmaitech:netsurveillance_firmware', versions: [v('4.03.R11', 2, 'CVE-2017-16725', 'CVE-2018-10088')],
    titles: ['NETSurveillance WEB'], server: 'uc-httpd 1.0.0', httpStatus: [200], weakCredential: 0.06, loginPrompt: true, tags: ['iot', 'dvr', 'eol'],
  },
  {
    id: 'panasonic-camera', weight: 1.5, ports: [80], service: 'http', vendor: 'Panasonic', product: 'Network Camera', deviceType: 'camera',
    cpe: 'cpe:2.3:h:panasonic:bb-hcm', versions: [v('2.10', 1)],
    titles: ['Panasonic Network Camera', 'ネットワークカメラ トップページ'], server: 'Panasonic', httpStatus: [200, 401], wwwAuthenticate: 'Basic realm="Network Camera"', loginPrompt: true, tags: ['iot', 'camera', 'eol'],
  },
  {
    id: 'camera-rtsp', weight: 3, ports: [554, 8554], service: 'rtsp', vendor: 'Hikvision', product: 'Hikvision RTSP', deviceType: 'camera',
    cpe: 'cpe:2.3:o:hikvision:ds-2cd2xx2f_firmware', versions: [v('5.4.5', 1, 'CVE-2017-7921')],
    banner: ['RTSP/1.0 401 Unauthorized\\r\\nWWW-Authenticate: Digest realm="Hikvision"', 'RTSP/1.0 200 OK\\r\\nServer: Dahua Rtsp Server'], tags: ['iot', 'camera'],
  },
  {
    id: 'synology-nas', weight: 3, ports: [5001, 443], service: 'https', vendor: 'Synology', product: 'DiskStation Manager', deviceType: 'nas',
    cpe: 'cpe:2.3:o:synology:diskstation_manager', versions: [v('6.2.3', 2, 'CVE-2021-29088'), v('7.1.1', 2), v('7.2.1', 1)],
    titles: ['Synology DiskStation', 'NAS ログイン'], server: 'nginx', httpStatus: [200], tls: 'self-signed', tags: ['self-signed', 'nas'],
  },
  {
    id: 'qnap-nas', weight: 2, ports: [443, 8080], service: 'https', vendor: 'QNAP', product: 'QTS', deviceType: 'nas',
    cpe: 'cpe:2.3:o:qnap:qts', versions: [v('4.3.6', 2, 'CVE-2021-28799', 'CVE-2020-2509'), v('5.0.1', 1, 'CVE-2022-27596')],
    titles: ['QTS', 'QNAP Turbo NAS'], server: 'http server 1.0', httpStatus: [200], tls: 'self-signed', tags: ['self-signed', 'nas'],
  },
  {
    id: 'buffalo-nas', weight: 1.5, ports: [80], service: 'http', vendor: 'BUFFALO', product: 'LinkStation', deviceType: 'nas',
    cpe: 'cpe:2.3:o:buffalo:linkstation_firmware', versions: [v('1.74', 1)],
    titles: ['LinkStation - ログイン', 'BUFFALO NAS 設定画面'], server: 'lighttpd/1.4.35', httpStatus: [200], tags: ['nas', 'eol'],
  },
  {
    id: 'nginx', weight: 12, ports: [80, 443, 8443], service: 'https', vendor: 'F5', product: 'nginx', deviceType: 'server',
    cpe: 'cpe:2.3:a:f5:nginx', versions: [v('1.18.0', 3, 'CVE-2021-23017'), v('1.22.1', 3), v('1.24.0', 3), v('1.26.2', 2)],
    titles: ['Welcome to nginx!', '株式会社サンプル 公式サイト', '404 Not Found', 'Dashboard', 'ようこそ'], server: 'nginx/{v}', httpStatus: [200, 200, 301, 403, 404], tls: 'public',
  },
  {
    id: 'apache', weight: 9, ports: [80, 443], service: 'https', vendor: 'Apache', product: 'Apache httpd', deviceType: 'server',
    cpe: 'cpe:2.3:a:apache:http_server', versions: [v('2.4.29', 2, 'CVE-2021-44790', 'CVE-2019-0211'), v('2.4.41', 2, 'CVE-2021-44790'), v('2.4.57', 3), v('2.4.62', 2)],
    titles: ['Apache2 Ubuntu Default Page: It works', 'Index of /', '○○市 ホームページ', 'Test Page for the Apache HTTP Server'], server: 'Apache/{v} (Ubuntu)', httpStatus: [200, 200, 403], tls: 'public',
  },
  {
    id: 'iis', weight: 3, ports: [80, 443], service: 'https', vendor: 'Microsoft', product: 'IIS', deviceType: 'server',
    cpe: 'cpe:2.3:a:microsoft:internet_information_services', versions: [v('8.5', 1), v('10.0', 3)],
    titles: ['IIS Windows Server', 'Outlook', 'IIS8'], server: 'Microsoft-IIS/{v}', httpStatus: [200, 302], tls: 'public',
  },
  {
    id: 'openssh', weight: 16, ports: [22, 2222], service: 'ssh', vendor: 'OpenBSD', product: 'OpenSSH', deviceType: 'server',
    cpe: 'cpe:2.3:a:openbsd:openssh', versions: [v('7.4', 3, 'CVE-2018-15473', 'CVE-2023-38408'), v('8.2p1', 3, 'CVE-2023-38408'), v('8.9p1', 3, 'CVE-2024-6387'), v('9.2p1', 3, 'CVE-2024-6387'), v('9.6p1', 2, 'CVE-2024-6387'), v('9.9p1', 1)],
    sshIdent: 'SSH-2.0-OpenSSH_{v}', tags: [],
  },
  {
    id: 'dropbear', weight: 5, ports: [22], service: 'ssh', vendor: 'Dropbear', product: 'Dropbear SSH', deviceType: 'router',
    cpe: 'cpe:2.3:a:dropbear_ssh_project:dropbear_ssh', versions: [v('2017.75', 1, 'CVE-2017-9078', 'CVE-2017-9079'), v('2019.78', 2), v('2020.81', 2), v('2022.83', 1)],
    sshIdent: 'SSH-2.0-dropbear_{v}', weakCredential: 0.01, tags: ['iot'],
  },
  {
    id: 'vsftpd', weight: 4, ports: [21], service: 'ftp', vendor: 'vsftpd', product: 'vsftpd', deviceType: 'server',
    cpe: 'cpe:2.3:a:vsftpd_project:vsftpd', versions: [v('3.0.3', 4, 'CVE-2021-30047'), v('2.3.4', 1, 'CVE-2011-2523')],
    banner: ['220 (vsFTPd {v})'], loginPrompt: true, noAuth: 0.1,
  },
  {
    id: 'proftpd', weight: 2, ports: [21], service: 'ftp', vendor: 'ProFTPD', product: 'ProFTPD', deviceType: 'server',
    cpe: 'cpe:2.3:a:proftpd:proftpd', versions: [v('1.3.5', 1, 'CVE-2015-3306'), v('1.3.6', 2, 'CVE-2019-12815')],
    banner: ['220 ProFTPD {v} Server (Debian) [::ffff:10.0.0.1]'], loginPrompt: true,
  },
  {
    id: 'redis', weight: 3, ports: [6379], service: 'redis', vendor: 'Redis', product: 'Redis', deviceType: 'server',
    cpe: 'cpe:2.3:a:redis:redis', versions: [v('5.0.7', 2, 'CVE-2022-0543'), v('6.0.16', 2, 'CVE-2022-24834'), v('7.2.4', 1)],
    banner: ['redis_version:{v}'], noAuth: 0.6, tags: ['database'],
  },
  {
    id: 'mosquitto', weight: 2, ports: [1883], service: 'mqtt', vendor: 'Eclipse', product: 'Mosquitto', deviceType: 'iot-gateway',
    cpe: 'cpe:2.3:a:eclipse:mosquitto', versions: [v('1.6.9', 1, 'CVE-2021-34432'), v('2.0.18', 1)],
    banner: ['MQTT CONNACK return code 0', 'MQTT CONNACK return code 5'], noAuth: 0.5, tags: ['iot'],
  },
  {
    id: 'printer', weight: 2, ports: [80, 631], service: 'http', vendor: 'Brother', product: 'Brother Printer', deviceType: 'printer',
    cpe: 'cpe:2.3:h:brother:hl-l2350dw', versions: [v('1.52', 1)],
    titles: ['Brother HL-L2350DW series', 'EPSON EW-M752T', 'Canon iR-ADV C5535 / リモートUI', 'ホーム - プリンター'], server: 'debut/1.30', httpStatus: [200], tags: ['printer'],
  },
  {
    id: 'modbus', weight: 0.5, ports: [502], service: 'unknown', vendor: 'Schneider Electric', product: 'Modicon M221', deviceType: 'plc',
    cpe: 'cpe:2.3:o:schneider-electric:modicon_m221_firmware', versions: [v('1.6.2.0', 1, 'CVE-2020-7565')],
    banner: ['Modbus/TCP device id: Schneider Electric BMX P34 2020'], noAuth: 1, tags: ['ics'],
  },
  {
    id: 'rdp-tls', weight: 3, ports: [3389], service: 'tls', vendor: 'Microsoft', product: 'Remote Desktop', deviceType: 'server',
    cpe: 'cpe:2.3:o:microsoft:windows', versions: [v('10.0.17763', 2), v('10.0.20348', 1)], tls: 'self-signed', tags: ['self-signed', 'remote-access'],
  },
];

/** SSH key exchange lists by product family (what a server offers). */
export const SSH_KEX: Readonly<Record<string, readonly string[]>> = {
  OpenSSH: ['curve25519-sha256', 'curve25519-sha256@libssh.org', 'ecdh-sha2-nistp256', 'ecdh-sha2-nistp384', 'diffie-hellman-group16-sha512', 'diffie-hellman-group14-sha256'],
  'Dropbear SSH': ['curve25519-sha256', 'ecdh-sha2-nistp256', 'diffie-hellman-group14-sha256', 'diffie-hellman-group14-sha1'],
};

export const PUBLIC_ISSUERS = ["CN=R11,O=Let's Encrypt,C=US", 'CN=GlobalSign GCC R6 AlphaSSL CA 2023,O=GlobalSign nv-sa,C=BE', 'CN=Sectigo RSA Domain Validation Secure Server CA,O=Sectigo Limited,C=GB', 'CN=SECOM Passport for Web SR 3.0 CA,O=SECOM Trust Systems CO.\\,LTD.,C=JP'];
export const CREDENTIAL_IDS = ['c001', 'c002', 'c003', 'c004', 'c007', 'c011', 'c015', 'c023'];
