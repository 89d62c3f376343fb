/**
 * What a host exposes, from the service observations: the current state per port (latest
 * observation), when each port was first and last seen, what identified the device, its CVEs and
 * weak-credential findings, and the recent history of observations (what changed, when, by which
 * source). The host page puts this beside what the host sent to the darknet.
 */
import type { EventsStore } from '../store/types.js';
import { normalizeIp } from '../net/ip.js';
import { SakimoriError } from '../errors.js';
import type { ServiceRow } from '../schema/service-observation.js';
import { ipText } from '../store/events/sql-helpers.js';
import { deviceName } from './device-name.js';

export interface HostService {
  port: number;
  transport: string;
  service: string;
  status: string;
  source: string;
  firstSeen: string;
  lastSeen: string;
  banner: string;
  http: { status: number; title: string; server: string; wwwAuthenticate: string; faviconHash: number | null; bodySha256: string; headers: Record<string, string> } | null;
  tls: { version: string; cipher: string; subject: string; issuer: string; sans: string[]; notBefore: string | null; notAfter: string | null; fingerprintSha256: string; selfSigned: boolean; chainLength: number } | null;
  ssh: { ident: string; hassh: string; kex: string[]; hostKeyType: string; hostKeySha256: string } | null;
  /** name: vendor, product and version as one name (device-name.ts). */
  device: { name: string; vendor: string; product: string; version: string; type: string; cpe: string[] } | null;
  cves: { id: string; evidence: string }[];
  loginPrompt: boolean;
  noAuth: boolean;
  weakCredential: { list: string; entry: string } | null;
  tags: string[];
  error: string;
}

export interface HostObservation {
  time: string;
  port: number;
  transport: string;
  service: string;
  status: string;
  source: string;
  runId: string;
  summary: string;
  /** What was seen, without the findings: HTTP status and title, device, CVEs, error (names, not words). */
  detail: string;
  /** The credential findings as identifiers, so a reader can name them in its language. */
  findings: ObservationFinding[];
}

export type ObservationFinding = 'default_credential' | 'no_authentication';

export interface HostExposure {
  ip: string;
  firstSeen: string;
  lastSeen: string;
  asn: number;
  org: string;
  country: string;
  openPorts: number;
  services: HostService[];
  cves: { id: string; evidence: string; port: number }[];
  weakCredentials: number;
  noAuth: number;
  history: HostObservation[];
}

type CurrentRow = Omit<ServiceRow, 'time' | 'tls_not_before' | 'tls_not_after'> & {
  time: string; first: string; tls_not_before: string | null; tls_not_after: string | null;
};

const ISO = (col: string): string => `formatDateTime(${col}, '%Y-%m-%dT%H:%i:%S.%fZ', 'UTC')`;
const trimMs = (s: string): string => s.replace(/(\.\d{3})\d*Z$/, '$1Z');

