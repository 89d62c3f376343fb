/**
 * The text flow-file readers by format, and a guess of the format from the first bytes of an
 * (already gunzipped) input, for `--format` left out: Zeek's header lines or JSON with its id
 * fields, Argus's column titles, nfdump's CSV header.
 */
import type { FlowFileFormat } from '../reader.js';
import { readArgus } from './argus.js';
import { readNfdumpCsv } from './nfdump-csv.js';
import type { TextFlowReadOptions, TextFlowReadSummary } from './text-flow-reader.js';
import { readZeekConn } from './zeek-conn.js';

export type TextFlowFormat = Exclude<FlowFileFormat, 'pcap'>;
export type TextFlowReader = (input: AsyncIterable<Uint8Array>, opts: TextFlowReadOptions) => Promise<TextFlowReadSummary>;

export const TEXT_FLOW_READERS: Readonly<Record<TextFlowFormat, TextFlowReader>> = { argus: readArgus, zeek: readZeekConn, 'nfdump-csv': readNfdumpCsv };

/** The text flow format the input begins with, or undefined when it looks like none of them. */
export function sniffTextFlowFormat(head: Uint8Array): TextFlowFormat | undefined {
  const text = Buffer.from(head.subarray(0, 4096)).toString('utf8').replace(/^\uFEFF/, '');
  const first = text.split('\n', 1)[0]?.trim() ?? '';
  if (first.startsWith('#separator') || first.startsWith('#fields') || (first.startsWith('{') && first.includes('"id'))) return 'zeek';
  if (first.startsWith('ts\t') && first.includes('id.orig_h')) return 'zeek';
  if (/(^|[^A-Za-z])SrcAddr([^A-Za-z]|$)/.test(first) && first.includes('DstAddr')) return 'argus';
  if (/^(ts,te,|firstSeen,lastSeen,)/.test(first)) return 'nfdump-csv';
  return undefined;
}
