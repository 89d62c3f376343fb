/**
 * Campaigns in the state store (state migrations 025 and 027): replaced whole by each
 * computation, read with need-to-know. An organisation's member sees the campaigns with members
 * in its constituency, and each through those members only: the ties they hold and a name made
 * from them, the ports, URLs and hashes of their own events, their countries and ASNs, those
 * members in the sample, and its own organisation's impact. The campaign's size (members,
 * events, first and last seen) is the whole campaign's: how large an operation one's devices
 * are part of, which names no other organisation's device.
 */
import type { EventsStore, StateStore } from '../../store/types.js';
import { ipBytes } from '../../net/ip.js';
import { heldView } from '../../schema/campaign.js';
import { MEMBER_ROW, listsInEvents, topCounts } from './campaign-lists.js';
import type { Restriction } from '../../store/need-to-know.js';
import { SakimoriError } from '../../errors.js';
import type { Campaign, CampaignDetail, CampaignList, CampaignMember } from './campaign-types.js';
import { TIE_KINDS } from './tie-rules.js';

export type CampaignRecord = Omit<Campaign, 'impact'> & { rank: number };

export interface MemberRow {
  campaign: string; ip: string; asn: number; country: string; events: number; firstMs: number; lastMs: number;
  /** Bit i set: tied in by CAMPAIGN_TIE_KINDS[i]. */
  ties: number;
  /** Bit i set: holds its campaign's i-th listed tie. */
  tieSet: number;
  orgId: string | null;
}

const CHUNK = 50_000;
const MEMBER_COLUMNS = ['campaign', 'ip', 'asn', 'country', 'events', 'first_seen', 'last_seen', 'ties', 'org_id', 'tie_set'];

/** Replaces the stored campaigns with a new computation, in one transaction. */
export async function saveCampaigns(
  state: StateStore,
  run: { computedAt: string; addresses: number; figures: object },
  campaigns: readonly CampaignRecord[],
  members: Iterable<MemberRow>,
): Promise<void> {
  await state.transaction(async (tx) => {
    await tx.exec('TRUNCATE campaign_members, campaigns');
    for (let i = 0; i < campaigns.length; i += CHUNK) {
      await tx.query(
        `INSERT INTO campaigns (id, name, rank, members, events, first_seen, last_seen, ties, ports, countries, asns, urls, hashes, computed_at)
         SELECT id, name, rank, members, events, "firstSeen", "lastSeen", ties, ports, countries, asns, urls, hashes, $2
         FROM jsonb_to_recordset($1::jsonb) AS c(id text, name text, rank int, members int, events bigint, "firstSeen" timestamptz, "lastSeen" timestamptz,
                                                 ties jsonb, ports jsonb, countries jsonb, asns jsonb, urls jsonb, hashes jsonb)`,
        [JSON.stringify(campaigns.slice(i, i + CHUNK)), run.computedAt],
      );
    }
    // The member indexes are built once over the loaded rows rather than maintained row by row:
    // about 40 % less work for a large result (their definitions are those of state migration 025).
    await tx.exec('DROP INDEX campaign_members_campaign; DROP INDEX campaign_members_ip; DROP INDEX campaign_members_org');
    // PGlite's COPY parses the text into the typed columns itself; a server's bulk insert sends text, cast from a staging table.
    const direct = state.kind === 'pglite';
    if (!direct) await tx.exec('CREATE TEMP TABLE IF NOT EXISTS campaign_member_stage (campaign text, ip text, asn text, country text, events text, first_seen text, last_seen text, ties text, org_id text, tie_set text) ON COMMIT DROP');
    let batch: (string | null)[][] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      await tx.copyRows(direct ? 'campaign_members' : 'campaign_member_stage', MEMBER_COLUMNS, batch);
      batch = [];
    };
    for (const m of members) {
      batch.push([m.campaign, m.ip, String(m.asn), m.country, String(m.events), new Date(m.firstMs).toISOString(), new Date(m.lastMs).toISOString(), String(m.ties), m.orgId, String(m.tieSet)]);
      if (batch.length >= CHUNK) await flush();
    }
    await flush();
    if (!direct) {
      await tx.query(
        `INSERT INTO campaign_members (campaign, ip, asn, country, events, first_seen, last_seen, ties, org_id, tie_set)
         SELECT campaign, ip::inet, asn::bigint, country, events::bigint, first_seen::timestamptz, last_seen::timestamptz, ties::smallint, org_id, tie_set::integer FROM campaign_member_stage`,
      );
    }
    await tx.exec(`CREATE INDEX campaign_members_campaign ON campaign_members (campaign, events DESC);
                   CREATE INDEX campaign_members_ip ON campaign_members (ip);
                   CREATE INDEX campaign_members_org ON campaign_members (org_id, campaign) WHERE org_id IS NOT NULL`);
    await tx.query(
      `INSERT INTO campaign_runs (id, computed_at, addresses, figures) VALUES (1, $1, $2, $3::jsonb)
       ON CONFLICT (id) DO UPDATE SET computed_at = EXCLUDED.computed_at, addresses = EXCLUDED.addresses, figures = EXCLUDED.figures`,
      [run.computedAt, run.addresses, JSON.stringify(run.figures)],
    );
  });
}

