/** Streams a text range file (CSV, iptoasn TSV, pfx2as) into the sink, line by line. */
import { BadLineLog } from './bad-lines.js';
import { parseIp } from '../net/ip.js';
import { forEachLine } from './line-source.js';
import type { EnrichSink } from './range-collector.js';
import { LINE_PARSERS, type TextVariant } from './range-lines.js';

export interface TextImportResult {
  lines: number;
  validLines: number;
  bad: BadLineLog;
}

const PROGRESS_EVERY = 50_000;

export async function importTextRanges(
  file: string,
  variant: TextVariant,
  sink: EnrichSink,
  onProgress?: (lines: number) => void,
): Promise<TextImportResult> {
  const parse = LINE_PARSERS[variant];
  const bad = new BadLineLog();
  let lines = 0;
  let validLines = 0;
  let seenContent = false;
  await forEachLine(file, (line, lineNo) => {
    lines = lineNo;
    if (onProgress && lineNo % PROGRESS_EVERY === 0) onProgress(lineNo);
    const t = line.trim();
    if (t === '' || t.startsWith('#')) return;
    const problem = parse(t, sink);
    if (problem === null) validLines++;
    else if (!seenContent && isHeader(t)) {
      // A header row ("ip_range_start,ip_range_end,…") is expected, not malformed.
    } else bad.add(lineNo, problem, line);
    seenContent = true;
  });
  onProgress?.(lines);
  return { lines, validLines, bad };
}

function isHeader(line: string): boolean {
  const first = line.split(/[,\t\s]/)[0].replace(/"/g, '');
  return /[a-z_]/i.test(first) && parseIp(first) === null;
}
