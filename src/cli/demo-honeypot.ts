/**
 * The demo's honeypots: a synthetic honeypot day (synth/honeypot-day.ts) stored through the one
 * writer of honeypot events, so the console's honeypot and campaign pages have something to show.
 * Its Mirai-like bots are chosen so that the rest of the demo joins up: devices with a default
 * telnet credential inside the demo organisations' constituencies (campaign impact, cases) and
 * other Mirai-tagged darknet sources of the day (host timelines), then made-up ones; the rest of
 * its clients are other sources of the darknet day, so the enrichment knows their AS and country.
 *
 * Recorded in honeypot_files like an ingested file: a complete run is not repeated, and a run
 * killed half-way resumes with the same ingest time and token, so ClickHouse keeps the block once.
 */
import type { AppContext } from '../app/context.js';
import { HONEYPOT_FILE_TABLES as T, beginFile, completedFile, finishFile } from '../ingest/file-batches.js';
import { writeHoneypotEvents } from '../honeypot/store/write-events.js';
import { synthHoneypotDay } from '../synth/honeypot-day.js';
import { ipText } from '../store/events/sql-helpers.js';

const SEED = 18;
const IN_CONSTITUENCIES = 24;
const DARKNET_BOTS = 36;
const OTHERS = 150;

/** Bots: weak telnet devices inside the organisations' prefixes first, then other Mirai-tagged darknet sources. */
async function chooseBots(ctx: AppContext, date: string): Promise<string[]> {
  const weak = (await ctx.events.query<{ ip: string }>(
    `SELECT DISTINCT ${ipText('ip')} AS ip FROM services_current FINAL WHERE weak_credential = 1 AND ip4 != 0 ORDER BY ip LIMIT 2000`,
  )).map((r) => r.ip);
  const inside = weak.length === 0 ? [] : (await ctx.state.query<{ ip: string }>(
    'SELECT DISTINCT host(x) AS ip FROM unnest($1::inet[]) AS x JOIN org_prefixes p ON x <<= p.prefix ORDER BY 1 LIMIT $2',
    [weak, IN_CONSTITUENCIES],
  )).map((r) => r.ip);
  const bit = ctx.fingerprinter.fingerprints.find((f) => f.name === 'mirai')?.bit ?? 0;
  const darknet = (await ctx.events.query<{ ip: string }>(
    `SELECT ${ipText('src')} AS ip FROM darknet_source_day
     WHERE day = {d:Date} AND IPv6CIDRToRange(toIPv6('::ffff:0.0.0.0'), 96).1 <= src AND src <= IPv6CIDRToRange(toIPv6('::ffff:0.0.0.0'), 96).2
       AND has(tag_hits.1, {bit:UInt8})
     GROUP BY src ORDER BY sum(packets) DESC, src LIMIT {n:UInt32}`,
    { d: date, bit, n: DARKNET_BOTS + IN_CONSTITUENCIES },
  )).map((r) => r.ip).filter((ip) => !inside.includes(ip)).slice(0, DARKNET_BOTS);
  return [...inside, ...darknet];
}

/** Everyone else: other sources of the darknet day (not Mirai-tagged), so they have an AS and a country and a darknet past. */
async function chooseOthers(ctx: AppContext, date: string): Promise<string[]> {
  const bit = ctx.fingerprinter.fingerprints.find((f) => f.name === 'mirai')?.bit ?? 0;
  return (await ctx.events.query<{ ip: string }>(
    `SELECT ${ipText('src')} AS ip FROM darknet_source_day
     WHERE day = {d:Date} AND IPv6CIDRToRange(toIPv6('::ffff:0.0.0.0'), 96).1 <= src AND src <= IPv6CIDRToRange(toIPv6('::ffff:0.0.0.0'), 96).2
       AND NOT has(tag_hits.1, {bit:UInt8})
     GROUP BY src ORDER BY sum(packets) DESC, src LIMIT {n:UInt32}`,
    { d: date, bit, n: OTHERS },
  )).map((r) => r.ip);
}

export async function demoHoneypot(ctx: AppContext, date: string): Promise<{ events: number; bots: number; already: boolean }> {
  const key = `demo:synth-honeypot:${date}:${SEED}`;
  const done = await completedFile(ctx.state, T, key);
  if (done !== undefined) return { events: done, bots: 0, already: true };
  const { storedAtMs } = await beginFile(ctx.state, T, { key, name: 'synthetic honeypot day (demo)', batchSize: 0, storedAtMs: Date.now() });
  const bots = await chooseBots(ctx, date);
  const rows = synthHoneypotDay({ date, seed: SEED, bots, others: await chooseOthers(ctx, date) });
  // One block with a token of its own: a resumed run sends the same block and it is kept once.
  const events = await writeHoneypotEvents(ctx.events, rows, { token: `${key}:${storedAtMs}`, storedAtMs, enricher: ctx.enricher });
  await finishFile(ctx.state, T, key, { format: 'synth', records: events, bytes: 0, skipped: {} });
  return { events, bots: bots.length, already: false };
}

/**
 * Campaigns over the demo's honeypot day, and the cases they feed (infected devices in the demo
 * organisations' constituencies): computed when the honeypot day was just stored or never before.
 */
export async function demoCampaigns(ctx: AppContext, stored: boolean): Promise<{ campaigns: number; members: number; computed: boolean }> {
  const { lastComputation } = await import('../correlate/campaigns/campaign-store.js');
  if (!stored && (await lastComputation(ctx.state))) {
    const [n] = await ctx.state.query<{ campaigns: number; members: number }>('SELECT count(*)::int AS campaigns, coalesce(sum(members), 0)::int AS members FROM campaigns');
    return { campaigns: n?.campaigns ?? 0, members: n?.members ?? 0, computed: false };
  }
  const s = await (await import('../correlate/campaigns/compute-campaigns.js')).computeCampaigns(ctx);
  await (await import('../cases/build-cases.js')).buildCases(ctx);
  return { campaigns: s.campaigns, members: s.members, computed: true };
}
