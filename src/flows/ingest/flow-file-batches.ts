/**
 * The state store's record of flow files and their batches (flow_files, flow_batches, state
 * migration 022), as the darknet ingest keeps ingest_files and ingest_batches: a complete file
 * is not read again, and a file begun by a killed run is cut into the same batches with the same
 * tokens and ingest time, so ClickHouse keeps each batch once and the batches already committed
 * are not even sent.
 */
import type { StateStore } from '../../store/types.js';
import type { InputProblem } from '../../sources/record-parser.js';

type Q = Pick<StateStore, 'query'>;

/** The records a completed ingest of this file stored, or undefined when none completed. */
export async function completedFile(state: Q, key: string): Promise<number | undefined> {
  const rows = await state.query<{ status: string; records: string | number }>('SELECT status, records FROM flow_files WHERE source_key = $1', [key]);
  const r = rows[0];
  return r?.status === 'complete' ? Number(r.records) : undefined;
}

/** Starts (or resumes) a file; a resumed file keeps its batch size and ingest time. */
export async function beginFile(state: Q, f: { key: string; name: string; batchSize: number; storedAtMs: number }): Promise<{ batchSize: number; storedAtMs: number; resumed: boolean }> {
  const rows = await state.query<{ batch_size: number; stored_at_ms: string | number; resumed: boolean }>(
    `INSERT INTO flow_files (source_key, name, status, batch_size, stored_at_ms) VALUES ($1, $2, 'running', $3, $4)
     ON CONFLICT (source_key) DO UPDATE SET status = 'running', name = EXCLUDED.name, started_at = now()
     RETURNING batch_size, stored_at_ms, (xmax::text <> '0') AS resumed`,
    [f.key, f.name, f.batchSize, f.storedAtMs],
  );
  const r = rows[0];
  return { batchSize: r?.batch_size ?? f.batchSize, storedAtMs: Number(r?.stored_at_ms ?? f.storedAtMs), resumed: r?.resumed ?? false };
}

/** True when the batch is already committed (nothing to send); otherwise records it as begun. */
export async function beginFlowBatch(state: Q, b: { token: string; key: string; seq: number; records: number }): Promise<boolean> {
  const rows = await state.query<{ committed: boolean }>(
    `INSERT INTO flow_batches (token, source_key, seq, records) VALUES ($1, $2, $3, $4)
     ON CONFLICT (token) DO UPDATE SET seq = EXCLUDED.seq RETURNING committed`,
    [b.token, b.key, b.seq, b.records],
  );
  return rows[0]?.committed ?? false;
}

export async function commitFlowBatch(state: Q, token: string): Promise<void> {
  await state.query('UPDATE flow_batches SET committed = true, committed_at = now() WHERE token = $1', [token]);
}

export async function finishFile(
  state: Q,
  key: string,
  f: { format: string; records: number; bytes: number; skipped: Record<string, number>; problem?: InputProblem | undefined },
): Promise<void> {
  await state.query(
    `UPDATE flow_files SET status = 'complete', format = $2, records = $3, bytes = $4, skipped = $5::jsonb, problem = $6::jsonb, finished_at = now()
      WHERE source_key = $1`,
    [key, f.format, f.records, f.bytes, JSON.stringify(f.skipped), f.problem ? JSON.stringify(f.problem) : null],
  );
}
