/**
 * What becomes a case, read from the events store: open services with a default credential
 * accepted, with no authentication at all, with CVEs attached, of a service class an organisation
 * asked to hear about, and darknet sources tagged Mirai-like with enough confidence; and from the
 * state store, members of a honeypot campaign (infected devices: what they did on our honeypots
 * is the evidence). Campaigns are computed above this layer (correlate/campaigns) into the state
 * store; cases read only the stored result.
 */
import { CAMPAIGN_TIE_KINDS, heldView, type ListedTie } from '../schema/campaign.js';
import type { EventsStore, StateStore } from '../store/types.js';
import { ipText } from '../store/events/sql-helpers.js';
import type { Fingerprint } from '../classify/fingerprints.js';
import { carriesTag, tagPosterior } from '../classify/tag-evidence.js';
import { deviceName } from '../services/device-name.js';

export const CASE_KINDS = ['default_credential', 'no_authentication', 'vulnerable_firmware', 'mirai_infection', 'exposed_service', 'campaign_infection'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export interface CaseFinding {
  ip: string;
  kind: CaseKind;
  asn: number;
  seen: string;
  deviceModel: string;
  detail: Record<string, string | number | string[]>;
}

interface ServiceHit {
  ip: string; port: number; transport: string; service: string; vendor: string; product: string; version: string;
  weak_credential: number; no_auth: number; credential_list: string; credential_id: string; cves: string[]; asn: number; seen: string;
}

const ISO = (col: string): string => `formatDateTime(${col}, '%Y-%m-%dT%H:%i:%S.%fZ', 'UTC')`;

export async function serviceFindings(events: EventsStore, exposedServices: readonly string[]): Promise<CaseFinding[]> {
  const rows = await events.query<ServiceHit>(
    `SELECT ${ipText('ip')} AS ip, port, transport, service, vendor, product, version, weak_credential, no_auth,
            credential_list, credential_id, cves, asn, ${ISO('time')} AS seen
     FROM services_current FINAL
     WHERE status = 'open' AND (weak_credential = 1 OR no_auth = 1 OR notEmpty(cves) OR service IN {svc:Array(String)})`,
    { svc: [...exposedServices] },
  );
  const out: CaseFinding[] = [];
  for (const r of rows) {
    const model = deviceName(r);
    const base = { ip: r.ip, asn: r.asn, seen: r.seen, deviceModel: model };
    const where = { port: r.port, transport: r.transport, service: r.service, ...(r.version ? { version: r.version } : {}) };
    if (r.weak_credential === 1) out.push({ ...base, kind: 'default_credential', detail: { ...where, credentialList: r.credential_list, credentialId: r.credential_id } });
    if (r.no_auth === 1) out.push({ ...base, kind: 'no_authentication', detail: where });
    if (r.cves.length > 0) out.push({ ...base, kind: 'vulnerable_firmware', detail: { ...where, cves: r.cves } });
    if (exposedServices.includes(r.service)) out.push({ ...base, kind: 'exposed_service', detail: where });
  }
  return out;
}

/**
 * Sources tagged Mirai-like over the last `days` days (their share of the packets the fingerprint
 * applies to) with at least `minConfidence`, the probability that they run it (tag-evidence.ts).
 */
export async function miraiFindings(events: EventsStore, mirai: Fingerprint, now: Date, days: number, minConfidence: number): Promise<CaseFinding[]> {
  const from = new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
  // Up to `now`, not beyond: a build as of an earlier time (the demo's synthetic weeks) sees what was known then.
  const to = now.toISOString().slice(0, 10);
  // Rows stored before migration 008 have no inapplicable counts: all their packets count as applicable.
  const rows = await events.query<{ ip: string; p: number; h: number; n: number; last: string; a: number }>(
    `SELECT ${ipText('src')} AS ip, sum(packets) AS p, sumMap(tag_hits) AS th, arraySum(arrayFilter((n, b) -> b = {bit:UInt8}, th.2, th.1)) AS h,
            p - sum(arrayElement(tag_inapplicable.2, indexOf(tag_inapplicable.1, {bit:UInt8}))) AS n,
            ${ISO('max(last_seen)')} AS last, anyLast(asn) AS a
     FROM darknet_source_day WHERE day >= {from:Date} AND day <= {to:Date}
     GROUP BY src HAVING h > 0`,
    { from, to, bit: mirai.bit },
  );
  const out: CaseFinding[] = [];
  for (const r of rows) {
    if (!carriesTag(mirai.minShare, r.h, r.n)) continue;
    const confidence = tagPosterior(r.n, r.h, mirai.falseMatchChance, mirai.prior);
    if (confidence < minConfidence) continue;
    out.push({
      ip: r.ip, kind: 'mirai_infection', asn: r.a, seen: r.last.replace(/(\.\d{3})\d*Z$/, '$1Z'), deviceModel: '',
      detail: { packets: r.p, applicable: r.n, matching: r.h, confidence: Math.round(confidence * 1e4) / 1e4 },
    });
  }
  return out;
}

/**
 * Every member of a stored campaign (state migrations 025, 027) as an infected device: its
 * campaign's id, the tie kinds that hold it, its honeypot events and when the honeypots saw it,
 * and the campaign as this device shows it (need-to-know: the case goes to the device's
 * organisation): named from the strongest listed tie the device holds, with the URLs and hashes
 * of the ties it holds, never those only other organisations' devices showed. A recomputation
 * that moves a device to another campaign updates its case's detail.
 */
export async function campaignFindings(state: Pick<StateStore, 'query'>): Promise<CaseFinding[]> {
  const rows = await state.query<{ ip: string; asn: string | number; events: string | number; first_seen: Date; last_seen: Date; ties: number; tie_set: number; campaign: string; members: number; listed: ListedTie[] }>(
    `SELECT host(m.ip) AS ip, m.asn, m.events, m.first_seen, m.last_seen, m.ties, m.tie_set, c.id AS campaign, c.members, c.ties AS listed
     FROM campaign_members m JOIN campaigns c ON c.id = m.campaign`,
  );
  return rows.map((r) => {
    const own = heldView(r.listed, r.tie_set, r.campaign, undefined);
    const values = (kind: string): string[] => own.ties.filter((t) => t.kind === kind).map((t) => t.value).slice(0, 5);
    return {
      ip: r.ip, kind: 'campaign_infection', asn: Number(r.asn), seen: r.last_seen.toISOString(), deviceModel: '',
      detail: {
        campaign: r.campaign, campaignName: own.name, campaignMembers: r.members, honeypotEvents: Number(r.events),
        honeypotFirstSeen: r.first_seen.toISOString(), ties: CAMPAIGN_TIE_KINDS.filter((_, i) => (r.ties & (1 << i)) !== 0),
        urls: values('url'), hashes: values('hash'),
      },
    };
  });
}
