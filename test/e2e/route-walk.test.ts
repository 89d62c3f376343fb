/**
 * Need-to-know on every route: walk every operation of the OpenAPI document as a member of
 * organisation A (its admin, then a read-only member) over data of A and of B (services, darknet
 * sources, cases, monitors, keys), and fail on any of B's rows, any of B's counts in a facet or a
 * total, and on any route this walk does not know — so a new route cannot skip the check.
 */
import { storeSources } from '../../src/ingest/testing/store-sources.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { configSchema } from '../../src/config/schema.js';
import { openContext, type AppContext } from '../../src/app/context.js';
import { buildApp } from '../../src/api/app.js';
import { addAsns, addPrefixes, createOrg } from '../../src/orgs/org-store.js';
import { createUser } from '../../src/auth/users.js';
import { writeServices } from '../../src/services/service-writer.js';
import { serviceRow } from '../../src/schema/service-observation.js';
import { writeHoneypotEvents } from '../../src/honeypot/store/write-events.js';
import { campaignId } from '../../src/correlate/campaigns/campaign-naming.js';

const PW = 'a long enough password';
/** Text that only B's data (or data of nobody's constituency) contains. */
const FOREIGN = ['198.51.100.', '2001:db8:b:', '203.0.113.99', 'B-SECRET', 'Org Bravo', 'bravo-monitor', 'bravo-key', 'bob'];
/** A's own figures: what totals and counts must be, exactly. */
const A_SERVICES = 2;
const A_PACKETS = 500;

type Method = 'GET' | 'POST' | 'DELETE';
interface Call { method: Method; url: string; payload?: unknown; headers?: Record<string, string> }
interface Ids { aColl: string; bColl: string; aObject: string; bObject: string; aOrg: string; bOrg: string; bCase: number; aCase: number; aCases: number[]; bMonitor: string; aMonitor: string; bKey: string; bReport: string; bReleased: string }
/** Status an organisation admin gets, and what a read-only member gets when it differs. */
interface Step extends Call { admin: number; member?: number; check?: (r: LightMyRequestResponse) => void | Promise<void> }

const json = <T>(r: LightMyRequestResponse): T => r.json<T>();
interface CasePage { total: number; limit: number; cases: { id: number }[] }
/** Set by the suite: deletes something as the platform admin. */
let remove: (url: string) => Promise<void> = async () => undefined;

/** A victim report of the form the console submits. */
const victimForm = (name: string, address: string): Record<string, unknown> => ({
  title: `Ransomware at ${name}`, attackKind: 'ransomware', occurredAt: '2026-11-02T00:00:00Z',
  technical: { c2: ['c2.walk.example'], malware: ['LockBit'] },
  victim: { name, addresses: [address], sector: 'healthcare', employees: 40, region: 'Kanto' },
});

