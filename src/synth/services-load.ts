/**
 * Loads synthetic services into an events store fast enough for a 10-million-row benchmark:
 * batches of JSONEachRow lines that carry only the fields a row sets (ClickHouse fills the rest
 * with the column defaults, which are the schema's empty values), each batch with its own
 * deduplication token so a rerun after an interruption stores nothing twice. Also writes the
 * rows as a JSON-lines file.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { EventsStore } from '../store/types.js';
import { SERVICE_FIELDS, serviceStructure, type ServiceRow } from '../schema/service-observation.js';
import { synthServices, type SynthServicesOptions } from './services.js';

const COLUMNS = SERVICE_FIELDS.map((f) => f.name).join(', ');

const NAMES = SERVICE_FIELDS.map((f) => f.name as keyof ServiceRow);
const KEYS = NAMES.map((n) => `"${n}":`);

/** The row as JSON without its empty fields ('' / 0 / [] / {} / null): one pass over known keys. */
export function leanJson(r: ServiceRow): string {
  let out = '';
  for (let i = 0; i < NAMES.length; i++) {
    const v = r[NAMES[i] as keyof ServiceRow];
    if (v === '' || v === 0 || v === null) continue;
    if (typeof v === 'object' && (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0)) continue;
    out += `${out ? ',' : '{'}${KEYS[i] as string}${typeof v === 'number' ? String(v) : JSON.stringify(v)}`;
  }
  return out ? `${out}}` : '{}';
}

export interface LoadProgress { rows: number; seconds: number }

export async function loadSynthServices(
  events: EventsStore,
  opts: SynthServicesOptions & { batchRows?: number },
  onProgress?: (p: LoadProgress) => void,
): Promise<number> {
  const batchRows = opts.batchRows ?? 250_000;
  const started = performance.now();
  let lines: string[] = [];
  let rows = 0;
  let batch = 0;
  const flush = async (): Promise<void> => {
    if (lines.length === 0) return;
    const body = Buffer.from(`${lines.join('\n')}\n`);
    const n = lines.length;
    lines = [];
    const token = `synth-services-${opts.seed ?? 1}-${opts.count}-${batch++}`;
    await events.withBatch('JSONEachRow', serviceStructure(), [body], (source) =>
      events.exec(`INSERT INTO services (${COLUMNS}) SELECT ${COLUMNS} FROM ${source}`, {}, {
        insert_deduplication_token: token,
        deduplicate_blocks_in_dependent_materialized_views: 1,
        min_insert_block_size_rows: n + 1,
        max_insert_block_size: n + 1,
        min_insert_block_size_bytes: 0,
        input_format_defaults_for_omitted_fields: 1,
        date_time_input_format: 'best_effort',
      }),
    );
    onProgress?.({ rows, seconds: (performance.now() - started) / 1000 });
  };
  for (const r of synthServices(opts)) {
    lines.push(leanJson(r));
    rows++;
    if (lines.length >= batchRows) await flush();
  }
  await flush();
  return rows;
}

/** Writes the rows as JSON lines (full rows, as `writeServices` takes them). */
export async function writeSynthServicesJsonl(opts: SynthServicesOptions, path: string): Promise<number> {
  const out = createWriteStream(path);
  let n = 0;
  for (const r of synthServices(opts)) {
    if (!out.write(`${JSON.stringify(r)}\n`)) await once(out, 'drain');
    n++;
  }
  out.end();
  await once(out, 'finish');
  return n;
}
