import { SakimoriError } from '../errors.js';
import { u32be, u32le } from './record-parser.js';
import { PCAP_MAGIC_NS, PCAP_MAGIC_US } from './pcap/pcap-parser.js';
import { PCAPNG_SHB } from './pcapng/pcapng-parser.js';

const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Bytes `captureFormat` wants to see: a pcapng SHB's type, length and byte-order magic. */
export const FORMAT_PROBE_BYTES = 12;

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * Which capture format the first bytes announce; CAPTURE_BAD_MAGIC naming the file otherwise.
 * `head` holds FORMAT_PROBE_BYTES bytes unless the input is shorter.
 */
export function captureFormat(head: Uint8Array, name: string): 'pcap' | 'pcapng' {
  if (head.length === 0) throw new SakimoriError('CAPTURE_BAD_MAGIC', 'the input is empty', { file: name });
  if (head.length >= 4) {
    const le = u32le(head, 0);
    const be = u32be(head, 0);
    if (le === PCAP_MAGIC_US || le === PCAP_MAGIC_NS || be === PCAP_MAGIC_US || be === PCAP_MAGIC_NS) return 'pcap';
    if (le === PCAPNG_SHB) {
      // Too short to hold the byte-order magic: a pcapng file cut in its first block.
      if (head.length < FORMAT_PROBE_BYTES) return 'pcapng';
      if (u32le(head, 8) === PCAPNG_BYTE_ORDER_MAGIC || u32be(head, 8) === PCAPNG_BYTE_ORDER_MAGIC) return 'pcapng';
      throw new SakimoriError('CAPTURE_BAD_MAGIC', 'a pcapng section header with an unknown byte-order magic', { file: name });
    }
  }
  const hex = Array.from(head.subarray(0, 4), (x) => x.toString(16).padStart(2, '0')).join(' ');
  throw new SakimoriError('CAPTURE_BAD_MAGIC', `starts with ${hex}`, { file: name });
}
