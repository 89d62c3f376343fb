/**
 * What the text flow-file readers (Argus CSV, Zeek conn.log, nfdump CSV) share: bytes → lines →
 * records in the batch. Lines may be split across chunks; CR LF and LF both end a line; a UTF-8
 * BOM is dropped (TextDecoder does); a line longer than MAX_LINE_CHARS is counted as malformed
 * and skipped without being held. Each format parses one line at a time through a `LineParser`.
 *
 * Bad lines are counted by reason (`line-malformed`, `field-invalid`) and the first few kept with
 * their line numbers in `problems`; lines that hold no flow by design (headers, comments, nfdump's
 * summary, Argus management records) are counted in `ignored`. A record whose start is more than
 * a day after "now" (`nowMs`, default the time reading began) is counted as `flow-from-future`:
 * a file is read after its flows ended, so such a time is a wrong clock or a wrong time zone.
 */
import type { FlowBatch } from '../flow-batch.js';
import { FLOW_SKIP, type FlowSkipCounters, type FlowSkipReason } from '../flow-skips.js';
import type { FlowFileFormat, FlowReadOptions, FlowReadSummary } from '../reader.js';
import type { InputProblem } from '../../sources/record-parser.js';
import { wallClock, type WallClock } from './local-time.js';

/** Options of the text readers: the common ones, plus the clock of the future check and how many problems to keep. */
export interface TextFlowReadOptions extends FlowReadOptions {
  /** "Now" for the flow-from-future check, ms since the epoch (default: when reading starts). */
  readonly nowMs?: number;
  /** How many problems to keep with their line numbers (default 20); all are counted in `skips`. */
  readonly maxProblems?: number;
}

/** A line that gave no record, where and why. */
export interface LineProblem {
  readonly line: number;
  readonly reason: FlowSkipReason;
  readonly message: string;
}

export interface TextFlowReadSummary extends FlowReadSummary {
  /** The first problems (bad lines, an unusable header) with their line numbers. */
  readonly problems: readonly LineProblem[];
  /** Lines holding no flow by design: headers, comments, blank lines, summaries, management records. */
  readonly ignored: number;
}

/** What a format's line parser is given. */
export interface LineContext {
  readonly batch: FlowBatch;
  /** Wall-clock times of the input's time zone (`timeZone`, default UTC) → ms since the epoch. */
  readonly clock: WallClock;
  /** A line that gives no record: counted by reason, kept among the first problems. */
  bad(reason: 'line-malformed' | 'field-invalid', line: number, message: string): void;
  /** A line that holds no flow by design. */
  ignore(): void;
  /** Keeps record `i` (begun with `batch.begin()`) unless it starts too far in the future. */
  commit(i: number): void;
}

export interface LineParser {
  /** One line without its line end. At most one record per line (the batch never grows). */
  line(text: string, lineNo: number): void;
}

/** A line longer than this is not a flow record of any of these formats: skipped, not held. */
export const MAX_LINE_CHARS = 1 << 20;
const DAY_MS = 86_400_000;

