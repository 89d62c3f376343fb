/**
 * Decoding the records of one data set (NetFlow v9 flowset, IPFIX set) with its template: flow
 * records are appended to the batch with their exporter, domain, absolute times and sampling;
 * options records update the domain's sampler intervals and boot time. Padding at the end of a
 * set (shorter than a record, or zeros) is ignored; a record cut by the set's end is counted.
 */
import { FLOW_KIND, type FlowBatch } from '../flow-batch.js';
import { FLOW_SKIP, type FlowSkipCounters } from '../flow-skips.js';
import { K, KIND_SLOTS } from './field-kinds.js';
import { readRecord } from './field-reader.js';
import { DOMAIN_SAMPLER, type DomainState, type Template, type TimeBase } from './domain-state.js';
import { uptimeToEpochMs } from './uptime.js';

/** What decoding a datagram adds up, for its summary. */
export interface SetTally {
  /** Flow records appended to the batch. */
  records: number;
  /** Of those, records of data held from earlier datagrams (not this message's sequence). */
  released: number;
  /** Options data records read. */
  optionsRecords: number;
  /** Data sets held for a template not seen yet. */
  held: number;
  /** Distinct sampling rates of the records appended. */
  readonly rates: number[];
}

export const newTally = (): SetTally => ({ records: 0, released: 0, optionsRecords: 0, held: 0, rates: [] });

/** Samplers kept per domain at most: a flood of sampler ids cannot grow the cache without bound. */
const MAX_SAMPLERS = 4096;

// One scratch for all records: decoding is synchronous, so nothing else uses it meanwhile. Each
// record clears the slots its plan reads; slots of other plans may hold stale values, never read.
const scratch = new Float64Array(KIND_SLOTS);

/** Bytes left after the last whole record are padding if zero (RFC 7011 §3.3.1), else a record cut short. */
function countLeftover(d: Uint8Array, from: number, to: number, skips: FlowSkipCounters): void {
  for (let k = from; k < to; k++) {
    if (d[k] !== 0) {
      skips.add(FLOW_SKIP['record-truncated']);
      return;
    }
  }
}

/** The 1-in-N rate an options or data record states, 0 if it states 0 (or nothing usable). */
function statedRate(s: Float64Array): number {
  const interval = s[K.samplingInterval] as number;
  if (interval > 0) return Math.round(interval);
  const taken = s[K.packetInterval] as number;
  if (taken > 0) return Math.round((taken + (s[K.packetSpace] as number)) / taken);
  const size = s[K.samplingSize] as number;
  const population = s[K.samplingPopulation] as number;
  if (size > 0 && population > 0) return Math.max(1, Math.round(population / size));
  return 0;
}

function timeOf(kind: number, s: Float64Array, time: TimeBase, systemInitMs: number): number {
  switch (kind) {
    case K.startMs: case K.endMs: case K.startNtp: case K.endNtp:
      return s[kind] as number;
    case K.startSec: case K.endSec:
      return (s[kind] as number) * 1000;
    case K.firstUptime: case K.lastUptime:
      if (time.sysUptimeMs >= 0) return uptimeToEpochMs(time.exportMs, time.sysUptimeMs, s[kind] as number);
      return systemInitMs >= 0 ? systemInitMs + (s[kind] as number) : time.exportMs;
    case K.startDeltaUs: case K.endDeltaUs:
      // RFC 5102: the offset back from the message's export time, in microseconds.
      return time.exportMs - (s[kind] as number) / 1000;
    default:
      return time.exportMs;
  }
}

function addRate(rates: number[], rate: number): void {
  if (!rates.includes(rate)) rates.push(rate);
}

