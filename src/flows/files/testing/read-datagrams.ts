import type { DatagramSummary, DecodeDatagram, ExportSource } from '../../datagram.js';
import { FlowBatch, type FlowRecordView } from '../../flow-batch.js';
import { FlowSkipCounters } from '../../flow-skips.js';
import type { FlowReadSummary } from '../../reader.js';
import { decodeSflow } from '../../sflow/decode-sflow.js';
import { readPcapDatagrams } from '../pcap-datagrams.js';

export interface DatagramCall extends ExportSource {
  readonly bytes: Uint8Array;
}

/**
 * Reads a capture with readPcapDatagrams and a stand-in decodeDatagram that records every call
 * (NetFlow and IPFIX are summarised without records; sFlow goes to the real decodeSflow).
 */
export async function readDatagrams(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>, o: { batchSize?: number; name?: string } = {}): Promise<{
  calls: DatagramCall[]; summary: FlowReadSummary; rows: FlowRecordView[]; skips: Record<string, number>; batches: number; onDatagram: number;
}> {
  const calls: DatagramCall[] = [];
  const rows: FlowRecordView[] = [];
  const skips = new FlowSkipCounters();
  let batches = 0;
  let onDatagram = 0;
  const decode: DecodeDatagram = (d, from, out, sk) => {
    calls.push({ ...from, bytes: Uint8Array.from(d) });
    if (d[0] === 0 && d[3] === 5) return decodeSflow(d, from, out, sk);
    const recorded: DatagramSummary = {
      protocol: 'ipfix', domain: 0, agent: from.exporter, sequence: null, sequenceUnit: 'records', sequenceCount: 0, records: 0, held: 0, samplingRates: [],
    };
    return recorded;
  };
  const source = (async function* () { for await (const c of chunks) yield c; })();
  const summary = await readPcapDatagrams(source, {
    name: o.name ?? 'test.pcap',
    batch: new FlowBatch(o.batchSize ?? 1024),
    skips,
    decodeDatagram: decode,
    onDatagram: () => { onDatagram++; },
    onBatch: async (b) => {
      batches++;
      rows.push(...b.views());
    },
  });
  return { calls, summary, rows, skips: skips.toRecord(), batches, onDatagram };
}