/** SQL condition on campaign_members `m` for the restriction, its parameters numbered from `from`. */
function visible(r: Restriction, from: number): { sql: string; params: unknown[] } {
  if (r.kind === 'all') return { sql: 'true', params: [] };
  // A constituency with nothing in it sees nothing (not everything).
  return { sql: `(m.ip <<= ANY($${from}::cidr[]) OR m.asn = ANY($${from + 1}::bigint[]))`, params: [[...r.cidrs], [...r.asns]] };
}

interface CampaignRow {
  id: string; name: string; members: number; events: string | number; first_seen: Date; last_seen: Date;
  ties: Campaign['ties']; ports: Campaign['ports']; countries: Campaign['countries']; asns: Campaign['asns']; urls: string[]; hashes: string[];
}

const CAMPAIGN_COLUMNS = 'c.id, c.name, c.members, c.events, c.first_seen, c.last_seen, c.ties, c.ports, c.countries, c.asns, c.urls, c.hashes';

/** Whether campaigns were ever computed, and when. */
export async function lastComputation(state: Pick<StateStore, 'query'>): Promise<{ computedAt: string; addresses: number } | null> {
  const [run] = await state.query<{ computed_at: Date; addresses: string | number }>('SELECT computed_at, addresses FROM campaign_runs WHERE id = 1');
  return run ? { computedAt: run.computed_at.toISOString(), addresses: Number(run.addresses) } : null;
}

/** Impact per organisation (its devices and their cases), only the caller's own organisation for a member. */
async function impactOf(state: Pick<StateStore, 'query'>, r: Restriction, ids: readonly string[]): Promise<Map<string, Campaign['impact']>> {
  const out = new Map<string, Campaign['impact']>();
  if (ids.length === 0) return out;
  const own = r.kind === 'constituency' ? r.orgId : null;
  const rows = await state.query<{ campaign: string; org_id: string; org: string; devices: number; cases: number; case_id: string | null }>(
    `WITH m AS (
       SELECT m.campaign, m.org_id, m.ip, m.events FROM campaign_members m
       WHERE m.campaign = ANY($1::text[]) AND m.org_id IS NOT NULL AND ($2::text IS NULL OR m.org_id = $2)
     ), c AS (
       SELECT m.campaign, m.org_id, m.events, cs.id FROM m JOIN cases cs ON cs.recipient = 'org:' || m.org_id AND cs.ip = m.ip AND cs.kind = 'campaign_infection'
     )
     SELECT g.campaign, g.org_id, o.name AS org, g.devices, coalesce(k.cases, 0) AS cases, k.case_id
     FROM (SELECT campaign, org_id, count(*)::int AS devices FROM m GROUP BY campaign, org_id) g
     JOIN organisations o ON o.id = g.org_id
     LEFT JOIN (SELECT campaign, org_id, count(*)::int AS cases, (array_agg(id::text ORDER BY events DESC, id))[1] AS case_id FROM c GROUP BY campaign, org_id) k
       ON k.campaign = g.campaign AND k.org_id = g.org_id
     ORDER BY g.campaign, g.devices DESC, o.name`,
    [[...ids], own],
  );
  for (const x of rows) {
    const list = out.get(x.campaign) ?? [];
    list.push({ orgId: x.org_id, org: x.org, devices: x.devices, caseId: x.case_id, cases: x.cases });
    out.set(x.campaign, list);
  }
  return out;
}

function campaignOf(c: CampaignRow, impact: Campaign['impact']): Campaign {
  return {
    id: c.id, name: c.name, ties: c.ties, members: c.members, events: Number(c.events), firstSeen: c.first_seen.toISOString(), lastSeen: c.last_seen.toISOString(),
    ports: c.ports, countries: c.countries, asns: c.asns, urls: c.urls, hashes: c.hashes, impact,
  };
}

type Stores = { state: Pick<StateStore, 'query'>; events: EventsStore };

/**
 * The campaigns as a restricted viewer sees them: through its visible members only (the module's
 * comment). Every campaign given has at least one such member.
 */
