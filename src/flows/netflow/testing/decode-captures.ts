/**
 * Tests only: decodes the datagrams of real captures with one template cache, as a collector
 * would, and returns the records with each datagram's summary.
 */
import { FlowBatch, type FlowRecordView } from '../../flow-batch.js';
import { FlowSkipCounters } from '../../flow-skips.js';
import type { DatagramSummary } from '../../datagram.js';
import { netflowDecoders } from '../decoders.js';
import { TemplateCache } from '../template-cache.js';
import type { UdpDatagram } from './pcap-udp.js';

export type ExportVersion = 'netflow5' | 'netflow9' | 'ipfix';

export interface Decoded {
  records: FlowRecordView[];
  summaries: (DatagramSummary | null)[];
  skips: Record<string, number>;
  cache: TemplateCache;
}

export function decodeDatagrams(version: ExportVersion, datagrams: readonly UdpDatagram[], cache = new TemplateCache(() => 1_700_000_000_000)): Decoded {
  const decode = netflowDecoders(cache)[version];
  const batch = new FlowBatch(64);
  const skips = new FlowSkipCounters();
  const summaries = datagrams.map((g) => decode(g.payload, { exporter: g.exporter, port: g.sport, receivedAtMs: g.receivedAtMs }, batch, skips));
  return { records: batch.views(), summaries, skips: skips.toRecord(), cache };
}