/** A time for a message: ISO 8601 where Date can show it. */
function timeText(ms: number): string {
  return Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : `${ms} ms after 1970`;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Reads a text flow file: decodes the stream, splits lines and hands each to the format's parser,
 * delivering the batch to `onBatch` when it is full and once at the end. Never throws on bad input;
 * an error of the stream ends the reading with `truncated` set and every complete line before it read.
 * An invalid `timeZone` throws (BAD_TIME) before anything is read; an abort rejects with its reason.
 */
export async function readTextFlows(
  input: AsyncIterable<Uint8Array>, opts: TextFlowReadOptions, format: FlowFileFormat, makeParser: (ctx: LineContext) => LineParser,
): Promise<TextFlowReadSummary> {
  const { batch, skips, signal } = opts;
  signal?.throwIfAborted();
  const clock = wallClock(opts.timeZone ?? 'UTC');
  const futureLimit = (opts.nowMs ?? Date.now()) + DAY_MS;
  const maxProblems = opts.maxProblems ?? 20;
  const problems: LineProblem[] = [];
  let ignored = 0;
  let delivered = 0;
  let bytes = 0;
  let lineNo = 0;

  const count = (s: FlowSkipCounters, reason: FlowSkipReason): void => s.add(FLOW_SKIP[reason]);
  const ctx: LineContext = {
    batch,
    clock,
    bad(reason, line, message) {
      count(skips, reason);
      if (problems.length < maxProblems) problems.push({ line, reason, message });
    },
    ignore() {
      ignored++;
    },
    commit(i) {
      if ((batch.startMs[i] as number) > futureLimit) {
        count(skips, 'flow-from-future');
        if (problems.length < maxProblems) problems.push({ line: lineNo, reason: 'flow-from-future', message: `flow starts at ${timeText(batch.startMs[i] as number)}, more than a day after now (wrong clock or time zone?)` });
        return;
      }
      batch.commit();
    },
  };
  const parser = makeParser(ctx);

  batch.reset();
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    delivered += batch.length;
    await opts.onBatch(batch, { bytes, records: delivered });
    batch.reset();
    signal?.throwIfAborted();
  };

  const decoder = new TextDecoder('utf-8');
  /** The start of a line not yet ended, in pieces (joined once its end arrives, so long lines cost linear time). */
  let parts: string[] = [];
  let partsChars = 0;
  /** Inside a line too long to hold: drop text until its end. */
  let skipping = false;
  let truncated: InputProblem | undefined;

  /** The line being gathered is too long: counted, dropped, and the rest of it skipped. */
  const tooLong = (): void => {
    lineNo++;
    ctx.bad('line-malformed', lineNo, `line longer than ${MAX_LINE_CHARS} characters; skipped`);
    parts = [];
    partsChars = 0;
    skipping = true;
  };

  /** Lines of `text` from `at`; returns where the unfinished last line begins. */
  const lines = async (text: string, at: number): Promise<number> => {
    for (;;) {
      const nl = text.indexOf('\n', at);
      if (nl < 0) return at;
      const end = nl > at && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      lineNo++;
      parser.line(text.slice(at, end), lineNo);
      at = nl + 1;
      if (batch.full) await flush();
    }
  };

  const it = input[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await it.next();
      } catch (e) {
        // A stream failing part-way (a cut gzip member, a read error) ends the input; the unfinished line is dropped.
        truncated = { offset: bytes, record: lineNo, message: `the input ended with an error: ${messageOf(e)}` };
        parts = [];
        break;
      }
      if (next.done) break;
      signal?.throwIfAborted();
      const chunk = next.value;
      bytes += chunk.length;
      const piece = decoder.decode(chunk, { stream: true });
      const firstNl = piece.indexOf('\n');
      if (firstNl < 0) {
        if (skipping) continue;
        parts.push(piece);
        partsChars += piece.length;
        if (partsChars > MAX_LINE_CHARS) tooLong();
        continue;
      }
      let text: string;
      let at = 0;
      if (skipping) {
        skipping = false;
        text = piece;
        at = firstNl + 1;
      } else {
        text = parts.length > 0 ? parts.join('') + piece : piece;
      }
      const rest = await lines(text, at);
      parts = rest < text.length ? [text.slice(rest)] : [];
      partsChars = text.length - rest;
      if (partsChars > MAX_LINE_CHARS) tooLong();
    }
  } finally {
    if (truncated === undefined) await it.return?.();
  }
  if (truncated === undefined && !skipping) {
    // The last line may lack its line end.
    const tail = parts.join('') + decoder.decode();
    const rest = await lines(tail, 0);
    if (rest < tail.length) {
      const last = tail.charCodeAt(tail.length - 1) === 13 ? tail.slice(rest, -1) : tail.slice(rest);
      lineNo++;
      parser.line(last, lineNo);
    }
  }
  await flush();
  return {
    name: opts.name, format, units: lineNo, records: delivered, bytes, problems, ignored,
    ...(truncated ? { truncated } : {}),
  };
}