/** undefined when no observation of the address is stored. */
export async function hostExposure(events: EventsStore, ipInput: string, historyLimit = 200): Promise<HostExposure | undefined> {
  const ip = normalizeIp(ipInput);
  if (!ip) throw new SakimoriError('BAD_IP', ipInput, { ip: ipInput });
  // Two plain queries at once (request lanes) instead of one with a join: the join cost some
  // 10 ms to plan even for an address nothing was observed on, which most host pages are.
  const [current, firsts] = await Promise.all([
    events.query<Omit<CurrentRow, 'first'>>(
      `SELECT * EXCEPT (time, tls_not_before, tls_not_after, ip), ${ISO('time')} AS time,
              if(isNull(tls_not_before), NULL, ${ISO('assumeNotNull(tls_not_before)')}) AS tls_not_before,
              if(isNull(tls_not_after), NULL, ${ISO('assumeNotNull(tls_not_after)')}) AS tls_not_after,
              ${ipText('ip')} AS ip
       FROM (SELECT * FROM services_current FINAL WHERE ip = {ip:IPv6}) ORDER BY port, transport`,
      { ip },
    ),
    events.query<{ port: number; transport: string; first: string }>(
      `SELECT port, transport, ${ISO('min(time)')} AS first FROM services WHERE ip = {ip:IPv6} GROUP BY port, transport`,
      { ip },
    ),
  ]);
  const firstOf = new Map(firsts.map((f) => [`${f.port}/${f.transport}`, f.first]));
  const rows: CurrentRow[] = current.map((c) => ({ ...c, first: firstOf.get(`${c.port}/${c.transport}`) ?? c.time }));
  if (rows.length === 0) return undefined;
  const history = await events.query<{ time: string; port: number; transport: string; service: string; status: string; source: string; run_id: string; http_status: number; http_title: string; vendor: string; product: string; version: string; weak_credential: number; no_auth: number; cves: string[]; error: string }>(
    `SELECT ${ISO('time')} AS time, port, transport, service, status, source, run_id, http_status, http_title,
            vendor, product, version, weak_credential, no_auth, cves, error
     FROM services WHERE ip = {ip:IPv6} ORDER BY time DESC, port LIMIT {n:UInt32}`,
    { ip, n: historyLimit },
  );
  const services = rows.map(toHostService);
  const open = services.filter((s) => s.status === 'open');
  const latest = rows.reduce((a, r) => (r.time > a.time ? r : a));
  return {
    ip: latest.ip,
    firstSeen: trimMs(rows.reduce((a, r) => (r.first < a ? r.first : a), rows[0]?.first ?? '')),
    lastSeen: trimMs(latest.time),
    asn: latest.asn,
    org: latest.org,
    country: latest.country,
    openPorts: open.length,
    services,
    cves: open.flatMap((s) => s.cves.map((c) => ({ ...c, port: s.port }))),
    weakCredentials: open.filter((s) => s.weakCredential).length,
    noAuth: open.filter((s) => s.noAuth).length,
    history: history.map((h) => {
      const findings: ObservationFinding[] = [...(h.weak_credential ? ['default_credential' as const] : []), ...(h.no_auth ? ['no_authentication' as const] : [])];
      const seen = [h.http_status ? `HTTP ${h.http_status}${h.http_title ? ` "${h.http_title}"` : ''}` : '', deviceName(h)];
      const rest = [h.cves.length ? h.cves.join(' ') : '', h.error];
      const words = { default_credential: 'default credential accepted', no_authentication: 'no authentication' };
      return {
        time: trimMs(h.time), port: h.port, transport: h.transport, service: h.service, status: h.status, source: h.source, runId: h.run_id,
        summary: [...seen, ...findings.map((f) => words[f]), ...rest].filter(Boolean).join('; '),
        detail: [...seen, ...rest].filter(Boolean).join('; '),
        findings,
      };
    }),
  };
}

function toHostService(r: CurrentRow): HostService {
  return {
    port: r.port,
    transport: r.transport,
    service: r.service,
    status: r.status,
    source: r.source,
    firstSeen: trimMs(r.first),
    lastSeen: trimMs(r.time),
    banner: r.banner,
    http: r.http_status || r.http_title || r.http_server
      ? { status: r.http_status, title: r.http_title, server: r.http_server, wwwAuthenticate: r.http_www_authenticate, faviconHash: r.http_favicon_hash, bodySha256: r.http_body_sha256, headers: r.http_headers }
      : null,
    tls: r.tls_fingerprint_sha256 || r.tls_subject
      ? {
        version: r.tls_version, cipher: r.tls_cipher, subject: r.tls_subject, issuer: r.tls_issuer, sans: r.tls_sans,
        notBefore: r.tls_not_before ? trimMs(r.tls_not_before) : null, notAfter: r.tls_not_after ? trimMs(r.tls_not_after) : null,
        fingerprintSha256: r.tls_fingerprint_sha256, selfSigned: r.tls_self_signed === 1, chainLength: r.tls_chain_length,
      }
      : null,
    ssh: r.ssh_ident ? { ident: r.ssh_ident, hassh: r.ssh_hassh, kex: r.ssh_kex, hostKeyType: r.ssh_host_key_type, hostKeySha256: r.ssh_host_key_sha256 } : null,
    device: r.vendor || r.product ? { name: deviceName(r), vendor: r.vendor, product: r.product, version: r.version, type: r.device_type, cpe: r.cpe } : null,
    cves: r.cves.map((id, i) => ({ id, evidence: r.cve_evidence[i] ?? 'inferred' })),
    loginPrompt: r.login_prompt === 1,
    noAuth: r.no_auth === 1,
    weakCredential: r.weak_credential === 1 ? { list: r.credential_list, entry: r.credential_id } : null,
    tags: r.tags,
    error: r.error,
  };
}
