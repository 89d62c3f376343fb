/**
 * What the sensor's HTTP side answers: the paths IoT botnets exploit (router diagnostics, upgrade
 * and UPnP endpoints) with the kind of page the device gives, so a scanner's check passes and the
 * exploit request follows. The pages are static text; nothing in a request is ever run.
 */
export interface Page {
  readonly status: number;
  readonly type: string;
  readonly body: string;
  readonly server?: string;
  /** Which exploit the path belongs to, for the event's detail. */
  readonly target: string;
}

const HTML = 'text/html';
const XML = 'text/xml; charset="utf-8"';
const soap = (body: string): string => `<?xml version="1.0"?>\n<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>${body}</s:Body></s:Envelope>\n`;

const LOGIN = (title: string): string => `<html><head><title>${title}</title></head><body><form method="post" action="/login.cgi">Username: <input name="username"><br>Password: <input type="password" name="password"><br><input type="submit" value="Login"></form></body></html>\n`;

/** Exact paths, lower case. */
const EXACT: Readonly<Record<string, Page>> = {
  '/': { status: 200, type: HTML, body: LOGIN('Router'), target: 'index' },
  '/gponform/diag_form': { status: 200, type: HTML, body: '<html><body><form>diag_action=ping&wan_conlist=0&dest_host=&ipv=0</form></body></html>\n', server: 'GPON Home Gateway', target: 'gpon-cve-2018-10561' },
  '/diag.html': { status: 200, type: HTML, body: '<html><body><table><tr><td>Ping result:</td></tr></table></body></html>\n', server: 'GPON Home Gateway', target: 'gpon-cve-2018-10562' },
  '/cgi-bin/luci': { status: 200, type: HTML, body: LOGIN('LuCI'), target: 'luci' },
  '/boaform/admin/formping': { status: 200, type: HTML, body: '<html><body><h4>Ping Diagnostics</h4><pre>PING 127.0.0.1 (127.0.0.1): 56 data bytes\n\n--- ping statistics ---\n1 packets transmitted, 0 packets received, 100% packet loss</pre></body></html>\n', server: 'Boa/0.93.15', target: 'boa-formping' },
  '/boaform/admin/formlogin': { status: 200, type: HTML, body: LOGIN('Login'), server: 'Boa/0.93.15', target: 'boa-login' },
  '/setup.cgi': { status: 200, type: HTML, body: '<html><body>Setup</body></html>\n', server: 'mini_httpd/1.19 19dec2003', target: 'netgear-setup-cgi' },
  '/shell': { status: 200, type: HTML, body: '<html><body></body></html>\n', server: 'JAWS/1.0', target: 'mvpower-dvr-shell' },
  '/hnap1': { status: 200, type: XML, body: soap('<GetDeviceSettingsResponse xmlns="http://purenetworks.com/HNAP1/"><GetDeviceSettingsResult>OK</GetDeviceSettingsResult><Type>Gateway</Type><DeviceName>DIR-645</DeviceName><VendorName>D-Link</VendorName><ModelName>DIR-645</ModelName><FirmwareVersion>1.03</FirmwareVersion></GetDeviceSettingsResponse>'), server: 'Linux, HTTP/1.1, DIR-645 Ver 1.03', target: 'dlink-hnap' },
  '/picsdesc.xml': { status: 200, type: XML, body: '<?xml version="1.0"?>\n<root xmlns="urn:schemas-upnp-org:device-1-0"><specVersion><major>1</major><minor>0</minor></specVersion><device><deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType><friendlyName>Realtek</friendlyName><manufacturer>Realtek Semiconductor</manufacturer><modelName>RTL8xxx</modelName></device></root>\n', server: 'miniupnpd/1.0', target: 'realtek-upnp' },
  '/ctrlt/deviceupgrade_1': { status: 200, type: XML, body: soap('<u:UpgradeResponse xmlns:u="urn:schemas-upnp-org:service:WANPPPConnection:1"></u:UpgradeResponse>'), target: 'huawei-hg532-cve-2017-17215' },
  '/tmunblock.cgi': { status: 200, type: HTML, body: '<html><body></body></html>\n', server: 'httpd', target: 'linksys-tmunblock' },
  '/hndunblock.cgi': { status: 200, type: HTML, body: '<html><body></body></html>\n', server: 'httpd', target: 'linksys-tmunblock' },
  '/cgi-bin/viewlog.asp': { status: 200, type: HTML, body: '<html><body><pre>System log</pre></body></html>\n', server: 'Boa/0.94.14rc21', target: 'zyxel-viewlog' },
  '/ud/act': { status: 200, type: XML, body: soap('<u:SetNTPServersResponse xmlns:u="urn:dslforum-org:service:Time:1"></u:SetNTPServersResponse>'), target: 'eir-d1000-tr064' },
  '/cgi-bin/nobody/search.cgi': { status: 200, type: HTML, body: '<html><body></body></html>\n', target: 'avtech' },
  '/language/swedish${ifs}&&': { status: 200, type: HTML, body: '<html><body></body></html>\n', target: 'cctv-dvr' },
  '/command.php': { status: 200, type: HTML, body: '<html><body></body></html>\n', target: 'dlink-command-php' },
  '/apply.cgi': { status: 200, type: HTML, body: '<html><body></body></html>\n', target: 'linksys-apply' },
  '/login.cgi': { status: 200, type: HTML, body: LOGIN('Router'), target: 'login' },
};

/** Path prefixes, lower case, tried in order. */
const PREFIXES: readonly (readonly [string, Page])[] = [
  ['/goform/', { status: 200, type: HTML, body: '<html><body>success</body></html>\n', server: 'GoAhead-Webs', target: 'goahead-goform' }],
  ['/hnap1/', EXACT['/hnap1'] as Page],
  ['/cgi-bin/', { status: 200, type: HTML, body: '<html><body></body></html>\n', target: 'cgi-bin' }],
  ['/boaform/', { status: 200, type: HTML, body: '<html><body></body></html>\n', server: 'Boa/0.93.15', target: 'boaform' }],
];

const NOT_FOUND: Page = { status: 404, type: HTML, body: '<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>\n', target: '' };

export function pageFor(path: string): Page {
  const p = path.toLowerCase();
  return EXACT[p] ?? EXACT[p.replace(/\/+$/, '')] ?? PREFIXES.find(([prefix]) => p.startsWith(prefix))?.[1] ?? NOT_FOUND;
}

export const DEFAULT_SERVER = 'Boa/0.94.14rc21';
