/**
 * Walks the whole MMDB search tree and reports every network that has data, as a range.
 *
 * In an IPv6 tree, IPv4 lives at ::/96 and is reported as IPv4 ranges. ::ffff:0:0/96, 2002::/16
 * (6to4) and, in MaxMind's own files, 2001::/32 (Teredo) point back into that IPv4 subtree
 * (aliases): every record leading to the IPv4 subtree from elsewhere is skipped, so that the same
 * data is not reported again as IPv6.
 *
 * Defensive against corrupt trees: a record pointing past the data section is reported as a bad
 * record and skipped; a node found at full depth or a tree that visits more nodes than it has
 * (cycles, sharing) stops the walk with an error.
 */
import type { MmdbLayout } from './metadata.js';

export interface TreeVisitor {
  /** A network with data: `dataOffset` is relative to the data section. */
  range4(start: number, end: number, dataOffset: number): void;
  range6(start: bigint, end: bigint, dataOffset: number): void;
  /** A record that points nowhere valid; `where` says which network. */
  badRecord(where: string, reason: string): void;
}

const IPV4_SPACE = 1n << 32n;

export function walkTree(bytes: Uint8Array, layout: MmdbLayout, visitor: TreeVisitor): void {
  const { nodeCount, recordSize } = layout;
  const dataSize = layout.dataEnd - layout.dataStart;
  let visits = 0;
  const maxVisits = nodeCount + 1;

  const record = (node: number, right: 0 | 1): number => {
    if (++visits > maxVisits * 2) throw new Error('search tree revisits nodes (cycle or shared subtrees)');
    const b = bytes;
    if (recordSize === 24) {
      const at = node * 6 + right * 3;
      return (b[at] << 16) | (b[at + 1] << 8) | b[at + 2];
    }
    if (recordSize === 28) {
      const at = node * 7;
      if (right === 0) return ((b[at + 3] & 0xf0) << 20) | (b[at] << 16) | (b[at + 1] << 8) | b[at + 2];
      return ((b[at + 3] & 0x0f) << 24) | (b[at + 4] << 16) | (b[at + 5] << 8) | b[at + 6];
    }
    const at = node * 8 + right * 4;
    return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
  };

  /** The data offset of a leaf record, or -1 (and a bad-record report) when it points nowhere. */
  const dataOffset = (value: number, where: () => string): number => {
    const offset = value - nodeCount - 16;
    if (offset < 0 || offset >= dataSize) {
      visitor.badRecord(where(), `record ${value} points outside the data section`);
      return -1;
    }
    return offset;
  };

  const walk4 = (value: number, depth: number, prefix: number): void => {
    if (value === nodeCount) return; // no data here
    if (value > nodeCount) {
      const size = 2 ** (32 - depth);
      const offset = dataOffset(value, () => `${prefix}/${depth} (IPv4)`);
      if (offset >= 0) visitor.range4(prefix, prefix + size - 1, offset);
      return;
    }
    if (depth === 32) {
      visitor.badRecord(`${prefix}/32 (IPv4)`, 'search tree is deeper than 32 bits');
      return;
    }
    walk4(record(value, 0), depth + 1, prefix);
    walk4(record(value, 1), depth + 1, prefix + 2 ** (31 - depth));
  };

  // Found first by following 96 zero bits, so that aliases to it can be recognised exactly.
  let ipv4Node = -1;
  if (layout.ipVersion === 6) {
    let v = 0;
    for (let d = 0; d < 96 && v < nodeCount; d++) v = record(v, 0);
    visits = 0;
    ipv4Node = v < nodeCount ? v : -1;
  }

  const walk6 = (value: number, depth: number, prefix: bigint): void => {
    if (value === nodeCount) return;
    if (value > nodeCount) {
      const offset = dataOffset(value, () => `${prefix.toString(16)}/${depth} (IPv6 as hex)`);
      if (offset < 0) return;
      const end = prefix | ((1n << BigInt(128 - depth)) - 1n);
      // A network covering ::/96 carries IPv4 data too.
      if (end < IPV4_SPACE) visitor.range4(Number(prefix), Number(end), offset);
      else if (prefix < IPV4_SPACE) {
        visitor.range4(0, 0xffffffff, offset);
        visitor.range6(IPV4_SPACE, end, offset);
      } else visitor.range6(prefix, end, offset);
      return;
    }
    if (depth === 96 && prefix === 0n) return walk4(value, 0, 0);
    if (value === ipv4Node) return; // an alias, see above
    if (depth === 128) {
      visitor.badRecord(`${prefix.toString(16)}/128`, 'search tree is deeper than 128 bits');
      return;
    }
    walk6(record(value, 0), depth + 1, prefix);
    walk6(record(value, 1), depth + 1, prefix | (1n << BigInt(127 - depth)));
  };

  if (layout.ipVersion === 4) walk4(0, 0, 0);
  else walk6(0, 0, 0n);
}
