import { SakimoriError } from '../errors.js';
import { u32be, u32le } from './record-parser.js';
import { isPcapMagic } from './pcap/pcap-parser.js';
import { PCAPNG_SHB } from './pcapng/pcapng-parser.js';

const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Bytes `captureFormat` wants to see: a pcapng SHB's type, length and byte-order magic. */
export const FORMAT_PROBE_BYTES = 12;

/** Inputs that tshark opens and this reader does not, by their first bytes: a clearer error. */
const OTHER_FORMATS: [number[], string][] = [
  [[0x28, 0xb5, 0x2f, 0xfd], 'zstd-compressed: decompress it first (zstd -dc)'],
  [[0x04, 0x22, 0x4d, 0x18], 'lz4-compressed: decompress it first (lz4 -dc)'],
  [[0xfd, 0x37, 0x7a, 0x58], 'xz-compressed: decompress it first (xz -dc)'],
  [[0x42, 0x5a, 0x68], 'bzip2-compressed: decompress it first (bzip2 -dc)'],
  [[0x73, 0x6e, 0x6f, 0x6f, 0x70], 'a Solaris snoop capture: convert it (editcap -F pcap)'],
];

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
    if (isPcapMagic(le) || isPcapMagic(be)) return 'pcap';
    if (le === PCAPNG_SHB) {
      // Too short to hold the byte-order magic: a pcapng file cut in its first block.
      if (head.length < FORMAT_PROBE_BYTES) return 'pcapng';
      if (u32le(head, 8) === PCAPNG_BYTE_ORDER_MAGIC || u32be(head, 8) === PCAPNG_BYTE_ORDER_MAGIC) return 'pcapng';
      throw new SakimoriError('CAPTURE_BAD_MAGIC', 'a pcapng section header with an unknown byte-order magic', { file: name });
    }
  }
  const hex = Array.from(head.subarray(0, 4), (x) => x.toString(16).padStart(2, '0')).join(' ');
  const known = OTHER_FORMATS.find(([m]) => m.length <= head.length && m.every((x, k) => head[k] === x))?.[1];
  throw new SakimoriError('CAPTURE_BAD_MAGIC', known ? `${known} (starts with ${hex})` : `starts with ${hex}`, { file: name });
}
