/**
 * Which flow-file format a (decompressed) input is, by its first bytes, when `--format` is not
 * given: pcap/pcapng magic numbers; Zeek's `#separator` header or a JSON object per line; the
 * column names of an Argus (`ra -c ,`) or nfdump (`nfdump -o csv`) header line.
 */
import { SakimoriError } from '../../errors.js';
import type { FlowFileFormat } from '../reader.js';

/** Bytes worth looking at (a header line of nfdump's CSV is about 400). */
export const DETECT_BYTES = 4096;

const PCAP_MAGICS = new Set([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0x0a0d0d0a]);

export function detectFlowFormat(head: Uint8Array, name: string): FlowFileFormat {
  if (head.length === 0) throw new SakimoriError('IMPORT_BAD_FORMAT', 'the input is empty', { file: name });
  if (head.length >= 4) {
    const be = ((head[0] as number) << 24 | (head[1] as number) << 16 | (head[2] as number) << 8 | (head[3] as number)) >>> 0;
    if (PCAP_MAGICS.has(be)) return 'pcap';
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head.subarray(0, DETECT_BYTES)).replace(/^\uFEFF/, '');
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const line = first.trim();
  if (line.startsWith('#') || line.startsWith('{')) return 'zeek';
  const names = new Set(line.split(/[,\t;|]/).map((c) => c.trim().toLowerCase()));
  if ((names.has('sa') && names.has('da')) || (names.has('srcaddr') && names.has('dstaddr') && names.has('firstseen'))) return 'nfdump-csv';
  if ((names.has('srcaddr') || names.has('saddr')) && (names.has('dstaddr') || names.has('daddr'))) return 'argus';
  throw new SakimoriError(
    'IMPORT_BAD_FORMAT',
    `not a flow file this reads (pcap/pcapng of export datagrams, Argus CSV with a header, Zeek conn.log, nfdump CSV): it starts with ${JSON.stringify(line.slice(0, 60))}; give --format if it is one`,
    { file: name },
  );
}
