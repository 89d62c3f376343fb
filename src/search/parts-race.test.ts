/**
 * Need-to-know while the table changes under the search: foreign services inserted (new parts)
 * and merged (OPTIMIZE) while members search. A member must never get another organisation's
 * row, in hits, in a facet or in a total, whichever part layout a search happens to meet (the
 * one-part path reads by row numbers of a part: rows of any other part must not pass by them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../util/seeded-random.js';
import { tempStores, type TempStores } from '../store/testing/temp-stores.js';
import { serviceRow, type ServiceRow } from '../schema/service-observation.js';
import { writeServices } from '../services/service-writer.js';
import { createEnricher } from '../enrich/index.js';
import { search, type SearchResult } from './search.js';
import type { Restriction } from '../store/need-to-know.js';

const TIME = '2026-11-19T00:00:00Z';
const NOW = new Date('2026-11-20T00:00:00Z');
const ASN_A = 64500;
const ASN_B = 64501;
const PORTS = [22, 23, 80];
const none = createEnricher({});

/** Member A: two IPv4 prefixes at the lowest addresses (its rows are the first of a part), one IPv6 prefix, and an AS. */
const WITH_ASN: Extract<Restriction, { kind: 'constituency' }> = { kind: 'constituency', orgId: 'a', cidrs: ['1.0.0.0/16', '1.3.0.0/24', '2001:db8:a::/48'], asns: [ASN_A] };
const PREFIXES_ONLY: Extract<Restriction, { kind: 'constituency' }> = { ...WITH_ASN, asns: [] };

const row = (ip: string, port: number, asn: number, org: string): ServiceRow =>
  serviceRow({ ip, port, transport: 'tcp', service: port === 80 ? 'http' : port === 22 ? 'ssh' : 'telnet', asn, org }, TIME);

/** A's rows: inside its prefixes (no AS of its own) and outside them under its AS. */
function rowsOfA(): { byPrefix: ServiceRow[]; byAsn: ServiceRow[] } {
  const byPrefix: ServiceRow[] = [];
  for (let i = 0; i < 120; i++) byPrefix.push(row(`1.0.${i >> 4}.${i & 15}`, PORTS[i % 3] as number, 0, ''));
  for (let i = 0; i < 40; i++) byPrefix.push(row(`1.3.0.${i}`, PORTS[i % 3] as number, 0, ''));
  for (let i = 0; i < 30; i++) byPrefix.push(row(`2001:db8:a::${(i + 1).toString(16)}`, PORTS[i % 3] as number, 0, ''));
  const byAsn: ServiceRow[] = [];
  for (let i = 0; i < 60; i++) byAsn.push(row(`5.5.0.${i}`, PORTS[i % 3] as number, ASN_A, 'A'));
  return { byPrefix, byAsn };
}

/** Another organisation's services: anywhere but A's prefixes, never A's AS. */
function foreignRows(rand: () => number, n: number): ServiceRow[] {
  const out: ServiceRow[] = [];
  for (let i = 0; i < n; i++) {
    const pick = rand();
    // Between A's prefixes, below them in IPv6, around its AS's addresses and far away: the
    // first rows of a new part sit at the row numbers of A's runs in the merged one.
    const ip = pick < 0.3 ? `1.1.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}`
      : pick < 0.45 ? `2001:db8:b::${Math.floor(rand() * 65535).toString(16)}`
      : pick < 0.6 ? `5.5.1.${Math.floor(rand() * 256)}`
      : pick < 0.7 ? `0.0.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}`
      : `${10 + Math.floor(rand() * 200)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}`;
    out.push(row(ip, PORTS[Math.floor(rand() * 3)] as number, ASN_B, 'B'));
  }
  return out;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('need-to-know while parts are written and merged', () => {
  let stores: TempStores;
  const a = rowsOfA();
  const seen = (r: Restriction): ServiceRow[] => (r === WITH_ASN ? [...a.byPrefix, ...a.byAsn] : a.byPrefix);

  beforeAll(async () => {
    stores = await tempStores('parts-race');
    const rand = seededRandom(1);
    await writeServices(stores.events, none, [...a.byPrefix, ...a.byAsn, ...foreignRows(rand, 2000)], { dedupToken: 'base' });
    await stores.events.exec('OPTIMIZE TABLE services_current FINAL');
  }, 120_000);
  afterAll(() => stores.dispose());

  /** What in an answer is not the member's: hits, ip facet values, port facet counts, total. */
  function foreign(r: Restriction, res: SearchResult, ports: readonly number[]): string[] {
    const rows = seen(r).filter((x) => ports.includes(x.port));
    const ips = new Set(rows.map((x) => x.ip));
    const keys = new Set(rows.map((x) => `${x.ip}/${x.port}`));
    const bad: string[] = [];
    for (const h of res.hits) if (!keys.has(`${h.ip}/${h.port}`)) bad.push(`hit ${h.ip}/${h.port} asn ${h.asn}`);
    for (const f of res.facets['ip'] ?? []) if (!ips.has(f.value)) bad.push(`ip facet ${f.value}`);
    for (const f of res.facets['port'] ?? []) {
      const want = rows.filter((x) => String(x.port) === f.value).length;
      if (f.count !== want) bad.push(`port facet ${f.value}: ${f.count}, not ${want}`);
    }
    if (res.total !== rows.length) bad.push(`total ${res.total}, not ${rows.length}`);
    return bad;
  }

  it.each([2, 3, 5, 8])('gives a member none of the foreign rows inserted and merged during its searches (seed %i)', async (seed) => {
    const rand = seededRandom(seed);
    let writing = true;
    const problems: string[] = [];
    let answers = 0;
    const writer = async (): Promise<void> => {
      try {
        for (let round = 0; round < 3; round++) {
          // One part again, and long enough for the searches to see it as one (they look once a second).
          await stores.events.exec('OPTIMIZE TABLE services_current FINAL');
          await sleep(1000 + Math.floor(rand() * 400));
          // Then new parts, of up to a few thousand rows (their row numbers cover all of A's runs
          // in the merged part), and merges of some of them.
          for (let i = 0; i < 3; i++) {
            if (rand() < 0.3) await stores.events.exec('OPTIMIZE TABLE services_current');
            else await writeServices(stores.events, none, foreignRows(rand, 50 + Math.floor(rand() * 3000)), { dedupToken: `s${seed}-${round}-${i}` });
            await sleep(Math.floor(rand() * 300));
          }
        }
      } finally {
        writing = false;
      }
    };
    const searcher = async (k: number): Promise<void> => {
      for (let n = 0; writing || n < 2; n++) {
        const r = (n + k) % 3 === 0 ? PREFIXES_ONLY : WITH_ASN;
        const [query, ports] = n % 4 === 3 ? ['port:23', [23]] : ['*', PORTS];
        const res = await search(stores.events, { query, restriction: r, limit: 1000, facets: ['ip', 'port'], facetSize: 100, now: NOW });
        answers++;
        const bad = foreign(r, res, ports);
        if (bad.length) problems.push(`${r === WITH_ASN ? 'prefixes+AS' : 'prefixes'} ${query}: ${bad.length} (${bad.slice(0, 3).join('; ')})`);
      }
    };
    await Promise.all([writer(), searcher(0), searcher(1), searcher(2)]);
    expect(answers).toBeGreaterThan(10);
    expect({ seed, answers, wrong: problems.length, problems: problems.slice(0, 5) }).toEqual({ seed, answers, wrong: 0, problems: [] });
  });
});
