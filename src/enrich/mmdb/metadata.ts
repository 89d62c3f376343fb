/**
 * Locating and checking the MMDB metadata: the last "\xAB\xCD\xEFMaxMind.com" within the final
 * 128 KiB of the file, followed by a map with the tree's shape.
 */
import { DataDecoder, isMap, MmdbDataError, type MmdbMap } from './data-decoder.js';

export const METADATA_MARKER = Buffer.from([0xab, 0xcd, 0xef, ...Buffer.from('MaxMind.com', 'latin1')]);
const SEARCH_WINDOW = 128 * 1024;

export interface MmdbLayout {
  nodeCount: number;
  recordSize: 24 | 28 | 32;
  ipVersion: 4 | 6;
  databaseType: string;
  /** Byte length of the search tree; the data section starts 16 bytes after it. */
  treeSize: number;
  dataStart: number;
  /** The data section ends where the metadata marker begins. */
  dataEnd: number;
  metadata: MmdbMap;
}

/** Offset of the metadata marker, or -1: also how auto-detection recognises an MMDB file. */
export function findMetadataMarker(bytes: Uint8Array): number {
  const from = Math.max(0, bytes.length - SEARCH_WINDOW);
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset + from, bytes.length - from);
  const at = tail.lastIndexOf(METADATA_MARKER);
  return at < 0 ? -1 : from + at;
}

/** Reads the layout; throws an Error with a plain message when the file is not a usable MMDB. */
export function readLayout(bytes: Uint8Array): MmdbLayout {
  const marker = findMetadataMarker(bytes);
  if (marker < 0) throw new Error('no MaxMind DB metadata marker in the last 128 KiB');
  const metaStart = marker + METADATA_MARKER.length;
  let metadata;
  try {
    metadata = new DataDecoder(bytes, metaStart, bytes.length).decode(0);
  } catch (e) {
    throw new Error(`metadata cannot be decoded: ${e instanceof MmdbDataError ? e.message : String(e)}`);
  }
  if (!isMap(metadata)) throw new Error('metadata is not a map');
  const nodeCount = metadata.node_count;
  const recordSize = metadata.record_size;
  const ipVersion = metadata.ip_version;
  const major = metadata.binary_format_major_version;
  if (typeof nodeCount !== 'number' || !Number.isInteger(nodeCount) || nodeCount < 1) throw new Error('metadata node_count is missing or invalid');
  if (recordSize !== 24 && recordSize !== 28 && recordSize !== 32) throw new Error(`unsupported record_size ${String(recordSize)}`);
  if (ipVersion !== 4 && ipVersion !== 6) throw new Error(`unsupported ip_version ${String(ipVersion)}`);
  if (major !== undefined && major !== 2) throw new Error(`unsupported binary format version ${String(major)}`);
  const treeSize = (nodeCount * recordSize) / 4;
  const dataStart = treeSize + 16;
  if (dataStart > marker) throw new Error(`search tree of ${nodeCount} nodes does not fit in the file`);
  const databaseType = typeof metadata.database_type === 'string' ? metadata.database_type : '';
  return { nodeCount, recordSize, ipVersion, databaseType, treeSize, dataStart, dataEnd: marker, metadata };
}
