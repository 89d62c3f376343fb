/**
 * The template cache's snapshot in the state store (flow_templates, state migration 022): saved
 * by the collector periodically and when it stops, read when it starts, so data records of
 * NetFlow v9/IPFIX exporters that send templates rarely decode at once after a restart.
 */
import type { StateStore } from '../../store/types.js';

type Q = Pick<StateStore, 'query'>;

/** The collector's snapshot is stored under this name. */
export const COLLECTOR_TEMPLATES = 'collector';

export async function saveTemplates(state: Q, snapshot: unknown, name = COLLECTOR_TEMPLATES): Promise<void> {
  await state.query(
    `INSERT INTO flow_templates (name, snapshot, saved_at) VALUES ($1, $2::jsonb, now())
     ON CONFLICT (name) DO UPDATE SET snapshot = EXCLUDED.snapshot, saved_at = now()`,
    [name, JSON.stringify(snapshot ?? null)],
  );
}

/** The snapshot saved last, or null when there is none. */
export async function loadTemplates(state: Q, name = COLLECTOR_TEMPLATES): Promise<unknown> {
  const rows = await state.query<{ snapshot: unknown }>('SELECT snapshot FROM flow_templates WHERE name = $1', [name]);
  // PGlite and pg both return jsonb parsed.
  return rows[0]?.snapshot ?? null;
}
