/**
 * One MQTT connection attempt for the survey: connect through the probe context, send CONNECT,
 * read one CONNACK (bounded, with the read timeout), and when the server let us in send
 * DISCONNECT at once and close — nothing else is ever sent (no SUBSCRIBE, no PUBLISH). What the
 * peer does never throws; only a scope refusal from the context does (the runner must see it).
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { ProbeContext, ProbeTarget } from '../module.js';
import { ByteStream } from '../ssh/byte-stream.js';
import { DISCONNECT, decodeConnack, decodePacket, encodeConnect, encodeVarint, type Connack, type PacketResult } from './codec.js';
import { tryConnect } from '../try-connect.js';

/** Bytes kept per connection. */
export const MAX_MQTT_BYTES = 64 * 1024;
export const KEEP_ALIVE_SECONDS = 30;

/** `sakimori-` and four random hex digits. */
export function randomClientId(): string {
  return `sakimori-${randomBytes(2).toString('hex')}`;
}

/** Strictly within 3.1.1 §3.1.3.1 (1–23 of [0-9a-zA-Z]), for servers that refuse the hyphen. */
export function strictClientId(): string {
  return `sakimori${randomBytes(4).toString('hex')}`;
}

export interface ExchangeOptions {
  readonly level: 3 | 4 | 5;
  readonly tls: boolean;
  readonly clientId?: string;
  readonly username?: string;
  readonly password?: string;
  /** Set on connections that try credentials (audited). */
  readonly credentialListId?: string;
}

export interface TlsInfo {
  readonly version: string;
  readonly cipher: string;
}

export type Exchange =
  | { readonly kind: 'connack'; readonly connack: Connack; readonly raw: Buffer; readonly tls?: TlsInfo }
  /** Bytes came but they are not a CONNACK (or the CONNACK is broken / cut short). */
  | { readonly kind: 'not-mqtt'; readonly raw: Buffer; readonly error: string; readonly tls?: TlsInfo }
  /** No connection, or no byte before the timeout / close. */
  | { readonly kind: 'failed'; readonly status: 'closed' | 'timeout' | 'error'; readonly error: string; readonly tls?: TlsInfo };


function tlsInfo(sock: Socket | TLSSocket): TlsInfo | undefined {
  if (!('getProtocol' in sock) || typeof sock.getProtocol !== 'function') return undefined;
  return { version: sock.getProtocol() ?? '', cipher: sock.getCipher()?.name ?? '' };
}

/** Sends `last` (if any), half-closes, and makes sure the socket is gone soon after. */
function close(sock: Socket, last?: Buffer): void {
  if (last !== undefined && !sock.destroyed && sock.writable) {
    sock.end(last);
    setTimeout(() => sock.destroy(), 500).unref();
  } else {
    sock.destroy();
  }
}

export async function mqttExchange(target: ProbeTarget, ctx: ProbeContext, o: ExchangeOptions): Promise<Exchange> {
  const c = await tryConnect(target, ctx, 'mqtt', { ...(o.tls ? { tls: true } : {}), ...(o.credentialListId !== undefined ? { credentialListId: o.credentialListId } : {}) });
  if (!('sock' in c)) return { kind: 'failed', status: c.status, error: `connect: ${c.error}` };
  const sock = c.sock;
  const tls = o.tls ? tlsInfo(sock) : undefined;
  const withTls = tls !== undefined ? { tls } : {};
  const stream = new ByteStream(sock, MAX_MQTT_BYTES, ctx.signal);
  const connect = encodeConnect({
    level: o.level, clientId: o.clientId ?? randomClientId(), keepAlive: KEEP_ALIVE_SECONDS, cleanSession: true,
    ...(o.username !== undefined ? { username: o.username } : {}),
    ...(o.password !== undefined ? { password: o.password } : {}),
  });
  let got: PacketResult;
  try {
    sock.write(connect);
    got = await stream.read<PacketResult>((buf) => {
      const r = decodePacket(buf);
      return r.kind === 'incomplete' ? null : { value: r, used: r.kind === 'packet' ? r.used : 0 };
    }, ctx.readTimeoutMs, 'CONNACK');
  } catch (e) {
    const raw = Buffer.from(stream.pending);
    close(sock);
    const msg = e instanceof Error ? e.message : String(e);
    if (stream.received === 0) return { kind: 'failed', status: /no answer within/.test(msg) ? 'timeout' : 'error', error: msg, ...withTls };
    return { kind: 'not-mqtt', raw, error: `${msg}${raw.length > 0 ? ' (cut short)' : ''}`, ...withTls };
  }
  if (got.kind !== 'packet') {
    const raw = Buffer.from(stream.pending);
    close(sock);
    return { kind: 'not-mqtt', raw, error: got.kind === 'malformed' ? got.reason : 'incomplete', ...withTls };
  }
  const raw = Buffer.concat([Buffer.from([(got.packet.type << 4) | got.packet.flags]), encodeVarint(got.packet.body.length), Buffer.from(got.packet.body)]);
  const ack = decodeConnack(got.packet, o.level);
  if (ack.kind === 'malformed') {
    close(sock);
    return { kind: 'not-mqtt', raw, error: ack.reason, ...withTls };
  }
  // Let in: leave at once, politely. Refused: the server closes; we do too.
  close(sock, ack.connack.accepted ? DISCONNECT : undefined);
  return { kind: 'connack', connack: ack.connack, raw, ...withTls };
}
