/**
 * The wired decoders on every real capture: each file's datagrams reach the right decoder by
 * content, the records come out, and templates survive a snapshot (a warm restart).
 */
import { createReadStream } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedData } from '../../test/fixtures/shared-data.js';
import { FlowBatch, type FlowRecordView } from './flow-batch.js';
import { FlowSkipCounters } from './flow-skips.js';
import { createFlowDecoding, type WiredFlowDecoding } from './decoders.js';

async function read(decoding: WiredFlowDecoding, file: string): Promise<{ records: FlowRecordView[]; protocols: string[] }> {
  const records: FlowRecordView[] = [];
  const protocols: string[] = [];
  await decoding.readers.pcap(createReadStream(sharedData(`flows/${file}`)), {
    name: file, batch: new FlowBatch(4096), skips: new FlowSkipCounters(), decodeDatagram: decoding.decode,
    onBatch: async (b) => { records.push(...b.views()); }, onDatagram: (s) => protocols.push(s.protocol),
  });
  return { records, protocols };
}

describe('createFlowDecoding', () => {
  it('decodes every real capture by content, whatever the port', async () => {
    const d = createFlowDecoding({ clock: () => Date.UTC(2026, 0, 1) });
    const v5 = await read(d, 'akvorado-nfv5.pcap');
    expect(v5.protocols).toEqual(['netflow5']);
    expect(v5.records.length).toBe(29);
    const sflow = await read(d, 'akvorado-sflow-data-1140.pcap');
    expect(sflow.protocols).toEqual(['sflow5']);
    expect(sflow.records.length).toBe(5);
    expect(new Set(sflow.records.map((r) => r.sampling))).toEqual(new Set([1024]));
    const ipfix = await read(d, 'pmacct-100-ipfix-cisco.pcap');
    expect(new Set(ipfix.protocols)).toEqual(new Set(['ipfix']));
    expect(ipfix.records.length).toBe(12);
  });

  it('keeps NetFlow v9 templates across files of one stream and across a restart from its snapshot', async () => {
    const d = createFlowDecoding({ clock: () => Date.UTC(2026, 0, 1) });
    expect((await read(d, 'akvorado-nfv9-template.pcap')).records.length).toBe(0);
    const warm = createFlowDecoding({ clock: () => Date.UTC(2026, 0, 1), snapshot: JSON.parse(JSON.stringify(d.snapshot())) });
    expect(warm.listing().length).toBeGreaterThan(0);
    expect((await read(warm, 'akvorado-nfv9-data.pcap')).records.length).toBe(4);
  });
});
