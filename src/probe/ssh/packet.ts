/**
 * The unencrypted SSH binary packet protocol (RFC 4253 §6): before NEWKEYS there is no cipher
 * and no MAC, so a packet is uint32 packet_length, byte padding_length, payload, random padding.
 * We never go past the first key exchange, so this is the whole codec we need.
 */
import { randomBytes } from 'node:crypto';
import { WireError } from './wire.js';

/** RFC 4253 §6.1: implementations must handle packets of total length 35000. */
export const MAX_PACKET_LENGTH = 35000;
const BLOCK = 8;
const MIN_PADDING = 4;

export function encodePacket(payload: Buffer, padding: (n: number) => Buffer = randomBytes): Buffer {
  let pad = BLOCK - ((4 + 1 + payload.length) % BLOCK);
  if (pad < MIN_PADDING) pad += BLOCK;
  const head = Buffer.alloc(5);
  head.writeUInt32BE(1 + payload.length + pad, 0);
  head.writeUInt8(pad, 4);
  return Buffer.concat([head, payload, padding(pad)]);
}

export interface DecodedPacket {
  readonly payload: Buffer;
  /** Bytes of `buf` the packet took. */
  readonly used: number;
}

/**
 * One packet from the start of `buf`, or null when more bytes are needed. Throws WireError for
 * a length over the bound or padding that cannot be right, at the packet's own offset `at`.
 */
export function decodePacket(buf: Buffer, at = 0): DecodedPacket | null {
  if (buf.length < 5) return null;
  const len = buf.readUInt32BE(0);
  if (len > MAX_PACKET_LENGTH) throw new WireError(`packet_length ${len} over the ${MAX_PACKET_LENGTH}-byte bound`, at);
  const pad = buf.readUInt8(4);
  if (len < 1 + MIN_PADDING || pad < MIN_PADDING || pad > len - 1) {
    throw new WireError(`malformed packet (packet_length ${len}, padding_length ${pad})`, at);
  }
  if (buf.length < 4 + len) return null;
  return { payload: buf.subarray(5, 4 + len - pad), used: 4 + len };
}
