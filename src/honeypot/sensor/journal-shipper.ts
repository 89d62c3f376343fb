/**
 * Delivers the spool's journals to the store, exactly once. Per journal file a small state file
 * (`<journal>.shipped`) holds how far it was delivered; before a chunk goes out its byte range is
 * noted there as pending, so after a kill the same range goes out again and the store keeps it
 * once. The store itself records the ranges it holds (journal-ranges.ts), so the state file is a
 * convenience, not the guarantee: one that is missing, corrupt, truncated or stale is reported
 * (which file, what is wrong) and rebuilt from what the store says it holds, and only the bytes
 * the store lacks go out. Only complete lines are delivered; a file no longer written to (a
 * predecessor's, or rotated) is removed once delivered, a torn last line counted.
 */
import { open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { isSakimoriError } from '../../errors.js';
import { JOURNAL_SUFFIX } from './journal.js';
import { parseJournalLines } from './journal-line.js';
import { describeRanges, type StoredRange } from './journal-ranges.js';
import type { SensorChunk } from './store-chunk.js';

/** Where journals go: the stores, or a running server (both end in storeSensorChunk). */
export interface ShipTarget {
  deliver(chunk: SensorChunk): Promise<void>;
  /** The byte ranges of a journal the store holds, in order. */
  stored(journal: string): Promise<readonly StoredRange[]>;
}

/**
 * One delivery round: hands `ship` a target and returns its result, or undefined when it lets
 * this round pass (unless `force`). A round may open the stores for itself and close them after
 * (the sensor with no server: the stores are free between rounds).
 */
export type ShipRound = (ship: (target: ShipTarget) => Promise<ShipResult>, force: boolean) => Promise<ShipResult | undefined>;

/** Rounds that all go to one target already open. */
export const toTarget = (target: ShipTarget): ShipRound => (ship) => ship(target);

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
  /** State files found corrupt, truncated or stale and rebuilt from the store (what and where; at most 20 kept). */
  stateProblems: string[];
}

interface ShipState {
  done: number;
  pending?: { from: number; to: number };
  /** `done` was cut inside a line longer than a chunk (garbage): not at a line's end, on purpose. */
  midLine?: true;
}
type FileHandle = Awaited<ReturnType<typeof open>>;

const STATE_SUFFIX = '.shipped';
export const DEFAULT_CHUNK_BYTES = 512 * 1024;
/** What the store says about a range it holds in part: the shipper realigns on the store's ranges. */
const OVERLAP = 'INGEST_INTERRUPTED';

export async function shipSpool(dir: string, target: ShipTarget, opts: ShipOptions = {}): Promise<ShipResult> {
  const result: ShipResult = { chunks: 0, events: 0, skipped: 0, tornBytes: 0, filesDone: 0, stateProblems: [] };
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return result;
  }
  const journals = new Set(names.filter((n) => n.endsWith(JOURNAL_SUFFIX)));
  // A state whose journal is gone: a shipper killed between removing the two.
  for (const n of names) if (n.endsWith(STATE_SUFFIX) && !journals.has(n.slice(0, -STATE_SUFFIX.length))) await rm(join(dir, n), { force: true });
  for (const name of [...journals].sort()) await new FileShipper(join(dir, name), target, opts, result).run();
  return result;
}

class FileShipper {
  private readonly statePath: string;
  private readonly journal: string;
  private readonly max: number;
  private state: ShipState = { done: 0 };
  /** Ranges past `done` the store holds (after a rebuild): skipped, or a begun one sent again as it was. */
  private held: StoredRange[] = [];
  private rebuilt = false;

  constructor(private readonly path: string, private readonly target: ShipTarget, private readonly opts: ShipOptions, private readonly result: ShipResult) {
    this.statePath = `${path}${STATE_SUFFIX}`;
    this.journal = basename(path);
    this.max = opts.maxChunkBytes ?? DEFAULT_CHUNK_BYTES;
  }

  async run(): Promise<void> {
    const live = this.opts.live !== undefined && this.path === this.opts.live;
    const fh = await open(this.path, 'r');
    try {
      const read = await readState(this.statePath);
      const problem = typeof read === 'string' ? read : await checkState(fh, read, this.max);
      if (problem === undefined && typeof read !== 'string') this.state = read;
      // No state file: a new journal, or a lost state. Either way the store knows what it holds.
      else await this.rebuild(problem === 'missing' ? undefined : problem);
      if (this.state.pending) await this.sendOrRealign(fh, this.state.pending.from, this.state.pending.to);
      for (;;) {
        await this.skipHeld(fh);
        const size = (await fh.stat()).size;
        if (this.state.done >= size) break;
        const to = await this.nextCut(fh, size);
        if (to === undefined) break; // the line being written (live) or torn by a kill (dead)
        this.state.pending = { from: this.state.done, to };
        await writeState(this.statePath, this.state);
        await this.sendOrRealign(fh, this.state.done, to);
      }
      if (live) return;
      this.result.tornBytes += Math.max(0, (await fh.stat()).size - this.state.done);
    } finally {
      await fh.close();
    }
    await rm(this.path, { force: true });
    await rm(this.statePath, { force: true });
    this.result.filesDone++;
  }

