/**
 * IPFIX (RFC 7011): a 16-byte header (version 10, message length, export time, sequence,
 * observation domain) and sets: templates (2), options templates (3), data (≥ 256). The
 * sequence counts the data records sent in the domain before this message.
 */
import type { FlowBatch } from '../flow-batch.js';
import { FLOW_SKIP, type FlowSkipCounters } from '../flow-skips.js';
import type { DatagramSummary, ExportSource } from '../datagram.js';
import { u16be, u32be } from '../../sources/record-parser.js';
import { newTally } from './data-set.js';
import { dataSet, ipfixTemplates, type SetContext } from './export-sets.js';
import type { TemplateCache } from './template-cache.js';
import { headerFits } from './export-header.js';

const HEADER = 16;

export function decodeIpfix(cache: TemplateCache, d: Uint8Array, from: ExportSource, out: FlowBatch, skips: FlowSkipCounters): DatagramSummary | null {
  if (!headerFits(d, HEADER, 10, skips)) return null;
  const length = u16be(d, 2);
  if (length < HEADER) {
    skips.add(FLOW_SKIP['datagram-truncated']);
    return null;
  }
  // The message is what its header says; bytes after it are not ours, and a cut message keeps what arrived.
  let end = length;
  if (length > d.length) {
    skips.add(FLOW_SKIP['datagram-truncated']);
    end = d.length;
  }
  const domain = u32be(d, 12);
  const state = cache.state(from.exporter, 10, domain);
  const tally = newTally();
  const c: SetContext = {
    cache, state, time: { exportMs: u32be(d, 4) * 1000, sysUptimeMs: -1 }, nowMs: cache.now(), datagramLength: end, out, skips, tally,
  };
  let p = HEADER;
  while (end - p >= 4) {
    const id = u16be(d, p);
    const len = u16be(d, p + 2);
    if (len < 4) {
      skips.add(FLOW_SKIP['set-length-invalid']);
      break;
    }
    // A set running past the datagram (a cut datagram) still gives the records that fit.
    const stop = Math.min(p + len, end);
    if (stop < p + len) skips.add(FLOW_SKIP['set-length-invalid']);
    if (id === 2 || id === 3) ipfixTemplates(c, id, d, p + 4, stop);
    else if (id >= 256) dataSet(c, id, d, p + 4, stop);
    p += len;
  }
  return {
    protocol: 'ipfix', domain, agent: from.exporter, sequence: u32be(d, 8), sequenceUnit: 'records', sequenceCount: tally.records - tally.released + tally.optionsRecords,
    records: tally.records, held: tally.held, samplingRates: tally.rates,
  };
}
