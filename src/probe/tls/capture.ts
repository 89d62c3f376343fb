/**
 * TLS facts of an established connection, shared by the tls and https modules: negotiated
 * version, cipher and ALPN, and the certificate chain the peer presented (getPeerCertificate(true),
 * leaf through getPeerX509Certificate()), summarised per certificate, plus the tls_* fields and
 * tags (self-signed, expired) of a finding.
 *
 * Node completes the presented chain with an issuer from its root store when the last
 * certificate sent is not self-issued; such a trailing root is marked `from_root_store` and not
 * counted in tls_chain_length (the API cannot tell a root the server sent itself apart: it is
 * then undercounted by one, which the details say).
 */
import { createHash, X509Certificate } from 'node:crypto';
import { rootCertificates, type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
import type { ServiceFinding } from '../../schema/service-observation.js';
import { summarizeCertificate, type CertificateSummary } from './certificate.js';

/** Certificates kept from one chain at most. */
export const MAX_CHAIN = 10;
/** ClickHouse DateTime covers 1970-01-01 … 2106-02-07 06:28:15 UTC. */
const DATETIME_MAX_MS = 4294967295 * 1000;

export interface TlsCapture {
  readonly version: string;
  readonly cipher: string;
  readonly cipherStandardName: string;
  readonly alpn: string;
  readonly chain: readonly (CertificateSummary & { from_root_store?: boolean })[];
  /** Certificates the server sent (the chain less a trailing root taken from the store). */
  readonly chainLength: number;
  readonly error?: string;
}

let rootFingerprints: Set<string> | undefined;
function isStoreRoot(sha256: string): boolean {
  if (rootFingerprints === undefined) {
    rootFingerprints = new Set();
    for (const pem of rootCertificates) {
      try { rootFingerprints.add(createHash('sha256').update(new X509Certificate(pem).raw).digest('hex')); } catch { /* skip */ }
    }
  }
  return rootFingerprints.has(sha256);
}

function chainDer(sock: TLSSocket): Buffer[] {
  const out: Buffer[] = [];
  // getPeerCertificate(true) first and once: in Node 20 a call after getPeerX509Certificate()
  // (or a second call) comes back without the issuer chain.
  let cur: DetailedPeerCertificate | undefined;
  try {
    cur = sock.getPeerCertificate(true);
  } catch { cur = undefined; }
  const leaf = sock.getPeerX509Certificate();
  const seen = new Set<string>();
  while (cur !== undefined && cur !== null && Buffer.isBuffer(cur.raw) && out.length < MAX_CHAIN) {
    const key = cur.raw.toString('base64');
    if (seen.has(key)) break;
    seen.add(key);
    out.push(cur.raw);
    const next: DetailedPeerCertificate | undefined = cur.issuerCertificate;
    if (next === cur) break;
    cur = next;
  }
  if (out.length === 0 && leaf !== undefined) out.push(leaf.raw);
  else if (leaf !== undefined && out[0] !== undefined && !out[0].equals(leaf.raw)) out.unshift(leaf.raw);
  return out;
}

export function captureTls(sock: TLSSocket, now = Date.now()): TlsCapture {
  let version = '';
  let cipher = '';
  let cipherStandardName = '';
  let alpn = '';
  const errors: string[] = [];
  try {
    version = sock.getProtocol() ?? '';
    const c = sock.getCipher();
    cipher = c.name;
    cipherStandardName = c.standardName;
    alpn = typeof sock.alpnProtocol === 'string' ? sock.alpnProtocol : '';
  } catch (e) { errors.push(`session: ${e instanceof Error ? e.message : String(e)}`); }
  let ders: Buffer[] = [];
  try { ders = chainDer(sock); } catch (e) { errors.push(`certificates: ${e instanceof Error ? e.message : String(e)}`); }
  const chain = ders.map((d) => summarizeCertificate(d, now) as CertificateSummary & { from_root_store?: boolean });
  let chainLength = chain.length;
  const last = chain[chain.length - 1];
  if (chain.length > 1 && last !== undefined && last.self_issued && isStoreRoot(last.sha256)) {
    last.from_root_store = true;
    chainLength--;
  }
  return { version, cipher, cipherStandardName, alpn, chain, chainLength, ...(errors.length > 0 ? { error: errors.join('; ') } : {}) };
}

/** An ISO date for a DateTime column, clamped to its range (the real value stays in details). */
function dateColumn(iso: string): string | null {
  if (iso === '') return null;
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return null;
  return new Date(Math.min(Math.max(ms, 0), DATETIME_MAX_MS)).toISOString().replace('.000Z', 'Z');
}

export interface TlsFindingParts {
  readonly fields: Partial<ServiceFinding>;
  readonly tags: string[];
  /** For details JSON under "tls". */
  readonly details: Record<string, unknown>;
}

export function tlsFindingParts(t: TlsCapture): TlsFindingParts {
  const leaf = t.chain[0];
  const tags: string[] = [];
  if (leaf?.self_signed === true) tags.push('self-signed');
  if (leaf?.expired === true) tags.push('expired');
  const fields: Partial<ServiceFinding> = {
    tls_version: t.version,
    tls_cipher: t.cipherStandardName || t.cipher,
    tls_chain_length: Math.min(t.chainLength, 255),
    ...(leaf !== undefined ? {
      tls_subject: leaf.subject,
      tls_issuer: leaf.issuer,
      tls_sans: [...leaf.sans_dns, ...leaf.sans_ip],
      tls_not_before: dateColumn(leaf.not_before),
      tls_not_after: dateColumn(leaf.not_after),
      tls_fingerprint_sha256: leaf.sha256,
      tls_self_signed: leaf.self_signed ? 1 : 0,
    } : {}),
  };
  const details: Record<string, unknown> = {
    version: t.version,
    cipher: t.cipher,
    cipher_iana: t.cipherStandardName,
    ...(t.alpn !== '' ? { alpn: t.alpn } : {}),
    chain_length: t.chainLength,
    chain: t.chain,
    ...(t.chain.some((c) => c.from_root_store === true) ? { chain_note: 'the last certificate was completed from the local root store; a root the server sent itself cannot be told apart' } : {}),
    ...(t.error !== undefined ? { error: t.error } : {}),
  };
  return { fields, tags, details };
}
