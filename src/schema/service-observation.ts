/**
 * The service observation, declared once: one row per (time, ip, port, transport) that a survey
 * probe or an imported scan (ZMap, Masscan, ZGrab2, nmap) saw. The events DDL, the writer's
 * JSONEachRow structure and the search fields all come from this list.
 *
 * Rows are flat with the column names as keys, so a row is exactly what ClickHouse stores and
 * what the search language's fields map to (`http.title` → `http_title`).
 */
import type { FieldDef } from './darknet-packet.js';

export const SERVICE_FIELDS: readonly FieldDef[] = [
  { name: 'time', ch: "DateTime64(3, 'UTC')", codec: 'CODEC(Delta, ZSTD(1))', doc: 'when the observation was made' },
  { name: 'ip', ch: 'IPv6', doc: 'host address (IPv4 as ::ffff:a.b.c.d)' },
  { name: 'port', ch: 'UInt16', doc: 'port' },
  { name: 'transport', ch: 'LowCardinality(String)', doc: 'tcp or udp' },
  { name: 'source', ch: 'LowCardinality(String)', doc: 'survey, zmap, masscan, zgrab2 or nmap' },
  { name: 'run_id', ch: 'String', doc: 'survey run or import that made the observation' },
  { name: 'status', ch: 'LowCardinality(String)', doc: 'open, closed, timeout or error' },
  { name: 'service', ch: 'LowCardinality(String)', doc: 'protocol identified: telnet, ssh, http, https, tls, ftp, mqtt, redis, rtsp, unknown' },
  { name: 'banner', ch: 'String', codec: 'CODEC(ZSTD(3))', doc: 'what the service said first (text, control bytes escaped, at most 4 KiB)' },
  { name: 'error', ch: 'String', doc: 'why the probe failed, when it did' },
  { name: 'http_status', ch: 'UInt16', doc: 'HTTP status code (0 none)' },
  { name: 'http_title', ch: 'String', doc: 'HTML <title>' },
  { name: 'http_server', ch: 'String', doc: 'Server header' },
  { name: 'http_headers', ch: 'Map(String, String)', codec: 'CODEC(ZSTD(3))', doc: 'response headers, names lower-case' },
  { name: 'http_body_sha256', ch: 'String', doc: 'SHA-256 of the body (hex)' },
  { name: 'http_favicon_hash', ch: 'Nullable(Int32)', doc: 'Shodan-style favicon hash: MurmurHash3 x86 32 of the base64 (76-column lines) favicon' },
  { name: 'http_www_authenticate', ch: 'String', doc: 'WWW-Authenticate header' },
  { name: 'tls_version', ch: 'LowCardinality(String)', doc: 'negotiated TLS version' },
  { name: 'tls_cipher', ch: 'LowCardinality(String)', doc: 'negotiated cipher suite' },
  { name: 'tls_subject', ch: 'String', doc: 'leaf certificate subject (RFC 4514 string)' },
  { name: 'tls_issuer', ch: 'String', doc: 'leaf certificate issuer (RFC 4514 string)' },
  { name: 'tls_sans', ch: 'Array(String)', doc: 'subject alternative names (DNS names and IP addresses)' },
  { name: 'tls_not_before', ch: "Nullable(DateTime('UTC'))", doc: 'leaf certificate validity start' },
  { name: 'tls_not_after', ch: "Nullable(DateTime('UTC'))", doc: 'leaf certificate validity end' },
  { name: 'tls_fingerprint_sha256', ch: 'String', doc: 'SHA-256 of the leaf certificate DER (hex, lower case)' },
  { name: 'tls_self_signed', ch: 'UInt8', doc: '1 when the leaf is self-signed' },
  { name: 'tls_chain_length', ch: 'UInt8', doc: 'certificates the server sent' },
  { name: 'ssh_ident', ch: 'String', doc: 'SSH identification string (SSH-2.0-…)' },
  { name: 'ssh_hassh', ch: 'String', doc: 'HASSH of the server KEXINIT (hassh-server, MD5 hex)' },
  { name: 'ssh_kex', ch: 'Array(String)', doc: 'key exchange algorithms offered by the server' },
  { name: 'ssh_host_key_type', ch: 'LowCardinality(String)', doc: 'host key algorithm (ssh-ed25519, ecdsa-sha2-nistp256, rsa-sha2-512 …)' },
  { name: 'ssh_host_key_sha256', ch: 'String', doc: 'host key fingerprint as OpenSSH prints it (SHA256:base64)' },
  { name: 'login_prompt', ch: 'UInt8', doc: '1 when a login prompt was shown (telnet, HTTP auth, FTP, …)' },
  { name: 'no_auth', ch: 'UInt8', doc: '1 when the service gave access without any credential' },
  { name: 'weak_credential', ch: 'UInt8', doc: '1 when a default credential from the list was accepted' },
  { name: 'credential_list', ch: 'LowCardinality(String)', doc: 'id of the credential list tried' },
  { name: 'credential_id', ch: 'String', doc: 'id of the list entry that was accepted (never the password)' },
  { name: 'vendor', ch: 'LowCardinality(String)', doc: 'device vendor from fingerprint rules' },
  { name: 'product', ch: 'LowCardinality(String)', doc: 'product' },
  { name: 'version', ch: 'String', doc: 'product or firmware version' },
  { name: 'device_type', ch: 'LowCardinality(String)', doc: 'router, camera, dvr, nas, printer, …' },
  { name: 'cpe', ch: 'Array(String)', doc: 'CPE 2.3 names' },
  { name: 'cves', ch: 'Array(String)', doc: 'CVE ids attached to the service' },
  { name: 'cve_evidence', ch: 'Array(LowCardinality(String))', doc: 'per CVE (same order): verified or inferred (from the version)' },
  { name: 'tags', ch: 'Array(LowCardinality(String))', doc: 'free tags (self-signed, eol, ics, …)' },
  { name: 'asn', ch: 'UInt32', doc: 'origin AS (0 unknown)' },
  { name: 'org', ch: 'LowCardinality(String)', doc: 'organisation of the AS' },
  { name: 'country', ch: 'LowCardinality(String)', doc: 'ISO country' },
  { name: 'details', ch: 'String', codec: 'CODEC(ZSTD(3))', doc: 'module-specific extras as JSON (telnet options, MQTT return code, Redis INFO fields, full chain …)' },
];

