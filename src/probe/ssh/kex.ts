/**
 * One key exchange, far enough to learn the server's host key: our KEXINIT, KEX(EC)DH_INIT, and
 * the checked KEX(EC)DH_REPLY. Supported: curve25519-sha256 (RFC 8731), ecdh-sha2-nistp256/384/521
 * (RFC 5656) and diffie-hellman-group14/16 (RFC 8268), all through node:crypto.
 */
import { createDiffieHellmanGroup, createECDH, createHash, generateKeyPairSync, createPublicKey, diffieHellman } from 'node:crypto';
import type { KexInit } from './kexinit.js';
import { WireError, WireReader, encMpintUnsigned, encString } from './wire.js';

export const MSG_KEX_INIT = 30;
export const MSG_KEX_REPLY = 31;

/** Our preference among what we can compute. */
export const SUPPORTED_KEX = [
  'curve25519-sha256', 'curve25519-sha256@libssh.org',
  'ecdh-sha2-nistp256', 'ecdh-sha2-nistp384', 'ecdh-sha2-nistp521',
  'diffie-hellman-group14-sha256', 'diffie-hellman-group16-sha512', 'diffie-hellman-group14-sha1',
] as const;

/** Host key algorithms we ask for, most wanted first (every one is only parsed, never verified). */
export const HOST_KEY_PREFERENCE = [
  'ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521',
  'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-dss', 'ssh-ed448',
] as const;

export interface Negotiated {
  readonly kex: string;
  readonly hostKeyAlgorithm: string;
}

/** The kex and host key algorithm we will use, or a reason why none of ours is offered. */
export function negotiate(server: KexInit): Negotiated | { error: string } {
  const kex = SUPPORTED_KEX.find((k) => server.kex.includes(k));
  if (kex === undefined) return { error: `no supported key exchange offered (server: ${server.kex.join(',') || 'none'})` };
  const hk = HOST_KEY_PREFERENCE.find((h) => server.hostKey.includes(h)) ?? server.hostKey[0];
  if (hk === undefined) return { error: 'server offers no host key algorithm' };
  return { kex, hostKeyAlgorithm: hk };
}

/** Our KEXINIT lists: the chosen kex and host key only, the server's own lists for the rest. */
export function clientKexInit(server: KexInit, n: Negotiated): Omit<KexInit, 'cookie'> {
  return {
    kex: [n.kex], hostKey: [n.hostKeyAlgorithm],
    ciphersC2s: server.ciphersC2s, ciphersS2c: server.ciphersS2c,
    macsC2s: server.macsC2s, macsS2c: server.macsS2c,
    compressionC2s: server.compressionC2s, compressionS2c: server.compressionS2c,
    languagesC2s: [], languagesS2c: [], firstKexFollows: false,
  };
}

export interface ClientKexState {
  /** SSH_MSG_KEX(EC)DH_INIT payload. */
  readonly initPayload: Buffer;
  /** Checks the server's ephemeral value (throws when it is not a valid point/element); returns the shared secret K (unsigned, big-endian). */
  readonly checkServerValue: (value: Buffer) => Buffer;
  readonly ecdh: boolean;
  /** Our ephemeral value as it enters the exchange hash (string Q_C or mpint e). */
  readonly clientField: Buffer;
  /** Hash of the exchange hash H (RFC 8731, RFC 5656 §6.2.1, RFC 8268). */
  readonly hash: 'sha1' | 'sha256' | 'sha384' | 'sha512';
}

const CURVES: Record<string, string> = {
  'ecdh-sha2-nistp256': 'prime256v1', 'ecdh-sha2-nistp384': 'secp384r1', 'ecdh-sha2-nistp521': 'secp521r1',
};
const DH_GROUPS: Record<string, string> = {
  'diffie-hellman-group14-sha256': 'modp14', 'diffie-hellman-group14-sha1': 'modp14', 'diffie-hellman-group16-sha512': 'modp16',
};

export function startKex(kex: string): ClientKexState {
  if (kex.startsWith('curve25519-sha256')) {
    const { publicKey, privateKey } = generateKeyPairSync('x25519');
    const q = Buffer.from(publicKey.export({ format: 'der', type: 'spki' })).subarray(-32);
    return {
      ecdh: true, hash: 'sha256', clientField: encString(q),
      initPayload: Buffer.concat([Buffer.from([MSG_KEX_INIT]), encString(q)]),
      checkServerValue: (v) => {
        if (v.length !== 32) throw new Error(`curve25519 public value of ${v.length} bytes, want 32`);
        // SPKI prefix for an X25519 key (RFC 8410): lets node:crypto import the raw value.
        const der = Buffer.concat([Buffer.from('302a300506032b656e032100', 'hex'), v]);
        let shared: Buffer;
        try {
          shared = diffieHellman({ privateKey, publicKey: createPublicKey({ key: der, format: 'der', type: 'spki' }) });
        } catch (e) {
          // OpenSSL refuses low-order points itself.
          throw new Error(`curve25519 public value rejected (${e instanceof Error ? e.message : String(e)})`);
        }
        if (shared.every((b) => b === 0)) throw new Error('curve25519 shared secret is all zero (RFC 8731 §3)');
        return shared;
      },
    };
  }
  const curve = CURVES[kex];
  if (curve !== undefined) {
    const ec = createECDH(curve);
    const q = ec.generateKeys();
    return {
      ecdh: true, hash: kex.endsWith('521') ? 'sha512' : kex.endsWith('384') ? 'sha384' : 'sha256', clientField: encString(q),
      initPayload: Buffer.concat([Buffer.from([MSG_KEX_INIT]), encString(q)]),
      checkServerValue: (v) => {
        try { return ec.computeSecret(v); } catch (e) { throw new Error(`${curve} public value rejected (${e instanceof Error ? e.message : String(e)})`); }
      },
    };
  }
  const group = DH_GROUPS[kex];
  if (group !== undefined) {
    const dh = createDiffieHellmanGroup(group);
    const e = dh.generateKeys();
    return {
      ecdh: false, hash: kex.endsWith('sha512') ? 'sha512' : kex.endsWith('sha1') ? 'sha1' : 'sha256', clientField: encMpintUnsigned(e),
      initPayload: Buffer.concat([Buffer.from([MSG_KEX_INIT]), encMpintUnsigned(e)]),
      checkServerValue: (f) => {
        // 1 < f < p-1 (RFC 4253 §8); f is an mpint here, so a leading 0x00 is allowed.
        const mag = f[0] === 0 ? f.subarray(1) : f;
        if (f.length > 0 && ((f[0] ?? 0) & 0x80) !== 0) throw new Error('negative DH value f');
        const p = dh.getPrime();
        const fb = BigInt(`0x${mag.toString('hex') || '0'}`);
        const pb = BigInt(`0x${p.toString('hex')}`);
        if (fb <= 1n || fb >= pb - 1n) throw new Error('DH value f out of range');
        return dh.computeSecret(mag);
      },
    };
  }
  throw new Error(`unsupported key exchange ${kex}`);
}

