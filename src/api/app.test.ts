import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../app/context.js';
import { tempApp, type TempApp } from './testing/temp-app.js';

describe('API on an empty store', () => {
  let t: TempApp;
  let ctx: AppContext;
  let app: Pick<TempApp, 'inject'>;
  beforeAll(async () => {
    t = await tempApp('api');
    ({ ctx } = t);
    app = t;
  }, 60_000);
  afterAll(() => t.dispose());

  it('reports status and an empty range', async () => {
    const s = await app.inject({ url: '/api/v1/status' });
    expect(s.statusCode).toBe(200);
    expect(s.json()).toMatchObject({ events: 'chdb', state: 'pglite' });
    expect((await app.inject({ url: '/api/v1/darknet/range' })).json()).toEqual({ first: null, last: null });
  });

  it('answers a report with zeros', async () => {
    const r = await app.inject({ url: '/api/v1/darknet/report?from=2026-11-01' });
    expect(r.statusCode).toBe(200);
    const j = r.json();
    expect(j).toMatchObject({ from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z', packets: 0, sources: 0, iotShare: 0 });
    expect(j.classes.scan).toEqual({ packets: 0, sources: 0 });
    expect(j.tags.mirai).toEqual({ packets: 0, sources: 0 });
    expect(j.topPorts).toEqual([]);
    expect(j.dosVictims).toEqual([]);
  });

  it('gives clear errors with stable codes', async () => {
    const bad = await app.inject({ url: '/api/v1/hosts/not-an-ip' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('BAD_IP');
    const missing = await app.inject({ url: '/api/v1/hosts/192.0.2.1' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('NOT_FOUND');
    const time = await app.inject({ url: '/api/v1/darknet/report?from=yesterday-ish' });
    expect(time.statusCode).toBe(400);
    expect(time.json().code).toBe('BAD_TIME');
    const order = await app.inject({ url: '/api/v1/darknet/report?from=2026-11-02&to=2026-11-01' });
    expect(order.json().code).toBe('BAD_TIME');
  });

  it('serves OpenAPI and Prometheus metrics', async () => {
    const doc = await app.inject({ url: '/api/docs/json' });
    expect(doc.statusCode).toBe(200);
    expect(Object.keys(doc.json().paths)).toEqual(expect.arrayContaining(['/api/v1/darknet/report', '/api/v1/hosts/{ip}']));
    const m = await app.inject({ url: '/metrics' });
    expect(m.body).toContain('sakimori_query_duration_seconds');
  });
});
