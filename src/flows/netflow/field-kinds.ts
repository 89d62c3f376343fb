/**
 * What a template field means to us: each (enterprise, element id) that a FlowBatch column or the
 * sampling and time bases need maps to a kind; everything else is skipped by its length. NetFlow
 * v9 field types (RFC 3954 §8) share their numbers with the IANA IPFIX elements (RFC 7012) for
 * everything read here, so one table serves both.
 */

export const K = {
  skip: 0,
  // Written straight into the batch.
  src4: 1, dst4: 2, src6: 3, dst6: 4, sport: 5, dport: 6, proto: 7, tcpFlags: 8, inIf: 9, outIf: 10, srcAs: 11, dstAs: 12,
  // Read into the record's scratch slots, then combined (counters, times, sampling).
  octets: 13, packets: 14, octetsTotal: 15, packetsTotal: 16, outOctets: 17, outPackets: 18,
  revOctets: 19, revPackets: 20, revOctetsTotal: 21, revPacketsTotal: 22, revOutOctets: 23, revOutPackets: 24,
  firstUptime: 25, lastUptime: 26, startSec: 27, endSec: 28, startMs: 29, endMs: 30, startNtp: 31, endNtp: 32,
  startDeltaUs: 33, endDeltaUs: 34, systemInitMs: 35,
  samplerId: 36, samplingInterval: 37, packetInterval: 38, packetSpace: 39, samplingSize: 40, samplingPopulation: 41,
  // ICMP type × 256 + code (IE 32, 139): stored as the destination port, as NetFlow v5 and the flow files carry it.
  icmpTypeCode: 42,
} as const;

/** Size of the scratch a record's counters, times and sampling fields are read into (indexed by kind). */
export const KIND_SLOTS = 43;

/** RFC 5103: reverse information elements are the forward ones under this private enterprise number. */
export const REVERSE_PEN = 29305;

const FORWARD: Readonly<Record<number, number>> = {
  8: K.src4, 12: K.dst4, 27: K.src6, 28: K.dst6, 7: K.sport, 11: K.dport, 4: K.proto, 6: K.tcpFlags,
  10: K.inIf, 14: K.outIf, 16: K.srcAs, 17: K.dstAs, 32: K.icmpTypeCode, 139: K.icmpTypeCode,
  1: K.octets, 2: K.packets, 85: K.octetsTotal, 86: K.packetsTotal, 23: K.outOctets, 24: K.outPackets,
  22: K.firstUptime, 21: K.lastUptime, 150: K.startSec, 151: K.endSec, 152: K.startMs, 153: K.endMs,
  154: K.startNtp, 155: K.endNtp, 156: K.startNtp, 157: K.endNtp, 158: K.startDeltaUs, 159: K.endDeltaUs, 160: K.systemInitMs,
  // v9 FLOW_SAMPLER_ID / IPFIX samplerId, and IPFIX selectorId (PSAMP, RFC 5477).
  48: K.samplerId, 302: K.samplerId,
  // v9 SAMPLING_INTERVAL and FLOW_SAMPLER_RANDOM_INTERVAL, IPFIX samplingInterval / samplerRandomInterval.
  34: K.samplingInterval, 50: K.samplingInterval,
  305: K.packetInterval, 306: K.packetSpace, 309: K.samplingSize, 310: K.samplingPopulation,
};

const REVERSE: Readonly<Record<number, number>> = {
  1: K.revOctets, 2: K.revPackets, 85: K.revOctetsTotal, 86: K.revPacketsTotal, 23: K.revOutOctets, 24: K.revOutPackets,
};

/** Kinds whose value only makes sense at one exact length (addresses, NTP time stamps). */
const EXACT_LENGTH: Readonly<Record<number, number>> = {
  [K.src4]: 4, [K.dst4]: 4, [K.src6]: 16, [K.dst6]: 16, [K.startNtp]: 8, [K.endNtp]: 8,
};

/** The kind of a field, or `skip` (private enterprises other than RFC 5103's reverse elements are skipped). */
export function fieldKind(id: number, enterprise: number): number {
  if (enterprise === 0) return FORWARD[id] ?? K.skip;
  if (enterprise === REVERSE_PEN) return REVERSE[id] ?? K.skip;
  return K.skip;
}

/** Whether a value of `length` bytes can be read as `kind` (unsigned integers: 1 to 8 bytes, reduced-size encoding). */
export function lengthFits(kind: number, length: number): boolean {
  const exact = EXACT_LENGTH[kind];
  if (exact !== undefined) return length === exact;
  return length >= 1 && length <= 8;
}

/** Kinds an options data record is read for (sampler intervals, the system's boot time). */
export function isOptionsKind(kind: number): boolean {
  return kind === K.samplerId || kind === K.samplingInterval || kind === K.packetInterval || kind === K.packetSpace
    || kind === K.samplingSize || kind === K.samplingPopulation || kind === K.systemInitMs;
}
