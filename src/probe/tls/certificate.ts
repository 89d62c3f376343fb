/**
 * What a survey records about one X.509 certificate: subject and issuer as RFC 4514 strings
 * (read from the DER, so escaping and order are exact), SANs, validity, SHA-256 of the DER,
 * key type and size, and whether it is self-signed (self-issued and its signature verifies with
 * its own key, checked by OpenSSL through X509Certificate).
 */
import { createHash, X509Certificate } from 'node:crypto';
import { children, contents, decodeOid, decodeString, decodeTime, DerError, expectTag, readTlv, whole, type Tlv } from './der.js';

/** Short names: RFC 4514 §3 plus the ones OpenSSL prints with -nameopt RFC2253. */
const SHORT_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.6': 'C', '2.5.4.9': 'STREET',
  '0.9.2342.19200300.100.1.25': 'DC', '0.9.2342.19200300.100.1.1': 'UID',
  '2.5.4.4': 'SN', '2.5.4.5': 'serialNumber', '2.5.4.12': 'title', '2.5.4.42': 'GN', '2.5.4.43': 'initials', '2.5.4.46': 'dnQualifier',
  '2.5.4.15': 'businessCategory', '2.5.4.17': 'postalCode', '2.5.4.97': 'organizationIdentifier', '1.2.840.113549.1.9.1': 'emailAddress',
  '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionC', '1.3.6.1.4.1.311.60.2.1.2': 'jurisdictionST', '1.3.6.1.4.1.311.60.2.1.1': 'jurisdictionL',
};

const SIG_ALGS: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption', '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption', '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption', '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256', '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384', '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1', '1.3.101.112': 'ED25519', '1.3.101.113': 'ED448',
};

/** RFC 4514 §2.4 escaping of an attribute value. */
export function escapeRfc4514(v: string): string {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i] ?? '';
    if ('"+,;<>\\'.includes(c)) out += `\\${c}`;
    else if (c === '\0') out += '\\00';
    else if ((i === 0 && (c === ' ' || c === '#')) || (i === v.length - 1 && c === ' ')) out += `\\${c}`;
    else out += c;
  }
  return out;
}

/** A DER Name (RDNSequence) as an RFC 4514 string: last RDN first, multi-valued RDNs joined by "+". */
export function nameToRfc4514(buf: Uint8Array, name: Tlv): string {
  const rdns: string[] = [];
  for (const set of children(buf, name)) {
    expectTag(set, 0x31, 'RelativeDistinguishedName');
    const avas: string[] = [];
    for (const ava of children(buf, set)) {
      const [type, value] = children(buf, expectTag(ava, 0x30, 'AttributeTypeAndValue'));
      const oid = decodeOid(contents(buf, expectTag(type, 0x06, 'attribute type')));
      if (value === undefined) throw new DerError('attribute value missing', ava.start);
      const short = SHORT_NAMES[oid];
      const text = decodeString(value.tag, contents(buf, value));
      avas.push(short !== undefined && text !== undefined ? `${short}=${escapeRfc4514(text)}` : `${short ?? oid}=#${whole(buf, value).toString('hex')}`);
    }
    // RFC 4514 leaves the order inside a multi-valued RDN open; reversed as OpenSSL prints it.
    rdns.push(avas.reverse().join('+'));
  }
  return rdns.reverse().join(',');
}

