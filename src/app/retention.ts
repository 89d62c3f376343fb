import type { EventsStore } from '../store/types.js';

/** Re-applies the raw-packet retention when the configuration changed it. */
export async function applyRetention(events: EventsStore, days: number): Promise<void> {
  const [row] = await events.query<{ q: string }>(
    "SELECT create_table_query AS q FROM system.tables WHERE database = currentDatabase() AND name = 'darknet_packets'",
  );
  if (!row || row.q.includes(`INTERVAL ${days} DAY`)) return;
  await events.exec(`ALTER TABLE darknet_packets MODIFY TTL toDateTime(ts) + INTERVAL ${Math.trunc(days)} DAY`, undefined, {
    materialize_ttl_after_modify: 0,
  });
}
