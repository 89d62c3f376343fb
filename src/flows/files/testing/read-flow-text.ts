import { FlowBatch, type FlowRecordView } from '../../flow-batch.js';
import { FlowSkipCounters } from '../../flow-skips.js';
import type { TextFlowReadOptions, TextFlowReadSummary } from '../text-flow-reader.js';

export type TextReader = (input: AsyncIterable<Uint8Array>, opts: TextFlowReadOptions) => Promise<TextFlowReadSummary>;

/** Test "now": 2026-01-01T00:00:00Z, so that the samples' times are in the past. */
export const TEST_NOW = Date.UTC(2026, 0, 1);

/** Bytes in chunks of the given sizes, cycling through them (one chunk when none are given). */
export async function* chunks(data: Uint8Array, sizes: readonly number[] = []): AsyncGenerator<Uint8Array> {
  if (sizes.length === 0) {
    yield data;
    return;
  }
  let o = 0;
  let k = 0;
  while (o < data.length) {
    const n = Math.max(1, sizes[k++ % sizes.length] ?? 1);
    yield data.subarray(o, o + n);
    o += n;
  }
}

export interface ReadResult {
  records: FlowRecordView[];
  summary: TextFlowReadSummary;
  skips: Record<string, number>;
  batches: number;
}

/** Reads a whole text input (string or bytes) with a reader and returns every record as a view. */
export async function readFlowText(
  reader: TextReader, input: string | Uint8Array,
  o: { sizes?: readonly number[]; batchSize?: number; timeZone?: string; nowMs?: number; maxProblems?: number } = {},
): Promise<ReadResult> {
  const data = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const skips = new FlowSkipCounters();
  const records: FlowRecordView[] = [];
  let batches = 0;
  const summary = await reader(chunks(data, o.sizes), {
    name: 'test', batch: new FlowBatch(o.batchSize ?? 8192), skips, nowMs: o.nowMs ?? TEST_NOW,
    ...(o.timeZone !== undefined ? { timeZone: o.timeZone } : {}),
    ...(o.maxProblems !== undefined ? { maxProblems: o.maxProblems } : {}),
    onBatch: async (b) => {
      batches++;
      records.push(...b.views());
    },
  });
  return { records, summary, skips: skips.toRecord(), batches };
}