export interface HostKeyInfo {
  /** Key type inside the blob (ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256 …). */
  readonly blobType: string;
  /** `SHA256:` + unpadded base64 of SHA-256(blob), as `ssh-keygen -l` prints it. */
  readonly sha256: string;
  /** MD5 colon-hex, as older tools print it. */
  readonly md5: string;
  readonly bits: number;
  /** The blob, base64, as in a known_hosts line. */
  readonly blobBase64: string;
}

export function sshFingerprintSha256(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

function mpintBits(b: Buffer): number {
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  if (i === b.length) return 0;
  return (b.length - i - 1) * 8 + ((b[i] ?? 0).toString(2).length);
}

export function parseHostKey(blob: Buffer): HostKeyInfo {
  const r = new WireReader(blob);
  const blobType = r.string('host key type').toString('latin1');
  let bits = 0;
  if (blobType === 'ssh-rsa') {
    r.string('rsa e');
    bits = mpintBits(r.string('rsa n'));
  } else if (blobType === 'ssh-ed25519') {
    const k = r.string('ed25519 key');
    if (k.length !== 32) throw new WireError(`ed25519 key of ${k.length} bytes`, 0);
    bits = 256;
  } else if (blobType.startsWith('ecdsa-sha2-')) {
    const curve = r.string('ecdsa curve').toString('latin1');
    r.string('ecdsa point');
    bits = ({ nistp256: 256, nistp384: 384, nistp521: 521 } as Record<string, number>)[curve] ?? 0;
  } else if (blobType === 'ssh-dss') {
    bits = mpintBits(r.string('dsa p'));
  }
  const md5 = createHash('md5').update(blob).digest('hex').replace(/(..)(?!$)/g, '$1:');
  return { blobType, sha256: sshFingerprintSha256(blob), md5, bits, blobBase64: blob.toString('base64') };
}

/** The host key types a host key algorithm name may carry (rsa-sha2-* sign with ssh-rsa keys). */
function keyTypeFor(alg: string): string {
  return alg === 'rsa-sha2-256' || alg === 'rsa-sha2-512' ? 'ssh-rsa' : alg.replace(/-cert-v01@openssh\.com$/, '');
}

export interface KexReply {
  readonly hostKey: HostKeyInfo;
  readonly signatureAlgorithm: string;
  /** Raw fields for the exchange hash and the signature check. */
  readonly hostKeyBlob: Buffer;
  readonly serverField: Buffer;
  readonly sharedSecret: Buffer;
  readonly signature: Buffer;
}

/** Parses and checks SSH_MSG_KEX(EC)DH_REPLY: K_S, Q_S/f, signature, nothing more. */
export function parseKexReply(payload: Buffer, state: ClientKexState, n: Negotiated): KexReply {
  const r = new WireReader(payload);
  const type = r.byte('message type');
  if (type !== MSG_KEX_REPLY) throw new WireError(`expected KEX reply (31), got message ${type}`, 0);
  const blob = Buffer.from(r.string('host key'));
  const value = r.string(state.ecdh ? 'server ephemeral key' : 'server DH value f');
  const sig = r.string('signature');
  if (r.remaining !== 0) throw new WireError(`${r.remaining} unexpected bytes after the signature`, r.offset);
  const hostKey = parseHostKey(blob);
  const want = keyTypeFor(n.hostKeyAlgorithm);
  if (hostKey.blobType !== want) throw new Error(`host key of type ${hostKey.blobType} for negotiated ${n.hostKeyAlgorithm}`);
  const sharedSecret = state.checkServerValue(Buffer.from(value));
  const sr = new WireReader(sig);
  const signatureAlgorithm = sr.string('signature algorithm').toString('latin1');
  const sigBlob = sr.string('signature blob');
  if (sigBlob.length === 0) throw new Error('empty host key signature');
  // Q_S is a string, f an mpint: both are the same length-prefixed bytes on the wire.
  return { hostKey, signatureAlgorithm, hostKeyBlob: blob, serverField: encString(Buffer.from(value)), sharedSecret, signature: Buffer.from(sigBlob) };
}
