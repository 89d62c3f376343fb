import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../app/context.js';
import { tempApp, type TempApp } from './testing/temp-app.js';
import { createUser } from '../auth/users.js';
import { createApiKey } from '../auth/api-keys.js';
import { createOrg } from '../orgs/org-store.js';
import { kevEntry, kevFeed, nvdFeed, OPENSSH_CVES } from '../vulns/testing/feeds.js';

const OPENSSH_74 = 'cpe:2.3:a:openbsd:openssh:7.4:p1:*:*:*:*:*:*';

describe('vulnerability feeds over the API', () => {
  let t: TempApp;
  let ctx: AppContext;
  let app: Pick<TempApp, 'inject'>;
  beforeAll(async () => {
    t = await tempApp('vuln-api');
    ({ ctx } = t);
    app = t;
  }, 60_000);
  afterAll(() => t.dispose());

  it('imports NVD (gzip) and KEV bodies, lists the feeds and matches CPE names with KEV marked', async () => {
    const nvd = await app.inject({ method: 'POST', url: '/api/v1/vulns/feeds/nvd?feed=openssh', headers: { 'content-type': 'application/gzip' }, payload: gzipSync(nvdFeed(OPENSSH_CVES)) });
    expect(nvd.statusCode).toBe(200);
    expect(nvd.json()).toMatchObject({ format: 'nvd', feed: 'openssh', file: 'openssh.json', records: 5, imported: 5, skipped: 0, complete: true });
    const kev = await app.inject({ method: 'POST', url: '/api/v1/vulns/feeds/kev', headers: { 'content-type': 'application/json' }, payload: kevFeed([kevEntry('CVE-2024-6387', 'OpenBSD', 'OpenSSH')]) });
    expect(kev.json()).toMatchObject({ format: 'kev', feed: 'kev', records: 1, imported: 1 });

    const feeds = (await app.inject({ method: 'GET', url: '/api/v1/vulns/feeds' })).json() as { feeds: { feed: string; records: number }[] };
    expect(feeds.feeds.map((f) => [f.feed, f.records])).toEqual([['kev', 1], ['openssh', 5]]);

    const m = await app.inject({ method: 'GET', url: `/api/v1/vulns/match?cpe=${encodeURIComponent(OPENSSH_74)}` });
    expect(m.json()).toEqual({
      cpes: [OPENSSH_74],
      cves: [
        { id: 'CVE-2018-15473', kev: false },
        { id: 'CVE-2020-15778', kev: false },
        { id: 'CVE-2023-38408', kev: false },
      ],
    });
    const later = await app.inject({ method: 'GET', url: `/api/v1/vulns/match?cpe=${encodeURIComponent('cpe:2.3:a:openbsd:openssh:9.0:p1:*:*:*:*:*:*')}` });
    expect((later.json() as { cves: unknown[] }).cves).toEqual([{ id: 'CVE-2023-38408', kev: false }, { id: 'CVE-2024-6387', kev: true }]);
  });

  it('a body that is not a feed: a clear error with a stable code, and the earlier import stays', async () => {
    const bad = await app.inject({ method: 'POST', url: '/api/v1/vulns/feeds/nvd?feed=openssh', headers: { 'content-type': 'text/plain' }, payload: '{"vulnerabilities": [1, 2' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VULN_FEED_INVALID' });
    const feeds = (await app.inject({ method: 'GET', url: '/api/v1/vulns/feeds' })).json() as { feeds: { feed: string; records: number }[] };
    expect(feeds.feeds.find((f) => f.feed === 'openssh')?.records).toBe(5);
    expect((await app.inject({ method: 'POST', url: '/api/v1/vulns/feeds/osv', payload: '{}' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/api/v1/vulns/feeds/nvd?feed=..%2Fetc', payload: '{}' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/v1/vulns/match' })).statusCode).toBe(400);
  });

  it('anyone signed in reads the feeds; only platform admins and analysts import', async () => {
    const PW = 'a-long-enough-password-42';
    const org = await createOrg(ctx.state, { name: 'ISP V', kind: 'isp' });
    await createUser(ctx.state, { username: 'ana', password: PW, role: 'analyst' });
    await createUser(ctx.state, { username: 'mem', password: PW, role: 'org-member', org: org.id });
    await createUser(ctx.state, { username: 'oa', password: PW, role: 'org-admin', org: org.id });
    const analyst = { authorization: `Bearer ${(await createApiKey(ctx.state, 'ana', 'a', ['read', 'write'])).key}` };
    const member = { authorization: `Bearer ${(await createApiKey(ctx.state, 'mem', 'm', ['read'])).key}` };
    const orgAdmin = { authorization: `Bearer ${(await createApiKey(ctx.state, 'oa', 'o', ['read', 'write'])).key}` };
    const feed = kevFeed([kevEntry('CVE-2024-6387', 'OpenBSD', 'OpenSSH')]);
    expect((await app.inject({ method: 'GET', url: '/api/v1/vulns/feeds', headers: member })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/v1/vulns/feeds/kev', headers: { ...orgAdmin, 'content-type': 'application/json' }, payload: feed })).json()).toMatchObject({ code: 'FORBIDDEN' });
    expect((await app.inject({ method: 'POST', url: '/api/v1/vulns/feeds/kev', headers: { ...member, 'content-type': 'application/json' }, payload: feed })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/v1/vulns/feeds/kev', headers: { ...analyst, 'content-type': 'application/json' }, payload: feed })).statusCode).toBe(200);
  });
});
