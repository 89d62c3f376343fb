/**
 * Imports a survey output (a file or standard input, gzip recognised by its magic bytes) as service
 * observations: bytes → text in large pieces → the format's parser → batches of rows → the store.
 * Reading goes on while the previous batch is being written; at most two batches are held.
 *
 * Deduplication: batch k's token is the SHA-256 of the format, the parse options and the input text
 * from its start to the end of batch k's last record. Re-importing the same input (compressed or
 * not, from a file or a pipe, in any chunking) gives the same tokens, so the store keeps each batch
 * once; a file that has grown since keeps its earlier full batches once too.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { EventsStore, StateStore } from '../store/types.js';
import { loadServicePostProcessing, type ServicePostProcessing } from '../services/post-process.js';
import { identifyBatch } from './identify-findings.js';
import type { IpEnricher } from '../enrich/index.js';
import type { ServiceRow } from '../schema/service-observation.js';
import { openInput } from '../sources/input.js';
import { gunzip, peek } from '../sources/byte-streams.js';
import { messageOf } from '../errors.js';
import { batchRows, RowCollector, type RowBatch } from './collector.js';
import { importWriter, type BatchWriter } from './import-writer.js';
import { MergePause } from '../store/events/merge-pause.js';
import { MAX_RECORD_BYTES, type ImportFormat, type ImportParser, type ImportProblem, type ParseOptions, type ParseSink } from './types.js';
import { zmapCsvParser } from './zmap-csv.js';
import { masscanParser } from './masscan.js';
import { zgrab2Parser } from './zgrab2.js';
import { nmapXmlParser } from './nmap-xml.js';

export interface ImportOptions extends ParseOptions {
  format: ImportFormat;
  /** Rows per insert (default 200,000 for ZMap and Masscan, 20,000 for ZGrab2 and nmap). */
  batchSize?: number;
  /** The run_id of the rows (default imp-<time>-<random>). */
  importId?: string;
  /** Time of records that carry none (default: now). */
  now?: number;
  /** Name of the input in the summary and messages. */
  name?: string;
  onProgress?: (p: { bytes: number; records: number; rows: number }) => void;
}

export interface ImportSummary {
  importId: string;
  format: ImportFormat;
  input: string;
  gzip: boolean;
  /** Bytes read (after decompression). */
  bytes: number;
  lines: number;
  /** Input records read (data lines, hosts), well-formed or not. */
  records: number;
  /** Rows handed to the store. */
  services: number;
  /** Rows of this import now in the store (fewer than services when batches were imported before). */
  stored: number;
  /** Rows not stored again because the same input had been imported before. */
  alreadyImported: number;
  batches: number;
  skipped: Record<string, number>;
  errors: number;
  /** The first problems, with their line numbers. */
  firstErrors: ImportProblem[];
  /** The input could not be read to its end (cut gzip, read error): where and why. */
  inputError?: string;
  seconds: number;
}

export interface ImportDeps {
  events: EventsStore;
  enricher: IpEnricher;
  /** The state store, for the CVE matcher of the imported vulnerability feeds. */
  state?: Pick<StateStore, 'query'>;
  /**
   * Identification as the survey's (fingerprint rules, CVE matcher); default: loaded from the
   * starter rules and `state`, except with `write` (the parsers alone), where it runs only when given.
   */
  postProcessing?: ServicePostProcessing;
  /** Replaces the store writer (tests, benchmarks of the parsers alone). */
  write?: BatchWriter;
}

/**
 * Rows per insert. Port-only rows are small and the store's cost per insert is large (the view
 * into services_current sorts and collapses each block): big batches. ZGrab2 and nmap rows are
 * about 1 KB of JSON each: smaller ones.
 */
export function defaultBatchSize(format: ImportFormat): number {
  return format === 'zmap' || format === 'masscan' ? 200_000 : 20_000;
}

export function newImportId(now = Date.now()): string {
  return `imp-${new Date(now).toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`;
}

export function createParser(format: ImportFormat, opts: ParseOptions, now: number): ImportParser {
  switch (format) {
    case 'zmap': return zmapCsvParser(opts, now);
    case 'masscan': return masscanParser(opts, now);
    case 'zgrab2': return zgrab2Parser(opts, now);
    case 'nmap': return nmapXmlParser(opts, now);
  }
}

