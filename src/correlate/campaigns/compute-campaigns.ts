/**
 * Campaigns from scratch over everything the honeypots stored: addresses and ties from ClickHouse
 * (tie-query.ts), union-find over address indices in typed arrays, each campaign's ports, URLs
 * and hashes aggregated back in ClickHouse over its members, then the whole result replaces the
 * previous one in the state store (campaign-store.ts). The organisation whose constituency holds
 * each member is fixed here too: impact, and the cases it feeds, read it.
 */
import type { EventsStore, StateStore } from '../../store/types.js';
import { RecipientIndex } from '../../orgs/recipient-index.js';
import type { CampaignTie } from './campaign-types.js';
import { distinctAddresses, readAddresses, readTies, type Addresses, type TieInputs, type TieRow } from './tie-query.js';
import { SakimoriError } from '../../errors.js';
import { DEFAULT_RULES, TIE_BIT, type CampaignRules, type TieKind } from './tie-rules.js';
import { UnionFind } from './union-find.js';
import { campaignId, ipTextOf } from './campaign-naming.js';
import { campaignName } from '../../schema/campaign.js';
import { saveCampaigns, type CampaignRecord, type MemberRow } from './campaign-store.js';
import { LIST_TOP, MEMBER_ROW, listsInEvents, topCounts, type CampaignLists } from './campaign-lists.js';
import { cncServers } from './cnc-ties.js';
import { BUILTIN_FINGERPRINTS, type Fingerprint } from '../../classify/fingerprints.js';

export interface ComputeOptions {
  now?: Date;
  rules?: CampaignRules;
  /** The darknet's fingerprints (their names, bits and tag rule): the built-in ones by default. */
  fingerprints?: readonly Pick<Fingerprint, 'name' | 'bit' | 'minShare'>[];
}

export interface ComputeSummary {
  computedAt: string;
  addresses: number;
  campaigns: number;
  members: number;
  /** Ties used, per kind. */
  ties: Record<string, number>;
  /** Ties left out as too common (over their kind's limit), per kind, and the largest of them. */
  commonTies: Record<string, number>;
  largestCommon: CampaignTie[];
  ms: { addresses: number; ties: number; union: number; aggregate: number; store: number; total: number };
}

/** Ties listed per campaign (tie_set keeps one bit for each: at most 31). */
const TOP = LIST_TOP;

