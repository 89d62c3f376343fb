/**
 * NetFlow v5 (Cisco's format): a 24-byte header and 1 to 30 records of 48 bytes. Records time
 * flows by the router's uptime; the header gives the uptime and the wall clock at export (with
 * nanoseconds), and its sampling field the mode (top 2 bits) and interval (low 14 bits). The
 * flow sequence counts the flows exported before this datagram.
 */
import { FLOW_KIND, type FlowBatch } from '../flow-batch.js';
import { FLOW_SKIP, type FlowSkipCounters } from '../flow-skips.js';
import type { DatagramSummary, ExportSource } from '../datagram.js';
import { u16be, u32be } from '../../sources/record-parser.js';
import type { TemplateCache } from './template-cache.js';
import { headerFits } from './export-header.js';
import { uptimeToEpochMs } from './uptime.js';
import { setMappedV4 } from './field-reader.js';

const HEADER = 24;
const RECORD = 48;
const MAX_COUNT = 30;


/** Decodes a v5 datagram; the cache only supplies the exporter's address bytes (v5 has no templates). */
export function decodeNetflow5(cache: TemplateCache, d: Uint8Array, from: ExportSource, out: FlowBatch, skips: FlowSkipCounters): DatagramSummary | null {
  if (!headerFits(d, HEADER, 5, skips)) return null;
  const count = u16be(d, 2);
  const sysUptime = u32be(d, 4);
  const exportMs = u32be(d, 8) * 1000 + Math.floor(u32be(d, 12) / 1e6);
  const sequence = u32be(d, 16);
  const domain = ((d[20] as number) << 8) | (d[21] as number);
  const rate = (u16be(d, 22) & 0x3fff) || 1;
  const fit = Math.floor((d.length - HEADER) / RECORD);
  if (count < 1 || count > MAX_COUNT || count > fit) skips.add(FLOW_SKIP['netflow5-bad-count']);
  const n = Math.min(count, fit);
  const ex = cache.state(from.exporter, 5, domain).exporter16;
  for (let r = 0; r < n; r++) {
    const p = HEADER + r * RECORD;
    const i = out.begin();
    const o = i * 16;
    out.kind[i] = FLOW_KIND.netflow5;
    for (let k = 0; k < 16; k++) out.exporter16[o + k] = ex[k] as number;
    out.domain[i] = domain;
    out.family[i] = 4;
    setMappedV4(out.src16, o, d, p);
    setMappedV4(out.dst16, o, d, p + 4);
    out.inIf[i] = u16be(d, p + 12);
    out.outIf[i] = u16be(d, p + 14);
    out.packets[i] = u32be(d, p + 16);
    out.octets[i] = u32be(d, p + 20);
    out.startMs[i] = uptimeToEpochMs(exportMs, sysUptime, u32be(d, p + 24));
    out.endMs[i] = uptimeToEpochMs(exportMs, sysUptime, u32be(d, p + 28));
    out.sport[i] = u16be(d, p + 32);
    out.dport[i] = u16be(d, p + 34);
    out.tcpFlags[i] = d[p + 37] as number;
    out.proto[i] = d[p + 38] as number;
    out.srcAs[i] = u16be(d, p + 40);
    out.dstAs[i] = u16be(d, p + 42);
    out.sampling[i] = rate;
    out.commit();
  }
  return {
    protocol: 'netflow5', domain, agent: from.exporter, sequence, sequenceUnit: 'records', sequenceCount: n,
    records: n, held: 0, samplingRates: n > 0 ? [rate] : [],
  };
}
