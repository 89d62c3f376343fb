/**
 * Stores a FlowBatch in `flows_raw` as one Native block (no per-flow JS object), each record
 * oriented (orient.ts) and stamped with the time of ingest and its retention. The insert carries
 * a deduplication token: the same batch sent again with the same token and `storedAtMs` (a retry
 * after a crash) is stored once. Partitions are days of `stored_at`, and ClickHouse deduplicates
 * within a partition, so a caller keeps `storedAtMs` with its batch record and retries with it;
 * a whole file ingested again is refused by the state store's batch records before it gets here.
 */
import type { EventsStore } from '../../store/types.js';
import type { CidrSet } from '../../net/cidr-set.js';
import { bytesOf, layoutColumns, nativeChunks, nativeStructure } from '../../ingest/native-block.js';
import type { FlowBatch } from '../flow-batch.js';
import { orient, sourceIsClient, DIR } from './orient.js';

export interface WriteFlowsOptions {
  /** Deduplication token of this batch (e.g. file digest + chunk number). */
  readonly token: string;
  /** Raw-flow retention in days, counted from `storedAtMs` (default 7). */
  readonly keepDays?: number;
  /** Retention of the hourly aggregates these records feed (flow_server_hour, flow_exporter_hour), default 400. */
  readonly aggregateKeepDays?: number;
  readonly storedAtMs?: number;
  readonly internal?: CidrSet | null;
}

const LAYOUT = [
  { name: 'stored_at', type: "DateTime('UTC')" },
  { name: 'keep_days', type: 'UInt16' },
  { name: 'start', type: "DateTime64(3, 'UTC')" },
  { name: 'end', type: "DateTime64(3, 'UTC')" },
  { name: 'kind', type: 'UInt8' },
  { name: 'exporter', type: 'IPv6' },
  { name: 'domain', type: 'UInt32' },
  { name: 'src', type: 'IPv6' },
  { name: 'dst', type: 'IPv6' },
  { name: 'sport', type: 'UInt16' },
  { name: 'dport', type: 'UInt16' },
  { name: 'proto', type: 'UInt8' },
  { name: 'tcp_flags', type: 'UInt8' },
  { name: 'octets', type: 'UInt64' },
  { name: 'packets', type: 'UInt64' },
  { name: 'rev_octets', type: 'UInt64' },
  { name: 'rev_packets', type: 'UInt64' },
  { name: 'sampling', type: 'UInt32' },
  { name: 'in_if', type: 'UInt32' },
  { name: 'out_if', type: 'UInt32' },
  { name: 'src_as', type: 'UInt32' },
  { name: 'dst_as', type: 'UInt32' },
  { name: 'client', type: 'IPv6' },
  { name: 'server', type: 'IPv6' },
  { name: 'server_port', type: 'UInt16' },
  { name: 'dir', type: 'UInt8' },
  { name: 'agg_keep_days', type: 'UInt16' },
] as const;

export const FLOWS_RAW_COLUMNS = LAYOUT.map((c) => c.name).join(', ');

/** A column of doubles as UInt64 words (exact below 2^53). */
function u64(xs: Float64Array, n: number): Uint8Array {
  const w = new Uint32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const v = xs[i] as number;
    const hi = Math.floor(v / 4294967296);
    w[i * 2] = v - hi * 4294967296;
    w[i * 2 + 1] = hi;
  }
  return bytesOf(w, n * 8);
}

/** A column of millisecond doubles as Int64 words. */
function i64(xs: Float64Array, n: number): Uint8Array {
  const w = new Int32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const v = xs[i] as number;
    const hi = Math.floor(v / 4294967296);
    w[i * 2] = (v - hi * 4294967296) | 0;
    w[i * 2 + 1] = hi;
  }
  return bytesOf(w, n * 8);
}

/** Stores the batch's records; returns how many. */
export async function writeFlows(events: EventsStore, b: FlowBatch, opts: WriteFlowsOptions): Promise<number> {
  const n = b.length;
  if (n === 0) return 0;
  const storedAt = new Uint32Array(n).fill(Math.floor((opts.storedAtMs ?? Date.now()) / 1000));
  const keep = new Uint16Array(n).fill(opts.keepDays ?? 7);
  const aggKeep = new Uint16Array(n).fill(opts.aggregateKeepDays ?? 400);
  const client = new Uint8Array(n * 16);
  const server = new Uint8Array(n * 16);
  const serverPort = new Uint16Array(n);
  const dir = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const d = orient(b, i, opts.internal ?? null);
    dir[i] = d;
    const srcClient = d === DIR.unknown || sourceIsClient(d);
    if (srcClient) {
      client.set(b.src16.subarray(i * 16, i * 16 + 16), i * 16);
      server.set(b.dst16.subarray(i * 16, i * 16 + 16), i * 16);
      serverPort[i] = b.dport[i] as number;
    } else {
      client.set(b.dst16.subarray(i * 16, i * 16 + 16), i * 16);
      server.set(b.src16.subarray(i * 16, i * 16 + 16), i * 16);
      serverPort[i] = b.sport[i] as number;
    }
  }
  const cols = layoutColumns(LAYOUT, {
    stored_at: [bytesOf(storedAt, n * 4)], keep_days: [bytesOf(keep, n * 2)], start: [i64(b.startMs, n)], end: [i64(b.endMs, n)],
    kind: [bytesOf(b.kind, n)], exporter: [bytesOf(b.exporter16, n * 16)], domain: [bytesOf(b.domain, n * 4)],
    src: [bytesOf(b.src16, n * 16)], dst: [bytesOf(b.dst16, n * 16)], sport: [bytesOf(b.sport, n * 2)], dport: [bytesOf(b.dport, n * 2)],
    proto: [bytesOf(b.proto, n)], tcp_flags: [bytesOf(b.tcpFlags, n)], octets: [u64(b.octets, n)], packets: [u64(b.packets, n)],
    rev_octets: [u64(b.revOctets, n)], rev_packets: [u64(b.revPackets, n)], sampling: [bytesOf(b.sampling, n * 4)],
    in_if: [bytesOf(b.inIf, n * 4)], out_if: [bytesOf(b.outIf, n * 4)], src_as: [bytesOf(b.srcAs, n * 4)], dst_as: [bytesOf(b.dstAs, n * 4)],
    client: [client], server: [server], server_port: [bytesOf(serverPort, n * 2)], dir: [dir], agg_keep_days: [bytesOf(aggKeep, n * 2)],
  });
  await events.withBatch('Native', nativeStructure(cols), nativeChunks(n, cols), (source) =>
    events.exec(`INSERT INTO flows_raw (${FLOWS_RAW_COLUMNS}) SELECT ${FLOWS_RAW_COLUMNS} FROM ${source}`, {}, {
      insert_deduplication_token: opts.token,
      // The hourly aggregates are views on flows_raw: a retried batch must count once there too.
      deduplicate_blocks_in_dependent_materialized_views: 1,
      min_insert_block_size_rows: n + 1,
      max_insert_block_size: n + 1,
      min_insert_block_size_bytes: 0,
    }),
  );
  return n;
}