/** Appends the flow records of a data set; returns how many. */
export function decodeFlowRecords(d: Uint8Array, start: number, end: number, tpl: Template, state: DomainState, time: TimeBase,
  out: FlowBatch, skips: FlowSkipCounters, rates: number[]): number {
  const plan = tpl.plan;
  const s = scratch;
  const slots = plan.slots;
  const kind = state.version === 9 ? FLOW_KIND.netflow9 : FLOW_KIND.ipfix;
  const ex = state.exporter16;
  const minLength = Math.max(1, plan.minLength);
  let lastRate = 0;
  let n = 0;
  let p = start;
  while (end - p >= minLength) {
    for (let k = 0; k < slots.length; k++) s[slots[k] as number] = 0;
    const i = out.begin();
    const next = readRecord(d, p, end, plan, out, i, s);
    if (next <= p) break; // cut short (or a record of no bytes, which would never advance)
    p = next;
    out.kind[i] = kind;
    const o = i * 16;
    for (let k = 0; k < 16; k++) out.exporter16[o + k] = ex[k] as number;
    out.domain[i] = state.domain;
    out.family[i] = plan.family;
    if (plan.hasIcmpTypeCode && (out.proto[i] === 1 || out.proto[i] === 58)) {
      out.sport[i] = 0;
      out.dport[i] = s[K.icmpTypeCode] as number;
    }
    if (plan.octets >= 0) out.octets[i] = s[plan.octets] as number;
    if (plan.packets >= 0) out.packets[i] = s[plan.packets] as number;
    if (plan.revOctets >= 0) out.revOctets[i] = s[plan.revOctets] as number;
    if (plan.revPackets >= 0) out.revPackets[i] = s[plan.revPackets] as number;
    const boot = plan.hasSystemInit ? (s[K.systemInitMs] as number) : state.systemInitMs;
    out.startMs[i] = timeOf(plan.start, s, time, boot);
    out.endMs[i] = timeOf(plan.end, s, time, boot);
    let rate = 1;
    if (plan.hasOwnRate) {
      rate = statedRate(s);
      if (rate === 0) {
        skips.add(FLOW_SKIP['sampling-rate-zero']);
        rate = 1;
      }
    } else if (state.samplers.size > 0) {
      const entry = state.samplers.get(plan.hasSamplerId ? (s[K.samplerId] as number) : DOMAIN_SAMPLER)
        ?? (plan.hasSamplerId ? state.samplers.get(DOMAIN_SAMPLER) : undefined);
      if (entry) rate = entry.interval;
    }
    out.sampling[i] = rate;
    if (rate !== lastRate) {
      addRate(rates, rate);
      lastRate = rate;
    }
    out.commit();
    n++;
  }
  countLeftover(d, p, end, skips);
  return n;
}

/** Reads the options records of a data set into the domain's samplers and boot time; returns how many. */
export function decodeOptionsRecords(d: Uint8Array, start: number, end: number, tpl: Template, state: DomainState, nowMs: number,
  out: FlowBatch, skips: FlowSkipCounters): number {
  const plan = tpl.plan;
  const s = scratch;
  const slots = plan.slots;
  const minLength = Math.max(1, plan.minLength);
  let n = 0;
  let p = start;
  while (end - p >= minLength) {
    for (let k = 0; k < slots.length; k++) s[slots[k] as number] = 0;
    // Options plans read only scratch kinds: the batch is never written.
    const next = readRecord(d, p, end, plan, out, 0, s);
    if (next <= p) break; // cut short (or a record of no bytes, which would never advance)
    p = next;
    n++;
    if (plan.hasSystemInit) state.systemInitMs = s[K.systemInitMs] as number;
    if (!plan.hasOwnRate) continue;
    const id = plan.hasSamplerId ? (s[K.samplerId] as number) : DOMAIN_SAMPLER;
    let rate = statedRate(s);
    if (rate === 0) {
      skips.add(FLOW_SKIP['sampling-rate-zero']);
      rate = 1;
    }
    const entry = state.samplers.get(id);
    if (entry) {
      entry.interval = rate;
      entry.receivedMs = nowMs;
    } else if (state.samplers.size < MAX_SAMPLERS) {
      state.samplers.set(id, { interval: rate, receivedMs: nowMs });
    }
  }
  countLeftover(d, p, end, skips);
  return n;
}
