import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SakimoriError } from '../errors.js';
import { tempStores, type TempStores } from '../store/testing/temp-stores.js';
import { createEnricher } from '../enrich/index.js';
import { serviceRow } from '../schema/service-observation.js';
import { writeServices } from '../services/service-writer.js';
import { PgliteStateStore } from '../store/state/pglite-store.js';
import { migration as monitorsMigration } from '../store/migrations/state/003-monitors.js';
import { monitorFinder } from './find-services.js';
import { createMonitor } from './monitor-store.js';
import { UNRESTRICTED } from '../store/need-to-know.js';

describe('monitor queries over the current services', () => {
  let stores: TempStores;
  beforeAll(async () => {
    stores = await tempStores('monfind');
    await writeServices(stores.events, createEnricher({}), [
      serviceRow({ ip: '192.0.2.1', port: 23, transport: 'tcp', service: 'telnet', weak_credential: 1, credential_list: 'l', credential_id: 'e1', banner: 'BusyBox login:' }, '2026-11-01T00:00:00Z'),
      serviceRow({ ip: '192.0.2.2', port: 80, transport: 'tcp', service: 'http', http_title: 'Router' }, '2026-11-01T00:00:00Z'),
      serviceRow({ ip: '192.0.2.3', port: 22, transport: 'tcp', service: 'ssh', status: 'closed' }, '2026-11-01T00:00:00Z'),
      serviceRow({ ip: '198.51.100.9', port: 23, transport: 'tcp', service: 'telnet', weak_credential: 1 }, '2026-11-01T00:00:00Z'),
      serviceRow({ ip: '2001:db8::1', port: 23, transport: 'tcp', service: 'telnet' }, '2026-11-01T00:00:00Z'),
    ], { dedupToken: 'm' });
  }, 60_000);
  afterAll(() => stores.dispose());

  it('applies the query, the monitor ranges and the constituency together; open services only', async () => {
    const find = monitorFinder(stores.events, UNRESTRICTED);
    expect((await find('', ['192.0.2.0/24'])).map((s) => s.ip)).toEqual(['192.0.2.1', '192.0.2.2']);
    expect((await find('weak_credential:true', ['192.0.2.0/24', '198.51.100.0/24'])).map((s) => s.ip)).toEqual(['192.0.2.1', '198.51.100.9']);
    expect((await find('busybox OR http.title:router', ['0.0.0.0/0'])).map((s) => s.ip)).toEqual(['192.0.2.1', '192.0.2.2']);
    expect((await find('port:23', ['2001:db8::/32'])).map((s) => s.ip)).toEqual(['2001:db8::1']);
    const org = monitorFinder(stores.events, { kind: 'constituency', orgId: 'o', cidrs: ['192.0.2.0/25'], asns: [] });
    expect((await org('port:23 OR NOT port:23', ['0.0.0.0/0', '::/0'])).map((s) => s.ip)).toEqual(['192.0.2.1', '192.0.2.2']);
  });

  it('refuses a query that does not parse when the monitor is created, with the position', async () => {
    const state = await PgliteStateStore.open();
    for (const s of monitorsMigration.statements) await state.exec(s);
    const bad = await createMonitor(state, { name: 'bad', cidrs: ['192.0.2.0/24'], query: 'port:[1 TO' }, UNRESTRICTED).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'MONITOR_INVALID', where: { field: 'query', position: 10 } });
    // Its message in Japanese carries the query error's Japanese text too.
    expect((bad as SakimoriError).messageIn('ja')).toMatch(/^モニターの設定が正しくありません：query: 検索クエリを解釈できません：.*（位置 10）/);
    await expect(createMonitor(state, { name: 'good', cidrs: ['192.0.2.0/24'], query: 'weak_credential:true' }, UNRESTRICTED)).resolves.toMatchObject({ query: 'weak_credential:true' });
    await state.close();
  });
});
