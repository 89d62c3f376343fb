/**
 * One profile per address across every source (issue 18, item 3): the host page's darknet and
 * exposure parts (analyze/host-view.ts), the shared indicators naming it, what it did on our
 * honeypots, whether it was a server in our flows, a timeline joining them and one verdict with
 * its evidence. `host IP` and GET /api/v1/hosts/:ip both answer with this.
 *
 * Need-to-know: an address outside the viewer's constituency is answered exactly like one never
 * seen (undefined → NOT_FOUND), before anything is read, so no part (honeypot events included)
 * tells whether anything is stored about it. Every query names the exact address.
 */
import type { Principal } from '../../auth/principal.js';
import { hostView, type HostView, type HostViewDeps } from '../../analyze/host-view.js';
import { SakimoriError } from '../../errors.js';
import { ipBytes, normalizeIp } from '../../net/ip.js';
import type { EgressPath } from '../../share/policy/egress-audit.js';
import { indicatorsNaming, type HostIndicator } from '../../share/indicators/host-indicators.js';
import { addressAllowed, type Restriction } from '../../store/need-to-know.js';
import type { StateStore } from '../../store/types.js';
import { darknetDays } from './darknet-days.js';
import { flowServerDays } from './flow-server-days.js';
import { hostHoneypot } from './host-honeypot.js';
import { indicatorDates } from './indicator-dates.js';
import type { HoneypotSummary, TimelineItem, VerdictResult } from './profile-types.js';
import { warningListsNaming } from './research-scanners.js';
import { buildTimeline } from './timeline.js';
import { verdictOf } from './verdict.js';

export interface ProfileDeps extends HostViewDeps {
  state: StateStore;
}

export type Viewer = Pick<Principal, 'userId' | 'orgId' | 'role' | 'scopes'>;

export interface AddressProfile extends HostView {
  indicators: HostIndicator[];
  honeypot: HoneypotSummary | null;
  timeline: TimelineItem[];
  timelineTruncated: number;
  verdict: VerdictResult;
}

export async function addressProfile(ctx: ProfileDeps, ipInput: string, restriction: Restriction, viewer: Viewer, path: EgressPath): Promise<AddressProfile | undefined> {
  const ip = normalizeIp(ipInput);
  if (!ip) throw new SakimoriError('BAD_IP', ipInput, { ip: ipInput });
  if (!addressAllowed(restriction, ip, ctx.enricher.asn6(ipBytes(ip), 0))) return undefined;
  const [view, honeypot, days, flowDays] = await Promise.all([
    hostView(ctx, ip, restriction),
    hostHoneypot(ctx.events, ip),
    darknetDays(ctx.events, ip),
    flowServerDays(ctx.events, ip),
  ]);
  // Shared indicators alone do not make a host page: they name what others saw, not what we did.
  if (!view && !honeypot && flowDays.length === 0) return undefined;
  const base: HostView = view ?? emptyView(ip, ctx, honeypot ? { asn: honeypot.asn, country: honeypot.country } : { asn: ctx.enricher.asn6(ipBytes(ip), 0), country: '' });
  // Released (and audited as delivered) only once the page is going out.
  const [indicators, lists] = await Promise.all([indicatorsNaming(ctx.state, base.ip, viewer, path), warningListsNaming(ctx.state, base.ip)]);
  const dates = await indicatorDates(ctx.state, indicators);
  const x = base.exposure;
  const since = new Map<string, string>();
  for (const o of x?.history ?? []) {
    if (!o.findings.includes('default_credential')) continue;
    const k = `${o.port}/${o.transport}`;
    const prev = since.get(k);
    if (!prev || o.time < prev) since.set(k, o.time);
  }
  const { entries, truncated } = buildTimeline({
    darknetDays: days,
    episodes: base.dosEpisodes,
    sessions: honeypot?.sessions ?? [],
    services: (x?.services ?? []).map((s) => ({
      port: s.port, transport: s.transport, service: s.service, status: s.status, firstSeen: s.firstSeen, lastSeen: s.lastSeen, source: s.source,
      device: s.device?.name ?? '', weakCredential: s.weakCredential, noAuth: s.noAuth,
    })),
    defaultCredentialSince: since,
    flowDays,
    indicators: indicators.map((i) => {
      const d = dates.get(`${i.collection}|${i.id}`);
      return { id: i.id, collection: i.collection, labels: i.labels, revoked: i.revoked, tlp: i.tlp, at: d?.validFrom ?? '' };
    }),
  });
  const verdict = verdictOf({
    tags: base.tags.map((t) => t.tag),
    warningLists: lists,
    darknet: base.seenInDarknet ? { scan: base.classPackets['scan'] ?? 0, backscatter: base.classPackets['backscatter'] ?? 0, other: base.classPackets['other'] ?? 0 } : null,
    honeypot: honeypot?.summary ?? null,
    honeypotFiles: honeypot?.files ?? 0,
    defaultCredentials: (x?.services ?? []).filter((s) => s.status === 'open' && s.weakCredential).map((s) => `${s.transport}/${s.port} ${s.service}`),
    indicators,
    flowServerDays: flowDays.length,
  });
  return {
    ...base,
    indicators,
    honeypot: honeypot?.summary ?? null,
    timeline: entries,
    // Sessions beyond those read count as left out too (each makes at least one entry).
    timelineTruncated: truncated + Math.max(0, (honeypot?.sessionCount ?? 0) - (honeypot?.sessions.length ?? 0)),
    verdict,
  };
}

/** The host page of an address neither the darknet nor the survey saw (honeypots or flows did). */
function emptyView(ip: string, ctx: ProfileDeps, where: { asn: number; country: string }): HostView {
  return {
    ip, firstSeen: '', lastSeen: '', packets: 0, ports: [], distinctPorts: 0, darknetAddresses: 0,
    class: '', classPackets: { scan: 0, backscatter: 0, other: 0 }, tags: [],
    asn: where.asn, org: where.asn ? ctx.enricher.orgOfAsn(where.asn) : '', country: where.country || ctx.enricher.country6(ipBytes(ip), 0),
    daily: [], hourly: [], dosEpisodes: [],
    rawPackets: { status: 'kept', kept: 0, retentionDays: ctx.config.darknet.retentionDays },
    seenInDarknet: false, exposure: null,
  };
}
