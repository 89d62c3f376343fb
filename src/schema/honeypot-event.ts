/**
 * The honeypot event, declared once (issue 18): one harmonised row per thing a honeypot saw a
 * client do, whichever honeypot logged it (Cowrie, Dionaea, Conpot, or our own IoT sensor). The
 * events DDL (events migration 013), the writer's JSONEachRow structure and the readers' output
 * all follow this list; `src/store/schema-registry.test.ts` keeps them in step.
 *
 * A field that does not apply to a kind is left at its default ('' / 0 / -1 for `success`).
 */
import type { FieldDef } from './darknet-packet.js';

export const HONEYPOT_EVENT_FIELDS: readonly FieldDef[] = [
  { name: 'stored_at', ch: "DateTime('UTC')", doc: 'when the event was stored (ingest or sensor write)' },
  { name: 'ts', ch: "DateTime64(6, 'UTC')", codec: 'CODEC(Delta, ZSTD(1))', doc: 'when the honeypot saw it, as logged' },
  { name: 'honeypot', ch: 'LowCardinality(String)', doc: 'cowrie, dionaea, conpot or sakimori (our own sensor)' },
  { name: 'sensor', ch: 'LowCardinality(String)', doc: 'the sensor name as logged (Cowrie `sensor`, our sensor\'s --name)' },
  { name: 'session', ch: 'String', doc: 'the honeypot\'s session or connection id; \'\' when none' },
  { name: 'kind', ch: 'LowCardinality(String)', doc: 'harmonised event kind (HONEYPOT_EVENT_KINDS)' },
  { name: 'proto', ch: 'LowCardinality(String)', doc: 'application protocol: ssh, telnet, http, smb, ftp, mssql, sip, modbus, s7comm, bacnet, ipmi, …' },
  { name: 'src', ch: 'IPv6', doc: 'the client (attacker) address (IPv4 as ::ffff:a.b.c.d)' },
  { name: 'src_port', ch: 'UInt16', doc: 'client port' },
  { name: 'dst', ch: 'IPv6', doc: 'the honeypot address the client reached' },
  { name: 'dst_port', ch: 'UInt16', doc: 'honeypot port' },
  { name: 'src_asn', ch: 'UInt32', doc: 'origin AS of src (enrichment; 0 unknown)' },
  { name: 'src_country', ch: 'LowCardinality(String)', doc: 'country of src (ISO 3166 alpha-2; \'\' unknown)' },
  { name: 'username', ch: 'String', doc: 'login: the user name tried' },
  { name: 'password', ch: 'String', doc: 'login: the password tried (attackers\' dictionaries, not anybody\'s secret)' },
  { name: 'success', ch: 'Int8', doc: 'login or command: 1 succeeded, 0 failed; -1 does not apply' },
  { name: 'input', ch: 'String', doc: 'command line typed, HTTP request line, ICS function, offer text' },
  { name: 'url', ch: 'String', doc: 'download, offer or HTTP: the URL named (recorded, never fetched)' },
  { name: 'url_host', ch: 'String', doc: 'the host part of `url`, lower case' },
  { name: 'sha256', ch: 'String', doc: 'download, upload or tty: SHA-256 of the file (hex, lower case)' },
  { name: 'size', ch: 'UInt64', doc: 'bytes of the file, tty log or request' },
  { name: 'target', ch: 'String', doc: 'proxy request: the destination host:port the client asked for' },
  { name: 'client', ch: 'String', doc: 'client version (SSH ident, telnet terminal type, HTTP User-Agent)' },
  { name: 'fingerprint', ch: 'String', doc: 'client fingerprint (HASSH, tool fingerprint)' },
  { name: 'duration', ch: 'Float64', doc: 'session close / tty: seconds' },
  { name: 'detail', ch: 'String', codec: 'CODEC(ZSTD(3))', doc: 'what else the source said, as compact JSON' },
];

/**
 * The harmonised kinds. Readers map their source's event ids onto these; an id they do not know
 * is counted (skipped reason `unknown-event:<id>`), never stored as something else.
 */
export const HONEYPOT_EVENT_KINDS = [
  'session.connect', // a client connected (src, dst, ports, proto)
  'session.close', // the session ended (duration)
  'client.version', // client version string (SSH ident, telnet terminal)
  'client.fingerprint', // HASSH / kex algorithms, terminal size, environment
  'login', // a credential pair tried (username, password, success)
  'command', // a command line (input; success 0 when the shell did not know it)
  'download', // a URL the client had the honeypot fetch, or named (url, url_host; sha256 when a file arrived)
  'upload', // a file pushed to the honeypot (sha256, size): sftp/scp, echo -e droppers
  'proxy', // direct-tcpip forward request (target; detail: the data sent)
  'tty', // tty log metadata (sha256 of the log, size, duration)
  'http.request', // an HTTP request (input: method and path, client: User-Agent, url when an exploit names one)
  'ics', // an ICS protocol interaction (proto: modbus, s7comm, bacnet, ipmi, …; input: function)
  'offer', // Dionaea: an exploit offered a URL
] as const;

export type HoneypotEventKind = (typeof HONEYPOT_EVENT_KINDS)[number];
export const HONEYPOT_SOURCES = ['cowrie', 'dionaea', 'conpot', 'sakimori'] as const;
export type HoneypotSource = (typeof HONEYPOT_SOURCES)[number];

/**
 * One row as written (JSONEachRow, keys = columns). `ts` and `stored_at` are ISO 8601 text
 * (`2018-05-06T17:44:05.866769Z`); addresses plain text (IPv4 dotted, IPv6 any form). Only
 * `ts`, `honeypot`, `kind` and `src` are required: the rest default as the DDL says.
 */
export interface HoneypotEventRow {
  stored_at?: string;
  ts: string;
  honeypot: HoneypotSource;
  sensor?: string;
  session?: string;
  kind: HoneypotEventKind;
  proto?: string;
  src: string;
  src_port?: number;
  dst?: string;
  dst_port?: number;
  src_asn?: number;
  src_country?: string;
  username?: string;
  password?: string;
  success?: number;
  input?: string;
  url?: string;
  url_host?: string;
  sha256?: string;
  size?: number;
  target?: string;
  client?: string;
  fingerprint?: string;
  duration?: number;
  detail?: string;
}