/** A row as written and read (column names as keys). Dates are ISO strings or epoch ms. */
export interface ServiceRow {
  time: string | number;
  ip: string;
  port: number;
  transport: 'tcp' | 'udp';
  source: string;
  run_id: string;
  status: 'open' | 'closed' | 'timeout' | 'error';
  service: string;
  banner: string;
  error: string;
  http_status: number;
  http_title: string;
  http_server: string;
  http_headers: Record<string, string>;
  http_body_sha256: string;
  http_favicon_hash: number | null;
  http_www_authenticate: string;
  tls_version: string;
  tls_cipher: string;
  tls_subject: string;
  tls_issuer: string;
  tls_sans: string[];
  tls_not_before: string | number | null;
  tls_not_after: string | number | null;
  tls_fingerprint_sha256: string;
  tls_self_signed: number;
  tls_chain_length: number;
  ssh_ident: string;
  ssh_hassh: string;
  ssh_kex: string[];
  ssh_host_key_type: string;
  ssh_host_key_sha256: string;
  login_prompt: number;
  no_auth: number;
  weak_credential: number;
  credential_list: string;
  credential_id: string;
  vendor: string;
  product: string;
  version: string;
  device_type: string;
  cpe: string[];
  cves: string[];
  cve_evidence: string[];
  tags: string[];
  asn: number;
  org: string;
  country: string;
  details: string;
}

/** What a probe module or an import parser fills in; identity is required, the rest defaults. */
export type ServiceFinding = Partial<ServiceRow> & Pick<ServiceRow, 'ip' | 'port' | 'transport'>;


/**
 * A complete row from a finding (arrays and maps are fresh copies of the defaults). Written out
 * field by field rather than spread over EMPTY: one object shape, several times faster when an
 * import or a benchmark makes millions of rows.
 */
export function serviceRow(f: ServiceFinding, time: string | number = Date.now()): ServiceRow {
  return {
    time: f.time ?? time, ip: f.ip, port: f.port, transport: f.transport,
    source: f.source ?? '', run_id: f.run_id ?? '', status: f.status ?? 'open', service: f.service ?? '', banner: f.banner ?? '', error: f.error ?? '',
    http_status: f.http_status ?? 0, http_title: f.http_title ?? '', http_server: f.http_server ?? '', http_headers: f.http_headers ?? {},
    http_body_sha256: f.http_body_sha256 ?? '', http_favicon_hash: f.http_favicon_hash ?? null, http_www_authenticate: f.http_www_authenticate ?? '',
    tls_version: f.tls_version ?? '', tls_cipher: f.tls_cipher ?? '', tls_subject: f.tls_subject ?? '', tls_issuer: f.tls_issuer ?? '', tls_sans: f.tls_sans ?? [],
    tls_not_before: f.tls_not_before ?? null, tls_not_after: f.tls_not_after ?? null,
    tls_fingerprint_sha256: f.tls_fingerprint_sha256 ?? '', tls_self_signed: f.tls_self_signed ?? 0, tls_chain_length: f.tls_chain_length ?? 0,
    ssh_ident: f.ssh_ident ?? '', ssh_hassh: f.ssh_hassh ?? '', ssh_kex: f.ssh_kex ?? [], ssh_host_key_type: f.ssh_host_key_type ?? '', ssh_host_key_sha256: f.ssh_host_key_sha256 ?? '',
    login_prompt: f.login_prompt ?? 0, no_auth: f.no_auth ?? 0, weak_credential: f.weak_credential ?? 0, credential_list: f.credential_list ?? '', credential_id: f.credential_id ?? '',
    vendor: f.vendor ?? '', product: f.product ?? '', version: f.version ?? '', device_type: f.device_type ?? '', cpe: f.cpe ?? [], cves: f.cves ?? [], cve_evidence: f.cve_evidence ?? [], tags: f.tags ?? [],
    asn: f.asn ?? 0, org: f.org ?? '', country: f.country ?? '', details: f.details ?? '',
  };
}

export function serviceColumnsDdl(): string {
  return SERVICE_FIELDS.map((f) => `  ${f.name} ${f.ch}${f.codec ? ` ${f.codec}` : ''}`).join(',\n');
}

export function serviceStructure(): string {
  return SERVICE_FIELDS.map((f) => `${f.name} ${f.ch}`).join(', ');
}