/** What changes the rows an input gives, as part of every token. */
function tokenSeed(o: ImportOptions): string {
  return JSON.stringify({ v: 1, format: o.format, port: o.port ?? null, transport: o.transport ?? null, includeClosed: o.includeClosed ?? false, fields: o.fields ?? null, batch: o.batchSize ?? defaultBatchSize(o.format) });
}

/**
 * Feeds text to a parser: the driver's part that is the same for every input. Line parsers get
 * one line at a time (CR LF or LF); text parsers get the piece. `cut(pos)` is offered after every
 * record with the position in the piece where it ended.
 */
export class TextFeeder {
  lines = 0;
  constructor(private readonly parser: ImportParser, private readonly sink: ParseSink, private readonly cut: (text: string, pos: number) => void) {}

  feed(t: string): void {
    const p = this.parser;
    if (p.kind === 'lines') {
      let at = 0;
      while (at < t.length) {
        let nl = t.indexOf('\n', at);
        if (nl < 0) nl = t.length;
        const end = nl > at && t.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        this.lines++;
        p.line(t.slice(at, end), this.lines, this.sink);
        at = nl + 1;
        this.cut(t, Math.min(at, t.length));
      }
    } else {
      p.push(t, this.sink, (pos) => this.cut(t, pos));
      for (let nl = t.indexOf('\n'); nl >= 0; nl = t.indexOf('\n', nl + 1)) this.lines++;
    }
  }

  /** A line too long to hold, dropped: counted, reported. */
  skipLine(): void {
    this.lines++;
    this.sink.problem(this.lines, `record longer than ${MAX_RECORD_BYTES / 1024 / 1024} MiB without a line end; skipped`);
  }

  end(): void {
    const p = this.parser;
    if (p.kind === 'lines') p.end(this.lines, this.sink);
    else p.end(this.sink);
  }
}

export async function importStream(deps: ImportDeps, source: AsyncIterable<Uint8Array>, opts: ImportOptions): Promise<ImportSummary> {
  // Merges wait while the batches go in (store/events/merge-pause.ts).
  const merges = deps.write ? undefined : new MergePause(deps.events);
  await merges?.begin();
  try {
    return await importBatches(deps, source, opts, merges);
  } finally {
    await merges?.end();
  }
}

