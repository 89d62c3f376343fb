/**
 * NetFlow v9 (RFC 3954): a 20-byte header (version, count, sysUptime, unix secs, package
 * sequence, source id) and flowsets: templates (0), options templates (1), data (≥ 256). Times
 * are relative to the header's uptime (with its 32-bit wrap); the sequence counts datagrams.
 */
import type { FlowBatch } from '../flow-batch.js';
import { FLOW_SKIP, type FlowSkipCounters } from '../flow-skips.js';
import type { DatagramSummary, ExportSource } from '../datagram.js';
import { u16be, u32be } from '../../sources/record-parser.js';
import { newTally } from './data-set.js';
import { dataSet, v9OptionsTemplates, v9Templates, type SetContext } from './export-sets.js';
import type { TemplateCache } from './template-cache.js';
import { headerFits } from './export-header.js';

const HEADER = 20;

export function decodeNetflow9(cache: TemplateCache, d: Uint8Array, from: ExportSource, out: FlowBatch, skips: FlowSkipCounters): DatagramSummary | null {
  if (!headerFits(d, HEADER, 9, skips)) return null;
  const sourceId = u32be(d, 16);
  const state = cache.state(from.exporter, 9, sourceId);
  const tally = newTally();
  const c: SetContext = {
    cache, state, time: { exportMs: u32be(d, 8) * 1000, sysUptimeMs: u32be(d, 4) }, nowMs: cache.now(),
    datagramLength: d.length, out, skips, tally,
  };
  let p = HEADER;
  while (d.length - p >= 4) {
    const id = u16be(d, p);
    const len = u16be(d, p + 2);
    if (len < 4) {
      skips.add(FLOW_SKIP['set-length-invalid']);
      break;
    }
    // A set running past the datagram (a cut datagram) still gives the records that fit.
    const stop = Math.min(p + len, d.length);
    if (stop < p + len) skips.add(FLOW_SKIP['set-length-invalid']);
    if (id === 0) v9Templates(c, d, p + 4, stop);
    else if (id === 1) v9OptionsTemplates(c, d, p + 4, stop);
    else if (id >= 256) dataSet(c, id, d, p + 4, stop);
    p += len;
  }
  return {
    protocol: 'netflow9', domain: sourceId, agent: from.exporter, sequence: u32be(d, 12), sequenceUnit: 'datagrams', sequenceCount: 1,
    records: tally.records, held: tally.held, samplingRates: tally.rates,
  };
}
