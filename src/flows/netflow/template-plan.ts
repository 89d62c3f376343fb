/**
 * A template compiled once into what reading its records needs: for fixed layouts the offsets,
 * lengths and kinds of only the fields we use, so a record costs a handful of reads and no
 * allocation; for layouts with variable-length fields (IPFIX) the whole field list to walk.
 * Which counter and which time stamp to take when several are present is decided here too.
 */
import { K, fieldKind, isOptionsKind, lengthFits, REVERSE_PEN } from './field-kinds.js';

/** One field of a template as exported (IPFIX: enterprise 0 for IANA elements). */
export interface TemplateField {
  readonly id: number;
  readonly enterprise: number;
  readonly length: number;
}

/** IPFIX's length for a variable-length field (RFC 7011 §7). */
export const VARIABLE_LENGTH = 65535;

export interface RecordPlan {
  /** Bytes per record, or -1 when a field has variable length. */
  readonly fixedLength: number;
  /** The shortest a record can be (a variable-length field takes at least its length byte). */
  readonly minLength: number;
  /** Fixed layouts: (offset, length, kind) of each field we read. */
  readonly ops: Int32Array;
  /** Variable layouts: (length, kind) of every field in order; kind `skip` for the others. */
  readonly walk: Int32Array;
  /** 4 or 6 when the template carries addresses of that family, else 0. */
  readonly family: number;
  /** Scratch slots read for this plan's records, cleared before each (a variable-length field may be absent). */
  readonly slots: Int32Array;
  /** The kind each column is taken from, or -1 (first present wins, see `pick`). */
  readonly octets: number;
  readonly packets: number;
  readonly revOctets: number;
  readonly revPackets: number;
  readonly start: number;
  readonly end: number;
  readonly hasSystemInit: boolean;
  readonly hasIcmpTypeCode: boolean;
  readonly hasSamplerId: boolean;
  /** The record carries its own sampling interval (34, 50, 305/306, 309/310). */
  readonly hasOwnRate: boolean;
  /** Fields of a private enterprise we do not read (skipped by length). */
  readonly unknownEnterprise: number;
}

export interface PlanOptions {
  /** Options templates are read only for sampler intervals and the system's boot time. */
  readonly options: boolean;
  /** NetFlow v9 options scope fields (system, interface, …) are not information elements: skipped. */
  readonly skipScope: number;
}

function pick(has: Set<number>, ...kinds: number[]): number {
  for (const k of kinds) if (has.has(k)) return k;
  return -1;
}

export function compilePlan(fields: readonly TemplateField[], o: PlanOptions): RecordPlan {
  const ops: number[] = [];
  const walk: number[] = [];
  const has = new Set<number>();
  let offset = 0;
  let minLength = 0;
  let variable = false;
  let unknownEnterprise = 0;
  fields.forEach((f, n) => {
    const isVariable = f.length === VARIABLE_LENGTH;
    let kind = n < o.skipScope ? K.skip : fieldKind(f.id, f.enterprise);
    if (f.enterprise !== 0 && f.enterprise !== REVERSE_PEN) unknownEnterprise++;
    if (o.options && !isOptionsKind(kind)) kind = K.skip;
    // A fixed field of a length its kind cannot have is skipped; variable ones are checked per record.
    if (!isVariable && kind !== K.skip && !lengthFits(kind, f.length)) kind = K.skip;
    if (kind !== K.skip) has.add(kind);
    walk.push(f.length, kind);
    if (isVariable) {
      variable = true;
      minLength += 1;
    } else {
      if (kind !== K.skip) ops.push(offset, f.length, kind);
      offset += f.length;
      minLength += f.length;
    }
  });
  // An address family is decided by the template: IPv4 wins if a template carries both.
  const family = has.has(K.src4) || has.has(K.dst4) ? 4 : has.has(K.src6) || has.has(K.dst6) ? 6 : 0;
  if (family === 4) {
    has.delete(K.src6);
    has.delete(K.dst6);
    for (let k = 0; k < walk.length; k += 2) if (walk[k + 1] === K.src6 || walk[k + 1] === K.dst6) walk[k + 1] = K.skip;
    for (let k = 0; k < ops.length; k += 3) if (ops[k + 2] === K.src6 || ops[k + 2] === K.dst6) ops[k + 2] = K.skip;
  }
  const hasOwnRate = has.has(K.samplingInterval) || has.has(K.packetInterval) || has.has(K.samplingPopulation);
  const slots = new Set([...has].filter((k) => k >= K.octets));
  if (hasOwnRate) for (const k of [K.samplingInterval, K.packetInterval, K.packetSpace, K.samplingSize, K.samplingPopulation]) slots.add(k);
  return {
    fixedLength: variable ? -1 : offset,
    minLength,
    ops: Int32Array.from(ops),
    walk: Int32Array.from(walk),
    family,
    slots: Int32Array.from(slots),
    octets: pick(has, K.octets, K.octetsTotal, K.outOctets),
    packets: pick(has, K.packets, K.packetsTotal, K.outPackets),
    revOctets: pick(has, K.revOctets, K.revOctetsTotal, K.revOutOctets),
    revPackets: pick(has, K.revPackets, K.revPacketsTotal, K.revOutPackets),
    start: pick(has, K.startMs, K.startSec, K.startNtp, K.firstUptime, K.startDeltaUs),
    end: pick(has, K.endMs, K.endSec, K.endNtp, K.lastUptime, K.endDeltaUs),
    hasSystemInit: has.has(K.systemInitMs),
    hasIcmpTypeCode: has.has(K.icmpTypeCode),
    hasSamplerId: has.has(K.samplerId),
    hasOwnRate,
    unknownEnterprise,
  };
}