export async function computeCampaigns(ctx: { events: EventsStore; state: StateStore }, opts: ComputeOptions = {}): Promise<ComputeSummary> {
  const t0 = Date.now();
  const rules = opts.rules ?? DEFAULT_RULES;
  const now = opts.now ?? new Date();
  // The C&C servers (shared indicators), and the darknet days of the honeypots' first to last event.
  const cnc = await cncServers(ctx.state);
  const fingerprints = opts.fingerprints ?? BUILTIN_FINGERPRINTS;
  const inputsOf = (a: Addresses): TieInputs => ({ cnc, fingerprints, fromMs: minOf(a.firstMs, a.count), toMs: maxOf(a.lastMs, a.count) });
  // Ties name addresses by their place in address order: a new address stored between the two
  // reads (a running sensor) would shift them, so both are read again until none arrived between.
  let addr = await readAddresses(ctx.events);
  let t1 = Date.now();
  let ties = await readTies(ctx.events, addr.count, rules, inputsOf(addr));
  for (let tries = 1; (await distinctAddresses(ctx.events)) !== addr.count; tries++) {
    if (tries === 5) throw new SakimoriError('INTERNAL', 'campaigns: new addresses kept arriving while the ties were read; try again', { tries });
    addr = await readAddresses(ctx.events);
    t1 = Date.now();
    ties = await readTies(ctx.events, addr.count, rules, inputsOf(addr));
  }
  const t2 = Date.now();

  // Union every usable tie's members; remember which kinds hold each address (a bit per kind: a byte holds TIE_KINDS).
  const uf = new UnionFind(addr.count);
  const mask = new Uint8Array(addr.count);
  const used: Record<string, number> = {};
  const common: Record<string, number> = {};
  const commonTies: TieRow[] = [];
  for (const t of ties) {
    if (!t.usable) {
      common[t.k] = (common[t.k] ?? 0) + 1;
      commonTies.push(t);
      continue;
    }
    used[t.k] = (used[t.k] ?? 0) + 1;
    const bit = 1 << (TIE_BIT[t.k as TieKind] ?? 0);
    const first = t.idx[0] as number;
    for (const j of t.idx) {
      mask[j] = (mask[j] as number) | bit;
      uf.union(first, j);
    }
  }
  // Components of at least minMembers become campaigns, numbered in address order.
  const campaignOf = new Int32Array(addr.count).fill(-1);
  const rootTo = new Int32Array(addr.count).fill(-1);
  let n = 0;
  for (let i = 0; i < addr.count; i++) {
    if (mask[i] === 0) continue;
    const r = uf.find(i);
    if (uf.sizeOf(r) < rules.minMembers) continue;
    if (rootTo[r] === -1) rootTo[r] = n++;
    campaignOf[i] = rootTo[r] as number;
  }
  const t3 = Date.now();

  const camps = aggregateMembers(addr, campaignOf, n);
  const tiesOf: TieRow[][] = Array.from({ length: n }, () => []);
  for (const t of ties) {
    const c = t.usable ? campaignOf[t.idx[0] as number] ?? -1 : -1;
    if (c >= 0) tiesOf[c]?.push(t);
  }
  const lists = await aggregateInEvents(ctx.events, addr, campaignOf);
  const records: CampaignRecord[] = camps.map((a, c) => {
    const weight = (t: TieRow): number => rules.ties[t.k as TieKind]?.weight ?? 0;
    const sorted = (tiesOf[c] ?? []).sort((x, y) => weight(y) * y.members - weight(x) * x.members || weight(y) - weight(x) || (x.v < y.v ? -1 : x.v > y.v ? 1 : 0));
    const strongest = sorted[0] as TieRow;
    const l = lists.get(c) ?? { ports: [], urls: [], hashes: [] };
    return {
      id: campaignId(strongest.k as TieKind, strongest.v),
      name: campaignName(strongest.k as TieKind, strongest.v, l.urls[0]),
      rank: 0,
      members: a.members,
      events: a.events,
      firstSeen: new Date(a.first).toISOString(),
      lastSeen: new Date(a.last).toISOString(),
      ties: sorted.slice(0, TOP).map((t) => ({ kind: t.k as TieKind, value: t.v, members: t.members })),
      ports: l.ports,
      countries: topCounts(a.countries).map(([country, members]) => ({ country, members })),
      asns: topCounts(a.asns).map(([asn, members]) => ({ asn, members })),
      urls: l.urls,
      hashes: l.hashes,
    };
  });
  // Most members first; the order is the rank.
  const order = records.map((_, i) => i).sort((x, y) => {
    const a = records[x] as CampaignRecord;
    const b = records[y] as CampaignRecord;
    return b.members - a.members || b.events - a.events || (a.id < b.id ? -1 : 1);
  });
  order.forEach((c, r) => { (records[c] as CampaignRecord).rank = r + 1; });
  // Which listed ties each member holds (bit i: its campaign's i-th listed tie), for the views of
  // those who hold only some members (campaign-store.ts).
  const tieSet = new Int32Array(addr.count);
  tiesOf.forEach((list) => list.slice(0, TOP).forEach((t, p) => { for (const j of t.idx) tieSet[j] = (tieSet[j] as number) | (1 << p); }));
  const t4 = Date.now();

  const index = await RecipientIndex.load(ctx.state);
  let members = 0;
  const memberRows = function* (): Generator<MemberRow> {
    for (let i = 0; i < addr.count; i++) {
      const c = campaignOf[i] as number;
      if (c < 0) continue;
      members++;
      const ip = ipTextOf(addr.src, i * 16);
      const asn = addr.asn[i] as number;
      const r = index.recipientOf(ip, asn);
      yield {
        campaign: (records[c] as CampaignRecord).id, ip, asn, country: countryAt(addr, i), events: addr.events[i] as number,
        firstMs: addr.firstMs[i] as number, lastMs: addr.lastMs[i] as number, ties: mask[i] as number, tieSet: tieSet[i] as number,
        orgId: r?.key.startsWith('org:') ? r.key.slice(4) : null,
      };
    }
  };
  const computedAt = now.toISOString();
  const largestCommon = commonTies.sort((a, b) => b.members - a.members).slice(0, 10).map((t) => ({ kind: t.k as TieKind, value: t.v, members: t.members }));
  const figures = { ties: used, commonTies: common, largestCommon };
  await saveCampaigns(ctx.state, { computedAt, addresses: addr.count, figures }, records, memberRows());
  const t5 = Date.now();
  return {
    computedAt, addresses: addr.count, campaigns: records.length, members, ties: used, commonTies: common, largestCommon,
    ms: { addresses: t1 - t0, ties: t2 - t1, union: t3 - t2, aggregate: t4 - t3, store: t5 - t4, total: t5 - t0 },
  };
}

