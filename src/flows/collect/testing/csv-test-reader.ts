/**
 * A minimal flow-file reader for the ingest's tests (until the real readers are wired in
 * flows/decoders.ts): nfdump-style CSV with the columns `ts,te,sa,da,sp,dp,pr,ipkt,ibyt`
 * (times as ISO 8601 UTC). It keeps the reader contract: batches handed over when full and at
 * the end, bad lines counted and skipped, never a throw on bad input.
 */
import { FLOW_KIND, FlowBatch } from '../../flow-batch.js';
import { FLOW_SKIP } from '../../flow-skips.js';
import type { FlowFileReader } from '../../reader.js';
import { parseIPv4 } from '../../../net/ip.js';

export const readCsvForTests: FlowFileReader = async (input, opts) => {
  const { batch, skips } = opts;
  batch.reset();
  let units = 0;
  let records = 0;
  let bytes = 0;
  let rest = '';
  let header = true;
  const decoder = new TextDecoder();
  const line = async (l: string): Promise<void> => {
    if (l.trim() === '') return;
    units++;
    if (header) {
      header = false;
      return;
    }
    const f = l.split(',');
    const src = parseIPv4(f[2] ?? '');
    const dst = parseIPv4(f[3] ?? '');
    const start = Date.parse(f[0] ?? '');
    const end = Date.parse(f[1] ?? '');
    if (f.length < 9 || src < 0 || dst < 0 || Number.isNaN(start) || Number.isNaN(end)) {
      skips.add(FLOW_SKIP['line-malformed']);
      return;
    }
    const i = batch.begin();
    batch.kind[i] = FLOW_KIND.nfdump;
    batch.family[i] = 4;
    FlowBatch.setV4(batch.src16, i, src);
    FlowBatch.setV4(batch.dst16, i, dst);
    batch.startMs[i] = start;
    batch.endMs[i] = end;
    batch.sport[i] = Number(f[4]);
    batch.dport[i] = Number(f[5]);
    batch.proto[i] = Number(f[6]);
    batch.packets[i] = Number(f[7]);
    batch.octets[i] = Number(f[8]);
    batch.commit();
    records++;
    if (batch.full) {
      await opts.onBatch(batch, { bytes, records });
      batch.reset();
    }
  };
  for await (const chunk of input) {
    bytes += chunk.length;
    const lines = (rest + decoder.decode(chunk, { stream: true })).split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines) await line(l);
  }
  await line(rest);
  if (batch.length > 0) {
    await opts.onBatch(batch, { bytes, records });
    batch.reset();
  }
  return { name: opts.name, format: 'nfdump-csv', units, records, bytes };
};
