import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollection } from '../share/taxii/collections.js';
import { tempApp, type TempApp } from './testing/temp-app.js';

/** A loopback "remote" that counts the requests it gets: a refused pull or push must not reach it. */
let hits = 0;
let remote: Server;
let url: string;
beforeAll(async () => {
  remote = createServer((_req, res) => { hits++; res.writeHead(404).end(); });
  await new Promise<void>((r) => remote.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(remote.address() as AddressInfo).port}/taxii2/`;
});
afterAll(() => new Promise<void>((r) => remote.close(() => r())));

/** One app at a time: chDB binds one data directory per process. */
async function appWith(name: string, config: Record<string, unknown>): Promise<TempApp> {
  const t = await tempApp(name, config);
  await createCollection(t.ctx.state, { title: 'local', alias: 'local', read: [], write: [] }, 'test');
  return t;
}

describe('/api/v1/share/feeds: the TAXII client run by the server keeps to the outbound address policy', () => {
  let strict: TempApp;
  beforeAll(async () => { strict = await appWith('feeds-strict', {}); }, 120_000);
  afterAll(() => strict.dispose());

  it('refuses a loopback remote, for pull and push, without connecting to it', async () => {
    const push = await strict.inject({ method: 'POST', url: '/api/v1/share/feeds/push', payload: { url, collection: 'x', from: 'local' } });
    expect(push.statusCode, push.body).toBe(400);
    expect(push.json()).toMatchObject({ code: 'BAD_REQUEST', where: { field: 'url' } });
    expect(push.json<{ message: string }>().message).toMatch(/refused by policy: 127\.0\.0\.1 is a loopback address; a platform admin can allow a range with share\.remoteAllow/);
    const pull = await strict.inject({ method: 'POST', url: '/api/v1/share/feeds/pull', payload: { url, collection: 'x', into: 'local' } });
    expect(pull.body).toMatch(/refused by policy: 127\.0\.0\.1 is a loopback address/);
    const metadata = await strict.inject({ method: 'POST', url: '/api/v1/share/feeds/push', payload: { url: 'http://169.254.169.254/taxii2/', collection: 'x', from: 'local' } });
    expect(metadata.json<{ message: string }>().message).toMatch(/cloud metadata address/);
    expect(hits).toBe(0);
  });
});

describe('/api/v1/share/feeds with share.remoteAllow', () => {
  let allowing: TempApp;
  beforeAll(async () => { allowing = await appWith('feeds-allow', { share: { remoteAllow: ['127.0.0.1/32'] } }); }, 120_000);
  afterAll(() => allowing.dispose());

  it('connects when the operator allowed the range', async () => {
    const push = await allowing.inject({ method: 'POST', url: '/api/v1/share/feeds/push', payload: { url, collection: 'x', from: 'local' } });
    expect(push.statusCode, push.body).toBe(502);
    expect(push.json()).toMatchObject({ code: 'TAXII_REMOTE_FAILED' });
    expect(hits).toBeGreaterThan(0);
  });
});