function minOf(xs: Float64Array, n: number): number {
  let m = Infinity;
  for (let i = 0; i < n; i++) m = Math.min(m, xs[i] as number);
  return m;
}

function maxOf(xs: Float64Array, n: number): number {
  let m = -Infinity;
  for (let i = 0; i < n; i++) m = Math.max(m, xs[i] as number);
  return m;
}

interface MemberAggregate { members: number; events: number; first: number; last: number; countries: Map<string, number>; asns: Map<number, number> }

function countryAt(a: Addresses, i: number): string {
  const x = a.country[i * 2] as number;
  const y = a.country[i * 2 + 1] as number;
  return x && y ? String.fromCharCode(x, y) : '';
}

/** Members, events, first and last seen, countries and ASNs of each campaign, from the address columns. */
function aggregateMembers(a: Addresses, campaignOf: Int32Array, n: number): MemberAggregate[] {
  const out: MemberAggregate[] = Array.from({ length: n }, () => ({ members: 0, events: 0, first: Infinity, last: -Infinity, countries: new Map(), asns: new Map() }));
  for (let i = 0; i < a.count; i++) {
    const c = campaignOf[i] as number;
    if (c < 0) continue;
    const g = out[c] as MemberAggregate;
    g.members++;
    g.events += a.events[i] as number;
    g.first = Math.min(g.first, a.firstMs[i] as number);
    g.last = Math.max(g.last, a.lastMs[i] as number);
    const country = countryAt(a, i);
    if (country) g.countries.set(country, (g.countries.get(country) ?? 0) + 1);
    const asn = a.asn[i] as number;
    if (asn) g.asns.set(asn, (g.asns.get(asn) ?? 0) + 1);
  }
  return out;
}


/** Ports, URLs and hashes of each campaign, from its members' events (member rows: address and campaign index). */
async function aggregateInEvents(events: EventsStore, a: Addresses, campaignOf: Int32Array): Promise<Map<number, CampaignLists>> {
  let members = 0;
  for (let i = 0; i < a.count; i++) if ((campaignOf[i] as number) >= 0) members++;
  const rows = new Uint8Array(members * MEMBER_ROW);
  const view = new DataView(rows.buffer);
  for (let i = 0, o = 0; i < a.count; i++) {
    const c = campaignOf[i] as number;
    if (c < 0) continue;
    rows.set(a.src.subarray(i * 16, i * 16 + 16), o);
    view.setUint32(o + 16, c, true);
    o += MEMBER_ROW;
  }
  return listsInEvents(events, rows);
}
