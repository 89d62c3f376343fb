/**
 * The packet keys table (`darknet_packet_keys`, events migration 009), declared once: the ingest
 * writes its blocks from this list (ingest/packet-keys.ts) and store/schema-registry.test.ts
 * checks it against a migrated store. See ingest/packet-keys.ts for what a key is.
 */
import type { FieldDef } from './darknet-packet.js';

export const DARKNET_PACKET_KEY_FIELDS: readonly FieldDef[] = [
  { name: 'sensor', ch: 'LowCardinality(String)', doc: 'telescope sensor' },
  { name: 'ts', ch: "DateTime64(6, 'UTC')", doc: 'capture time, microseconds' },
  { name: 'key', ch: 'UInt32', doc: "hash of the packet's stored fields and its rank among identical packets of the same microsecond" },
];
