/**
 * The sensor's journal: its events as JSON lines in a spool directory, written out every
 * `flushMs` and fsynced every `syncMs` (default 200 ms and 1 s), so a killed sensor loses at most
 * the events of its last second; a file is closed and the next one begun past `maxBytes`. The
 * shipper (journal-shipper.ts) delivers what is written. One sensor per spool directory (a lock).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fdatasync, fsyncSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { SakimoriError } from '../../errors.js';
import type { HoneypotEventRow } from '../../schema/honeypot-event.js';

export interface JournalOptions {
  readonly dir: string;
  readonly flushMs?: number;
  readonly syncMs?: number;
  readonly maxBytes?: number;
  /** Lines held while the disk refuses them; beyond it the oldest are dropped (counted). */
  readonly maxPending?: number;
}

export const JOURNAL_SUFFIX = '.jsonl';
const LOCK = 'sensor.lock';

export interface JournalCounters { events: number; bytes: number; files: number; writeErrors: number; dropped: number }

export class Journal {
  readonly counters: JournalCounters = { events: 0, bytes: 0, files: 0, writeErrors: 0, dropped: 0 };
  private pending: string[] = [];
  private fd = -1;
  private path = '';
  private size = 0;
  private seq = 0;
  private dirty = false;
  /**
   * Names a journal for good (the store recognises its ranges by name): the start time, the pid
   * and a random part, so two sensors started in the same second with the same pid (containers)
   * never share a name.
   */
  private readonly stamp = `${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${process.pid}-${randomBytes(4).toString('hex')}`;
  private readonly flushTimer: NodeJS.Timeout;
  private readonly syncTimer: NodeJS.Timeout;
  private readonly maxBytes: number;
  private readonly maxPending: number;

  constructor(private readonly opts: JournalOptions) {
    mkdirSync(opts.dir, { recursive: true });
    lockSpool(opts.dir);
    this.maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
    this.maxPending = opts.maxPending ?? 1_000_000;
    this.open();
    this.flushTimer = setInterval(() => this.flush(), opts.flushMs ?? 200);
    this.syncTimer = setInterval(() => this.sync(), opts.syncMs ?? 1000);
    this.flushTimer.unref();
    this.syncTimer.unref();
  }

  /** The file being written now (the shipper leaves it in place when done with it). */
  get current(): string {
    return this.path;
  }

  append(row: HoneypotEventRow): void {
    if (this.pending.length >= this.maxPending) { this.pending.shift(); this.counters.dropped++; }
    this.pending.push(JSON.stringify(row));
  }

  flush(): void {
    if (this.pending.length === 0 || this.fd < 0) return;
    const text = `${this.pending.join('\n')}\n`;
    const buf = Buffer.from(text);
    try {
      let off = 0;
      while (off < buf.length) off += writeSync(this.fd, buf, off);
    } catch {
      // Disk full or gone: keep the lines and try again at the next flush.
      this.counters.writeErrors++;
      return;
    }
    this.counters.events += this.pending.length;
    this.counters.bytes += buf.length;
    this.pending = [];
    this.size += buf.length;
    this.dirty = true;
    if (this.size >= this.maxBytes) this.rotate();
  }

  /** Writes and fsyncs what is pending, closes the file and releases the spool. */
  close(): void {
    clearInterval(this.flushTimer);
    clearInterval(this.syncTimer);
    this.flush();
    if (this.fd >= 0) {
      try { fsyncSync(this.fd); } catch { this.counters.writeErrors++; }
      closeSync(this.fd);
      this.fd = -1;
    }
    rmSync(join(this.opts.dir, LOCK), { force: true });
  }

  private sync(): void {
    if (!this.dirty || this.fd < 0) return;
    this.dirty = false;
    fdatasync(this.fd, (e) => { if (e) this.counters.writeErrors++; });
  }

  private open(): void {
    this.path = join(this.opts.dir, `${this.stamp}-${String(this.seq++).padStart(4, '0')}${JOURNAL_SUFFIX}`);
    this.fd = openSync(this.path, 'a', 0o600);
    this.size = 0;
    this.counters.files++;
  }

  private rotate(): void {
    try { fsyncSync(this.fd); } catch { this.counters.writeErrors++; }
    closeSync(this.fd);
    this.open();
  }
}

/** The live sensor process holding the spool, if any (its shipper delivers it: a second shipper would race it). */
export function spoolHolder(dir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dir, LOCK), 'utf8'));
    return pid && pid !== process.pid && alive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the spool for this process; a live holder is an error, a dead one's lock is taken over. */
function lockSpool(dir: string): void {
  const lock = join(dir, LOCK);
  try {
    const pid = Number(readFileSync(lock, 'utf8'));
    if (pid && pid !== process.pid && alive(pid)) {
      throw new SakimoriError('STORE_LOCKED', `the spool directory is in use by sensor process ${pid}`, { dir });
    }
  } catch (e) {
    if (e instanceof SakimoriError) throw e;
  }
  writeFileSync(lock, String(process.pid), { mode: 0o600 });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
