/**
 * The search fields: every name a query may use, the column of services_current behind it, how
 * its values are matched, and whether results can be faceted by it. One registry, so the parser,
 * the compiler, the facets, the CLI help and the OpenAPI description agree.
 *
 * Kinds (how a value applies):
 * - ip: address, CIDR (`ip:203.0.113.0/24`, `ip:2001:db8::/32`), range `[a TO b]`, comparisons.
 * - uint: integer, range, comparisons; no wildcards.
 * - keyword: whole value, case-insensitive unless `exactCase`; `*`/`?` wildcards over the whole value.
 * - version: like keyword, and comparisons/ranges by numeric parts (`version>=7.4` → 7.10 > 7.4).
 * - text: case-insensitive substring (`http.title:router`); with wildcards, the whole value.
 * - array: one element equals the value (case as `normalise`); wildcards over an element;
 *   `prefix` arrays match elements that start with the value (CPE).
 * - bool: true/false, yes/no, 1/0.
 * - time: a date (that whole UTC day) or an ISO time, comparisons, ranges with `*`, `now-7d`.
 */
import type { ServiceRow } from '../schema/service-observation.js';

export type FieldKind = 'ip' | 'uint' | 'keyword' | 'version' | 'text' | 'array' | 'bool' | 'time';

export interface SearchField {
  /** Name used in queries (dotted for nested things: `http.title`). */
  readonly name: string;
  /** Column of services_current. */
  readonly column: keyof ServiceRow;
  readonly kind: FieldKind;
  /** Other names accepted in queries. */
  readonly aliases?: readonly string[];
  readonly doc: string;
  /** The doc in Japanese (the console's field reference). */
  readonly docJa: string;
  /** Queries that use it, each one that parses (fields.test.ts). */
  readonly examples: readonly string[];
  /** Whether `--facets` may name it. */
  readonly facetable: boolean;
  /** Values are compared as given (hashes in base64, run ids). Default: case-insensitive. */
  readonly exactCase?: boolean;
  /** How a value is normalised before it is bound (CVE ids and countries in upper case). */
  readonly normalise?: 'upper' | 'lower';
  /** ClickHouse type of the bound integer (uint fields). */
  readonly intType?: 'UInt16' | 'UInt32' | 'Int32';
  /** Array elements match when they start with the value (CPE names). */
  readonly prefix?: boolean;
  /** Whether the column is Nullable (facets skip NULL). */
  readonly nullable?: boolean;
}

