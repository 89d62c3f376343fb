/**
 * The probe audit log: one record per connection a probe made (time, run, source address,
 * target, port, module, credential list id). Records have no field for a password, so none can
 * be written. Records are buffered and inserted in batches (one multi-row INSERT through
 * `unnest` arrays), so auditing 10,000 connections a second costs a few statements.
 *
 * A run also records when an exclusion added (or removed) while it ran took effect for it:
 * module `exclusion:<id>` (or `exclusion-lifted:<id>`), the exclusion's CIDR as the target,
 * port 0, no source. Every connection of the run to those addresses is before that time.
 */
import { SakimoriError, messageOf } from '../../errors.js';
import type { StateStore } from '../../store/types.js';
import { parseCidr } from '../../net/cidr.js';
import type { Exclusion } from '../scope/scope.js';

export interface AuditRecord {
  /** Epoch milliseconds when the connection was attempted. */
  readonly at: number;
  readonly runId: string | null;
  /** Our address the connection left from (null when no connection was made). */
  readonly sourceIp: string | null;
  /** An address; a CIDR only for an exclusion's cut-over. */
  readonly targetIp: string;
  readonly port: number;
  readonly module: string;
  readonly credentialList: string | null;
}

/** The cut-over of one run to an exclusion: from `at` on, the run sends nothing to `e.cidr` (or may again, when lifted). */
export function exclusionAuditRecord(runId: string | null, e: Exclusion, at: number, kind: 'applied' | 'lifted'): AuditRecord {
  const tag = e.id !== undefined ? String(e.id) : e.cidr;
  return { at, runId, sourceIp: null, targetIp: e.cidr, port: 0, module: kind === 'applied' ? `exclusion:${tag}` : `exclusion-lifted:${tag}`, credentialList: null };
}

export interface AuditSink {
  append(r: AuditRecord): void;
  /** Writes what is buffered; rejects when a write failed. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface StateAuditLogOptions {
  readonly batchSize?: number;
  readonly flushMs?: number;
}

export class StateAuditLog implements AuditSink {
  private buf: AuditRecord[] = [];
  private writing: Promise<void> = Promise.resolve();
  private failed: unknown;
  private timer: NodeJS.Timeout | undefined;
  private readonly batchSize: number;
  private readonly flushMs: number;
  written = 0;

  constructor(private readonly state: Pick<StateStore, 'query'>, opts: StateAuditLogOptions = {}) {
    this.batchSize = opts.batchSize ?? 5000;
    this.flushMs = opts.flushMs ?? 500;
  }

  append(r: AuditRecord): void {
    this.buf.push(r);
    if (this.buf.length >= this.batchSize) void this.flush().catch(() => undefined);
    else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush().catch(() => undefined);
      }, this.flushMs);
      this.timer.unref();
    }
  }

  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const batch = this.buf;
    this.buf = [];
    // Batches are written one after another, in order.
    this.writing = this.writing.then(async () => {
      if (batch.length > 0) {
        try {
          await insertAudit(this.state, batch);
          this.written += batch.length;
        } catch (e) {
          this.failed ??= e;
        }
      }
    });
    return this.writing.then(() => {
      if (this.failed !== undefined) throw new SakimoriError('STORE_QUERY_FAILED', `probe audit log: ${messageOf(this.failed)}`);
    });
  }

  close(): Promise<void> {
    return this.flush();
  }
}

export async function insertAudit(state: Pick<StateStore, 'query'>, batch: readonly AuditRecord[]): Promise<void> {
  await state.query(
    `INSERT INTO probe_audit (at, run_id, source_ip, target_ip, port, module, credential_list)
     SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::inet[], $4::inet[], $5::int[], $6::text[], $7::text[])`,
    [
      batch.map((r) => new Date(r.at).toISOString()),
      batch.map((r) => r.runId),
      batch.map((r) => r.sourceIp),
      batch.map((r) => r.targetIp),
      batch.map((r) => r.port),
      batch.map((r) => r.module),
      batch.map((r) => r.credentialList),
    ],
  );
}

/** For tests and dry runs: keeps records in memory. */
export class MemoryAuditLog implements AuditSink {
  readonly records: AuditRecord[] = [];
  append(r: AuditRecord): void {
    this.records.push(r);
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

export interface AuditQuery {
  readonly runId?: string;
  readonly target?: string;
  readonly limit?: number;
  /** Rows with id below this (paging newest first). */
  readonly before?: number;
}

export interface AuditRow {
  id: number; at: string; runId: string | null; sourceIp: string | null; targetIp: string; port: number; module: string; credentialList: string | null;
}

/** Newest first. */
export async function queryAudit(state: Pick<StateStore, 'query'>, q: AuditQuery): Promise<AuditRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.runId) { params.push(q.runId); where.push(`run_id = $${params.length}`); }
  if (q.target) {
    // Validated here so that bad input is a 400 naming it, not a database error.
    const range = parseCidr(q.target);
    params.push(range.text);
    where.push(`target_ip <<= $${params.length}::inet`);
  }
  if (q.before) { params.push(q.before); where.push(`id < $${params.length}`); }
  params.push(Math.min(Math.max(q.limit ?? 100, 1), 10_000));
  const rows = await state.query<{ id: number; at: Date; run_id: string | null; source_ip: string | null; target_ip: string; port: number; module: string; credential_list: string | null }>(
    // abbrev: an address as host() gives it, an exclusion's wider CIDR with its prefix length.
    `SELECT id, at, run_id, host(source_ip) AS source_ip, abbrev(target_ip) AS target_ip, port, module, credential_list
     FROM probe_audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map((r) => ({
    id: Number(r.id), at: new Date(r.at).toISOString(), runId: r.run_id, sourceIp: r.source_ip, targetIp: r.target_ip, port: r.port, module: r.module, credentialList: r.credential_list,
  }));
}
