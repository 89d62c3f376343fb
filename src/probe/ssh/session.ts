/**
 * Drives one SSH connection as far as the host key: identification exchange, the server's
 * KEXINIT, our KEXINIT, KEX(EC)DH_INIT, the checked reply, then SSH_MSG_DISCONNECT. Never
 * authenticates, never opens a channel. Every read is bounded (bytes, packet length, time).
 */
import type { Socket } from 'node:net';
import { VERSION } from '../../version.js';
import { ByteStream } from './byte-stream.js';
import { takeIdent, type SshIdent } from './ident.js';
import { type KexInit, MSG_KEXINIT, encodeKexInit, hasshServer, hasshServerAlgorithms, parseKexInit } from './kexinit.js';
import { type KexReply, type Negotiated, MSG_KEX_REPLY, clientKexInit, negotiate, parseKexReply, startKex } from './kex.js';
import { decodePacket, encodePacket } from './packet.js';
import { exchangeHash, verifyHostSignature } from './exchange-hash.js';
import { WireError, WireReader, encString, encUint32 } from './wire.js';

export const CLIENT_IDENT = `SSH-2.0-Sakimori_${VERSION}`;
/** Everything a server may send us before the KEX reply (KEXINIT ≤ 35000, reply with RSA-16k keys). */
export const MAX_SESSION_BYTES = 64 * 1024;

const MSG_DISCONNECT = 1;
const MSG_IGNORE = 2;
const MSG_UNIMPLEMENTED = 3;
const MSG_DEBUG = 4;

export interface SshSessionResult {
  ident?: SshIdent;
  kexInit?: KexInit;
  hassh?: string;
  hasshAlgorithms?: string;
  negotiated?: Negotiated;
  reply?: KexReply;
  /** Server's signature over the exchange hash: true/false, or why it was not checked. */
  signatureVerified?: boolean | string;
  /** Set when the session stopped early; fields above hold what was learnt. */
  error?: string;
  timedOut?: boolean;
  /** First bytes seen when no identification was found (for the banner). */
  rawStart?: Buffer;
}

export interface SshSessionOptions {
  readonly readTimeoutMs: number;
  readonly signal?: AbortSignal;
  /** Stop after the server's KEXINIT (no key exchange). */
  readonly kexInitOnly?: boolean;
}

export function disconnectPayload(reason = 11, text = 'Sakimori survey: done'): Buffer {
  return Buffer.concat([Buffer.from([MSG_DISCONNECT]), encUint32(reason), encString(text), encString('')]);
}

/** Reads packets, skipping IGNORE/DEBUG/UNIMPLEMENTED; a server DISCONNECT becomes an error. */
async function nextPayload(s: ByteStream, timeoutMs: number, what: string): Promise<Buffer> {
  for (;;) {
    const payload = await s.read((buf, at) => {
      const p = decodePacket(buf, at);
      return p === null ? null : { value: Buffer.from(p.payload), used: p.used };
    }, timeoutMs, what);
    const type = payload[0];
    if (type === MSG_IGNORE || type === MSG_DEBUG || type === MSG_UNIMPLEMENTED) continue;
    if (type === MSG_DISCONNECT) {
      const r = new WireReader(payload.subarray(1));
      let detail = '';
      try {
        const code = r.uint32('reason code');
        detail = `${code} ${r.string('description').toString('utf8').slice(0, 200)}`;
      } catch { detail = '(unparsable)'; }
      throw new Error(`${what}: server sent DISCONNECT ${detail}`);
    }
    if (type === undefined) throw new WireError(`${what}: empty packet payload`, 0);
    return payload;
  }
}

export async function runSshSession(sock: Socket, opts: SshSessionOptions): Promise<SshSessionResult> {
  const out: SshSessionResult = {};
  const s = new ByteStream(sock, MAX_SESSION_BYTES, opts.signal);
  const t = opts.readTimeoutMs;
  try {
    // Send ours first: RFC 4253 allows both sides to send at once, and some servers wait.
    sock.write(`${CLIENT_IDENT}\r\n`);
    out.ident = await s.read((b) => takeIdent(b), t, 'SSH identification');
    if (!out.ident.protoVersion.startsWith('2.') && out.ident.protoVersion !== '1.99') {
      out.error = `server speaks SSH protocol ${out.ident.protoVersion} only`;
      return out;
    }
    const kexPayload = await nextPayload(s, t, 'server KEXINIT');
    if (kexPayload[0] !== MSG_KEXINIT) throw new Error(`server KEXINIT: got message ${kexPayload[0] ?? '?'} instead`);
    out.kexInit = parseKexInit(kexPayload);
    out.hassh = hasshServer(out.kexInit);
    out.hasshAlgorithms = hasshServerAlgorithms(out.kexInit);
    if (opts.kexInitOnly === true) return out;
    const n = negotiate(out.kexInit);
    if ('error' in n) { out.error = n.error; return out; }
    out.negotiated = n;
    const state = startKex(n.kex);
    const ourKexInit = encodeKexInit(clientKexInit(out.kexInit, n));
    sock.write(Buffer.concat([encodePacket(ourKexInit), encodePacket(state.initPayload)]));
    const replyPayload = await nextPayload(s, t, 'KEX reply');
    if (replyPayload[0] !== MSG_KEX_REPLY) throw new Error(`KEX reply: got message ${replyPayload[0] ?? '?'} instead`);
    out.reply = parseKexReply(replyPayload, state, n);
    try {
      const h = exchangeHash({ clientIdent: CLIENT_IDENT, serverIdent: out.ident.line, clientKexInit: ourKexInit, serverKexInit: kexPayload }, state, out.reply);
      out.signatureVerified = verifyHostSignature(h, out.reply);
    } catch (e) {
      out.signatureVerified = false;
      out.error = `host key signature unreadable: ${e instanceof Error ? e.message : String(e)}`;
    }
    if (out.signatureVerified === false && out.error === undefined) out.error = 'host key signature over the exchange hash does not verify';
    return out;
  } catch (e) {
    out.error = e instanceof Error ? e.message : String(e);
    out.timedOut = e instanceof Error && e.name === 'TimeoutError';
    if (out.ident === undefined) out.rawStart = Buffer.from(s.pending.subarray(0, 1024));
    return out;
  } finally {
    if (!sock.destroyed) {
      if (out.ident !== undefined && out.kexInit !== undefined) sock.write(encodePacket(disconnectPayload()));
      sock.end();
      setTimeout(() => sock.destroy(), 200).unref();
    }
  }
}
