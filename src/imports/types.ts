/**
 * What the import parsers share. A parser is pure: text in, findings and problems out through a
 * sink; it never touches a store, so it is tested (and fuzzed) on strings alone.
 */
import type { ServiceFinding } from '../schema/service-observation.js';

export const IMPORT_FORMATS = ['zmap', 'masscan', 'zgrab2', 'nmap'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export function isImportFormat(s: string): s is ImportFormat {
  return (IMPORT_FORMATS as readonly string[]).includes(s);
}

/** Settings that change which rows an input gives (they are part of the deduplication token). */
export interface ParseOptions {
  /** Port for records that carry none (ZMap without sport, ZGrab2 module results without port). */
  port?: number;
  /** Transport for records that do not say (default tcp). */
  transport?: 'tcp' | 'udp';
  /** Store closed ports too (status closed); by default only open ports are kept. */
  includeClosed?: boolean;
  /** ZMap: the field names when the file has no header row (`--no-header-row`). */
  fields?: readonly string[];
}

/** Where the parsers put what they find. */
export interface ParseSink {
  /** One input record (a data line, a host element) was read, well-formed or not. */
  record(): void;
  /**
   * A service observation. Findings with the same `mergeKey` within one batch become one row
   * (Masscan's status and banner records of a port, ZGrab2's http and tls results of a port).
   */
  finding(f: ServiceFinding, mergeKey?: string): void;
  /** A malformed record: where (line number) and what was wrong; parsing goes on. */
  problem(line: number, message: string): void;
  /** A record that is well-formed but not stored (closed port, duplicate response, trailer). */
  skip(reason: string): void;
}

/** A parser of a line-oriented format: called once per line, in order. */
export interface LineParser {
  readonly kind: 'lines';
  line(text: string, lineNo: number, sink: ParseSink): void;
  end(lastLine: number, sink: ParseSink): void;
}

/**
 * A parser of a format whose records need not follow lines (nmap XML, Masscan's JSON): fed text in
 * order, every piece ending just after one of its `cutBytes` (ASCII, so that no character is cut);
 * `boundary(pos)` is called after each complete record with the position in the current piece
 * where it ended.
 */
export interface TextParser {
  readonly kind: 'text';
  /** Bytes a piece may end after: `>` for XML; LF and `}` for JSON, which may have no line ends at all. */
  readonly cutBytes: readonly number[];
  push(text: string, sink: ParseSink, boundary: (pos: number) => void): void;
  end(sink: ParseSink): void;
}

export type ImportParser = LineParser | TextParser;

/** A line (an XML tag, a JSON record) longer than this is reported and skipped rather than buffered. */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

export interface ImportProblem {
  line: number;
  message: string;
}
