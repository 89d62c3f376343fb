/**
 * Issue 16 figure: indicators for 1,000,000 tagged scanner sources generated and published
 * (≤ 60 s). Input: `--sources N` (default 1,000,000) darknet sources of one day, written straight
 * into darknet_source_day (public addresses from 45.0.0.0, a third Mirai-tagged, a third Masscan,
 * a third ZMap). Measures generation alone (a dry run: read the darknet, read the state, decide,
 * build the objects) and the whole publish into a fresh collection (the same plus storing every
 * object through the object store and the indicators' state), with milliseconds per stage, then
 * a second publish with nothing new (must store nothing). JSON lines.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/util/package-root.js';
import { configSchema } from '../src/config/schema.js';
import { openContext } from '../src/app/context.js';
import { peerPrincipal } from '../src/api/auth-plugin.js';
import { createCollection } from '../src/share/taxii/collections.js';
import { generateIndicators, objectsOf } from '../src/share/indicators/generate.js';
import { publishIndicators } from '../src/share/indicators/publish.js';
import { argValue, emit } from './lib.js';

const n = Number(argValue('sources', '1000000'));
const dir = join(packageRoot(), 'bench', 'out', 'share-indicators-data');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const ctx = await openContext(configSchema.parse({ dataDir: dir, log: { level: 'silent' } }));
try {
  const day = '2026-11-10';
  const window = { from: new Date(`${day}T00:00:00Z`), to: new Date('2026-11-11T00:00:00Z') };
  const now = new Date('2026-11-11T01:00:00Z');
  const t0 = Date.now();
  // 40 scan packets each, all matching the source's tool (bit number % 3).
  await ctx.events.exec(
    `INSERT INTO darknet_source_day (day, sensor, src, first_seen, last_seen, packets, pkts_scan, pkts_backscatter, pkts_other, tag_hits, ports, dsts, asn, country)
     SELECT toDate({d:String}), 'default', toIPv6(IPv4NumToString(toUInt32(754974720 + number))),
            toDateTime64({d:String}, 6, 'UTC') + toIntervalSecond(number % 86400), toDateTime64({d:String}, 6, 'UTC') + toIntervalSecond(number % 86400 + 60),
            40, 40, 0, 0, ([toUInt8(number % 3)], [toUInt64(40)]), ([], []), ([], []), 0, ''
     FROM numbers({n:UInt64})`,
    { d: day, n },
  );
  emit({ bench: 'share-indicators-input', sources: n, loadSeconds: (Date.now() - t0) / 1000 });

  // Generation alone, objects built a chunk at a time as publish builds them (all 1.3M at once
  // ran a 1M-source run out of its 4 GB heap).
  {
    const g0 = performance.now();
    const g = await generateIndicators(
      { events: ctx.events, state: ctx.state, fingerprints: ctx.fingerprinter.fingerprints },
      { scope: 'bench-dry-run', window, tlp: 'green', now, dryRun: true, withObjects: false, dosMinPackets: ctx.config.darknet.dos.minPackets },
    );
    const o0 = performance.now();
    let objects = 0;
    for (let i = 0; i === 0 || i < g.next.length; i += 5000) objects += objectsOf(g.hub, g.next, i, i + 5000).length;
    const stagesMs = { ...g.timings, objects: Math.round(performance.now() - o0) };
    emit({ bench: 'share-indicators-generate', sources: g.sources, indicators: g.created, objects, seconds: (performance.now() - g0) / 1000, stagesMs });
  }

  const who = peerPrincipal();
  const col = await createCollection(ctx.state, { title: 'Scanners (bench)' }, who);
  const p0 = performance.now();
  const r = await publishIndicators(ctx, who, { collection: col.id, tlp: 'green', window, dryRun: false, now });
  emit({ bench: 'share-indicators-publish', sources: r.sources, indicators: r.created, objects: r.objects, stored: r.stored, failures: r.failures.length, seconds: (performance.now() - p0) / 1000, limitSeconds: 60, stagesMs: r.timings });

  const a0 = performance.now();
  const again = await publishIndicators(ctx, who, { collection: col.id, tlp: 'green', window, dryRun: false, now: new Date(now.getTime() + 3_600_000) });
  emit({ bench: 'share-indicators-republish', created: again.created, updated: again.updated, unchanged: again.unchanged, objects: again.objects, seconds: (performance.now() - a0) / 1000 });
} finally {
  await ctx.close();
  rmSync(dir, { recursive: true, force: true });
}