async function throughOwnMembers(ctx: Stores, r: Restriction, rows: CampaignRow[]): Promise<CampaignRow[]> {
  if (r.kind === 'all' || rows.length === 0) return rows;
  const v = visible(r, 2);
  const members = await ctx.state.query<{ campaign: string; ip: string; tie_set: number; asn: string | number; country: string }>(
    `SELECT m.campaign, host(m.ip) AS ip, m.tie_set, m.asn, m.country FROM campaign_members m WHERE m.campaign = ANY($1::text[]) AND ${v.sql}`,
    [rows.map((c) => c.id), ...v.params],
  );
  const index = new Map(rows.map((c, i) => [c.id, i]));
  const held = new Int32Array(rows.length);
  const countries = rows.map(() => new Map<string, number>());
  const asns = rows.map(() => new Map<number, number>());
  const bytes = new Uint8Array(members.length * MEMBER_ROW);
  const view = new DataView(bytes.buffer);
  members.forEach((m, k) => {
    const i = index.get(m.campaign) as number;
    held[i] = (held[i] as number) | m.tie_set;
    if (m.country) countries[i]?.set(m.country, (countries[i]?.get(m.country) ?? 0) + 1);
    const asn = Number(m.asn);
    if (asn) asns[i]?.set(asn, (asns[i]?.get(asn) ?? 0) + 1);
    bytes.set(ipBytes(m.ip), k * MEMBER_ROW);
    view.setUint32(k * MEMBER_ROW + 16, i, true);
  });
  const lists = await listsInEvents(ctx.events, bytes);
  return rows.map((c, i) => {
    const l = lists.get(i) ?? { ports: [], urls: [], hashes: [] };
    const { ties, name } = heldView(c.ties, held[i] as number, c.id, l.urls[0]);
    return {
      ...c, name, ties, ports: l.ports, urls: l.urls, hashes: l.hashes,
      countries: topCounts(countries[i] ?? new Map<string, number>()).map(([country, members]) => ({ country, members })),
      asns: topCounts(asns[i] ?? new Map<number, number>()).map(([asn, members]) => ({ asn, members })),
    };
  });
}

/** The campaigns the restriction may see, most members first. */
export async function listCampaigns(ctx: Stores, r: Restriction, limit = 100): Promise<CampaignList> {
  const state = ctx.state;
  const run = await lastComputation(state);
  if (!run) return { computedAt: null, addresses: 0, campaigns: [] };
  const v = visible(r, 2);
  const rows = await state.query<CampaignRow>(
    r.kind === 'all'
      ? `SELECT ${CAMPAIGN_COLUMNS} FROM campaigns c ORDER BY c.rank LIMIT $1`
      : `SELECT ${CAMPAIGN_COLUMNS} FROM campaigns c WHERE c.id IN (SELECT DISTINCT m.campaign FROM campaign_members m WHERE ${v.sql}) ORDER BY c.rank LIMIT $1`,
    [limit, ...v.params],
  );
  const impact = await impactOf(state, r, rows.map((c) => c.id));
  const seen = await throughOwnMembers(ctx, r, rows);
  return { computedAt: run.computedAt, addresses: run.addresses, campaigns: seen.map((c) => campaignOf(c, impact.get(c.id) ?? [])) };
}

const SAMPLE = 500;

/** One campaign with the members the restriction may see; NOT_FOUND when it may see none (or there is no such campaign). */
export async function campaignDetail(ctx: Stores, r: Restriction, id: string): Promise<CampaignDetail> {
  const state = ctx.state;
  const [row] = await state.query<CampaignRow>(`SELECT ${CAMPAIGN_COLUMNS} FROM campaigns c WHERE c.id = $1`, [id]);
  const v = visible(r, 2);
  const sample = !row ? [] : await state.query<{ ip: string; asn: string | number; country: string; events: string | number; first_seen: Date; last_seen: Date; ties: number }>(
    `SELECT host(m.ip) AS ip, m.asn, m.country, m.events, m.first_seen, m.last_seen, m.ties FROM campaign_members m
     WHERE m.campaign = $1 AND ${v.sql} ORDER BY m.events DESC, m.ip LIMIT ${SAMPLE}`,
    [id, ...v.params],
  );
  // The same answer whether the campaign does not exist or is not the caller's to see.
  if (!row || sample.length === 0) throw new SakimoriError('NOT_FOUND', `no campaign ${id}`, { campaign: id });
  const impact = await impactOf(state, r, [id]);
  const [seen] = await throughOwnMembers(ctx, r, [row]);
  return {
    ...campaignOf(seen ?? row, impact.get(id) ?? []),
    sample: sample.map((m): CampaignMember => ({
      ip: m.ip, asn: Number(m.asn), country: m.country, events: Number(m.events), firstSeen: m.first_seen.toISOString(), lastSeen: m.last_seen.toISOString(),
      ties: TIE_KINDS.filter((_, i) => (m.ties & (1 << i)) !== 0),
    })),
  };
}
