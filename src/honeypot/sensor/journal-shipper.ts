/**
 * Delivers the spool's journals to the store, exactly once. Per journal file a small state file
 * (`<journal>.shipped`) holds how far it was delivered; before a chunk goes out its byte range is
 * noted there as pending, so after a kill the same range goes out again with the same token and
 * the store keeps it once. Only complete lines are delivered; a file no longer written to
 * (a predecessor's, or rotated) is removed once delivered, a torn last line counted.
 */
import { open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { JOURNAL_SUFFIX } from './journal.js';
import { parseJournalLines } from './journal-line.js';
import type { SensorChunk } from './store-chunk.js';

export type Deliver = (chunk: SensorChunk) => Promise<void>;

export interface ShipOptions {
  /** The journal the running sensor still writes: delivered up to its last complete line, kept. */
  readonly live?: string;
  /** Largest chunk (bytes of journal); stays the same for a pending range, which is noted. */
  readonly maxChunkBytes?: number;
}

export interface ShipResult {
  chunks: number;
  events: number;
  /** Lines that were not an event (corrupt journal), with the first one's place. */
  skipped: number;
  firstProblem?: string;
  /** Bytes of last lines cut by a kill. */
  tornBytes: number;
  filesDone: number;
}

interface ShipState { done: number; pending?: { from: number; to: number } }

const STATE_SUFFIX = '.shipped';
export const DEFAULT_CHUNK_BYTES = 512 * 1024;

export async function shipSpool(dir: string, deliver: Deliver, opts: ShipOptions = {}): Promise<ShipResult> {
  const result: ShipResult = { chunks: 0, events: 0, skipped: 0, tornBytes: 0, filesDone: 0 };
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return result;
  }
  const journals = new Set(names.filter((n) => n.endsWith(JOURNAL_SUFFIX)));
  // A state whose journal is gone: a shipper killed between removing the two.
  for (const n of names) if (n.endsWith(STATE_SUFFIX) && !journals.has(n.slice(0, -STATE_SUFFIX.length))) await rm(join(dir, n), { force: true });
  for (const name of [...journals].sort()) await shipFile(join(dir, name), deliver, opts, result);
  return result;
}

async function shipFile(path: string, deliver: Deliver, opts: ShipOptions, result: ShipResult): Promise<void> {
  const live = opts.live !== undefined && path === opts.live;
  const statePath = `${path}${STATE_SUFFIX}`;
  const state = await readState(statePath);
  const max = opts.maxChunkBytes ?? DEFAULT_CHUNK_BYTES;
  const fh = await open(path, 'r');
  try {
    if (state.pending) await send(fh, path, state.pending.from, state.pending.to, deliver, statePath, state, result);
    for (;;) {
      const size = (await fh.stat()).size;
      if (state.done >= size) break;
      const want = Math.min(max, size - state.done);
      const buf = Buffer.alloc(want);
      const { bytesRead } = await fh.read(buf, 0, want, state.done);
      const nl = buf.subarray(0, bytesRead).lastIndexOf(0x0a);
      let to: number;
      if (nl >= 0) to = state.done + nl + 1;
      else if (bytesRead === max) to = state.done + bytesRead; // a "line" longer than a chunk: garbage, delivered as skipped lines
      else break; // the line being written (live) or torn by a kill (dead)
      state.pending = { from: state.done, to };
      await writeState(statePath, state);
      await send(fh, path, state.done, to, deliver, statePath, state, result);
    }
    if (live) return;
    const size = (await stat(path)).size;
    result.tornBytes += Math.max(0, size - state.done);
  } finally {
    await fh.close();
  }
  await rm(path, { force: true });
  await rm(statePath, { force: true });
  result.filesDone++;
}

async function send(fh: Awaited<ReturnType<typeof open>>, path: string, from: number, to: number, deliver: Deliver, statePath: string, state: ShipState, result: ShipResult): Promise<void> {
  const buf = Buffer.alloc(to - from);
  await fh.read(buf, 0, buf.length, from);
  const journal = basename(path);
  const parsed = parseJournalLines(buf.toString('utf8'), `${journal} bytes ${from}-${to}`);
  if (parsed.rows.length) await deliver({ journal, from, to, events: parsed.rows });
  result.chunks++;
  result.events += parsed.rows.length;
  result.skipped += parsed.skipped;
  if (parsed.firstProblem) result.firstProblem ??= parsed.firstProblem;
  state.done = to;
  delete state.pending;
  await writeState(statePath, state);
}

async function readState(path: string): Promise<ShipState> {
  try {
    const j = JSON.parse(await readFile(path, 'utf8')) as Partial<ShipState>;
    const done = typeof j.done === 'number' && j.done >= 0 ? j.done : 0;
    const p = j.pending;
    return p && typeof p.from === 'number' && typeof p.to === 'number' && p.to > p.from ? { done, pending: { from: p.from, to: p.to } } : { done };
  } catch {
    return { done: 0 };
  }
}

/** Written beside and renamed over: a kill leaves the old state or the new one, never half of one. */
async function writeState(path: string, state: ShipState): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, JSON.stringify(state));
  await rename(tmp, path);
}
