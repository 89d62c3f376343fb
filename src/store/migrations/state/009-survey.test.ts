import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateState } from '../../migrate.js';
import { PgliteStateStore } from '../../state/pglite-store.js';

describe('state migration 9 (survey) on PGlite', () => {
  let s: PgliteStateStore;
  beforeAll(async () => {
    s = await PgliteStateStore.open();
    await migrateState(s);
  });
  afterAll(async () => s.close());

  it('stores a scope, its exclusions, a run and audit rows; the audit log is append-only', async () => {
    await s.query(
      `INSERT INTO scopes (id, name, owner, legal_basis, cidrs, valid_from, valid_to)
       VALUES ('s1', 'lab', 'CERT', 'contract 1', $1::cidr[], now(), now() + interval '1 day')`,
      [['10.0.0.0/24', '2001:db8::/64']],
    );
    await s.query(`INSERT INTO scope_exclusions (scope_id, cidr, reason) VALUES ('s1', '10.0.0.7/32', 'customer opt-out'), (NULL, '10.0.0.0/30', 'global')`);
    await expect(s.query(`INSERT INTO scope_exclusions (scope_id, cidr, reason) VALUES (NULL, '10.0.0.0/30', 'again')`)).rejects.toThrow();
    await s.query(`INSERT INTO survey_runs (id, scope_id, modules, ports) VALUES ('r1', 's1', '{telnet}', '{23}')`);
    await s.query(`INSERT INTO probe_audit (at, run_id, source_ip, target_ip, port, module, credential_list) VALUES (now(), 'r1', '10.0.0.1', '10.0.0.9', 23, 'telnet', 'mirai-60')`);
    const [row] = await s.query<{ cidrs: string[] }>(`SELECT cidrs::text[] AS cidrs FROM scopes WHERE id = 's1'`);
    expect(row?.cidrs).toEqual(['10.0.0.0/24', '2001:db8::/64']);
    await expect(s.query(`UPDATE probe_audit SET module = 'x'`)).rejects.toThrow(/append-only/);
    await expect(s.query(`DELETE FROM probe_audit`)).rejects.toThrow(/append-only/);
    await expect(
      s.query(`INSERT INTO scopes (id, name, owner, legal_basis, cidrs, valid_from, valid_to) VALUES ('s2', 'bad', 'o', 'l', '{10.0.0.0/8}', now(), now() - interval '1 day')`),
    ).rejects.toThrow();
  });
});
