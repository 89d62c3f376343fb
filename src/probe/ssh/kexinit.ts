/**
 * SSH_MSG_KEXINIT (RFC 4253 §7.1) and HASSH. hassh-server (Salesforce) is the MD5 of
 * "kex_algorithms;encryption_algorithms_server_to_client;mac_algorithms_server_to_client;
 * compression_algorithms_server_to_client", each list as sent (comma-separated, in order).
 */
import { createHash, randomBytes } from 'node:crypto';
import { WireError, WireReader, encNameList } from './wire.js';

export const MSG_KEXINIT = 20;

export interface KexInit {
  readonly cookie: Buffer;
  readonly kex: string[];
  readonly hostKey: string[];
  readonly ciphersC2s: string[];
  readonly ciphersS2c: string[];
  readonly macsC2s: string[];
  readonly macsS2c: string[];
  readonly compressionC2s: string[];
  readonly compressionS2c: string[];
  readonly languagesC2s: string[];
  readonly languagesS2c: string[];
  readonly firstKexFollows: boolean;
}

export function parseKexInit(payload: Buffer): KexInit {
  const r = new WireReader(payload);
  const type = r.byte('message type');
  if (type !== MSG_KEXINIT) throw new WireError(`expected SSH_MSG_KEXINIT (20), got message ${type}`, 0);
  const cookie = Buffer.from(r.raw(16, 'cookie'));
  const k: KexInit = {
    cookie,
    kex: r.nameList('kex_algorithms'),
    hostKey: r.nameList('server_host_key_algorithms'),
    ciphersC2s: r.nameList('encryption_algorithms_client_to_server'),
    ciphersS2c: r.nameList('encryption_algorithms_server_to_client'),
    macsC2s: r.nameList('mac_algorithms_client_to_server'),
    macsS2c: r.nameList('mac_algorithms_server_to_client'),
    compressionC2s: r.nameList('compression_algorithms_client_to_server'),
    compressionS2c: r.nameList('compression_algorithms_server_to_client'),
    languagesC2s: r.nameList('languages_client_to_server'),
    languagesS2c: r.nameList('languages_server_to_client'),
    firstKexFollows: r.bool('first_kex_packet_follows'),
  };
  r.uint32('reserved');
  return k;
}

export function encodeKexInit(k: Omit<KexInit, 'cookie'> & { cookie?: Buffer }): Buffer {
  return Buffer.concat([
    Buffer.from([MSG_KEXINIT]),
    k.cookie ?? randomBytes(16),
    encNameList(k.kex), encNameList(k.hostKey),
    encNameList(k.ciphersC2s), encNameList(k.ciphersS2c),
    encNameList(k.macsC2s), encNameList(k.macsS2c),
    encNameList(k.compressionC2s), encNameList(k.compressionS2c),
    encNameList(k.languagesC2s), encNameList(k.languagesS2c),
    Buffer.from([k.firstKexFollows ? 1 : 0]),
    Buffer.alloc(4),
  ]);
}

/** The string hassh-server hashes. */
export function hasshServerAlgorithms(k: KexInit): string {
  return [k.kex, k.ciphersS2c, k.macsS2c, k.compressionS2c].map((l) => l.join(',')).join(';');
}

export function hasshServer(k: KexInit): string {
  return createHash('md5').update(hasshServerAlgorithms(k)).digest('hex');
}
