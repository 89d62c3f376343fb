/**
 * Parses text without a store (findings and problems), the way the import driver feeds its
 * parser: for the parser tests and fuzzing only, never imported by production code.
 */
import type { ServiceRow } from '../../schema/service-observation.js';
import { batchRows, RowCollector } from '../collector.js';
import { createParser, TextFeeder } from '../import-file.js';
import type { ImportFormat, ParseOptions } from '../types.js';

/** Parses text without a store: findings and problems, for tests and fuzzing. */
export function parseText(format: ImportFormat, text: string, opts: ParseOptions = {}, now = 0): { collector: RowCollector; rows: ServiceRow[] } {
  const col = new RowCollector(format, 'test', now, Number.MAX_SAFE_INTEGER);
  const parser = createParser(format, opts, now);
  const feeder = new TextFeeder(parser, col, () => undefined);
  if (parser.kind === 'text') {
    // As the driver: pieces that end just after one of the parser's cut bytes.
    const cut = Math.max(...parser.cutBytes.map((b) => text.lastIndexOf(String.fromCharCode(b))));
    feeder.feed(text.slice(0, cut + 1));
    if (cut + 1 < text.length) feeder.feed(text.slice(cut + 1));
  } else {
    feeder.feed(text);
  }
  feeder.end();
  return { collector: col, rows: batchRows(col.take()) };
}
