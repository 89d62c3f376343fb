import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateState } from '../store/migrate.js';
import { PgliteStateStore } from '../store/state/pglite-store.js';
import { createRun, getRun, heartbeat, listRuns, sweepInterruptedRuns } from './survey-runs.js';

describe('survey runs whose process stopped', () => {
  let s: PgliteStateStore;
  beforeAll(async () => {
    s = await PgliteStateStore.open();
    await migrateState(s);
    await s.query(
      `INSERT INTO scopes (id, name, owner, legal_basis, cidrs, valid_from, valid_to)
       VALUES ('s1', 'lab', 'CERT', 'contract 1', '{192.0.2.0/24}'::cidr[], now(), now() + interval '1 day')`,
    );
  });
  afterAll(async () => s.close());

  it('are shown aborted with the time they were last alive; live ones stay running', async () => {
    for (const id of ['run-dead', 'run-alive']) await createRun(s, { id, scopeId: 's1', modules: ['telnet'], ports: [23], targetsTotal: 256 });
    await s.query(`UPDATE survey_runs SET heartbeat_at = '2026-11-22T10:00:00Z' WHERE id = 'run-dead'`);
    await heartbeat(s, 'run-alive');
    const runs = await listRuns(s);
    const dead = runs.find((r) => r.id === 'run-dead');
    expect(dead?.status).toBe('aborted');
    expect(dead?.error).toBe('interrupted: the process running it stopped (no sign of life since 2026-11-22T10:00:00Z)');
    expect(new Date(dead?.finishedAt ?? 0).toISOString()).toBe('2026-11-22T10:00:00.000Z');
    expect((await getRun(s, 'run-alive')).status).toBe('running');
    // A finished run is never touched, and a second sweep finds nothing.
    expect(await sweepInterruptedRuns(s, 0)).toBe(1);
    expect((await getRun(s, 'run-alive')).status).toBe('aborted');
    expect(await sweepInterruptedRuns(s, 0)).toBe(0);
  });
});
