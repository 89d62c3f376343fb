/**
 * What is never published as an indicator, and why (issue 16, item 5): DoS victims (their
 * packets at the darknet are backscatter, replies to someone else's spoofed attack), victims the
 * survey found (weak credentials, no authentication, compromised: they go to the responsible
 * organisation as cases do), reserved and documentation ranges, our own sensors, and addresses
 * on a warning list (known research scanners and other benign sources). The first reason that
 * applies is the one counted.
 */
import { CidrSet } from '../../net/cidr-set.js';
import { parseIp } from '../../net/ip.js';
import { refusedAddress } from '../../net/outbound.js';
import type { StateStore } from '../../store/types.js';
import type { ScannerSource } from './scanner-sources.js';

export const EXCLUSION_REASONS = ['not-scanner', 'dos-victim', 'survey-victim', 'reserved', 'own-sensor', 'warning-list', 'below-threshold', 'expired'] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

export interface ExclusionSets {
  readonly ownSensors: CidrSet;
  readonly warningLists: CidrSet;
  /** Backscatter packets from which a scanner counts as a DoS victim as well (darknet.dos.minPackets). */
  readonly dosMinPackets: number;
}

export async function loadExclusionSets(state: Pick<StateStore, 'query'>, dosMinPackets: number): Promise<ExclusionSets> {
  const own = await state.query<{ p: string }>('SELECT prefix::text AS p FROM share_own_sensors');
  const warned = await state.query<{ p: string }>('SELECT DISTINCT prefix::text AS p FROM share_warning_entries');
  return { ownSensors: new CidrSet(own.map((r) => r.p)), warningLists: new CidrSet(warned.map((r) => r.p)), dosMinPackets };
}

/** Whether an address is one of ours or on a warning list (also for peers' indicators we match). */
export function addressExclusion(ip: string, sets: ExclusionSets): ExclusionReason | undefined {
  const a = parseIp(ip);
  if (a === null) return 'reserved';
  // Reserved, private, documentation, loopback …: no public source has such an address.
  if (refusedAddress(ip, []) !== undefined) return 'reserved';
  if (sets.ownSensors.has(a)) return 'own-sensor';
  if (sets.warningLists.has(a)) return 'warning-list';
  return undefined;
}

export function sourceExclusion(s: ScannerSource, sets: ExclusionSets): ExclusionReason | undefined {
  if (s.cls === 'backscatter' || s.backscatterPackets >= sets.dosMinPackets) return 'dos-victim';
  if (s.cls !== 'scan') return 'not-scanner';
  if (s.surveyVictim) return 'survey-victim';
  return addressExclusion(s.ip, sets);
}

export function emptyExclusionCounts(): Record<ExclusionReason, number> {
  return Object.fromEntries(EXCLUSION_REASONS.map((r) => [r, 0])) as Record<ExclusionReason, number>;
}
