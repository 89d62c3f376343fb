/**
 * The sink the parsers write to: findings become rows of the current batch (merged by key within
 * it), problems are counted with the first few kept, skipped records counted by reason.
 */
import { serviceRow, type ServiceFinding, type ServiceRow } from '../schema/service-observation.js';
import type { ImportProblem, ParseSink } from './types.js';

/** Findings with only these fields go through the narrow (fast) insert; see import-writer.ts. */
export const CORE_FIELDS: ReadonlySet<string> = new Set(['ip', 'port', 'transport', 'time', 'status', 'service', 'source', 'run_id']);

export interface RowBatch {
  /** The findings, source and run_id set; `serviceRow(f, now)` makes the full rows. */
  findings: ServiceFinding[];
  /** Time of findings without one. */
  now: number;
  /** Some row has a field beyond CORE_FIELDS (banner, http_*, tls_* …). */
  rich: boolean;
}

export class RowCollector implements ParseSink {
  records = 0;
  errors = 0;
  readonly problems: ImportProblem[] = [];
  readonly skipped: Record<string, number> = {};
  rowsTotal = 0;
  minTime = Infinity;
  maxTime = -Infinity;
  private rows: ServiceFinding[] = [];
  private rich = false;
  private keys = new Map<string, number>();

  constructor(
    private readonly source: string,
    private readonly runId: string,
    private readonly now: number,
    private readonly batchSize: number,
    private readonly keepProblems = 20,
  ) {}

  record(): void {
    this.records++;
  }

  problem(line: number, message: string): void {
    this.errors++;
    if (this.problems.length < this.keepProblems) this.problems.push({ line, message });
  }

  skip(reason: string): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
  }

  finding(f: ServiceFinding, mergeKey?: string): void {
    if (!this.rich) {
      for (const k in f) {
        if (!CORE_FIELDS.has(k)) {
          this.rich = true;
          break;
        }
      }
    }
    if (mergeKey !== undefined) {
      const at = this.keys.get(mergeKey);
      if (at !== undefined) {
        mergeFinding(this.rows[at] as ServiceFinding, f);
        return;
      }
      this.keys.set(mergeKey, this.rows.length);
    }
    f.source = this.source;
    f.run_id = this.runId;
    const time = f.time ?? this.now;
    const t = typeof time === 'number' ? time : Date.parse(time);
    if (t < this.minTime) this.minTime = t;
    if (t > this.maxTime) this.maxTime = t;
    this.rows.push(f);
    this.rowsTotal++;
  }

  get pending(): number {
    return this.rows.length;
  }

  full(): boolean {
    return this.rows.length >= this.batchSize;
  }

  take(): RowBatch {
    const b = { findings: this.rows, now: this.now, rich: this.rich };
    this.rows = [];
    this.rich = false;
    this.keys.clear();
    return b;
  }
}

function isDefault(v: unknown): boolean {
  if (v === '' || v === 0 || v === null || v === undefined) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}

/** The full rows of a batch. */
export function batchRows(b: RowBatch): ServiceRow[] {
  return b.findings.map((f) => serviceRow(f, b.now));
}

/**
 * Adds what a further record of the same port says: fields still empty are filled, `details`
 * objects are joined, an open status wins over closed, the earlier time is kept.
 */
export function mergeFinding(row: ServiceFinding, f: ServiceFinding): void {
  const r = row as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(f)) {
    if (v === undefined || k === 'ip' || k === 'port' || k === 'transport' || k === 'source' || k === 'run_id') continue;
    if (k === 'time') continue;
    if (k === 'status') {
      if (v === 'open') row.status = 'open';
      continue;
    }
    if (k === 'details' && typeof v === 'string' && v !== '' && row.details) {
      row.details = joinDetails(row.details, v);
      continue;
    }
    if (isDefault(r[k])) r[k] = v;
  }
}

function joinDetails(a: string, b: string): string {
  try {
    const x = JSON.parse(a) as unknown;
    const y = JSON.parse(b) as unknown;
    if (typeof x === 'object' && x !== null && typeof y === 'object' && y !== null) return JSON.stringify({ ...y, ...x });
  } catch {
    /* keep the first */
  }
  return a;
}