/** Every operation of the API, keyed as "METHOD /path" of the OpenAPI document. */
const WALK: Record<string, (ids: Ids) => Step[]> = {
  'POST /api/v1/auth/login': () => [{ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'bob', password: 'wrong password!' }, admin: 401 }],
  'POST /api/v1/auth/logout': () => [], // walked last, on a session of its own (below)
  'GET /api/v1/auth/link': () => [{ method: 'GET', url: '/api/v1/auth/link?token=not-issued', admin: 401 }],
  'POST /api/v1/auth/links': () => [{ method: 'POST', url: '/api/v1/auth/links', payload: {}, admin: 403 }],
  'GET /api/v1/auth/me': () => [{ method: 'GET', url: '/api/v1/auth/me', admin: 200 }],
  'GET /api/v1/api-keys': () => [{ method: 'GET', url: '/api/v1/api-keys', admin: 200 }],
  'POST /api/v1/api-keys': () => [
    { method: 'POST', url: '/api/v1/api-keys', payload: { name: 'alpha-key', scopes: ['read'] }, admin: 201 },
    { method: 'POST', url: '/api/v1/api-keys', payload: { name: 'x', scopes: ['read'], user: 'bob' }, admin: 403 },
  ],
  'DELETE /api/v1/api-keys/{id}': (i) => [{ method: 'DELETE', url: `/api/v1/api-keys/${i.bKey}`, admin: 404 }],
  'GET /api/v1/users': () => [{ method: 'GET', url: '/api/v1/users', admin: 403 }],
  'POST /api/v1/users': () => [{ method: 'POST', url: '/api/v1/users', payload: { username: 'evil', password: PW, role: 'platform-admin' }, admin: 403 }],
  // Another user's password or sign-in: the platform's administrators only (bob is organisation B's).
  'POST /api/v1/users/{user}/password': () => [{ method: 'POST', url: '/api/v1/users/bob/password', payload: { password: PW }, admin: 403 }],
  'POST /api/v1/users/{user}/disabled': () => [{ method: 'POST', url: '/api/v1/users/bob/disabled', payload: { disabled: true }, admin: 403 }],
  'GET /api/v1/status': () => [{ method: 'GET', url: '/api/v1/status', admin: 200 }],
  'GET /api/v1/darknet/range': () => [{ method: 'GET', url: '/api/v1/darknet/range', admin: 200 }],
  'GET /api/v1/darknet/report': () => [{
    method: 'GET', url: '/api/v1/darknet/report?from=2026-11-01', admin: 200,
    check: (r) => expect(json<{ packets: number; sources: number }>(r)).toMatchObject({ packets: A_PACKETS, sources: 1 }),
  }],
  'GET /api/v1/darknet/timeseries': () => [{
    method: 'GET', url: '/api/v1/darknet/timeseries?from=2026-11-01', admin: 200,
    check: (r) => expect(json<{ points: { packets: number }[] }>(r).points.reduce((s, p) => s + p.packets, 0)).toBe(A_PACKETS),
  }],
  'GET /api/v1/hosts/{ip}': () => [
    { method: 'GET', url: '/api/v1/hosts/192.0.2.10', admin: 200, /* the report's, the profile's and the campaigns' seeds each give A's host a session */ check: (r) => expect(json<{ honeypot: { sessions: number } | null; verdict: { verdict: string } }>(r)).toMatchObject({ honeypot: { sessions: 3 }, verdict: { verdict: 'malicious' } }) },
    { method: 'GET', url: '/api/v1/hosts/198.51.100.7', admin: 404 },
    // B's address seen only by a honeypot: as unknown to A as any.
    { method: 'GET', url: '/api/v1/hosts/198.51.100.66', admin: 404 },
    { method: 'GET', url: `/api/v1/hosts/${encodeURIComponent('2001:db8:b::5')}`, admin: 404 },
    { method: 'GET', url: '/api/v1/hosts/198.51.100.9', admin: 404 },
  ],
  'GET /api/v1/search': () => ['*', 'ip:0.0.0.0/0 OR ip:::/0', 'NOT port:23', 'http.title:B-SECRET OR port:80'].map((q) => ({
    method: 'GET' as const, url: `/api/v1/search?${new URLSearchParams({ q, facets: 'ip,port,service,asn,country,org', limit: '1000' })}`, admin: 200,
    check: (r: LightMyRequestResponse) => {
      const j = json<{ total: number; hits: unknown[]; facets: Record<string, { count: number }[]> }>(r);
      expect(j.total, q).toBeLessThanOrEqual(A_SERVICES);
      expect(j.hits.length, q).toBe(j.total);
      for (const [f, values] of Object.entries(j.facets)) expect(values.reduce((s, v) => s + v.count, 0), `${q} facet ${f}`).toBeLessThanOrEqual(A_SERVICES);
      if (q === '*') expect(j.total).toBe(A_SERVICES);
    },
  })),
  'GET /api/v1/search/export': () => ['jsonl', 'csv'].map((format) => ({
    method: 'GET' as const, url: `/api/v1/search/export?format=${format}&q=*`, admin: 200,
    check: (r: LightMyRequestResponse) => expect(r.body).toContain('192.0.2.10'),
  })),
  'GET /api/v1/search/fields': () => [{ method: 'GET', url: '/api/v1/search/fields', admin: 200 }],
  'GET /api/v1/monitors': () => [{ method: 'GET', url: '/api/v1/monitors', admin: 200, check: (r) => expect(json<{ name: string }[]>(r).every((m) => m.name.startsWith('alpha'))).toBe(true) }],
  'POST /api/v1/monitors': () => [
    { method: 'POST', url: '/api/v1/monitors', payload: { name: 'alpha-2', cidrs: ['192.0.2.0/26'] }, admin: 201, member: 403 },
    { method: 'POST', url: '/api/v1/monitors', payload: { name: 'wide', cidrs: ['198.51.100.0/24'] }, admin: 403 },
    // B's monitor name: no "already exists" that would reveal it (then gone again, so the walk of
    // the other routes does not find A's own monitor of that name).
    {
      method: 'POST', url: '/api/v1/monitors', payload: { name: 'bravo-monitor', cidrs: ['192.0.2.0/26'] }, admin: 201, member: 403,
      check: async (r) => { await remove(`/api/v1/monitors/${r.json<{ id: string }>().id}`); },
    },
  ],
  'GET /api/v1/monitors/{id}': (i) => [
    { method: 'GET', url: `/api/v1/monitors/${i.aMonitor}`, admin: 200 },
    { method: 'GET', url: `/api/v1/monitors/${i.bMonitor}`, admin: 404 },
  ],
  'DELETE /api/v1/monitors/{id}': (i) => [{ method: 'DELETE', url: `/api/v1/monitors/${i.bMonitor}`, admin: 404, member: 403 }],
  'GET /api/v1/monitors/{id}/findings': (i) => [
    { method: 'GET', url: `/api/v1/monitors/${i.aMonitor}/findings`, admin: 200 },
    { method: 'GET', url: `/api/v1/monitors/${i.bMonitor}/findings`, admin: 404 },
  ],
  'POST /api/v1/monitors/{id}/findings/mute': (i) => [{ method: 'POST', url: `/api/v1/monitors/${i.bMonitor}/findings/mute`, payload: { key: 'x' }, admin: 404, member: 403 }],
  'POST /api/v1/monitors/run': () => [{ method: 'POST', url: '/api/v1/monitors/run', payload: {}, admin: 200, member: 403 }],
  'GET /api/v1/cases': (i) => [
    { method: 'GET', url: '/api/v1/cases?sort=id&order=asc', admin: 200, check: (r) => expect(json<CasePage>(r)).toMatchObject({ total: i.aCases.length, cases: i.aCases.map((id) => ({ id })) }) },
    // A prefix that holds B's addresses, and one that holds every address: only A's cases, and A's count.
    { method: 'GET', url: '/api/v1/cases?ip=198.51.100.0/24', admin: 200, check: (r) => expect(json<CasePage>(r)).toMatchObject({ total: 0, cases: [] }) },
    { method: 'GET', url: `/api/v1/cases?ip=${encodeURIComponent('::/0')}`, admin: 200, check: (r) => expect(json<CasePage>(r).total).toBe(0) },
    { method: 'GET', url: '/api/v1/cases?ip=0.0.0.0/0&sort=ip&limit=1', admin: 200, check: (r) => expect(json<CasePage>(r)).toMatchObject({ total: i.aCases.length, limit: 1 }) },
  ],
  'GET /api/v1/cases/counts': (i) => [{ method: 'GET', url: '/api/v1/cases/counts', admin: 200, check: (r) => expect(json<{ n: number }[]>(r).reduce((t, c) => t + c.n, 0)).toBe(i.aCases.length) }],
  'GET /api/v1/cases/{id}': (i) => [
    { method: 'GET', url: `/api/v1/cases/${i.aCase}`, admin: 200 },
    { method: 'GET', url: `/api/v1/cases/${i.bCase}`, admin: 404 },
  ],
  'GET /api/v1/deliveries': (i) => [
    {
      method: 'GET', url: '/api/v1/deliveries', admin: 200,
      check: (r) => {
        const rows = json<{ recipient: string; target: string }[]>(r);
        expect(rows.map((d) => [d.recipient, d.target])).toEqual([[`org:${i.aOrg}`, 'abuse@alpha.example']]);
      },
    },
    { method: 'GET', url: `/api/v1/deliveries?case=${i.bCase}`, admin: 200, check: (r) => expect(json<unknown[]>(r)).toEqual([]) },
    { method: 'GET', url: `/api/v1/deliveries?recipient=${encodeURIComponent(`org:${i.bOrg}`)}`, admin: 200, check: (r) => expect(json<unknown[]>(r)).toEqual([]) },
  ],
  // Rounds and sends reach every organisation's cases: the platform's administrators only.
  'POST /api/v1/notify/rounds': () => [{ method: 'POST', url: '/api/v1/notify/rounds', payload: { send: true }, admin: 403 }],
  'POST /api/v1/notify/send': () => [{ method: 'POST', url: '/api/v1/notify/send', admin: 403 }],
  // Findings without a recipient lie outside every constituency; the outbox holds other organisations' mail.
  'GET /api/v1/cases/no-recipient': () => [{ method: 'GET', url: '/api/v1/cases/no-recipient', admin: 403 }],
  'GET /api/v1/demo/outbox': () => [{ method: 'GET', url: '/api/v1/demo/outbox', admin: 403 }],
  // Local files are the socket owner's to name: refused to everyone signed in (even before any path is read).
  'POST /api/v1/ingest/darknet': () => [{ method: 'POST', url: '/api/v1/ingest/darknet', payload: { files: ['/etc/passwd'] }, admin: 403 }],
  'POST /api/v1/ingest/flows': () => [{ method: 'POST', url: '/api/v1/ingest/flows', payload: { files: ['/etc/passwd'] }, admin: 403 }],
  'POST /api/v1/honeypot/events': () => [{ method: 'POST', url: '/api/v1/honeypot/events', payload: { journal: 'walk.jsonl', from: 0, to: 100, events: [{ ts: '2026-11-02T00:00:00Z', honeypot: 'sakimori', kind: 'login', src: '198.51.100.9', username: 'B-SECRET' }] }, admin: 403 }],
  'GET /api/v1/honeypot/journals/{journal}/ranges': () => [{ method: 'GET', url: '/api/v1/honeypot/journals/walk.jsonl/ranges', admin: 403 }],
  'POST /api/v1/ingest/honeypot': () => [{ method: 'POST', url: '/api/v1/ingest/honeypot', payload: { files: ['/etc/passwd'] }, admin: 403 }],
  // Flows are the operator's data (not per-organisation yet): platform admins and analysts only.
  'GET /api/v1/flows/report': () => [{ method: 'GET', url: '/api/v1/flows/report', admin: 403 }],
  'GET /api/v1/flows/exporters': () => [{ method: 'GET', url: '/api/v1/flows/exporters', admin: 403 }],
  // Corroboration among carriers: a member submits and reads for its own organisation only; the
  // community key is the data directory owner's; candidates go only into a collection one may write
  // (one it may not even read is answered as if it did not exist: its title is not A's to learn).
  'POST /api/v1/flows/corroboration': (i) => [{ method: 'POST', url: '/api/v1/flows/corroboration', payload: { org: i.bOrg, keyId: '0123456789abcdef', entries: [] }, admin: 403 }],
  'GET /api/v1/flows/corroboration': (i) => [{ method: 'GET', url: `/api/v1/flows/corroboration?org=${i.bOrg}`, admin: 403 }],
  'POST /api/v1/flows/corroboration/key': () => [{ method: 'POST', url: '/api/v1/flows/corroboration/key', payload: { reveal: true }, admin: 403 }],
  'POST /api/v1/flows/candidates/publish': (i) => [{
    method: 'POST', url: '/api/v1/flows/candidates/publish', admin: 404, member: 403,
    payload: { collection: i.bColl, candidates: [{ server: '203.0.113.50', port: 443, proto: 6, score: 0.9, parts: { beacon: 0.9 }, clients: 3, firstSeen: '2026-11-01T00:00:00.000Z', lastSeen: '2026-11-01T01:00:00.000Z' }] },
  }],
  'GET /api/v1/flows/candidates': () => [{ method: 'GET', url: '/api/v1/flows/candidates', admin: 403 }],
  'GET /api/v1/flows/servers/{ip}': () => [{ method: 'GET', url: '/api/v1/flows/servers/198.51.100.7?port=443', admin: 403 }],
  // Contacts of every network: for those who see every organisation.
  'GET /api/v1/contacts/lookup': () => [{ method: 'GET', url: '/api/v1/contacts/lookup?what=198.51.100.7', admin: 403 }],
  'POST /api/v1/contacts/imports': () => [{ method: 'POST', url: '/api/v1/contacts/imports', payload: { files: ['/etc/passwd'], format: 'csv' }, admin: 403 }],
  // Building and verifying reach every organisation's cases: the platform's administrators only.
  'POST /api/v1/cases/build': () => [{ method: 'POST', url: '/api/v1/cases/build', admin: 403 }],
  'POST /api/v1/cases/opt-outs': () => [{ method: 'POST', url: '/api/v1/cases/opt-outs', payload: { target: '198.51.100.7', reason: 'B asked' }, admin: 403 }],
  'POST /api/v1/cases/verify': () => [{ method: 'POST', url: '/api/v1/cases/verify', payload: { quietDays: 7 }, admin: 403 }],
  'POST /api/v1/cases/{id}/ack': (i) => [{ method: 'POST', url: `/api/v1/cases/${i.bCase}/ack`, payload: {}, admin: 404, member: 403 }],
  'GET /api/v1/effects': () => [{ method: 'GET', url: '/api/v1/effects', admin: 200 }, { method: 'GET', url: '/api/v1/effects?groupBy=recipient', admin: 200 }],
  'GET /api/v1/effects.csv': () => [{ method: 'GET', url: '/api/v1/effects.csv?groupBy=recipient', admin: 200 }],
  'GET /api/v1/share/collections': () => [{
    method: 'GET', url: '/api/v1/share/collections', admin: 200,
    check: (r) => expect(json<{ title: string; canWrite: boolean }[]>(r).map((c) => c.title)).toEqual(['Alpha feed']),
  }],
  'GET /api/v1/share/objects': (i) => [
    { method: 'GET', url: `/api/v1/share/objects?collection=${i.aColl}`, admin: 200, check: (r) => expect(json<{ objects: { id: string }[] }>(r).objects.map((o) => o.id)).toEqual([i.aObject]) },
    { method: 'GET', url: `/api/v1/share/objects?collection=${i.bColl}`, admin: 404 },
  ],
  'GET /api/v1/share/objects/{id}': (i) => [
    { method: 'GET', url: `/api/v1/share/objects/${i.aObject}?collection=${i.aColl}`, admin: 200 },
    { method: 'GET', url: `/api/v1/share/objects/${i.bObject}?collection=${i.bColl}`, admin: 404 },
    { method: 'GET', url: `/api/v1/share/objects/${i.bObject}?collection=${i.aColl}`, admin: 404 },
  ],
  // The TAXII client reads and writes whatever remote it is pointed at: the platform's administrators only.
  'GET /api/v1/share/feeds': () => [{ method: 'GET', url: '/api/v1/share/feeds', admin: 403 }],
  'POST /api/v1/share/feeds/pull': (i) => [{ method: 'POST', url: '/api/v1/share/feeds/pull', payload: { url: 'http://127.0.0.1:9/taxii2/', collection: 'x', into: i.aColl }, admin: 403 }],
  'POST /api/v1/share/feeds/push': (i) => [{ method: 'POST', url: '/api/v1/share/feeds/push', payload: { url: 'http://127.0.0.1:9/taxii2/', collection: 'x', from: i.aColl }, admin: 403 }],
  'POST /api/v1/share/collections': (i) => [{ method: 'POST', url: '/api/v1/share/collections', payload: { title: 'Evil', read: [i.bOrg] }, admin: 403 }],
  'GET /api/v1/orgs': () => [{ method: 'GET', url: '/api/v1/orgs', admin: 200, check: (r) => expect(json<{ name: string }[]>(r).map((o) => o.name)).toEqual(['Org Alpha']) }],
  'POST /api/v1/orgs': () => [{ method: 'POST', url: '/api/v1/orgs', payload: { name: 'Evil' }, admin: 403 }],
  'GET /api/v1/orgs/{id}': (i) => [{ method: 'GET', url: `/api/v1/orgs/${i.aOrg}`, admin: 200 }, { method: 'GET', url: `/api/v1/orgs/${i.bOrg}`, admin: 404 }],
  'DELETE /api/v1/orgs/{id}': (i) => [{ method: 'DELETE', url: `/api/v1/orgs/${i.bOrg}`, admin: 403 }],
  'POST /api/v1/orgs/{id}/prefixes': (i) => [{ method: 'POST', url: `/api/v1/orgs/${i.aOrg}/prefixes`, payload: { prefixes: ['0.0.0.0/0'] }, admin: 403 }],
  'POST /api/v1/orgs/{id}/asns': (i) => [{ method: 'POST', url: `/api/v1/orgs/${i.aOrg}/asns`, payload: { asns: ['AS64501'] }, admin: 403 }],
  'POST /api/v1/orgs/{id}/domains': (i) => [{ method: 'POST', url: `/api/v1/orgs/${i.aOrg}/domains`, payload: { domains: ['bravo.example'] }, admin: 403 }],
  'GET /api/v1/responsible/{ip}': () => [
    { method: 'GET', url: '/api/v1/responsible/192.0.2.10', admin: 200 },
    { method: 'GET', url: '/api/v1/responsible/198.51.100.7', admin: 404 },
  ],
  'GET /api/v1/scopes': () => [{ method: 'GET', url: '/api/v1/scopes', admin: 403 }],
  'POST /api/v1/scopes': () => [{ method: 'POST', url: '/api/v1/scopes', payload: { name: 's' }, admin: 403 }],
  'GET /api/v1/scopes/{ref}': () => [{ method: 'GET', url: '/api/v1/scopes/lab', admin: 403 }],
  'DELETE /api/v1/scopes/{ref}': () => [{ method: 'DELETE', url: '/api/v1/scopes/lab', admin: 403 }],
  'POST /api/v1/scopes/{ref}/exclusions': () => [{ method: 'POST', url: '/api/v1/scopes/lab/exclusions', payload: { cidr: '192.0.2.1' }, admin: 403 }],
  'GET /api/v1/exclusions': () => [{ method: 'GET', url: '/api/v1/exclusions', admin: 403 }],
  'POST /api/v1/exclusions': () => [{ method: 'POST', url: '/api/v1/exclusions', payload: { cidr: '192.0.2.1' }, admin: 403 }],
  'DELETE /api/v1/exclusions/{id}': () => [{ method: 'DELETE', url: '/api/v1/exclusions/1', admin: 403 }],
  'POST /api/v1/imports/{format}': () => [{ method: 'POST', url: '/api/v1/imports/zmap', payload: 'saddr\n198.51.100.50\n', headers: { 'content-type': 'text/csv' }, admin: 403 }],
  'GET /api/v1/vulns/feeds': () => [{ method: 'GET', url: '/api/v1/vulns/feeds', admin: 200 }],
  'GET /api/v1/vulns/match': () => [{ method: 'GET', url: `/api/v1/vulns/match?cpe=${encodeURIComponent('cpe:2.3:a:openbsd:openssh:7.4:*:*:*:*:*:*:*')}`, admin: 200 }],
  'POST /api/v1/vulns/feeds/{format}': () => [{ method: 'POST', url: '/api/v1/vulns/feeds/kev', payload: '{}', headers: { 'content-type': 'application/json' }, admin: 403 }],
  'GET /api/v1/surveys': () => [{ method: 'GET', url: '/api/v1/surveys', admin: 403 }],
  // The hub's indicators: publishing, matching, warning lists and sensors are the operators'; a
  // collection that does not exist is a 404 to its would-be reader or writer.
  'POST /api/v1/share/publish': () => [{ method: 'POST', url: '/api/v1/share/publish', payload: { collection: 'scanners' }, admin: 403 }],
  'GET /api/v1/share/export': () => [{ method: 'GET', url: '/api/v1/share/export?collection=no-such&format=csv', admin: 404 }],
  'POST /api/v1/share/import': () => [{ method: 'POST', url: '/api/v1/share/import?collection=no-such', payload: '{"type":"bundle","objects":[]}', headers: { 'content-type': 'application/json' }, admin: 404, member: 403 }],
  'POST /api/v1/share/match': () => [{ method: 'POST', url: '/api/v1/share/match', payload: { collection: 'scanners' }, admin: 403 }],
  'GET /api/v1/share/warninglists': () => [{ method: 'GET', url: '/api/v1/share/warninglists', admin: 403 }],
  'POST /api/v1/share/warninglists': () => [{ method: 'POST', url: '/api/v1/share/warninglists', payload: { name: 'x', text: '192.0.2.1' }, admin: 403 }],
  'GET /api/v1/share/sensors': () => [{ method: 'GET', url: '/api/v1/share/sensors', admin: 403 }],
  'POST /api/v1/share/sensors': () => [{ method: 'POST', url: '/api/v1/share/sensors', payload: { prefixes: ['192.0.2.0/24'] }, admin: 403 }],
  'POST /api/v1/surveys': () => [{ method: 'POST', url: '/api/v1/surveys', payload: { scope: 'lab' }, admin: 403 }],
  'GET /api/v1/surveys/{id}': () => [{ method: 'GET', url: '/api/v1/surveys/run-1', admin: 403 }],
  'POST /api/v1/surveys/{id}/stop': () => [{ method: 'POST', url: '/api/v1/surveys/run-1/stop', payload: {}, admin: 403 }],
  'GET /api/v1/audit': () => [{ method: 'GET', url: '/api/v1/audit', admin: 403 }],
  'GET /api/v1/reports/observation': () => [{ method: 'GET', url: '/api/v1/reports/observation', admin: 403 }],
  // The sharing policy (issue 16): B's links and deliveries stay B's; the dry run names only A.
  'GET /api/v1/orgs/{id}/serves': (i) => [{ method: 'GET', url: `/api/v1/orgs/${i.aOrg}/serves`, admin: 200 }, { method: 'GET', url: `/api/v1/orgs/${i.bOrg}/serves`, admin: 404 }],
  'POST /api/v1/orgs/{id}/serves': (i) => [{ method: 'POST', url: `/api/v1/orgs/${i.bOrg}/serves`, payload: { orgs: [i.aOrg] }, admin: 403 }],
  'DELETE /api/v1/orgs/{id}/serves/{other}': (i) => [{ method: 'DELETE', url: `/api/v1/orgs/${i.bOrg}/serves/${i.aOrg}`, admin: 403 }],
  'GET /api/v1/share/egress': (i) => [{
    method: 'GET', url: '/api/v1/share/egress', admin: 200,
    // What went to A and its users (set up, plus what this walk's object reads delivered), never B's side; a member too.
    check: (r) => {
      const orgs = json<{ entries: { orgId: string }[] }>(r).entries.map((e) => e.orgId);
      expect(orgs.length).toBeGreaterThan(0);
      expect(new Set(orgs)).toEqual(new Set([i.aOrg]));
    },
  }],
  'POST /api/v1/share/dry-run': (i) => [{
    method: 'POST', url: '/api/v1/share/dry-run', admin: 200, member: 403,
    payload: { objects: [{ type: 'indicator', spec_version: '2.1', id: 'indicator--0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d', created: '2026-12-01T00:00:00.000Z', modified: '2026-12-01T00:00:00.000Z', pattern: "[ipv4-addr:value = '192.0.2.66']", pattern_type: 'stix', valid_from: '2026-12-01T00:00:00.000Z', object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'] }] },
    check: (r) => expect(json<{ objects: { organisations: { orgId: string }[]; otherOrganisations: number }[] }>(r).objects[0]).toMatchObject({ organisations: [{ orgId: i.aOrg }], otherOrganisations: 2 }),
  }],
  'POST /api/v1/share/consents': () => [{ method: 'POST', url: '/api/v1/share/consents', payload: { objectId: 'identity--0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d', version: '2026-12-01T00:00:00.000Z' }, admin: 200, member: 403 }],
  'POST /api/v1/share/consents/withdraw': () => [{ method: 'POST', url: '/api/v1/share/consents/withdraw', payload: { objectId: 'identity--0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d', version: '2026-12-01T00:00:00.000Z' }, admin: 200, member: 403 }],
  'POST /api/v1/share/red-recipients': () => [{ method: 'POST', url: '/api/v1/share/red-recipients', payload: { objectId: 'indicator--0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d', version: '2026-12-01T00:00:00.000Z', users: ['carol'] }, admin: 200, member: 403 }],
  // Victim reports: B's draft is not found; B's released one only generalised and pseudonymised; the attack-technical STIX to all.
  'POST /api/v1/share/reports': () => [{ method: 'POST', url: '/api/v1/share/reports', payload: victimForm('Alpha clinic', '192.0.2.20'), admin: 201, member: 403 }],
  'GET /api/v1/share/reports': (i) => [{
    method: 'GET', url: '/api/v1/share/reports', admin: 200,
    check: (r) => expect(json<{ reports: { id: string; title: string | null }[] }>(r).reports.filter((x) => x.title === null).map((x) => x.id)).toEqual([i.bReleased]),
  }],
  'GET /api/v1/share/reports/{id}': (i) => [
    { method: 'GET', url: `/api/v1/share/reports/${i.bReport}`, admin: 404 },
    { method: 'GET', url: `/api/v1/share/reports/${i.bReleased}`, admin: 200, check: (r) => expect(json<{ victim: unknown; ownerOrgId: string }>(r)).toMatchObject({ victim: null, ownerOrgId: '' }) },
  ],
  'POST /api/v1/share/reports/{id}/consent': (i) => [{ method: 'POST', url: `/api/v1/share/reports/${i.bReport}/consent`, payload: {}, admin: 404, member: 403 }],
  'POST /api/v1/share/reports/{id}/release': (i) => [{ method: 'POST', url: `/api/v1/share/reports/${i.bReport}/release`, payload: {}, admin: 404, member: 403 }],
  'GET /api/v1/share/reports/{id}/stix': (i) => [
    { method: 'GET', url: `/api/v1/share/reports/${i.bReport}/stix`, admin: 200, check: (r) => expect(json<{ objects: { type: string }[] }>(r).objects.map((o) => o.type)).not.toContain('incident') },
    { method: 'GET', url: `/api/v1/share/reports/${i.bReleased}/stix`, admin: 200, check: (r) => expect(json<{ objects: { type: string }[] }>(r).objects.map((o) => o.type)).toContain('incident') },
  ],
  'GET /api/v1/share/victim-aggregates': () => [{ method: 'GET', url: '/api/v1/share/victim-aggregates', admin: 200, check: (r) => expect(json<{ cells: unknown[] }>(r).cells).toEqual([]) }],
  // Honeypots (issue 18): a member's report counts its own constituency's attackers only (A's session, and A's campaign download below, one event without a session).
  'GET /api/v1/honeypot/report': () => [{
    method: 'GET', url: '/api/v1/honeypot/report?from=2026-11-01', admin: 200,
    check: (r) => expect(json<{ events: number; sessions: number; sources: number; logins: { attempts: number } }>(r)).toMatchObject({ events: 3, sessions: 2, sources: 1, logins: { attempts: 1 } }),
  }],
  // Publishing the honeypots' indicators is the hub operators' (as share publish).
  'POST /api/v1/honeypot/share': (i) => [{ method: 'POST', url: '/api/v1/honeypot/share', payload: { collection: i.aColl }, admin: 403 }],
  // Campaigns (issue 18): A sees the one it has a member in, with that member only and its own impact only; B's own is not found.
  'GET /api/v1/campaigns': () => [{
    method: 'GET', url: '/api/v1/campaigns', admin: 200,
    // The whole campaign's size, seen through A's own member: its ties, its URL, its name.
    check: (r) => expect(json<{ campaigns: { members: number; impact: { org: string }[] }[] }>(r).campaigns).toMatchObject([{
      members: 4, name: '203.0.113.7 (bot.arm7)', urls: ['http://192.0.2.1/x', WALK_CAMPAIGN_URL], hashes: [],
      ties: [{ kind: 'url', value: WALK_CAMPAIGN_URL }, { kind: 'darknet-tool', value: 'mirai → tcp/23' }, { kind: 'url-host', value: '203.0.113.7' }],
      impact: [{ org: 'Org Alpha' }],
    }]),
  }],
  'GET /api/v1/campaigns/{id}': () => [
    { method: 'GET', url: `/api/v1/campaigns/${campaignId('url', WALK_CAMPAIGN_URL)}`, admin: 200, check: (r) => expect(json<{ sample: { ip: string }[] }>(r).sample.map((m) => m.ip)).toEqual(['192.0.2.10']) },
    { method: 'GET', url: `/api/v1/campaigns/${campaignId('hash', 'b'.repeat(64))}`, admin: 404 },
  ],
  'POST /api/v1/campaigns/compute': () => [{ method: 'POST', url: '/api/v1/campaigns/compute', admin: 403 }],
};
const WALK_CAMPAIGN_URL = 'http://203.0.113.7/x/bot.arm7';

describe('every route, as a member of organisation A, over the data of A and B', () => {
  let dir: string;
  let ctx: AppContext;
  let app: FastifyInstance;
  let ids: Ids;
  const sessions: Record<string, Record<string, string>> = {};

  const signIn = async (username: string): Promise<Record<string, string>> => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PW } });
    expect(r.statusCode, r.body).toBe(200);
    const token = /sakimori_session=([^;]+)/.exec(([] as string[]).concat(r.headers['set-cookie'] ?? []).join(';'))?.[1] ?? '';
    return { cookie: `sakimori_session=${token}`, 'x-csrf-token': r.json<{ csrfToken: string }>().csrfToken };
  };
  const as = (user: string, c: Call): Promise<LightMyRequestResponse> => {
    const body = c.payload === undefined ? undefined : typeof c.payload === 'string' ? c.payload : JSON.stringify(c.payload);
    const type = c.payload !== undefined && typeof c.payload !== 'string' ? { 'content-type': 'application/json' } : {};
    return app.inject({ method: c.method, url: c.url, headers: { ...sessions[user], ...type, ...(c.headers ?? {}) }, ...(body === undefined ? {} : { payload: body }) });
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sakimori-walk-'));
    ctx = await openContext(configSchema.parse({ dataDir: dir }));
    app = await buildApp(ctx);
    const a = await createOrg(ctx.state, { name: 'Org Alpha', kind: 'isp', emails: ['abuse@alpha.example'] });
    const b = await createOrg(ctx.state, { name: 'Org Bravo', kind: 'isp', emails: ['abuse@bravo.example'] });
    // Both with prefixes and ASNs: ASNs in a constituency once broke the darknet report.
    await addPrefixes(ctx.state, a.id, ['192.0.2.0/25']);
    await addAsns(ctx.state, a.id, ['AS64500']);
    await addPrefixes(ctx.state, b.id, ['198.51.100.0/24', '2001:db8:b::/48']);
    await addAsns(ctx.state, b.id, ['AS64501']);
    // Honeypot events (issue 18): A's host logged in and downloaded; B's address only knocked (B-SECRET in its password).
    await writeHoneypotEvents(ctx.events, [
      { ts: '2026-11-02T00:00:00Z', honeypot: 'sakimori', session: 'a1', kind: 'login', proto: 'telnet', src: '192.0.2.10', username: 'root', password: 'xc3511', success: 1 },
      { ts: '2026-11-02T00:00:01Z', honeypot: 'sakimori', session: 'a1', kind: 'download', proto: 'telnet', src: '192.0.2.10', url: 'http://192.0.2.1/x' },
      { ts: '2026-11-02T00:00:00Z', honeypot: 'sakimori', session: 'b1', kind: 'login', proto: 'telnet', src: '198.51.100.66', username: 'root', password: 'B-SECRET', success: 0 },
    ]);
    const { createCollection } = await import('../../src/share/taxii/collections.js');
    const aColl = (await createCollection(ctx.state, { title: 'Alpha feed', read: [a.id], write: [a.id] }, 'setup')).id;
    const bColl = (await createCollection(ctx.state, { title: 'B-SECRET feed', read: [b.id], write: [b.id] }, 'setup')).id;
    // One GREEN indicator in each: community-wide by TLP, yet B's collection is not A's to read.
    const { putObjects } = await import('../../src/share/taxii/object-store.js');
    const indicator = (hex: string, name: string, ip: string): Record<string, unknown> => ({
      type: 'indicator', spec_version: '2.1', id: `indicator--0a1b2c3d-4e5f-4a6b-8c7d-${hex}`, created: '2026-12-01T00:00:00.000Z', modified: '2026-12-01T00:00:00.000Z',
      name, pattern: `[ipv4-addr:value = '${ip}']`, pattern_type: 'stix', valid_from: '2026-12-01T00:00:00Z', object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
    });
    const aObject = indicator('00000000000a', 'Alpha scanner', '192.0.2.99');
    const bObject = indicator('00000000000b', 'B-SECRET scanner', '198.51.100.99');
    expect((await putObjects(ctx.state, aColl, [aObject], { userId: 'setup', orgId: a.id })).failures).toEqual([]);
    expect((await putObjects(ctx.state, bColl, [bObject], { userId: 'setup', orgId: b.id })).failures).toEqual([]);
    // B serves a customer of its own, and something went out to B: none of it is A's to see.
    const bCustomer = await createOrg(ctx.state, { name: 'Org Bravo Customer', kind: 'enterprise' });
    const { addServes } = await import('../../src/share/policy/community.js');
    await addServes(ctx.state, b.id, [bCustomer.id], 'customer');
    const { recordEgress } = await import('../../src/share/policy/egress-audit.js');
    const out = { version: '2026-12-01T00:00:00.000Z', collectionId: null, path: 'taxii', reason: 'green-community' } as const;
    await recordEgress(ctx.state, [
      { ...out, userId: 'u-b', orgId: b.id, objectId: 'indicator--B-SECRET', ownerOrgId: bCustomer.id },
      { ...out, userId: 'u-a', orgId: a.id, objectId: 'indicator--alpha', ownerOrgId: bCustomer.id },
    ]);
    await createUser(ctx.state, { username: 'admin', password: PW, role: 'platform-admin' });
    await createUser(ctx.state, { username: 'alice', password: PW, role: 'org-admin', org: a.id });
    await createUser(ctx.state, { username: 'carol', password: PW, role: 'org-member', org: a.id });
    await createUser(ctx.state, { username: 'bob', password: PW, role: 'org-admin', org: b.id });
    for (const u of ['admin', 'alice', 'carol', 'bob']) sessions[u] = await signIn(u);
    remove = async (url) => { expect((await as('admin', { method: 'DELETE', url })).statusCode).toBe(204); };

    const t = '2026-11-01T00:00:00Z';
    await writeServices(ctx.events, ctx.enricher, [
      serviceRow({ ip: '192.0.2.10', port: 23, transport: 'tcp', service: 'telnet', weak_credential: 1, credential_list: 'l', credential_id: 'c1' }, t),
      serviceRow({ ip: '192.0.2.11', port: 80, transport: 'tcp', service: 'http', http_title: 'alpha portal' }, t),
      serviceRow({ ip: '198.51.100.7', port: 23, transport: 'tcp', service: 'telnet', weak_credential: 1, credential_list: 'l', credential_id: 'c1', banner: 'B-SECRET' }, t),
      serviceRow({ ip: '198.51.100.8', port: 80, transport: 'tcp', service: 'http', http_title: 'B-SECRET portal' }, t),
      serviceRow({ ip: '2001:db8:b::5', port: 22, transport: 'tcp', service: 'ssh', ssh_ident: 'SSH-2.0-B-SECRET' }, t),
      serviceRow({ ip: '203.0.113.99', port: 23, transport: 'tcp', service: 'telnet', weak_credential: 1, credential_list: 'l', credential_id: 'c1' }, t),
    ], { dedupToken: 'walk' });
    await storeSources(ctx.events, ([['192.0.2.10', A_PACKETS], ['198.51.100.9', 9000], ['2001:db8:b::9', 4000], ['203.0.113.99', 7000]] as const)
      .map(([ip, packets]) => ({ ip, packets, mirai: packets, port: 23, at: new Date('2026-11-01T01:00:00Z') })));
    const hp = { honeypot: 'cowrie', sensor: 'walk', proto: 'telnet', dst: '203.0.113.1' } as const;
    await writeHoneypotEvents(ctx.events, [
      { ...hp, session: 'wa', src: '192.0.2.10', ts: '2026-11-01T01:00:00Z', kind: 'session.connect' },
      { ...hp, session: 'wa', src: '192.0.2.10', ts: '2026-11-01T01:00:01Z', kind: 'login', username: 'root', password: 'xc3511', success: 1 },
      { ...hp, session: 'wb', src: '198.51.100.9', ts: '2026-11-01T01:00:00Z', kind: 'login', username: 'B-SECRET', password: 'B-SECRET', success: 0 },
      { ...hp, session: 'wb', src: '198.51.100.9', ts: '2026-11-01T01:00:02Z', kind: 'download', url: 'http://B-SECRET.example/x', url_host: 'b-secret.example' },
      { ...hp, session: 'wc', src: '203.0.113.99', ts: '2026-11-01T01:00:00Z', kind: 'command', input: 'B-SECRET' },
    ], { token: 'walk' });
    await ctx.state.query("UPDATE organisations SET case_services = '{telnet}'");
    const { buildCases } = await import('../../src/cases/build-cases.js');
    await buildCases(ctx);
    // Honeypot campaigns after the cases (the walk's case figures stay as they were): one of A and B (a URL; the darknet's
    // mirai on port 23 ties in B's 198.51.100.9, whose B-SECRET download A must not see in it), one of B alone (a hash).
    await writeHoneypotEvents(ctx.events, [
      ...['192.0.2.10', '198.51.100.7'].map((src) => ({ ts: t, honeypot: 'cowrie' as const, kind: 'download' as const, src, url: WALK_CAMPAIGN_URL, url_host: '203.0.113.7' })),
      ...['198.51.100.8', '198.51.100.10'].map((src) => ({ ts: t, honeypot: 'cowrie' as const, kind: 'upload' as const, src, sha256: 'b'.repeat(64) })),
    ], { token: 'walk-campaigns' });
    await (await import('../../src/correlate/campaigns/compute-campaigns.js')).computeCampaigns(ctx);
    // Digests for both organisations: deliveries of B's cases must stay B's.
    await (await import('../../src/notify/digest-round.js')).createRound(ctx.state);
    const cases = (await as('admin', { method: 'GET', url: '/api/v1/cases' })).json<{ cases: { id: number; ip: string }[] }>().cases;
    const caseOf = (ip: string): number => cases.find((c) => c.ip === ip)?.id ?? -1;
    const mon = async (user: string, name: string, cidr: string): Promise<string> => {
      const r = await as(user, { method: 'POST', url: '/api/v1/monitors', payload: { name, cidrs: [cidr] } });
      expect(r.statusCode, r.body).toBe(201);
      return r.json<{ id: string }>().id;
    };
    const bKey = await as('bob', { method: 'POST', url: '/api/v1/api-keys', payload: { name: 'bravo-key', scopes: ['read'] } });
    expect(bKey.statusCode, bKey.body).toBe(201);
    const bReport = await as('bob', { method: 'POST', url: '/api/v1/share/reports', payload: victimForm('B-SECRET hospital', '198.51.100.30') });
    expect(bReport.statusCode, bReport.body).toBe(201);
    const bReleased = (await as('bob', { method: 'POST', url: '/api/v1/share/reports', payload: victimForm('B-SECRET clinic', '198.51.100.31') })).json<{ report: { id: string } }>().report.id;
    expect((await as('bob', { method: 'POST', url: `/api/v1/share/reports/${bReleased}/consent`, payload: {} })).statusCode).toBe(200);
    expect((await as('admin', { method: 'POST', url: `/api/v1/share/reports/${bReleased}/release`, payload: {} })).statusCode).toBe(200);
    ids = {
      aColl, bColl, aObject: String(aObject['id']), bObject: String(bObject['id']),
      aOrg: a.id, bOrg: b.id, aCase: caseOf('192.0.2.10'), bCase: caseOf('198.51.100.7'),
      aCases: cases.filter((c) => c.ip.startsWith('192.0.2.')).map((c) => c.id).sort((x, y) => x - y),
      bMonitor: await mon('bob', 'bravo-monitor', '198.51.100.0/24'), aMonitor: await mon('alice', 'alpha-monitor', '192.0.2.0/25'),
      bKey: bKey.json<{ info: { id: string } }>().info.id,
      bReport: bReport.json<{ report: { id: string } }>().report.id, bReleased,
    };
    expect(ids.aCase).toBeGreaterThan(0);
    expect(ids.bCase).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1100)); // the search's part count is cached for a second
  }, 180_000);
  afterAll(async () => {
    await app.close();
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const routes = async (): Promise<string[]> => {
    const doc = (await as('admin', { method: 'GET', url: '/api/docs/json' })).json<{ paths: Record<string, Record<string, unknown>> }>();
    return Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
  };

  it('knows every route of the API', async () => {
    const unknown = (await routes()).filter((r) => !(r in WALK));
    expect(unknown, 'routes the need-to-know walk does not know: add them to WALK').toEqual([]);
  });

  for (const user of ['alice', 'carol'] as const) {
    it(`finds nothing of B on any route as ${user === 'alice' ? 'the organisation admin' : 'a read-only member'}`, async () => {
      let calls = 0;
      for (const route of await routes()) {
        for (const step of (WALK[route] ?? (() => []))(ids)) {
          const r = await as(user, step);
          calls++;
          const want = user === 'carol' && step.member !== undefined ? step.member : step.admin;
          expect(r.statusCode, `${user} ${step.method} ${step.url}: ${r.body.slice(0, 300)}`).toBe(want);
          // What the request itself named (an address typed into the URL) may be echoed in the answer.
          const u = new URL(step.url, 'http://walk');
          const sent = typeof step.payload === 'object' && step.payload !== null ? Object.values(step.payload).flat().filter((v): v is string => typeof v === 'string') : [];
          const echoed = [...decodeURIComponent(u.pathname).split('/'), ...u.searchParams.values(), ...sent].filter((x) => x.length > 3);
          const answer = echoed.reduce((b, x) => b.split(x).join(''), r.body);
          for (const f of FOREIGN) expect(answer.includes(f), `${user} ${step.method} ${step.url} answered B's "${f}": ${r.body.slice(0, 300)}`).toBe(false);
          if (r.statusCode < 300) await step.check?.(r);
        }
      }
      expect(calls).toBeGreaterThan(60);
      // Signing out ends only the caller's own session.
      const own = await signIn(user);
      expect((await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: own })).statusCode).toBe(200);
      expect((await app.inject({ url: '/api/v1/auth/me', headers: own })).statusCode).toBe(401);
      expect((await as(user, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(200);
    });
  }

  it('B still has everything A tried to touch, and the admin sees both', async () => {
    expect((await as('bob', { method: 'GET', url: `/api/v1/monitors/${ids.bMonitor}` })).statusCode).toBe(200);
    expect((await as('bob', { method: 'GET', url: `/api/v1/cases/${ids.bCase}` })).json()).toMatchObject({ state: expect.not.stringMatching(/acknowledged/) });
    expect((await as('admin', { method: 'GET', url: '/api/v1/search?q=*' })).json<{ total: number }>().total).toBe(6);
    expect((await as('admin', { method: 'GET', url: '/api/v1/darknet/report?from=2026-11-01' })).json<{ sources: number }>().sources).toBe(4);
  });
});
