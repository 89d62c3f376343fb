/**
 * Lines of a text input, handed over a chunk's worth at a time (so the caller can await a write
 * between lines without a promise per line). UTF-8 split across chunks is decoded whole; `\r\n`
 * is a line end too; the last line needs no newline. A line longer than `maxLine` characters is
 * not kept (reported through `tooLong`). An error of the input (a cut gzip stream) ends the
 * reading after every complete line before it and is returned as the problem, not thrown.
 */
import { StringDecoder } from 'node:string_decoder';
import type { InputProblem } from '../../sources/record-parser.js';

export interface LineSummary { lines: number; bytes: number; problem?: InputProblem }

export async function readLines(
  input: AsyncIterable<Uint8Array>,
  handle: (lines: readonly string[], firstNo: number) => Promise<void> | void,
  opts: { maxLine: number; tooLong: (no: number) => void; signal?: AbortSignal },
): Promise<LineSummary> {
  // Node's own UTF-8 decoder: a third faster than TextDecoder on the mostly ASCII logs, and it
  // keeps a character split across chunks for the next one as well.
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let dropping = false;
  let no = 0;
  let bytes = 0;
  let problem: InputProblem | undefined;
  const emit = async (input: string, last: boolean): Promise<void> => {
    let text = input;
    if (dropping) {
      // The rest of a line already reported too long: skip to its end.
      const nl = text.indexOf('\n');
      if (nl < 0) { carry = ''; return; }
      text = text.slice(nl + 1);
      dropping = false;
    }
    const lines = text.split('\n');
    // The last piece has no newline yet: it waits for the next chunk (unless the input ended).
    const rest = last ? undefined : lines.pop();
    const firstNo = no + 1;
    for (let i = 0; i < lines.length; i++) {
      let l = lines[i] as string;
      no++;
      if (l.charCodeAt(l.length - 1) === 13) lines[i] = l = l.slice(0, -1);
      if (l.length > opts.maxLine) { opts.tooLong(no); lines[i] = ''; }
    }
    if (lines.length > 0) await handle(lines, firstNo);
    carry = rest ?? '';
    if (carry.length > opts.maxLine) {
      // Too long already: not kept; the rest of it, up to its newline, is dropped too.
      no++;
      opts.tooLong(no);
      carry = '';
      dropping = true;
    }
  };
  // Only the input's own errors are a problem of the input; the handler's (a failed write) propagate.
  const it = input[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      if (opts.signal?.aborted) break;
      let r: IteratorResult<Uint8Array>;
      try {
        r = await it.next();
      } catch (e) {
        problem = { offset: bytes, record: no + 1, message: e instanceof Error ? e.message : String(e) };
        finished = true;
        break;
      }
      if (r.done) { finished = true; break; }
      bytes += r.value.length;
      await emit(carry + decoder.write(Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength)), false);
    }
  } finally {
    if (!finished) await it.return?.();
  }
  const tail = carry + decoder.end();
  if (tail !== '') await emit(tail, true);
  return { lines: no, bytes, ...(problem ? { problem } : {}) };
}
