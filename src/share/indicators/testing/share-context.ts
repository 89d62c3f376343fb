/** An application context on a fresh data directory, and darknet rows, for the indicators' tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema, type ConfigInput } from '../../../config/schema.js';
import { openContext, type AppContext } from '../../../app/context.js';

export interface ShareContext { ctx: AppContext; dir: string; dispose(): Promise<void> }

export async function shareContext(name: string, config: ConfigInput = {}): Promise<ShareContext> {
  const dir = mkdtempSync(join(tmpdir(), `sakimori-${name}-`));
  const ctx = await openContext(configSchema.parse({ ...config, dataDir: dir }));
  return { ctx, dir, dispose: async () => { await ctx.close(); rmSync(dir, { recursive: true, force: true }); } };
}

/** A darknet source's day, as the ingest would have aggregated it. */
export function darknetDay(ctx: AppContext, r: { ip: string; day: string; scan?: number; backscatter?: number; other?: number; hits?: Record<number, number>; hour?: string }): Promise<void> {
  const scan = r.scan ?? 0, back = r.backscatter ?? 0, other = r.other ?? 0;
  const hits = Object.entries(r.hits ?? {});
  return ctx.events.exec(
    `INSERT INTO darknet_source_day (day, sensor, src, first_seen, last_seen, packets, pkts_scan, pkts_backscatter, pkts_other, tag_hits, ports, dsts, asn, country)
     VALUES ({d:Date}, 'default', toIPv6({ip:String}), {t:DateTime64(6)}, {t2:DateTime64(6)}, {p:UInt64}, {s:UInt64}, {b:UInt64}, {o:UInt64},
             ({bits:Array(UInt8)}, {hs:Array(UInt64)}), ([], []), ([], []), 0, '')`,
    {
      d: r.day, ip: r.ip, t: `${r.day} ${r.hour ?? '10:00:00'}`, t2: `${r.day} ${r.hour ?? '10:00:00'}.5`,
      p: scan + back + other, s: scan, b: back, o: other,
      bits: hits.map(([b]) => Number(b)), hs: hits.map(([, h]) => h),
    },
  );
}
