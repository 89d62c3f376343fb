import { createHash } from 'node:crypto';
import { appliesToOf } from '../classify/fingerprints.js';
import { tagCarriers, type Count, type ReportDeps } from './darknet-report.js';
import { chTime, sourceKey } from '../store/events/sql-helpers.js';
import { quote } from '../store/events/sql-literals.js';
import type { TimeWindow } from './time-window.js';

const DAY_MS = 86_400_000;

/**
 * A fingerprint's figures in a window: the sources that carry its tag on a UTC day (decided from
 * all of their packets of that day, the unit of evidence) and sent packets matching it in the
 * window, and those packets. Deciding a day's tags needs every tagged source of the day (seconds
 * for a day of millions of sources), so each day's decisions are kept per hour and bit in
 * darknet_tag_hour (a bitmap of the carriers with hits in the hour and their hits), made the first
 * time a report needs the day and again once the day's data or the fingerprints change: the
 * version is the day's packets in darknet_hourly (an ingest only ever adds packets, and inserts
 * a batch's hourly rows after its per-source rows) and a hash of the fingerprints. A window then
 * reads a few rows per hour.
 */
export async function tagCounts(deps: ReportDeps, hours: TimeWindow): Promise<Map<number, Count>> {
  const fps = deps.fingerprints;
  if (fps.length === 0) return new Map();
  const days: string[] = [];
  for (let d = Math.floor(hours.from.getTime() / DAY_MS); d * DAY_MS < hours.to.getTime(); d++) days.push(new Date(d * DAY_MS).toISOString().slice(0, 10));
  // The versions first: data that arrives meanwhile makes the next report compute again, never
  // a stale day under a new version.
  const settings = fingerprintsHash(deps);
  const current = await deps.events.query<{ day: string; p: number }>(
    `SELECT toString(toDate(hour)) AS day, sum(packets) AS p FROM darknet_hourly
     WHERE hour >= {from:DateTime64(6)} AND hour < {to:DateTime64(6)} GROUP BY day`,
    { from: chTime(new Date(`${days[0]}T00:00:00Z`)), to: chTime(new Date(new Date(`${days[days.length - 1]}T00:00:00Z`).getTime() + DAY_MS)) },
  );
  const wanted = new Map(current.map((r) => [r.day, `${r.p}:${settings}`]));
  if (wanted.size === 0) return new Map();
  // Days and versions inline: a day from toString(Date), a version of digits and hex.
  const dayList = [...wanted.keys()].map((d) => `toDate(${quote(d)})`).join(', ');
  // `d`, not `day`: an alias of that name would be what WHERE compares.
  const made = await deps.events.query<{ d: string; version: string }>(
    `SELECT DISTINCT toString(day) AS d, version FROM darknet_tag_hour WHERE day IN (${dayList})`,
  );
  const have = new Set(made.map((r) => `${r.d} ${r.version}`));
  for (const [day, version] of wanted) if (!have.has(`${day} ${version}`)) await makeDay(deps, day, version);

  const pairs = [...wanted].map(([d, v]) => `(toDate(${quote(d)}), ${quote(v)})`).join(', ');
  const rows = await deps.events.query<{ bit: number; packets: number; sources: number }>(
    `SELECT bit, sum(packets) AS packets, groupBitmapMerge(sources) AS sources FROM darknet_tag_hour
     WHERE (day, version) IN (${pairs}) AND bit < 255 AND hour >= {from:DateTime64(6)} AND hour < {to:DateTime64(6)}
     GROUP BY bit`,
    { from: chTime(hours.from), to: chTime(hours.to) },
  );
  return new Map(rows.map((r) => [r.bit, { sources: Number(r.sources), packets: Number(r.packets) }]));
}

/** Days being made in this process: a second report of the same day waits for the first. */
const making = new Map<string, Promise<void>>();

function makeDay(deps: ReportDeps, day: string, version: string): Promise<void> {
  const key = `${day} ${version}`;
  const running = making.get(key);
  if (running) return running;
  const p = insertDay(deps, day, version).finally(() => making.delete(key));
  making.set(key, p);
  return p;
}

async function insertDay(deps: ReportDeps, day: string, version: string): Promise<void> {
  const fps = deps.fingerprints;
  const params = { from: chTime(new Date(`${day}T00:00:00Z`)), to: chTime(new Date(new Date(`${day}T00:00:00Z`).getTime() + DAY_MS)), day, version };
  const hitRows = `SELECT hour, src, tag_hits.1 AS bs, tag_hits.2 AS hs FROM darknet_source_hour
                   WHERE hour >= {from:DateTime64(6)} AND hour < {to:DateTime64(6)} AND notEmpty(tag_hits.1)`;
  // The day's decisions for the sources with a hit that day (the others cannot carry a tag).
  const carriers = tagCarriers(fps, 'src IN (SELECT src FROM darknet_source_day WHERE day = toDate({from:DateTime64(6)}) AND notEmpty(tag_hits.1))', 'src');
  // Rows come in (hour, src) order, so each hour's bitmap is built by appending. Bit 255 marks
  // the day as made (a day may have no carriers at all). The same day and version is one block
  // with one token: made twice at once, it is stored once.
  await deps.events.exec(
    `INSERT INTO darknet_tag_hour (day, version, hour, bit, packets, sources)
     SETTINGS insert_deduplication_token = ${quote(`tag-hour:${day}:${version}`)}
     SELECT toDate({day:String}), {version:String}, hour, bit, sum(hits), groupBitmapState(${sourceKey('src')})
     FROM (${hitRows}) ARRAY JOIN bs AS bit, hs AS hits
     WHERE (src, bit) IN (${carriers})
     GROUP BY hour, bit
     UNION ALL
     SELECT toDate({day:String}), {version:String}, toDateTime(toDate({day:String}), 'UTC'), 255, 0, arrayReduce('groupBitmapState', emptyArrayUInt64())`,
    params,
  );
}

function fingerprintsHash(deps: ReportDeps): string {
  return createHash('sha256')
    .update(JSON.stringify(deps.fingerprints.map((f) => [f.name, f.bit, f.test, appliesToOf(f), f.minShare, f.validFrom, f.validTo])))
    .digest('hex')
    .slice(0, 16);
}
