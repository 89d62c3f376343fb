/**
 * Issue 16 TAXII figures, through HTTP against the app on loopback over the embedded stores:
 * POSTing envelopes (target ≥ 10,000 objects/s), one 1,000-object page from a collection of
 * 1,000,000 objects (median ≤ 100 ms), and reading the whole collection by `next` (≤ 2 min).
 * The large collection is filled by SQL (as POSTs would leave it: one version per object, unique
 * increasing date_added); the reader is an organisation's member, so every object passes the
 * sharing decision. JSON lines; `--objects N`, `--post N` for other sizes.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { packageRoot } from '../src/util/package-root.js';
import { configSchema } from '../src/config/schema.js';
import { openContext } from '../src/app/context.js';
import { buildApp } from '../src/api/app.js';
import { createOrg } from '../src/orgs/org-store.js';
import { createUser } from '../src/auth/users.js';
import { createApiKey } from '../src/auth/api-keys.js';
import { createCollection } from '../src/share/taxii/collections.js';
import { TLP2_IDS } from '../src/share/stix/tlp.js';
import { argValue, emit } from './lib.js';

const total = Number(argValue('objects', '1000000'));
const posted = Number(argValue('post', '50000'));
const TAXII = 'application/taxii+json;version=2.1';
const dir = join(packageRoot(), 'bench', 'out', 'taxii-data');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
// Limits high enough that one reader paging as fast as it can is never turned away.
const ctx = await openContext(configSchema.parse({ dataDir: dir, log: { level: 'silent' }, limits: { requests: { cheap: { perSecond: 100000, burst: 100000, inFlight: 64 }, heavy: { perSecond: 1000, burst: 1000, inFlight: 8 } } } }));
const app = await buildApp(ctx);
const pad = (n: number, w: number): string => String(n).padStart(w, '0');
/** The date_added of the large collection's object at `us` microseconds after its start. */
const afterOf = (us: number): string => {
  const s = Math.floor(us / 1e6);
  return `2026-01-01T${pad(Math.floor(s / 3600), 2)}:${pad(Math.floor(s / 60) % 60, 2)}:${pad(s % 60, 2)}.${pad(us % 1e6, 6)}Z`;
};
/** A GET; once more on a reset connection (the pool's keep-alive connection outlived by the long fill). */
const getText = async (url: string, headers: Record<string, string>): Promise<{ status: number; text: string }> => {
  for (let attempt = 0; ; attempt++) {
    try {
      const r = await fetch(url, { headers });
      return { status: r.status, text: await r.text() };
    } catch (e) {
      if (attempt > 0) throw e;
    }
  }
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const r1 = (x: number): number => Number(x.toFixed(1));
try {
  const org = await createOrg(ctx.state, { name: 'Bench ISAC member', kind: 'isac-member' });
  await createUser(ctx.state, { username: 'bench-member', password: 'bench password long enough', role: 'org-admin', org: org.id });
  const key = (await createApiKey(ctx.state, 'bench-member', 'bench', ['read', 'write'])).key;
  const big = await createCollection(ctx.state, { title: 'Bench large', read: [org.id], write: [org.id] }, 'bench');
  const small = await createCollection(ctx.state, { title: 'Bench posts', read: [org.id], write: [org.id] }, 'bench');
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/taxii2/api/collections`;
  const headers = { authorization: `Bearer ${key}`, accept: TAXII };

  // 1. POST: envelopes of 1,000 indicators.
  const uuid = (n: number): string => `0b3f1c2a-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  const indicator = (n: number): string => JSON.stringify({
    type: 'indicator', spec_version: '2.1', id: `indicator--${uuid(n)}`, created: '2026-03-01T00:00:00.000Z', modified: '2026-03-01T00:00:00.000Z',
    name: `scanner ${n}`, pattern: `[ipv4-addr:value = '${10 + (n >>> 24)}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}']`, pattern_type: 'stix',
    valid_from: '2026-03-01T00:00:00Z', confidence: 70, labels: ['scanner'], object_marking_refs: [TLP2_IDS.green],
  });
  const envelopes: string[] = [];
  for (let i = 0; i < posted; i += 1000) envelopes.push(`{"objects":[${Array.from({ length: Math.min(1000, posted - i) }, (_, k) => indicator(i + k)).join(',')}]}`);
  let stored = 0;
  const t0 = performance.now();
  for (const body of envelopes) {
    const r = await fetch(`${base}/${small.id}/objects/`, { method: 'POST', headers: { ...headers, 'content-type': TAXII }, body });
    const s = (await r.json()) as { success_count: number; failure_count: number };
    if (r.status !== 202 || s.failure_count) throw new Error(`POST: HTTP ${r.status} ${JSON.stringify(s).slice(0, 300)}`);
    stored += s.success_count;
  }
  const postSeconds = (performance.now() - t0) / 1000;
  emit({ bench: 'taxii-post', objects: stored, envelopeObjects: 1000, seconds: r1(postSeconds), objectsPerSecond: Math.round(stored / postSeconds), target: 10000 });

  // 2. The large collection, filled by SQL in chunks.
  const t1 = performance.now();
  const chunk = 100_000;
  for (let from = 1; from <= total; from += chunk) {
    const to = Math.min(total, from + chunk - 1);
    await ctx.state.query(
      `INSERT INTO share_objects (collection_id, date_added, stix_id, type, spec_version, version, version_text, owner_org_id, owner_user_id, tlp, body)
       SELECT $1::uuid, timestamptz '2026-01-01T00:00:00Z' + g * interval '1 microsecond', 'indicator--1a2b3c4d-0000-4000-8000-' || lpad(to_hex(g), 12, '0'),
              'indicator', '2.1', timestamptz '2026-01-01T00:00:00Z', '2026-01-01T00:00:00.000Z', $2, 'bench', 'green',
              format('{"type":"indicator","spec_version":"2.1","id":"indicator--1a2b3c4d-0000-4000-8000-%s","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","name":"scanner %s","pattern":"[ipv4-addr:value = ''10.%s.%s.%s'']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z","confidence":70,"labels":["scanner"],"object_marking_refs":["${TLP2_IDS.green}"]}',
                     lpad(to_hex(g), 12, '0'), g, (g >> 16) & 255, (g >> 8) & 255, g & 255)
       FROM generate_series($3::int, $4::int) g`,
      [big.id, org.id, from, to],
    );
  }
  await ctx.state.query('ANALYZE share_objects');
  emit({ bench: 'taxii-fill', objects: total, seconds: r1((performance.now() - t1) / 1000) });

  // 3. One 1,000-object page from anywhere in the collection (by added_after), 31 times.
  const times: number[] = [];
  for (let i = 0; i < 31; i++) {
    const at = Math.floor(((i * 7919) % 997) / 997 * (total - 1000));
    const after = afterOf(at);
    const t = performance.now();
    const r = await getText(`${base}/${big.id}/objects/?limit=1000&added_after=${after}`, headers);
    const text = r.text;
    times.push(performance.now() - t);
    if (r.status !== 200) throw new Error(`page: HTTP ${r.status} ${text.slice(0, 300)}`);
    const n = (JSON.parse(text) as { objects?: unknown[] }).objects?.length ?? 0;
    if (n !== 1000) throw new Error(`page after ${after}: ${n} objects`);
  }
  emit({ bench: 'taxii-page', collection: total, pageObjects: 1000, samples: times.length, medianMs: r1(median(times)), maxMs: r1(Math.max(...times)), limitMs: 100 });

  // 4. The whole collection by next, at the largest page the server serves.
  for (const limit of [10_000, 1_000]) {
    const t2 = performance.now();
    let next: string | undefined;
    let seen = 0;
    let pages = 0;
    for (;;) {
      const r = await getText(`${base}/${big.id}/objects/?limit=${limit}${next ? `&next=${encodeURIComponent(next)}` : ''}`, headers);
      const env = JSON.parse(r.text) as { more: boolean; next?: string; objects?: unknown[] };
      seen += env.objects?.length ?? 0;
      pages++;
      if (!env.more) break;
      next = env.next;
    }
    emit({ bench: 'taxii-read-all', collection: total, objectsRead: seen, pageLimit: limit, pages, seconds: r1((performance.now() - t2) / 1000), limitSeconds: 120 });
    if (seen !== total) throw new Error(`read ${seen} of ${total}`);
  }
} finally {
  await app.close();
  await ctx.close();
}