  /** Where the next chunk from `done` ends: after its last complete line, before a held range. */
  private async nextCut(fh: FileHandle, size: number): Promise<number | undefined> {
    const done = this.state.done;
    const limit = this.held[0] ? this.held[0].from - done : Number.POSITIVE_INFINITY;
    const want = Math.min(this.max, size - done, limit);
    const buf = Buffer.alloc(want);
    const { bytesRead } = await fh.read(buf, 0, want, done);
    const nl = buf.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (nl >= 0) return done + nl + 1;
    // A "line" longer than a chunk: garbage, delivered as skipped lines. Up to a held range: that
    // range begins a line, so these bytes end one.
    if (bytesRead === this.max || (bytesRead === want && want === limit)) return done + bytesRead;
    return undefined;
  }

  /** Steps over the ranges the store holds from `done`; a begun one is sent again exactly. */
  private async skipHeld(fh: FileHandle): Promise<void> {
    while (this.held[0] && this.held[0].from <= this.state.done) {
      const r = this.held.shift() as StoredRange;
      if (r.to <= this.state.done) continue;
      if (r.committed) {
        this.state.done = r.to;
        await writeState(this.statePath, this.state);
      } else if (r.from === this.state.done) {
        this.state.pending = { from: r.from, to: r.to };
        await writeState(this.statePath, this.state);
        await this.sendOrRealign(fh, r.from, r.to);
      }
    }
  }

  private async sendOrRealign(fh: FileHandle, from: number, to: number): Promise<void> {
    try {
      await this.send(fh, from, to);
    } catch (e) {
      // The state file is stale (restored, or written by another shipper): the store says what it holds.
      if (this.rebuilt || !isSakimoriError(e) || e.code !== OVERLAP) throw e;
      await this.rebuild(`bytes ${from}-${to} overlap what the store holds (a stale state file)`);
    }
  }

  private async send(fh: FileHandle, from: number, to: number): Promise<void> {
    const buf = Buffer.alloc(to - from);
    await fh.read(buf, 0, buf.length, from);
    const parsed = parseJournalLines(buf.toString('utf8'), `${this.journal} bytes ${from}-${to}`);
    if (parsed.rows.length) await this.target.deliver({ journal: this.journal, from, to, events: parsed.rows });
    this.result.chunks++;
    this.result.events += parsed.rows.length;
    this.result.skipped += parsed.skipped;
    if (parsed.firstProblem) this.result.firstProblem ??= parsed.firstProblem;
    this.state.done = to;
    delete this.state.pending;
    if (buf.length > 0 && buf[buf.length - 1] !== 0x0a) this.state.midLine = true;
    else delete this.state.midLine;
    await writeState(this.statePath, this.state);
  }

  /** Starts the journal again from 0 with the store's ranges held; a problem is reported. */
  private async rebuild(why: string | undefined): Promise<void> {
    let problem = why;
    this.rebuilt = true;
    const ranges = [...await this.target.stored(this.journal)].sort((a, b) => a.from - b.from);
    this.state = { done: 0 };
    this.held = ranges;
    await writeState(this.statePath, this.state);
    // No state and nothing stored: a new journal. No state but ranges stored: a lost state file.
    if (problem === undefined && ranges.length === 0) return;
    problem ??= 'missing (lost?)';
    const holds = ranges.length ? `the store holds bytes ${describeRanges(ranges)}` : 'the store holds none of it';
    if (this.result.stateProblems.length < 20) this.result.stateProblems.push(`${this.statePath}: ${problem}; rebuilt from the store (${holds}), only the rest is sent`);
  }
}

/** The state, 'missing', or what is wrong with the file. */
async function readState(path: string): Promise<ShipState | string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : `unreadable (${(e as NodeJS.ErrnoException).code ?? String(e)})`;
  }
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch {
    return text.length === 0 ? 'empty (truncated)' : `not JSON (corrupt or truncated, ${text.length} bytes)`;
  }
  if (typeof j !== 'object' || j === null) return 'not a state object';
  const { done, pending, midLine } = j as { done?: unknown; pending?: unknown; midLine?: unknown };
  if (typeof done !== 'number' || !Number.isSafeInteger(done) || done < 0) return `"done" is not a byte offset (${JSON.stringify(done)})`;
  const mid = midLine === true ? { midLine: true as const } : {};
  if (pending === undefined) return { done, ...mid };
  const p = pending as { from?: unknown; to?: unknown };
  if (typeof p !== 'object' || p === null || p.from !== done || typeof p.to !== 'number' || !Number.isSafeInteger(p.to) || p.to <= done) {
    return `"pending" is not a range from "done" (${JSON.stringify(pending)})`;
  }
  return { done, pending: { from: done, to: p.to }, ...mid };
}

/**
 * A state that does not fit its journal: past its end, or not at the end of a line (but for a cut
 * inside a line longer than a chunk, which the shipper makes on purpose).
 */
async function checkState(fh: FileHandle, s: ShipState, max: number): Promise<string | undefined> {
  const size = (await fh.stat()).size;
  const end = s.pending?.to ?? s.done;
  if (end > size) return `it says ${end} bytes were delivered or pending, but the journal has ${size}`;
  const ends = [...(s.midLine ? [] : [s.done]), ...(s.pending && s.pending.to - s.pending.from !== max ? [s.pending.to] : [])];
  for (const at of ends) {
    if (at === 0) continue;
    const b = Buffer.alloc(1);
    await fh.read(b, 0, 1, at - 1);
    if (b[0] !== 0x0a) return `byte ${at} is not the end of a journal line`;
  }
  return undefined;
}

/** Written beside and renamed over: a kill leaves the old state or the new one, never half of one. */
async function writeState(path: string, state: ShipState): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, JSON.stringify(state));
  await rename(tmp, path);
}
