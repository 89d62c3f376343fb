/**
 * Synthetic service observations with known ground truth, for search tests and benchmarks: hosts
 * in the synthetic source networks (so ASN, organisation and country agree with the synthetic
 * enrichment tables of the same seed), each with one to six services drawn from
 * `SERVICE_PROFILES`, observed at a time within `days` before `end`. The rows themselves are the
 * truth: a query's correct answer is the set of rows its meaning selects. Same options → same rows.
 */
import { createHash } from 'node:crypto';
import { serviceRow, type ServiceRow } from '../schema/service-observation.js';
import { Rng } from './rng.js';
import { formatIPv4 } from '../net/ip.js';
import { DEFAULT_DARKNET4 } from './darknet-space.js';
import { parsePrefix4 } from './prefixes.js';
import { SourceNetworks, type SynthNetwork } from './source-networks.js';
import { CREDENTIAL_IDS, PUBLIC_ISSUERS, SERVICE_PROFILES, SSH_KEX, type ServiceProfile } from './services-profiles.js';

export interface SynthServicesOptions {
  /** Number of service rows. */
  readonly count: number;
  readonly seed?: number;
  /** End of the observation window (exclusive), ISO; default 2026-11-20T00:00:00Z. */
  readonly end?: string;
  /** Length of the observation window in days; default 30. */
  readonly days?: number;
  /** Share of hosts on IPv6; default 0.05. */
  readonly ipv6Share?: number;
}

const SERVICES_PER_HOST = [1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6];

/** The networks hosts are drawn from: the largest synthetic IPv4 networks (/13–/16), JP first. */
export function serviceNetworks(seed: number): { v4: SynthNetwork[]; v6: SynthNetwork[] } {
  const nets = new SourceNetworks(seed >>> 0, DEFAULT_DARKNET4.map(parsePrefix4));
  const v4 = nets.networks.filter((n) => n.family === 4 && n.len <= 16)
    .sort((a, b) => Number(b.org.country === 'JP') - Number(a.org.country === 'JP') || a.len - b.len || a.base - b.base)
    .slice(0, 48);
  const v6 = nets.networks.filter((n) => n.family === 6).slice(0, 16);
  return { v4, v6 };
}

function cumulative(ws: readonly number[]): number[] {
  let s = 0;
  return ws.map((w) => (s += w));
}

function pickIndex(rng: Rng, cum: readonly number[]): number {
  const x = rng.float() * (cum[cum.length - 1] as number);
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cum[mid] as number) > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const hex = (s: string, n: number): string => createHash('md5').update(s).digest('hex').slice(0, n);

/** Yields `count` rows, host after host. */
export function* synthServices(opts: SynthServicesOptions): Generator<ServiceRow> {
  const seed = (opts.seed ?? 1) >>> 0;
  const rng = new Rng(seed, 77);
  const end = Date.parse(opts.end ?? '2026-11-20T00:00:00Z');
  const span = (opts.days ?? 30) * 86_400_000;
  const v6Share = opts.ipv6Share ?? 0.05;
  const { v4, v6 } = serviceNetworks(seed);
  const v4Cum = cumulative(v4.map((n) => n.size * (n.org.country === 'JP' ? 4 : 1)));
  const profileCum = cumulative(SERVICE_PROFILES.map((p) => p.weight));
  const versionCum = SERVICE_PROFILES.map((p) => cumulative(p.versions.map((x) => x.weight)));
  const used = new Uint32Array(v4.length);
  const mult = v4.map((_, i) => ((0x9e3779b1 + i * 2) | 1) >>> 0);
  let v6Host = 0;
  let made = 0;
  while (made < opts.count) {
    let ip: string;
    let net: SynthNetwork;
    if (v6.length > 0 && rng.float() < v6Share) {
      net = v6[rng.int(v6.length)] as SynthNetwork;
      v6Host++;
      ip = `${(net.base >>> 16).toString(16)}:${(net.base & 0xffff).toString(16)}:${(v6Host >>> 16).toString(16)}:${(v6Host & 0xffff).toString(16)}::${(1 + rng.int(0xfffe)).toString(16)}`;
    } else {
      let i = pickIndex(rng, v4Cum);
      for (let tries = 0; (used[i] as number) >= (v4[i] as SynthNetwork).size && tries < v4.length; tries++) i = (i + 1) % v4.length;
      net = v4[i] as SynthNetwork;
      // Each network hands out distinct addresses (odd multiplier: a permutation of the
      // network), skipping the .0 and .255 of each /24.
      let a: number;
      do {
        const k = used[i] as number;
        if (k >= net.size) throw new Error('synthetic service address space exhausted');
        used[i] = k + 1;
        a = (net.base + ((Math.imul(mult[i] as number, k) >>> 0) % net.size)) >>> 0;
      } while ((a & 255) === 0 || (a & 255) === 255);
      ip = formatIPv4(a);
    }
    const n = Math.min(SERVICES_PER_HOST[rng.int(SERVICES_PER_HOST.length)] as number, opts.count - made);
    const ports = new Set<number>();
    const hostSeen = end - rng.int(span);
    for (let s = 0; s < n; s++) {
      const pi = pickIndex(rng, profileCum);
      const p = SERVICE_PROFILES[pi] as ServiceProfile;
      const port = p.ports[rng.int(p.ports.length)] as number;
      if (ports.has(port)) continue;
      ports.add(port);
      const ver = p.versions[pickIndex(rng, versionCum[pi] as number[])] ?? { version: '', cves: [], weight: 1 };
      yield makeRow(rng, p, ver.version, ver.cves, ip, port, net, hostSeen - rng.int(3_600_000), seed);
      made++;
    }
  }
}