async function importBatches(deps: ImportDeps, source: AsyncIterable<Uint8Array>, opts: ImportOptions, merges: MergePause | undefined): Promise<ImportSummary> {
  const started = Date.now();
  const now = opts.now ?? started;
  const importId = opts.importId ?? newImportId(now);
  const batchSize = Math.max(1, opts.batchSize ?? defaultBatchSize(opts.format));
  const parser = createParser(opts.format, opts, now);
  const col = new RowCollector(opts.format, importId, now, batchSize);
  const write = deps.write ?? importWriter(deps.events, deps.enricher);
  // The survey's identification of what was recorded: banners named, rules, CVEs (identify-findings.ts).
  const post = deps.postProcessing ?? (deps.write ? undefined : await loadServicePostProcessing(deps.state));

  const hash = createHash('sha256').update(tokenSeed(opts));
  let hashedText = '';
  let hashedPos = 0;
  let batchNo = 0;
  const ready: { batch: RowBatch; token: string }[] = [];
  const cutBatch = (text: string, pos: number): void => {
    if (text !== hashedText) {
      hashedText = text;
      hashedPos = 0;
    }
    hash.update(text.slice(hashedPos, pos));
    hashedPos = pos;
    ready.push({ batch: col.take(), token: `${opts.format}:${batchNo++}:${hash.copy().digest('hex')}` });
  };
  const feeder = new TextFeeder(parser, col, (text, pos) => {
    if (col.full()) cutBatch(text, pos);
  });
  const feed = (t: string): void => {
    feeder.feed(t);
    if (t !== hashedText) {
      hashedText = t;
      hashedPos = 0;
    }
    hash.update(t.slice(hashedPos));
    hashedText = '';
    hashedPos = 0;
  };

  let services = 0;
  let writing: Promise<void> = Promise.resolve();
  let writeError: unknown;
  const drain = async (): Promise<void> => {
    for (const b of ready.splice(0)) {
      if (writeError !== undefined) return;
      // The writer prepares this batch now (while the previous one is being stored) and stores
      // it after that one; then we wait for the previous one, so at most two batches are held.
      const next = write(post ? identifyBatch(b.batch, post) : b.batch, b.token).then(async (n) => { services += n; await merges?.afterBatch(); }).catch((e: unknown) => { writeError ??= e; });
      await writing;
      writing = next;
    }
  };

  let bytes = 0;
  let gzip = false;
  let inputError: string | undefined;
  const cutBytes = parser.kind === 'lines' ? [0x0a] : parser.cutBytes;
  let carry: Buffer | undefined;
  let skipping = false;
  let first = true;
  try {
    const { head, stream } = await peek(source, 2);
    gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
    for await (const chunk of gzip ? gunzip(stream) : stream) {
      bytes += chunk.length;
      let buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (first) {
        first = false;
        if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3); // UTF-8 BOM
      }
      if (skipping) {
        const nl = firstCut(buf, cutBytes);
        if (nl < 0) continue;
        skipping = false;
        buf = buf.subarray(nl + 1);
      }
      if (carry) buf = Buffer.concat([carry, buf]);
      const cut = lastCut(buf, cutBytes);
      if (cut < 0) {
        carry = Buffer.from(buf);
        if (carry.length > MAX_RECORD_BYTES) {
          feeder.skipLine();
          carry = undefined;
          skipping = true;
        }
        continue;
      }
      feed(buf.toString('utf8', 0, cut + 1));
      carry = cut + 1 < buf.length ? Buffer.from(buf.subarray(cut + 1)) : undefined;
      opts.onProgress?.({ bytes, records: col.records, rows: col.rowsTotal });
      await drain();
      if (writeError !== undefined) break;
    }
  } catch (e) {
    // A cut or damaged gzip member, a read error: what came before is kept.
    inputError = `input ended early after ${bytes} bytes: ${messageOf(e).slice(0, 200)}`;
  }
  if (writeError === undefined) {
    if (carry && carry.length > 0) feed(carry.toString('utf8'));
    feeder.end();
    if (inputError !== undefined) col.problem(feeder.lines + 1, inputError);
    if (col.pending > 0) cutBatch('', 0);
    await drain();
  }
  await writing;
  if (writeError !== undefined) throw writeError;

  let stored = services;
  if (services > 0 && !deps.write) {
    const r = await deps.events.query<{ n: number }>(
      'SELECT count() AS n FROM services WHERE run_id = {id:String} AND time >= fromUnixTimestamp64Milli({a:Int64}) AND time <= fromUnixTimestamp64Milli({b:Int64})',
      { id: importId, a: Math.floor(col.minTime), b: Math.ceil(col.maxTime) },
    );
    stored = Number(r[0]?.n ?? 0);
  }
  return {
    importId, format: opts.format, input: opts.name ?? 'stdin', gzip, bytes, lines: feeder.lines,
    records: col.records, services, stored, alreadyImported: Math.max(0, services - stored), batches: batchNo,
    skipped: col.skipped, errors: col.errors, firstErrors: col.problems,
    ...(inputError !== undefined ? { inputError } : {}),
    seconds: (Date.now() - started) / 1000,
  };
}

/** Where the first (last) of the cut bytes is in `b`, -1 when none is. */
function firstCut(b: Buffer, cuts: readonly number[]): number {
  let at = -1;
  for (const c of cuts) {
    const k = b.indexOf(c);
    if (k >= 0 && (at < 0 || k < at)) at = k;
  }
  return at;
}

function lastCut(b: Buffer, cuts: readonly number[]): number {
  let at = -1;
  for (const c of cuts) at = Math.max(at, b.lastIndexOf(c));
  return at;
}

/** A file (or "-" for standard input). */
export async function importFile(deps: ImportDeps, path: string, opts: ImportOptions): Promise<ImportSummary> {
  const input = openInput(path);
  return importStream(deps, input.stream, { ...opts, name: opts.name ?? input.name });
}
