import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../app/context.js';
import { tempApp, type TempApp } from './testing/temp-app.js';
import { createUser } from '../auth/users.js';
import { createApiKey } from '../auth/api-keys.js';
import { createOrg } from '../orgs/org-store.js';
import { masscanList, ZMAP_HEADER, zmapRow } from '../imports/testing/samples.js';

describe('POST /api/v1/imports/:format', () => {
  let t: TempApp;
  let ctx: AppContext;
  let app: Pick<TempApp, 'inject'>;
  beforeAll(async () => {
    t = await tempApp('import-api');
    ({ ctx } = t);
    app = t;
  }, 60_000);
  afterAll(() => t.dispose());

  const zmap = `${ZMAP_HEADER}\n${zmapRow('192.0.2.1', 80)}\n${zmapRow('2001:db8::1', 443)}\nbroken\n`;

  it('imports the body (any content type, gzip too) and reports records, services and errors', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/imports/zmap?name=scan.csv', headers: { 'content-type': 'text/csv' }, payload: zmap });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ format: 'zmap', input: 'scan.csv', records: 3, services: 2, stored: 2, errors: 1, firstErrors: [{ line: 4 }] });
    const again = await app.inject({ method: 'POST', url: '/api/v1/imports/zmap', headers: { 'content-type': 'application/gzip' }, payload: gzipSync(zmap) });
    expect(again.json()).toMatchObject({ gzip: true, services: 2, stored: 0, alreadyImported: 2 });
    const json = await app.inject({ method: 'POST', url: '/api/v1/imports/masscan?includeClosed=true', headers: { 'content-type': 'application/json' }, payload: masscanList([{ ip: '192.0.2.9', port: 22, status: 'closed' }]) });
    expect(json.json()).toMatchObject({ services: 1, stored: 1 });
    const rows = await ctx.events.query<{ source: string; n: number }>("SELECT source, count() AS n FROM services GROUP BY source ORDER BY source");
    expect(rows).toEqual([{ source: 'masscan', n: 1 }, { source: 'zmap', n: 2 }]);
  });

  it('refuses an unknown format, bad options and input that is not the format, with stable codes', async () => {
    expect((await app.inject({ method: 'POST', url: '/api/v1/imports/shodan', payload: 'x' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/api/v1/imports/zmap?transport=sctp', payload: 'x' })).json().code).toBe('BAD_REQUEST');
    const notXml = await app.inject({ method: 'POST', url: '/api/v1/imports/nmap', headers: { 'content-type': 'application/json' }, payload: '{"ip": "192.0.2.1"}' });
    expect(notXml.statusCode).toBe(400);
    expect(notXml.json()).toMatchObject({ code: 'IMPORT_BAD_FORMAT', where: { format: 'nmap', line: 1 } });
  });

  it('is for platform admins and analysts only', async () => {
    const PW = 'a-long-enough-password-42';
    const org = await createOrg(ctx.state, { name: 'ISP C', kind: 'isp' });
    await createUser(ctx.state, { username: 'ana', password: PW, role: 'analyst' });
    await createUser(ctx.state, { username: 'oa', password: PW, role: 'org-admin', org: org.id });
    const analyst = { authorization: `Bearer ${(await createApiKey(ctx.state, 'ana', 'a', ['read', 'write'])).key}` };
    const orgAdmin = { authorization: `Bearer ${(await createApiKey(ctx.state, 'oa', 'o', ['read', 'write'])).key}` };
    const analystRead = { authorization: `Bearer ${(await createApiKey(ctx.state, 'ana', 'r', ['read'])).key}` };
    const post = (headers: Record<string, string>): Promise<{ statusCode: number; json: () => unknown }> => app.inject({ method: 'POST', url: '/api/v1/imports/zmap', headers: { ...headers, 'content-type': 'text/csv' }, payload: zmap });
    expect((await post(orgAdmin)).json()).toMatchObject({ code: 'FORBIDDEN' });
    expect((await post(analystRead)).statusCode).toBe(403);
    expect((await post(analyst)).statusCode).toBe(200);
  });
});
