/**
 * One page per host: what it sent to the darknet (analyze/host.ts, the fields `host --json` has
 * always had, at the top level) and what it exposes (services, devices, CVEs, weak credentials).
 * Either part may be missing; undefined when the address was seen by neither.
 */
import type { EventsStore } from '../store/types.js';
import type { IpEnricher } from '../enrich/index.js';
import type { Fingerprinter } from '../classify/fingerprints.js';
import { hostProfile, type HostProfile } from './host.js';
import type { RawPacketsKept } from './raw-packets.js';
import { hostExposure, type HostExposure } from '../services/host-exposure.js';
import { normalizeIp } from '../net/ip.js';
import { SakimoriError } from '../errors.js';
import { addressAllowed, type Restriction } from '../store/need-to-know.js';
import { ipBytes } from '../net/ip.js';

export interface HostView extends Omit<HostProfile, 'rawPackets'> {
  seenInDarknet: boolean;
  /** With the retention, so that a page can say how long raw packets are kept after storing. */
  rawPackets: RawPacketsKept & { retentionDays: number };
  exposure: HostExposure | null;
}

export interface HostViewDeps {
  events: EventsStore;
  fingerprinter: Fingerprinter;
  enricher: IpEnricher;
  config: { darknet: { retentionDays: number } };
}

/**
 * Need-to-know: an address outside the principal's constituency is answered exactly like one
 * never seen (undefined → 404), so the answer does not tell whether anything is stored about it.
 */
export async function hostView(ctx: HostViewDeps, ipInput: string, restriction: Restriction): Promise<HostView | undefined> {
  const ip = normalizeIp(ipInput);
  if (!ip) throw new SakimoriError('BAD_IP', ipInput, { ip: ipInput });
  if (!addressAllowed(restriction, ip, ctx.enricher.asn6(ipBytes(ip), 0))) return undefined;
  const [darknet, exposure] = await Promise.all([
    hostProfile(ctx.events, ip, ctx.fingerprinter.fingerprints, (a) => ctx.enricher.orgOfAsn(a)),
    hostExposure(ctx.events, ip),
  ]);
  if (!darknet && !exposure) return undefined;
  const base: HostProfile = darknet ?? {
    ip: exposure?.ip ?? ip, firstSeen: '', lastSeen: '', packets: 0, ports: [], distinctPorts: 0, darknetAddresses: 0,
    class: '', classPackets: { scan: 0, backscatter: 0, other: 0 }, tags: [],
    asn: exposure?.asn ?? 0, org: exposure?.org ?? '', country: exposure?.country ?? '', daily: [], hourly: [], dosEpisodes: [],
    rawPackets: { status: 'kept', kept: 0 },
  };
  return {
    ...base,
    seenInDarknet: darknet !== undefined,
    rawPackets: { ...base.rawPackets, retentionDays: ctx.config.darknet.retentionDays },
    exposure: exposure ?? null,
  };
}