export const SEARCH_FIELDS: readonly SearchField[] = [
  { name: 'ip', column: 'ip', kind: 'ip', aliases: ['host', 'net'], doc: 'host address, CIDR or range (ip:203.0.113.0/24, ip:2001:db8::/32)', facetable: true, docJa: 'ホストのアドレス、CIDR または範囲（ip:203.0.113.0/24、ip:2001:db8::/32）', examples: ['ip:203.0.113.0/24', 'ip:"2001:db8::/32"', 'ip:[192.0.2.1 TO 192.0.2.99]'] },
  { name: 'port', column: 'port', kind: 'uint', intType: 'UInt16', doc: 'port number (port:23, port:[1 TO 1024], port>1000)', facetable: true, docJa: 'ポート番号（port:23、port:[1 TO 1024]、port>1000）', examples: ['port:23', 'port:[1 TO 1024]', 'port>1000'] },
  { name: 'transport', column: 'transport', kind: 'keyword', doc: 'tcp or udp', facetable: true, docJa: 'tcp または udp', examples: ['transport:udp'] },
  { name: 'service', column: 'service', kind: 'keyword', aliases: ['protocol'], doc: 'protocol identified (telnet, ssh, http, https, …)', facetable: true, docJa: '識別したプロトコル（telnet、ssh、http、https など）', examples: ['service:telnet', 'service:(ssh OR telnet)'] },
  { name: 'status', column: 'status', kind: 'keyword', doc: 'open, closed, timeout or error', facetable: true, docJa: 'open、closed、timeout または error', examples: ['status:open'] },
  { name: 'source', column: 'source', kind: 'keyword', doc: 'survey, zmap, masscan, zgrab2 or nmap', facetable: true, docJa: 'survey、zmap、masscan、zgrab2 または nmap', examples: ['source:survey', 'source:zmap'] },
  { name: 'run_id', column: 'run_id', kind: 'keyword', exactCase: true, doc: 'survey run or import', facetable: true, docJa: '調査の実行または取り込みの ID', examples: ['run_id:*'] },
  { name: 'product', column: 'product', kind: 'keyword', doc: 'product (product:"BusyBox telnetd", product:Open*)', facetable: true, docJa: '製品名（product:"BusyBox telnetd"、product:Open*）', examples: ['product:"BusyBox telnetd"', 'product:Open*'] },
  { name: 'vendor', column: 'vendor', kind: 'keyword', doc: 'device vendor', facetable: true, docJa: '機器のベンダー', examples: ['vendor:Hikvision'] },
  { name: 'version', column: 'version', kind: 'version', doc: 'product or firmware version; comparisons by numeric parts (version<7.5)', facetable: true, docJa: '製品またはファームウェアのバージョン。数値部分ごとに比較（version<7.5）', examples: ['version<7.5', 'version:1.19.*'] },
  { name: 'device_type', column: 'device_type', kind: 'keyword', aliases: ['device', 'device.type'], doc: 'router, camera, dvr, nas, printer, …', facetable: true, docJa: 'router、camera、dvr、nas、printer など', examples: ['device_type:camera', 'device:router'] },
  { name: 'cpe', column: 'cpe', kind: 'array', prefix: true, doc: 'CPE 2.3 name or its beginning (cpe:"cpe:2.3:a:openbsd:openssh")', facetable: true, docJa: 'CPE 2.3 名またはその先頭部分（cpe:"cpe:2.3:a:openbsd:openssh"）', examples: ['cpe:"cpe:2.3:a:openbsd:openssh"'] },
  { name: 'cve', column: 'cves', kind: 'array', normalise: 'upper', aliases: ['vuln', 'cves'], doc: 'CVE id attached to the service (cve:CVE-2018-18778, cve:CVE-2024-*)', facetable: true, docJa: 'サービスに関連付けられた CVE ID（cve:CVE-2018-18778、cve:CVE-2024-*）', examples: ['cve:CVE-2018-18778', 'cve:CVE-2024-*', 'cve:*'] },
  { name: 'tag', column: 'tags', kind: 'array', normalise: 'lower', aliases: ['tags'], doc: 'tag (tag:self-signed, tag:iot)', facetable: true, docJa: 'タグ（tag:self-signed、tag:iot）', examples: ['tag:iot', 'tag:self-signed'] },
  { name: 'asn', column: 'asn', kind: 'uint', intType: 'UInt32', doc: 'origin AS (asn:2914 or asn:AS2914)', facetable: true, docJa: '経路広告元の AS（asn:2914 または asn:AS2914）', examples: ['asn:2914', 'asn:AS2914'] },
  { name: 'org', column: 'org', kind: 'keyword', doc: 'organisation of the AS (org:"NTT*")', facetable: true, docJa: 'AS の組織名（org:"NTT*"）', examples: ['org:"NTT*"'] },
  { name: 'country', column: 'country', kind: 'keyword', normalise: 'upper', doc: 'ISO country code (country:JP)', facetable: true, docJa: 'ISO 国コード（country:JP）', examples: ['country:JP'] },
  { name: 'banner', column: 'banner', kind: 'text', doc: 'what the service said first (substring)', facetable: false, docJa: 'サービスが最初に返した内容（部分一致）', examples: ['banner:"login:"'] },
  { name: 'http.title', column: 'http_title', kind: 'text', aliases: ['title', 'http_title'], doc: 'HTML title (substring, case-insensitive)', facetable: true, docJa: 'HTML のタイトル（部分一致、大文字小文字を区別しない）', examples: ['http.title:ログイン', 'title:router'] },
  { name: 'http.status', column: 'http_status', kind: 'uint', intType: 'UInt16', aliases: ['http_status'], doc: 'HTTP status code', facetable: true, docJa: 'HTTP ステータスコード', examples: ['http.status:401', 'http.status>=500'] },
  { name: 'http.server', column: 'http_server', kind: 'text', aliases: ['http_server'], doc: 'Server header (substring)', facetable: true, docJa: 'Server ヘッダー（部分一致）', examples: ['http.server:lighttpd'] },
  { name: 'http.www_authenticate', column: 'http_www_authenticate', kind: 'text', aliases: ['http_www_authenticate'], doc: 'WWW-Authenticate header (substring)', facetable: true, docJa: 'WWW-Authenticate ヘッダー（部分一致）', examples: ['http.www_authenticate:Basic'] },
  { name: 'http.body_sha256', column: 'http_body_sha256', kind: 'keyword', normalise: 'lower', aliases: ['http_body_sha256'], doc: 'SHA-256 of the body (hex)', facetable: true, docJa: '本文の SHA-256（16 進）', examples: ['http.body_sha256:*'] },
  { name: 'http.favicon', column: 'http_favicon_hash', kind: 'uint', intType: 'Int32', nullable: true, aliases: ['http.favicon.hash', 'http_favicon_hash'], doc: 'Shodan-style favicon hash (signed 32-bit)', facetable: true, docJa: 'Shodan 方式の favicon ハッシュ（符号付き 32 ビット）', examples: ['http.favicon:-1616143106'] },
  { name: 'tls.subject', column: 'tls_subject', kind: 'text', aliases: ['ssl.subject', 'tls_subject'], doc: 'leaf certificate subject (substring)', facetable: true, docJa: 'サーバー証明書のサブジェクト（部分一致）', examples: ['tls.subject:localhost'] },
  { name: 'tls.issuer', column: 'tls_issuer', kind: 'text', aliases: ['ssl.issuer', 'tls_issuer'], doc: 'leaf certificate issuer (substring)', facetable: true, docJa: 'サーバー証明書の発行者（部分一致）', examples: ['tls.issuer:"Let\'s Encrypt"'] },
  { name: 'tls.san', column: 'tls_sans', kind: 'array', normalise: 'lower', aliases: ['tls.sans', 'tls_sans'], doc: 'subject alternative name', facetable: true, docJa: 'サブジェクト代替名', examples: ['tls.san:*.example.jp'] },
  { name: 'tls.version', column: 'tls_version', kind: 'keyword', aliases: ['tls_version'], doc: 'negotiated TLS version (TLSv1.2)', facetable: true, docJa: 'ネゴシエートされた TLS バージョン（TLSv1.2）', examples: ['tls.version:TLSv1.0'] },
  { name: 'tls.cipher', column: 'tls_cipher', kind: 'keyword', aliases: ['tls_cipher'], doc: 'negotiated cipher suite', facetable: true, docJa: 'ネゴシエートされた暗号スイート', examples: ['tls.cipher:*RC4*'] },
  { name: 'tls.fingerprint', column: 'tls_fingerprint_sha256', kind: 'keyword', normalise: 'lower', aliases: ['tls.fingerprint_sha256', 'tls_fingerprint_sha256'], doc: 'SHA-256 of the leaf certificate (hex)', facetable: true, docJa: 'サーバー証明書の SHA-256（16 進）', examples: ['tls.fingerprint:*'] },
  { name: 'tls.self_signed', column: 'tls_self_signed', kind: 'bool', aliases: ['tls_self_signed'], doc: 'leaf certificate is self-signed', facetable: true, docJa: 'サーバー証明書が自己署名', examples: ['tls.self_signed:true'] },
  { name: 'tls.not_after', column: 'tls_not_after', kind: 'time', nullable: true, aliases: ['tls_not_after'], doc: 'certificate expiry (tls.not_after<now)', facetable: false, docJa: '証明書の有効期限（tls.not_after<now）', examples: ['tls.not_after<now', 'tls.not_after<now+30d'] },
  { name: 'ssh.ident', column: 'ssh_ident', kind: 'text', aliases: ['ssh_ident'], doc: 'SSH identification string (substring)', facetable: true, docJa: 'SSH の識別文字列（部分一致）', examples: ['ssh.ident:OpenSSH_7'] },
  { name: 'ssh.hassh', column: 'ssh_hassh', kind: 'keyword', normalise: 'lower', aliases: ['ssh_hassh', 'hassh'], doc: 'HASSH-server (MD5 hex)', facetable: true, docJa: 'HASSH-server（MD5 の 16 進）', examples: ['ssh.hassh:*'] },
  { name: 'ssh.kex', column: 'ssh_kex', kind: 'array', aliases: ['ssh_kex'], doc: 'key exchange algorithm offered', facetable: true, docJa: '提示された鍵交換アルゴリズム', examples: ['ssh.kex:diffie-hellman-group1-sha1'] },
  { name: 'ssh.host_key_type', column: 'ssh_host_key_type', kind: 'keyword', aliases: ['ssh_host_key_type'], doc: 'host key algorithm', facetable: true, docJa: 'ホスト鍵のアルゴリズム', examples: ['ssh.host_key_type:ssh-dss'] },
  { name: 'ssh.fingerprint', column: 'ssh_host_key_sha256', kind: 'keyword', exactCase: true, aliases: ['ssh_host_key_sha256'], doc: 'host key fingerprint (SHA256:…)', facetable: true, docJa: 'ホスト鍵のフィンガープリント（SHA256:…）', examples: ['ssh.fingerprint:*'] },
  { name: 'weak_credential', column: 'weak_credential', kind: 'bool', doc: 'a default credential from the list was accepted', facetable: true, docJa: 'リストにある初期パスワードでログインできた', examples: ['weak_credential:true'] },
  { name: 'no_auth', column: 'no_auth', kind: 'bool', doc: 'access without any credential', facetable: true, docJa: '認証なしでアクセスできる', examples: ['no_auth:true'] },
  { name: 'login_prompt', column: 'login_prompt', kind: 'bool', doc: 'a login prompt was shown', facetable: true, docJa: 'ログインプロンプトが表示された', examples: ['login_prompt:true'] },
  { name: 'credential_list', column: 'credential_list', kind: 'keyword', exactCase: true, doc: 'credential list tried', facetable: true, docJa: '試した認証情報リスト', examples: ['credential_list:*'] },
  { name: 'last_seen', column: 'time', kind: 'time', aliases: ['time'], doc: 'time of the latest observation (last_seen>=2026-11-01, last_seen>now-7d)', facetable: false, docJa: '最新の観測時刻（last_seen>=2026-11-01、last_seen>now-7d）', examples: ['last_seen>now-7d', 'last_seen:2026-11-01'] },
];

