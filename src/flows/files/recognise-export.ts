/**
 * Which flow-export protocol a UDP payload carries, by its content alone (files of export
 * datagrams use any port). NetFlow v5, v9 and IPFIX start with a 16-bit version (5, 9, 10);
 * sFlow v5 with a 32-bit one, so its first two bytes are 0 and it cannot be taken for NetFlow
 * v5. Each is also checked for a plausible structure, so that DNS, QUIC and the like are
 * not taken for exports.
 */
import type { ExportProtocol } from '../datagram.js';
import { u16be, u32be } from '../../sources/record-parser.js';

const NETFLOW5_HEADER = 24;
const NETFLOW5_RECORD = 48;
/** Cisco's limit of records in a v5 datagram. */
const NETFLOW5_MAX_COUNT = 30;
const NETFLOW9_HEADER = 20;
const IPFIX_HEADER = 16;
const SFLOW_SAMPLE_HEADER = 8;

export function recogniseExport(d: Uint8Array): ExportProtocol | null {
  if (d.length < 8) return null;
  const version16 = u16be(d, 0);
  if (version16 === 5) {
    const count = u16be(d, 2);
    const need = NETFLOW5_HEADER + NETFLOW5_RECORD * count;
    // A cut datagram is still NetFlow v5 (its decoder counts the cut); trailing padding is allowed.
    return count >= 1 && count <= NETFLOW5_MAX_COUNT && d.length >= NETFLOW5_HEADER && d.length < need + NETFLOW5_RECORD ? 'netflow5' : null;
  }
  if (version16 === 9) {
    if (d.length < NETFLOW9_HEADER + 4) return null;
    // The first flowset: a template (0), an options template (1) or data (≥ 256), with a length that fits.
    const id = u16be(d, NETFLOW9_HEADER);
    const len = u16be(d, NETFLOW9_HEADER + 2);
    return (id <= 1 || id >= 256) && len >= 4 && len <= d.length - NETFLOW9_HEADER ? 'netflow9' : null;
  }
  if (version16 === 10) {
    if (d.length < IPFIX_HEADER + 4 || u16be(d, 2) !== d.length) return null;
    const id = u16be(d, IPFIX_HEADER);
    const len = u16be(d, IPFIX_HEADER + 2);
    return (id === 2 || id === 3 || id >= 256) && len >= 4 && len <= d.length - IPFIX_HEADER ? 'ipfix' : null;
  }
  if (version16 === 0 && u32be(d, 0) === 5) {
    const type = d.length >= 8 ? u32be(d, 4) : 0;
    const header = type === 1 ? 28 : type === 2 ? 40 : 0;
    if (header === 0 || d.length < header) return null;
    const samples = u32be(d, header - 4);
    return samples * SFLOW_SAMPLE_HEADER <= d.length - header ? 'sflow5' : null;
  }
  return null;
}
