/**
 * sFlow version 5 datagrams (sflow.org/sflow_version_5.txt): the header (agent address, sub-agent
 * id, datagram sequence, uptime), then samples. Flow samples (compact and expanded) become one
 * FlowBatch record each (flow-sample.ts); counter samples give generic interface counters
 * (counter-sample.ts); other samples are skipped by their length. Never throws, never reads
 * beyond a length it was given: what does not fit is counted and the rest is kept.
 */
import type { ExportSource } from '../datagram.js';
import { addressText, type FlowBatch } from '../flow-batch.js';
import { FLOW_SKIP, type FlowSkipCounters } from '../flow-skips.js';
import { decodeCounterRecords } from './counter-sample.js';
import type { SflowDatagramContext } from './datagram-context.js';
import { decodeFlowRecords, flowSampleHead } from './flow-sample.js';
import { SampledHeaderDecoder } from './sampled-header.js';
import type { SflowDatagramSummary, SflowInterfaceCounters, SflowSampleSequence } from './sflow-summary.js';
import { afterOpaque, u32be } from './xdr.js';

const SAMPLE_FLOW = 1;
const SAMPLE_COUNTERS = 2;
const SAMPLE_FLOW_EXPANDED = 3;
const SAMPLE_COUNTERS_EXPANDED = 4;

/** Decoding is synchronous and single-threaded: one scratch packet serves every call. */
const scratch = new SampledHeaderDecoder();

/**
 * sFlow v5's `DecodeDatagram` (flows/datagram.ts). One datagram: flow records appended to `out`, the summary with the uptime, every
 * sample's sequence and the generic interface counters. Null when the datagram is not sFlow v5
 * or its header is cut or names an unknown agent address type (counted in `skips`).
 */
export function decodeSflow(d: Uint8Array, from: ExportSource, out: FlowBatch, skips: FlowSkipCounters): SflowDatagramSummary | null {
  if (d.length < 8) {
    skips.add(FLOW_SKIP['datagram-truncated']);
    return null;
  }
  if (u32be(d, 0) !== 5) {
    skips.add(FLOW_SKIP['unknown-version']);
    return null;
  }
  const addressType = u32be(d, 4);
  if (addressType !== 1 && addressType !== 2) {
    skips.add(FLOW_SKIP['sflow-bad-address-type']);
    return null;
  }
  const a = 8 + (addressType === 1 ? 4 : 16);
  if (d.length < a + 16) {
    skips.add(FLOW_SKIP['datagram-truncated']);
    return null;
  }
  const agent16 = new Uint8Array(16);
  if (addressType === 1) {
    agent16[10] = 0xff;
    agent16[11] = 0xff;
    agent16.set(d.subarray(8, 12), 12);
  } else agent16.set(d.subarray(8, 24));
  // As the records' exporter reads (an IPv4-mapped IPv6 agent as a dotted quad too).
  const agent = addressText(agent16, 0);
  const subAgent = u32be(d, a);
  const sequence = u32be(d, a + 4);
  const uptimeMs = u32be(d, a + 8);
  const numSamples = u32be(d, a + 12);

  const before = out.length;
  const samples: SflowSampleSequence[] = [];
  const counters: SflowInterfaceCounters[] = [];
  const ctx: SflowDatagramContext = { agent, agent16, subAgent, receivedAtMs: from.receivedAtMs, header: scratch, out, skips, rates: [], counters };
  const end = d.length;
  let p = a + 16;
  for (let s = 0; s < numSamples; s++) {
    if (end - p < 8) {
      skips.add(FLOW_SKIP['sflow-sample-truncated']);
      break;
    }
    const format = u32be(d, p);
    const len = u32be(d, p + 4);
    const body = p + 8;
    if (len > end - body) {
      skips.add(FLOW_SKIP['sflow-sample-truncated']);
      break;
    }
    p = afterOpaque(body, len, end);
    if (format >>> 12 !== 0) continue; // another enterprise's sample
    const kind = format & 0xfff;
    const sampleEnd = body + len;
    if (kind === SAMPLE_FLOW || kind === SAMPLE_FLOW_EXPANDED) {
      const expanded = kind === SAMPLE_FLOW_EXPANDED;
      const src = sourceOf(d, body, sampleEnd, expanded);
      const head = src ? flowSampleHead(d, src.next, sampleEnd, expanded) : null;
      if (!src || !head) {
        skips.add(FLOW_SKIP['sflow-sample-truncated']);
        continue;
      }
      samples.push({ kind: 'flow', type: src.type, index: src.index, sequence: src.sequence });
      decodeFlowRecords(d, head, sampleEnd, ctx);
    } else if (kind === SAMPLE_COUNTERS || kind === SAMPLE_COUNTERS_EXPANDED) {
      const src = sourceOf(d, body, sampleEnd, kind === SAMPLE_COUNTERS_EXPANDED);
      if (!src || sampleEnd - src.next < 4) {
        skips.add(FLOW_SKIP['sflow-sample-truncated']);
        continue;
      }
      const source = { type: src.type, index: src.index };
      samples.push({ kind: 'counters', ...source, sequence: src.sequence });
      decodeCounterRecords(d, src.next + 4, sampleEnd, u32be(d, src.next), source, src.sequence, ctx);
    }
  }
  return {
    protocol: 'sflow5',
    domain: subAgent,
    agent,
    sequence,
    sequenceUnit: 'datagrams',
    sequenceCount: 1,
    records: out.length - before,
    held: 0,
    samplingRates: ctx.rates,
    uptimeMs,
    samples,
    counters,
  };
}

/**
 * A sample's sequence number and data source: compact samples pack the source's type in the top
 * byte of one word and its index in the low 24 bits; expanded samples give each a word.
 */
function sourceOf(d: Uint8Array, p: number, end: number, expanded: boolean): { sequence: number; type: number; index: number; next: number } | null {
  if (end - p < (expanded ? 12 : 8)) return null;
  const sequence = u32be(d, p);
  if (expanded) return { sequence, type: u32be(d, p + 4), index: u32be(d, p + 8), next: p + 12 };
  const id = u32be(d, p + 4);
  return { sequence, type: id >>> 24, index: id & 0xffffff, next: p + 8 };
}

