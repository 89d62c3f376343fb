import type { EventsStore } from '../store/types.js';
import { quote } from '../store/events/sql-literals.js';

/**
 * Tables whose rows expire with the raw packets, each by its own `stored_at` (migration 007 for
 * the packets; the packet keys of the overlap check live exactly as long, migration 009).
 */
export const RETAINED_TABLES = ['darknet_packets', 'darknet_packet_keys'] as const;

/**
 * The raw-packet TTL: `days` after each row was stored, never after its packet was captured, so a
 * capture from years ago keeps its raw rows as long as a live one.
 */
export function storedTtl(days: number): string {
  return `stored_at + INTERVAL ${Math.trunc(days)} DAY`;
}

/**
 * The retention for the cluster DDL (`sakimori store cluster-ddl`): the configured days on the local
 * tables behind the Distributed ones, for the retained tables that `ddl` creates. The migrations
 * carry the default; a server started on the cluster re-applies the configuration the same way.
 */
export function clusterRetentionDdl(ddl: readonly string[], days: number, cluster = '{cluster}'): string[] {
  return RETAINED_TABLES.filter((t) => ddl.some((s) => s.startsWith(`CREATE TABLE IF NOT EXISTS ${t}_local `)))
    .map((t) => `ALTER TABLE ${t}_local ON CLUSTER ${quote(cluster)} MODIFY TTL ${storedTtl(days)}`);
}

interface TableRow { name: string; engine: string; engine_full: string; create_table_query: string }

/** Where a table's rows live: the table itself, or on a cluster the Distributed table's local one. */
export interface RetentionTarget { table: string; onCluster?: string }

/**
 * `Distributed('cluster', 'db', 'darknet_packets_local', key)` → the local table and its cluster
 * (the cluster DDL, store/cluster-ddl.ts, keeps the rows there); any other table is its own.
 */
export function retentionTarget(row: Pick<TableRow, 'name' | 'engine' | 'engine_full'>): RetentionTarget {
  if (row.engine !== 'Distributed') return { table: row.name };
  const args = /^Distributed\(\s*'((?:[^'\\]|\\.)*)'\s*,\s*[^,]+,\s*['`]?([A-Za-z_][A-Za-z0-9_]*)/.exec(row.engine_full);
  if (!args) throw new Error(`${row.name} is a Distributed table whose engine could not be read: ${row.engine_full}`);
  return { table: args[2] as string, onCluster: (args[1] as string).replace(/\\(.)/g, '$1') };
}

/** The TTL a CREATE statement names, or '' (ClickHouse writes `INTERVAL n DAY` as `toIntervalDay(n)`). */
export function currentTtl(createQuery: string): string {
  return (/\bTTL\s+([\s\S]*?)\s*(?:\bSETTINGS\b|$)/.exec(createQuery)?.[1] ?? '').replace(/\s+/g, ' ').trim();
}

function isStoredTtl(ttl: string, days: number): boolean {
  return ttl === storedTtl(days) || ttl === `stored_at + toIntervalDay(${Math.trunc(days)})`;
}

/**
 * Re-applies the retention at start when the configuration changed it (or a table still has
 * another expression). The expiry of the parts already stored is recomputed: it is kept per part
 * and decides when a part is dropped, so without that a raised retention would still drop old
 * parts at the old time. That reads `stored_at` only (about a second per 20M rows) and happens
 * once per change.
 */
export async function applyRetention(events: EventsStore, days: number): Promise<void> {
  const tables = await events.query<TableRow>(
    'SELECT name, engine, engine_full, create_table_query FROM system.tables WHERE database = currentDatabase() AND name IN {names:Array(String)}',
    { names: [...RETAINED_TABLES] },
  );
  for (const row of tables) {
    const target = retentionTarget(row);
    let create = row.create_table_query;
    if (target.table !== row.name) {
      const [local] = await events.query<{ q: string }>(
        'SELECT create_table_query AS q FROM system.tables WHERE database = currentDatabase() AND name = {t:String}',
        { t: target.table },
      );
      create = local?.q ?? '';
    }
    if (isStoredTtl(currentTtl(create), days)) continue;
    const on = target.onCluster === undefined ? '' : ` ON CLUSTER ${quote(target.onCluster)}`;
    await events.exec(`ALTER TABLE ${target.table}${on} MODIFY TTL ${storedTtl(days)}`, undefined, { mutations_sync: 1 });
  }
}
