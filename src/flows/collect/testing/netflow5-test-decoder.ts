/**
 * A minimal NetFlow v5 decoder for the collector's and the ingest's tests and the benchmark,
 * until the real decoders (flows/netflow/) are wired in flows/decoders.ts. It follows the same
 * contract (never throws, counts skip reasons) but checks only what those tests need.
 */
import { FLOW_KIND, FlowBatch } from '../../flow-batch.js';
import { FLOW_SKIP, type FlowSkipCounters } from '../../flow-skips.js';
import type { DatagramSummary, DecodeDatagram, ExportSource } from '../../datagram.js';
import type { FlowDecoding } from '../../flow-decoding.js';
import { ipBytes } from '../../../net/ip.js';
import { NETFLOW5_HEADER, NETFLOW5_MAX_RECORDS, NETFLOW5_RECORD } from './netflow5-encoder.js';

const exporterBytes = new Map<string, Uint8Array>();

function exporterOf(text: string): Uint8Array {
  let b = exporterBytes.get(text);
  if (!b) {
    try {
      b = ipBytes(text);
    } catch {
      b = new Uint8Array(16);
    }
    if (exporterBytes.size > 10_000) exporterBytes.clear();
    exporterBytes.set(text, b);
  }
  return b;
}

export const decodeNetflow5ForTests: DecodeDatagram = (d: Uint8Array, from: ExportSource, out: FlowBatch, skips: FlowSkipCounters): DatagramSummary | null => {
  if (d.length < NETFLOW5_HEADER) {
    skips.add(FLOW_SKIP['datagram-truncated']);
    return null;
  }
  const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
  if (v.getUint16(0) !== 5) {
    skips.add(FLOW_SKIP['unknown-version']);
    return null;
  }
  const count = v.getUint16(2);
  if (count === 0 || count > NETFLOW5_MAX_RECORDS || NETFLOW5_HEADER + count * NETFLOW5_RECORD > d.length) {
    skips.add(FLOW_SKIP['netflow5-bad-count']);
    return null;
  }
  const uptime = v.getUint32(4);
  const exportMs = v.getUint32(8) * 1000 + Math.floor(v.getUint32(12) / 1_000_000);
  const bootMs = exportMs - uptime;
  const domain = (v.getUint8(20) << 8) | v.getUint8(21);
  const sampling = v.getUint16(22) & 0x3fff || 1;
  const exp = exporterOf(from.exporter);
  for (let k = 0; k < count; k++) {
    const o = NETFLOW5_HEADER + k * NETFLOW5_RECORD;
    const i = out.begin();
    out.kind[i] = FLOW_KIND.netflow5;
    out.exporter16.set(exp, i * 16);
    out.domain[i] = domain;
    out.family[i] = 4;
    FlowBatch.setV4(out.src16, i, v.getUint32(o));
    FlowBatch.setV4(out.dst16, i, v.getUint32(o + 4));
    out.inIf[i] = v.getUint16(o + 12);
    out.outIf[i] = v.getUint16(o + 14);
    out.packets[i] = v.getUint32(o + 16);
    out.octets[i] = v.getUint32(o + 20);
    out.startMs[i] = bootMs + v.getUint32(o + 24);
    out.endMs[i] = bootMs + v.getUint32(o + 28);
    out.sport[i] = v.getUint16(o + 32);
    out.dport[i] = v.getUint16(o + 34);
    out.tcpFlags[i] = v.getUint8(o + 37);
    out.proto[i] = v.getUint8(o + 38);
    out.srcAs[i] = v.getUint16(o + 40);
    out.dstAs[i] = v.getUint16(o + 42);
    out.sampling[i] = sampling;
    out.commit();
  }
  return {
    protocol: 'netflow5', domain, agent: from.exporter, sequence: v.getUint32(16), sequenceUnit: 'records', sequenceCount: count,
    records: count, held: 0, samplingRates: [sampling],
  };
};

/**
 * A decoding for tests: the v5 decoder above, with a stand-in for a template cache (the
 * exporters and domains seen), so that a test can check that the snapshot goes to the state
 * store and comes back at start (warm restart) as the real template cache's will.
 */
export function testFlowDecoding(snapshot: unknown = null): FlowDecoding & { readonly seen: Set<string> } {
  const seen = new Set<string>(
    typeof snapshot === 'object' && snapshot !== null && 'seen' in snapshot && Array.isArray(snapshot.seen)
      ? snapshot.seen.filter((x: unknown): x is string => typeof x === 'string')
      : [],
  );
  const decode: DecodeDatagram = (d, from, out, skips) => {
    const s = decodeNetflow5ForTests(d, from, out, skips);
    if (s) seen.add(`${from.exporter}/${s.domain}`);
    return s;
  };
  return {
    decode,
    readers: {},
    seen,
    snapshot: () => ({ seen: [...seen].sort() }),
    templateCount: (exporter, domain) => (seen.has(`${exporter}/${domain}`) ? 1 : 0),
  };
}
