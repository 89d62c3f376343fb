/**
 * The exchange hash H (RFC 4253 §8, RFC 5656 §4, RFC 8731 §3) and the check of the server's
 * signature over it with the host key it sent: proves the server holds the private half of the
 * key we fingerprint (a device replaying someone else's public key fails here).
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { ClientKexState, KexReply } from './kex.js';
import { WireReader, encMpintUnsigned, encString } from './wire.js';

export interface HashInputs {
  readonly clientIdent: string;
  readonly serverIdent: string;
  readonly clientKexInit: Buffer;
  readonly serverKexInit: Buffer;
}

export function exchangeHash(inp: HashInputs, state: ClientKexState, reply: KexReply): Buffer {
  return createHash(state.hash).update(Buffer.concat([
    encString(inp.clientIdent), encString(inp.serverIdent),
    encString(inp.clientKexInit), encString(inp.serverKexInit),
    encString(reply.hostKeyBlob), state.clientField, reply.serverField,
    encMpintUnsigned(reply.sharedSecret),
  ])).digest();
}

const b64u = (b: Buffer): string => b.toString('base64url');
const stripMpint = (b: Buffer): Buffer => { let i = 0; while (i < b.length - 1 && b[i] === 0) i++; return b.subarray(i); };
const CURVE_JWK: Record<string, { crv: string; len: number; hash: string }> = {
  nistp256: { crv: 'P-256', len: 32, hash: 'sha256' }, nistp384: { crv: 'P-384', len: 48, hash: 'sha384' }, nistp521: { crv: 'P-521', len: 66, hash: 'sha512' },
};

function pad(b: Buffer, len: number): Buffer {
  const m = stripMpint(b);
  if (m.length > len) throw new Error('ECDSA signature component too long');
  return Buffer.concat([Buffer.alloc(len - m.length), m]);
}

/** true/false when checked; a string saying why when the algorithm is not checked (ssh-dss …). */
export function verifyHostSignature(h: Buffer, reply: KexReply): boolean | string {
  const kr = new WireReader(reply.hostKeyBlob);
  const type = kr.string('host key type').toString('latin1');
  const sr = new WireReader(Buffer.concat([encString(reply.signatureAlgorithm), encString(reply.signature)]));
  const alg = sr.string('signature algorithm').toString('latin1');
  const sig = sr.string('signature blob');
  let key: KeyObject;
  if (type === 'ssh-ed25519') {
    if (alg !== 'ssh-ed25519') return false;
    key = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), kr.string('ed25519 key')]), format: 'der', type: 'spki' });
    return verify(null, h, key, sig);
  }
  if (type === 'ssh-rsa') {
    const e = stripMpint(kr.string('rsa e'));
    const n = stripMpint(kr.string('rsa n'));
    key = createPublicKey({ key: { kty: 'RSA', e: b64u(e), n: b64u(n) }, format: 'jwk' });
    const hash = alg === 'rsa-sha2-512' ? 'sha512' : alg === 'rsa-sha2-256' ? 'sha256' : alg === 'ssh-rsa' ? 'sha1' : '';
    if (hash === '') return false;
    return verify(hash, h, key, sig);
  }
  if (type.startsWith('ecdsa-sha2-')) {
    const c = CURVE_JWK[kr.string('ecdsa curve').toString('latin1')];
    if (c === undefined || alg !== type) return false;
    const q = kr.string('ecdsa point');
    if (q.length !== 1 + 2 * c.len || q[0] !== 4) return false;
    key = createPublicKey({ key: { kty: 'EC', crv: c.crv, x: b64u(q.subarray(1, 1 + c.len)), y: b64u(q.subarray(1 + c.len)) }, format: 'jwk' });
    const rs = new WireReader(sig);
    const p1363 = Buffer.concat([pad(rs.string('ecdsa r'), c.len), pad(rs.string('ecdsa s'), c.len)]);
    return verify(c.hash, h, { key, dsaEncoding: 'ieee-p1363' }, p1363);
  }
  return `signature not checked for ${type}`;
}
