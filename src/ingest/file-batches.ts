/**
 * The state store's record of ingested files and their batches, for the ingests that keep one
 * pair of tables each (flow_files/flow_batches, state migration 022; honeypot_files/
 * honeypot_batches, 024), as the darknet ingest keeps ingest_files and ingest_batches: a complete
 * file is not read again, and a file begun by a killed run is cut into the same batches with the
 * same tokens and ingest time, so ClickHouse keeps each batch once and the batches already
 * committed are not even sent.
 */
import type { StateStore } from '../store/types.js';
import type { InputProblem } from '../sources/record-parser.js';

type Q = Pick<StateStore, 'query'>;

/** Which pair of tables; the names are ours, never a user's, so they are spliced in. */
export interface FileBatchTables {
  readonly files: 'flow_files' | 'honeypot_files';
  readonly batches: 'flow_batches' | 'honeypot_batches';
}

export const FLOW_FILE_TABLES: FileBatchTables = { files: 'flow_files', batches: 'flow_batches' };
export const HONEYPOT_FILE_TABLES: FileBatchTables = { files: 'honeypot_files', batches: 'honeypot_batches' };

/** The records a completed ingest of this file stored, or undefined when none completed. */
export async function completedFile(state: Q, t: FileBatchTables, key: string): Promise<number | undefined> {
  const rows = await state.query<{ status: string; records: string | number }>(`SELECT status, records FROM ${t.files} WHERE source_key = $1`, [key]);
  const r = rows[0];
  return r?.status === 'complete' ? Number(r.records) : undefined;
}

/** Starts (or resumes) a file; a resumed file keeps its batch size and ingest time. */
export async function beginFile(state: Q, t: FileBatchTables, f: { key: string; name: string; batchSize: number; storedAtMs: number }): Promise<{ batchSize: number; storedAtMs: number; resumed: boolean }> {
  const rows = await state.query<{ batch_size: number; stored_at_ms: string | number; resumed: boolean }>(
    `INSERT INTO ${t.files} (source_key, name, status, batch_size, stored_at_ms) VALUES ($1, $2, 'running', $3, $4)
     ON CONFLICT (source_key) DO UPDATE SET status = 'running', name = EXCLUDED.name, started_at = now()
     RETURNING batch_size, stored_at_ms, (xmax::text <> '0') AS resumed`,
    [f.key, f.name, f.batchSize, f.storedAtMs],
  );
  const r = rows[0];
  return { batchSize: r?.batch_size ?? f.batchSize, storedAtMs: Number(r?.stored_at_ms ?? f.storedAtMs), resumed: r?.resumed ?? false };
}

/** True when the batch is already committed (nothing to send); otherwise records it as begun. */
export async function beginBatch(state: Q, t: FileBatchTables, b: { token: string; key: string; seq: number; records: number }): Promise<boolean> {
  const rows = await state.query<{ committed: boolean }>(
    `INSERT INTO ${t.batches} (token, source_key, seq, records) VALUES ($1, $2, $3, $4)
     ON CONFLICT (token) DO UPDATE SET seq = EXCLUDED.seq RETURNING committed`,
    [b.token, b.key, b.seq, b.records],
  );
  return rows[0]?.committed ?? false;
}

export async function commitBatch(state: Q, t: FileBatchTables, token: string): Promise<void> {
  await state.query(`UPDATE ${t.batches} SET committed = true, committed_at = now() WHERE token = $1`, [token]);
}

export async function finishFile(
  state: Q,
  t: FileBatchTables,
  key: string,
  f: { format: string; records: number; bytes: number; skipped: Record<string, number>; problem?: InputProblem | undefined; anomalies?: Record<string, number> },
): Promise<void> {
  await state.query(
    `UPDATE ${t.files} SET status = 'complete', format = $2, records = $3, bytes = $4, skipped = $5::jsonb, problem = $6::jsonb, finished_at = now()
      WHERE source_key = $1`,
    [key, f.format, f.records, f.bytes, JSON.stringify(f.skipped), f.problem ? JSON.stringify(f.problem) : null],
  );
  if (f.anomalies && t.files === 'honeypot_files') {
    await state.query(`UPDATE ${t.files} SET anomalies = $2::jsonb WHERE source_key = $1`, [key, JSON.stringify(f.anomalies)]);
  }
}