const BY_NAME = new Map<string, SearchField>();
for (const f of SEARCH_FIELDS) {
  BY_NAME.set(f.name.toLowerCase(), f);
  for (const a of f.aliases ?? []) BY_NAME.set(a.toLowerCase(), f);
}

/** The field a query name refers to (case-insensitive), or undefined. */
export function searchField(name: string): SearchField | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** Every name a query may use (for error messages and help). */
export function fieldNames(): string[] {
  return SEARCH_FIELDS.map((f) => f.name);
}

/**
 * Columns of services_current searched by free text (a term without a field): what the service
 * said and what identified it. Kept in one place with the `search_text` column of the migration.
 */
export const FREE_TEXT_COLUMNS = ['banner', 'http_title', 'http_server', 'tls_subject', 'tls_issuer', 'ssh_ident', 'vendor', 'product'] as const satisfies readonly (keyof ServiceRow)[];

/**
 * Adjacent word pairs of the search text ("netsurveillance web"), the expression of a text index
 * (events migration 005): a quoted phrase is found as its pairs from the index, without reading
 * the text. Words are split as the text index splits them (splitByNonAlpha: ASCII letters and
 * digits, and any non-ASCII character, make words). The compiler writes this same expression
 * so that ClickHouse recognises the index.
 */
export const SEARCH_PAIRS_EXPR = "arrayMap((a, b) -> concat(a, ' ', b), arrayPopBack(splitByNonAlpha(search_text)), arrayPopFront(splitByNonAlpha(search_text)))";

/** Words of a (lower-cased) text split as splitByNonAlpha does. */
export function searchWords(text: string): string[] {
  return text.split(/[\x00-\x2f\x3a-\x60\x7b-\x7f]+/).filter(Boolean);
}