/** IPv4 dotted or IPv6 in its RFC 5952 text form. */
export function ipText(b: Buffer): string {
  if (b.length === 4) return [...b].join('.');
  if (b.length !== 16) return `#${b.toString('hex')}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(b.readUInt16BE(i));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export interface SubjectAltNames {
  dns: string[];
  ip: string[];
  email: string[];
  uri: string[];
  other: number;
}

export interface ParsedCertificate {
  readonly subject: string;
  readonly issuer: string;
  readonly sameNameBytes: boolean;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly serial: string;
  readonly signatureAlgorithm: string;
  readonly sans: SubjectAltNames;
}

function parseSans(buf: Uint8Array, ext: Tlv): SubjectAltNames {
  const out: SubjectAltNames = { dns: [], ip: [], email: [], uri: [], other: 0 };
  const seq = readTlv(buf, ext.contentStart, ext.end);
  for (const gn of children(buf, expectTag(seq, 0x30, 'GeneralNames'))) {
    const v = contents(buf, gn);
    if (gn.tag === 0x82) out.dns.push(v.toString('latin1'));
    else if (gn.tag === 0x87) out.ip.push(ipText(v));
    else if (gn.tag === 0x81) out.email.push(v.toString('latin1'));
    else if (gn.tag === 0x86) out.uri.push(v.toString('latin1'));
    else out.other++;
  }
  return out;
}

/** Reads the fields above from a certificate's DER; throws DerError on malformed input. */
export function parseCertificateDer(der: Uint8Array): ParsedCertificate {
  const cert = expectTag(readTlv(der, 0), 0x30, 'Certificate');
  const [tbs, sigAlg] = children(der, cert);
  const f = children(der, expectTag(tbs, 0x30, 'TBSCertificate'));
  let i = f[0]?.tag === 0xa0 ? 1 : 0;
  const serial = contents(der, expectTag(f[i++], 0x02, 'serialNumber')).toString('hex');
  i++; // signature AlgorithmIdentifier (inside the TBS)
  const issuer = expectTag(f[i++], 0x30, 'issuer');
  const validity = children(der, expectTag(f[i++], 0x30, 'validity'));
  const subject = expectTag(f[i++], 0x30, 'subject');
  i++; // subjectPublicKeyInfo
  const [nb, na] = validity;
  if (nb === undefined || na === undefined) throw new DerError('validity incomplete', 0);
  let sans: SubjectAltNames = { dns: [], ip: [], email: [], uri: [], other: 0 };
  for (; i < f.length; i++) {
    const e = f[i];
    if (e?.tag !== 0xa3) continue;
    for (const ext of children(der, expectTag(children(der, e)[0], 0x30, 'Extensions'))) {
      const parts = children(der, ext);
      const oid = decodeOid(contents(der, expectTag(parts[0], 0x06, 'extnID')));
      const value = parts[parts.length - 1];
      if (oid === '2.5.29.17' && value?.tag === 0x04) sans = parseSans(der, value);
    }
  }
  let sigName = '';
  if (sigAlg !== undefined) {
    const oidTlv = children(der, expectTag(sigAlg, 0x30, 'signatureAlgorithm'))[0];
    const oid = decodeOid(contents(der, expectTag(oidTlv, 0x06, 'signature OID')));
    sigName = SIG_ALGS[oid] ?? oid;
  }
  return {
    subject: nameToRfc4514(der, subject),
    issuer: nameToRfc4514(der, issuer),
    sameNameBytes: whole(der, subject).equals(whole(der, issuer)),
    notBefore: decodeTime(nb.tag, contents(der, nb)),
    notAfter: decodeTime(na.tag, contents(der, na)),
    serial,
    signatureAlgorithm: sigName,
    sans,
  };
}

/** One certificate as recorded (details JSON and the tls_* fields of the leaf). */
export interface CertificateSummary {
  subject: string;
  issuer: string;
  sha256: string;
  serial: string;
  not_before: string;
  not_after: string;
  sans_dns: string[];
  sans_ip: string[];
  sans_email?: string[];
  sans_uri?: string[];
  key_type: string;
  key_bits?: number;
  key_curve?: string;
  signature_algorithm: string;
  self_issued: boolean;
  self_signed: boolean;
  expired: boolean;
  not_yet_valid: boolean;
  error?: string;
}

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString().replace('.000Z', 'Z') : '';
}

export function summarizeCertificate(der: Buffer, now: number): CertificateSummary {
  const sha256 = createHash('sha256').update(der).digest('hex');
  let x: X509Certificate | undefined;
  let xErr: string | undefined;
  try { x = new X509Certificate(der); } catch (e) { xErr = e instanceof Error ? e.message : String(e); }
  let p: ParsedCertificate | undefined;
  let pErr: string | undefined;
  try { p = parseCertificateDer(der); } catch (e) { pErr = e instanceof Error ? e.message : String(e); }
  let selfIssued = false;
  let selfSigned = false;
  let keyType = '';
  let keyBits: number | undefined;
  let keyCurve: string | undefined;
  if (x !== undefined) {
    try {
      selfIssued = x.checkIssued(x);
      selfSigned = selfIssued && x.verify(x.publicKey);
    } catch { selfSigned = false; }
    try {
      const k = x.publicKey;
      keyType = k.asymmetricKeyType ?? '';
      const d = k.asymmetricKeyDetails;
      if (d?.modulusLength !== undefined) keyBits = d.modulusLength;
      if (d?.namedCurve !== undefined) keyCurve = d.namedCurve;
    } catch { /* unknown key type: left empty */ }
  }
  const notBefore = p?.notBefore ?? (x !== undefined ? Date.parse(x.validFrom) : NaN);
  const notAfter = p?.notAfter ?? (x !== undefined ? Date.parse(x.validTo) : NaN);
  const sans = p?.sans;
  const error = [pErr, xErr].filter((e): e is string => e !== undefined).join('; ');
  return {
    subject: p?.subject ?? '',
    issuer: p?.issuer ?? '',
    sha256,
    serial: p?.serial ?? x?.serialNumber.toLowerCase() ?? '',
    not_before: iso(notBefore),
    not_after: iso(notAfter),
    sans_dns: sans?.dns ?? [],
    sans_ip: sans?.ip ?? [],
    ...(sans !== undefined && sans.email.length > 0 ? { sans_email: sans.email } : {}),
    ...(sans !== undefined && sans.uri.length > 0 ? { sans_uri: sans.uri } : {}),
    key_type: keyType,
    ...(keyBits !== undefined ? { key_bits: keyBits } : {}),
    ...(keyCurve !== undefined ? { key_curve: keyCurve } : {}),
    signature_algorithm: p?.signatureAlgorithm ?? '',
    self_issued: selfIssued || (p?.sameNameBytes ?? false),
    self_signed: selfSigned,
    expired: Number.isFinite(notAfter) && notAfter < now,
    not_yet_valid: Number.isFinite(notBefore) && notBefore > now,
    ...(error.length > 0 ? { error } : {}),
  };
}
