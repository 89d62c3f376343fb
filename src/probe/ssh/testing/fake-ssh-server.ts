/**
 * A scripted SSH server on loopback for tests: sends an identification and a KEXINIT built with
 * our codec, then answers the client's KEX init with a reply the test shapes (valid, wrong key
 * type, trailing bytes …). It implements just enough to exercise the client; no crypto beyond
 * producing well-formed public values.
 */
import { createHash, createPublicKey, diffieHellman, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { encodeKexInit, type KexInit } from '../kexinit.js';
import { decodePacket, encodePacket } from '../packet.js';
import { encString } from '../wire.js';

export interface FakeSshOptions {
  ident?: string;
  kexInit?: Omit<KexInit, 'cookie'>;
  /** The KEX reply payload for a given client KEX init payload; default: a correctly signed ed25519 + x25519 reply. */
  reply?: (clientInit: Buffer) => Buffer;
  /** Corrupt the signature of the default reply. */
  badSignature?: boolean;
}

export const FAKE_KEXINIT: Omit<KexInit, 'cookie'> = {
  kex: ['curve25519-sha256', 'kex-strict-s-v00@openssh.com'],
  hostKey: ['ssh-ed25519'],
  ciphersC2s: ['aes128-ctr'], ciphersS2c: ['aes128-ctr'],
  macsC2s: ['hmac-sha2-256'], macsS2c: ['hmac-sha2-256'],
  compressionC2s: ['none'], compressionS2c: ['none'],
  languagesC2s: [], languagesS2c: [], firstKexFollows: false,
};

export function ed25519Blob(): Buffer {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'der', type: 'spki' })).subarray(-32);
  return Buffer.concat([encString('ssh-ed25519'), encString(raw)]);
}

export function x25519Public(): Buffer {
  const { publicKey } = generateKeyPairSync('x25519');
  return Buffer.from(publicKey.export({ format: 'der', type: 'spki' })).subarray(-32);
}

/**
 * A genuine curve25519-sha256 reply signed with a fresh ed25519 host key. H is built here by
 * hand from the RFC 8731/4253 field list (not with the client's exchangeHash), so the client's
 * hash and verification are checked against an independent construction.
 */
export function signedReply(clientIdent: string, serverIdent: string, clientKexInit: Buffer, serverKexInit: Buffer, clientInit: Buffer, corrupt = false): Buffer {
  const host = generateKeyPairSync('ed25519');
  const hostRaw = Buffer.from(host.publicKey.export({ format: 'der', type: 'spki' })).subarray(-32);
  const blob = Buffer.concat([encString('ssh-ed25519'), encString(hostRaw)]);
  const eph = generateKeyPairSync('x25519');
  const qs = Buffer.from(eph.publicKey.export({ format: 'der', type: 'spki' })).subarray(-32);
  const qc = clientInit.subarray(5, 5 + clientInit.readUInt32BE(1));
  const clientKey: KeyObject = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b656e032100', 'hex'), qc]), format: 'der', type: 'spki' });
  const k = diffieHellman({ privateKey: eph.privateKey, publicKey: clientKey });
  let kMag = k.subarray(k.findIndex((b) => b !== 0));
  if (((kMag[0] ?? 0) & 0x80) !== 0) kMag = Buffer.concat([Buffer.from([0]), kMag]);
  const h = createHash('sha256').update(Buffer.concat([
    encString(clientIdent), encString(serverIdent), encString(clientKexInit), encString(serverKexInit),
    encString(blob), encString(qc), encString(qs), encString(kMag),
  ])).digest();
  const sigRaw = sign(null, h, host.privateKey);
  if (corrupt) sigRaw[0] = (sigRaw[0] ?? 0) ^ 1;
  const sig = Buffer.concat([encString('ssh-ed25519'), encString(sigRaw)]);
  return Buffer.concat([Buffer.from([31]), encString(blob), encString(qs), encString(sig)]);
}

export function kexReply(hostKeyBlob: Buffer, serverValue: Buffer = x25519Public(), trailing = Buffer.alloc(0)): Buffer {
  const sig = Buffer.concat([encString('ssh-ed25519'), encString(Buffer.alloc(64, 9))]);
  return Buffer.concat([Buffer.from([31]), encString(hostKeyBlob), encString(serverValue), encString(sig), trailing]);
}

/** Starts the server on 127.0.0.1:random; `raw` replaces the whole script with a custom handler. */
export async function startFakeServer(handler: (s: Socket) => void): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    handler(s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const a = server.address();
  const port = typeof a === 'object' && a !== null ? a.port : 0;
  return {
    server, port,
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

export function fakeSshHandler(opts: FakeSshOptions = {}): (s: Socket) => void {
  return (s) => {
    const serverIdent = opts.ident ?? 'SSH-2.0-FakeSSH_1.0 test';
    const serverKexInit = encodeKexInit(opts.kexInit ?? FAKE_KEXINIT);
    s.write(`${serverIdent}\r\n`);
    s.write(encodePacket(serverKexInit));
    let buf = Buffer.alloc(0);
    let clientIdent: string | undefined;
    let clientKexInit = Buffer.alloc(0);
    let packets = 0;
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (clientIdent === undefined) {
        const nl = buf.indexOf(0x0a);
        if (nl < 0) return;
        clientIdent = buf.subarray(0, nl).toString('latin1').replace(/\r$/, '');
        buf = buf.subarray(nl + 1);
      }
      for (;;) {
        const p = decodePacket(buf);
        if (p === null) return;
        buf = buf.subarray(p.used);
        packets++;
        const payload = Buffer.from(p.payload);
        if (payload[0] === 20) clientKexInit = payload;
        if (payload[0] === 30) {
          s.write(encodePacket(opts.reply ? opts.reply(payload) : signedReply(clientIdent, serverIdent, clientKexInit, serverKexInit, payload, opts.badSignature)));
        }
        if (packets > 10) s.destroy();
      }
    });
  };
}
