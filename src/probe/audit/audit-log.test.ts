import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateState } from '../../store/migrate.js';
import { PgliteStateStore } from '../../store/state/pglite-store.js';
import { queryAudit, StateAuditLog } from './audit-log.js';

describe('StateAuditLog', () => {
  let s: PgliteStateStore;
  beforeAll(async () => {
    s = await PgliteStateStore.open();
    await migrateState(s);
  });
  afterAll(async () => s.close());

  it('writes records in batches, in order, and reads them back newest first', async () => {
    const log = new StateAuditLog(s, { batchSize: 1000, flushMs: 50 });
    const t = Date.parse('2026-03-01T00:00:00Z');
    for (let i = 0; i < 2500; i++) {
      log.append({ at: t + i, runId: 'r1', sourceIp: i % 2 ? '10.0.0.1' : null, targetIp: `10.0.${i >> 8}.${i & 255}`, port: 23, module: 'scan', credentialList: i === 7 ? 'mirai' : null });
    }
    await log.close();
    expect(log.written).toBe(2500);
    const rows = await queryAudit(s, { runId: 'r1', limit: 3 });
    expect(rows.map((r) => r.targetIp)).toEqual(['10.0.9.195', '10.0.9.194', '10.0.9.193']);
    const one = await queryAudit(s, { target: '10.0.0.7' });
    expect(one).toEqual([expect.objectContaining({ targetIp: '10.0.0.7', credentialList: 'mirai', sourceIp: '10.0.0.1', port: 23, at: new Date(t + 7).toISOString() })]);
    expect(await queryAudit(s, { target: '10.0.1.0/24', limit: 10_000 })).toHaveLength(256);
  });

  it('reports a failed write on flush', async () => {
    const log = new StateAuditLog(s);
    log.append({ at: Date.now(), runId: null, sourceIp: 'not-an-ip', targetIp: '10.0.0.1', port: 1, module: 'scan', credentialList: null });
    await expect(log.flush()).rejects.toMatchObject({ code: 'STORE_QUERY_FAILED' });
  });
});
