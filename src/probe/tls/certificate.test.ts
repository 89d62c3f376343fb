import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ipText, parseCertificateDer, summarizeCertificate } from './certificate.js';
import { caSigned, expiredSelfSigned, opensslFingerprint, opensslSubject, selfSigned } from './testing/certs.js';

const der = (pem: Buffer): Buffer => new X509Certificate(pem).raw;

describe('certificate summary from DER', () => {
  it('RFC 4514 names equal openssl -nameopt RFC2253 (escapes, multi-valued RDN, UTF-8), SANs, validity', () => {
    const c = selfSigned('/C=JP/ST=Tokyo/O=Acme, Inc./OU=R&D+OU=Ops/CN=ルータ #1 ', 'DNS:router.example,IP:127.0.0.1,IP:2001:db8::1,email:a@b.c');
    try {
      const s = summarizeCertificate(der(c.cert), Date.now());
      expect(s.subject).toBe(opensslSubject(c.certPath));
      expect(s.subject).toBe('CN=ルータ #1\\ ,OU=R&D+OU=Ops,O=Acme\\, Inc.,ST=Tokyo,C=JP');
      expect(s.issuer).toBe(opensslSubject(c.certPath, 'issuer'));
      expect(s.sans_dns).toEqual(['router.example']);
      expect(s.sans_ip).toEqual(['127.0.0.1', '2001:db8::1']);
      expect(s.sans_email).toEqual(['a@b.c']);
      expect(s.sha256).toBe(opensslFingerprint(c.certPath));
      const x = new X509Certificate(c.cert);
      expect(Date.parse(s.not_before)).toBe(Date.parse(x.validFrom));
      expect(Date.parse(s.not_after)).toBe(Date.parse(x.validTo));
      expect(s).toMatchObject({ self_issued: true, self_signed: true, expired: false, key_type: 'ec', signature_algorithm: 'ecdsa-with-SHA256' });
      expect(s.serial).toBe(x.serialNumber.toLowerCase().replace(/^0+/, '').padStart(s.serial.length, '0'));
    } finally { c.remove(); }
  });

  it('expired self-signed and a CA-signed leaf', () => {
    const old = expiredSelfSigned();
    const ca = caSigned();
    try {
      const o = summarizeCertificate(der(old.cert), Date.now());
      expect(o).toMatchObject({ subject: 'CN=old.example', expired: true, self_signed: true, not_before: '2020-01-01T00:00:00Z', not_after: '2020-02-01T00:00:00Z' });
      const l = summarizeCertificate(der(ca.cert), Date.now());
      expect(l).toMatchObject({ subject: 'CN=leaf.example', issuer: 'CN=Sakimori Test CA,O=Sakimori Test', self_issued: false, self_signed: false });
      expect(summarizeCertificate(der(ca.chain ?? Buffer.alloc(0)), Date.now())).toMatchObject({ self_signed: true });
    } finally { old.remove(); ca.remove(); }
  });

  it('malformed DER: an error recorded, never a throw; fuzzed bytes too', () => {
    const c = selfSigned();
    try {
      const d = der(c.cert);
      expect(summarizeCertificate(d.subarray(0, 100), Date.now()).error).toMatch(/runs past|truncated/);
      for (let i = 0; i < 300; i++) {
        const m = Buffer.from(d);
        m[(i * 7919) % m.length] ^= 1 << (i % 8);
        const s = summarizeCertificate(m.subarray(0, m.length - (i % 5)), Date.now());
        expect(typeof s.sha256).toBe('string');
        try { parseCertificateDer(m); } catch (e) { expect((e as Error).name).toMatch(/DerError|RangeError/); }
      }
    } finally { c.remove(); }
  });

  it('IPv6 text form', () => {
    expect(ipText(Buffer.from('20010db8000000000000000000000001', 'hex'))).toBe('2001:db8::1');
    expect(ipText(Buffer.from('00000000000000000000000000000000', 'hex'))).toBe('::');
    expect(ipText(Buffer.from('20010db8000100000001000000000001', 'hex'))).toBe('2001:db8:1:0:1::1');
  });
});