function makeRow(rng: Rng, p: ServiceProfile, version: string, cves: readonly string[], ip: string, port: number, net: SynthNetwork, time: number, seed: number): ServiceRow {
  const sub = (s: string): string => s.replace('{v}', version);
  const pick = <T>(xs: readonly T[] | undefined, fallback: T): T => (xs && xs.length ? (xs[rng.int(xs.length)] as T) : fallback);
  const weak = rng.float() < (p.weakCredential ?? 0);
  const tags = [...(p.tags ?? [])];
  const row = serviceRow({
    ip, port, transport: 'tcp', source: 'survey', run_id: `synth-${seed}`, status: 'open', service: p.service,
    vendor: p.vendor, product: p.product, version, device_type: p.deviceType,
    cpe: [`${p.cpe}:${version}:*:*:*:*:*:*:*`], cves: [...cves], cve_evidence: cves.map(() => 'inferred'),
    asn: net.org.asn, org: net.org.name, country: net.org.country,
    login_prompt: p.loginPrompt ? 1 : 0, no_auth: rng.float() < (p.noAuth ?? 0) ? 1 : 0,
    weak_credential: weak ? 1 : 0, credential_list: weak ? 'notice-starter' : '', credential_id: weak ? pick(CREDENTIAL_IDS, 'c001') : '',
    banner: p.banner ? sub(pick(p.banner, '')) : '',
  }, new Date(time).toISOString());
  if (p.titles || p.server) {
    row.http_status = pick(p.httpStatus, 200);
    row.http_title = row.http_status === 401 ? '' : pick(p.titles, '');
    row.http_server = p.server ? sub(p.server) : '';
    row.http_www_authenticate = row.http_status === 401 ? (p.wwwAuthenticate ?? 'Basic realm="login"') : '';
    row.http_headers = { server: row.http_server, 'content-type': 'text/html; charset=UTF-8' };
    row.http_body_sha256 = hex(`${p.id}${row.http_title}${version}`, 64).padEnd(64, '0');
    row.banner ||= `HTTP/1.1 ${row.http_status}\\r\\nServer: ${row.http_server}`;
  }
  if (p.sshIdent) {
    row.ssh_ident = sub(p.sshIdent);
    row.ssh_kex = [...(SSH_KEX[p.product] ?? [])];
    row.ssh_hassh = hex(`${p.product}/${version}`, 32);
    row.ssh_host_key_type = pick(['ssh-ed25519', 'ecdsa-sha2-nistp256', 'rsa-sha2-512'], 'ssh-ed25519');
    row.ssh_host_key_sha256 = `SHA256:${createHash('sha256').update(`${ip}:${port}`).digest('base64').replace(/=+$/, '')}`;
    row.banner = row.ssh_ident;
  }
  const tls = p.tls === 'public' ? (port === 443 || port === 8443 ? 'public' : undefined) : p.tls;
  if (tls) {
    if (p.service === 'https' && port === 80) row.service = 'http';
    row.tls_version = pick(['TLSv1.2', 'TLSv1.3', 'TLSv1.3'], 'TLSv1.2');
    row.tls_cipher = row.tls_version === 'TLSv1.3' ? 'TLS_AES_128_GCM_SHA256' : 'ECDHE-RSA-AES128-GCM-SHA256';
    row.tls_chain_length = tls === 'public' ? 2 : 1;
    row.tls_self_signed = tls === 'public' ? 0 : 1;
    const host = tls === 'public' ? `www${rng.int(1000)}.example${rng.int(50)}.jp` : ip;
    row.tls_subject = tls === 'public' ? `CN=${host}` : `CN=${p.vendor === 'Synology' ? 'synology' : host},O=${p.vendor},C=TW`;
    row.tls_issuer = tls === 'public' ? pick(PUBLIC_ISSUERS, '') : row.tls_subject;
    row.tls_sans = [host];
    const notBefore = Math.floor((time - 86_400_000 * (30 + rng.int(3000))) / 1000) * 1000;
    const notAfter = notBefore + 86_400_000 * (tls === 'public' ? 90 : 3650);
    row.tls_not_before = new Date(notBefore).toISOString();
    row.tls_not_after = new Date(notAfter).toISOString();
    if (notAfter < time) tags.push('expired-cert');
    row.tls_fingerprint_sha256 = hex(`${ip}:${port}:cert`, 32) + hex(`${ip}:${port}:cert2`, 32);
  } else if (p.service === 'https') {
    row.service = 'http';
  }
  row.tags = tags;
  return row;
}
