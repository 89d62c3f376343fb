/**
 * Property: over several seeded datasets of honeypot downloads whose URLs name our honeypots'
 * addresses (as hosts, in hex and decimal, inside paths and queries), addresses in our sensors'
 * prefixes, public download servers and domains, no object the publish stores contains a honeypot
 * address, an address in our sensors' prefixes or a client address — while the public servers
 * and domains are published (so the property is not met by publishing nothing).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStores, type TempStores } from '../../store/testing/temp-stores.js';
import { createCollection } from '../../share/taxii/collections.js';
import { readObjects } from '../../share/taxii/object-store.js';
import { addOwnSensors } from '../../share/indicators/own-sensors.js';
import { CidrSet } from '../../net/cidr-set.js';
import { parseIp } from '../../net/ip.js';
import { seededRandom } from '../../util/seeded-random.js';
import { writeHoneypotEvents } from '../store/write-events.js';
import type { HoneypotEventRow } from '../../schema/honeypot-event.js';
import { publishHoneypotIndicators } from './publish-honeypot.js';

let s: TempStores;
const OPERATOR = { userId: 'op', orgId: null, role: 'platform-admin', scopes: ['read', 'write', 'admin'] } as const;
afterAll(async () => { await s.dispose(); });
beforeAll(async () => { s = await tempStores('honeypot-own'); }, 120_000);

/** First octets of ordinary public unicast space, so that no address is excluded as reserved instead. */
const OCTETS = [23, 31, 45, 61, 91, 103, 133, 185, 212];

interface Dataset {
  rows: HoneypotEventRow[];
  honeypots: string[];
  ownPrefixes: string[];
  sources: string[];
  /** Hidden forms of honeypot addresses that must not appear either. */
  hidden: string[];
  publicHosts: string[];
}

function dataset(seed: number): Dataset {
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const octet = (): number => 1 + Math.floor(rand() * 254);
  const v4 = (): string => `${pick(OCTETS)}.${octet()}.${octet()}.${octet()}`;
  const honeypots = [v4(), v4(), v4(), `2a01:4f8:${(seed % 0xffff).toString(16)}::${octet().toString(16)}`];
  const ownPrefixes = [`${pick(OCTETS)}.${octet()}.${octet()}.0/24`, `${pick(OCTETS)}.${octet()}.0.0/16`];
  const inOwn = (): string => {
    const p = pick(ownPrefixes);
    const [a, b, c] = p.split('.');
    return p.endsWith('/24') ? `${a}.${b}.${c}.${octet()}` : `${a}.${b}.${octet()}.${octet()}`;
  };
  const sources = Array.from({ length: 8 }, v4);
  const publicHosts = Array.from({ length: 4 }, v4);
  const domains = Array.from({ length: 4 }, (_, i) => `dl${seed}-${i}.example`);
  const hexOf = (ip: string): string => `0x${ip.split('.').map((x) => Number(x).toString(16).padStart(2, '0')).join('')}`;
  const decOf = (ip: string): string => String(ip.split('.').reduce((n, x) => n * 256 + Number(x), 0));
  const v4Honeypots = honeypots.slice(0, 3);
  const hidden = v4Honeypots.flatMap((h) => [hexOf(h), decOf(h)]);
  const day = `2026-10-${String(1 + (seed % 28)).padStart(2, '0')}`;
  const rows: HoneypotEventRow[] = [];
  for (let i = 0; i < 120; i++) {
    const dst = pick(honeypots);
    const choice = Math.floor(rand() * 9);
    const host = [
      () => pick(v4Honeypots), () => `[${honeypots[3]}]`, () => hexOf(pick(v4Honeypots)), () => decOf(pick(v4Honeypots)),
      inOwn, () => pick(publicHosts), () => pick(domains), () => pick(publicHosts), () => pick(domains),
    ][choice] as () => string;
    const h = host();
    const tail = rand() < 0.3 ? `?cb=${pick([...honeypots.slice(0, 3), inOwn()])}` : rand() < 0.2 ? `/${pick(v4Honeypots)}/x` : '';
    const url = `http://${h}/bins/${Math.floor(rand() * 5)}.sh${tail}`;
    const sha = rand() < 0.5 ? Array.from({ length: 64 }, () => '0123456789abcdef'[Math.floor(rand() * 16)]).join('') : '';
    rows.push({
      ts: `${day}T${String(Math.floor(rand() * 24)).padStart(2, '0')}:00:0${i % 10}Z`, honeypot: 'cowrie', sensor: 'prop', session: `p${seed}-${i % 30}`,
      kind: 'download', proto: 'telnet', src: pick(sources), dst, dst_port: 23, url, url_host: h.replace(/^\[|\]$/g, '').toLowerCase(), ...(sha ? { sha256: sha, size: 100 + i } : {}),
    });
  }
  return { rows, honeypots, ownPrefixes, sources, hidden, publicHosts };
}

describe('honeypot indicators never name our addresses', () => {
  it('holds over seeded datasets', async () => {
    const seen = { indicators: 0, publicHosts: 0 };
    for (const seed of [1, 2, 3, 4, 5]) {
      const d = dataset(seed);
      await addOwnSensors(s.state, d.ownPrefixes);
      await writeHoneypotEvents(s.events, d.rows, { token: `prop-${seed}` });
      const c = (await createCollection(s.state, { title: `prop ${seed}`, read: [], write: [] }, 'setup')).id;
      const day = new Date(`${d.rows[0]?.ts.slice(0, 10)}T00:00:00Z`);
      const r = await publishHoneypotIndicators(s, OPERATOR, { collection: c, tlp: 'green', dryRun: false, window: { from: day, to: new Date(day.getTime() + 86_400_000) }, now: day });
      expect(r.failures).toEqual([]);
      expect(r.excluded['own-address'], `seed ${seed}`).toBeGreaterThan(0);
      const objects = (await readObjects(s.state, c, { versions: ['all'], limit: 100_000 })).objects;
      const text = objects.map((o) => o.body).join('\n');
      const own = new CidrSet(d.ownPrefixes);
      const forbidden = new Set([...d.honeypots, ...d.sources]);
      for (const m of text.matchAll(/(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])/g)) {
        const ip = parseIp(m[0]);
        expect(forbidden.has(m[0]), `seed ${seed}: ${m[0]} published`).toBe(false);
        if (ip) expect(own.has(ip), `seed ${seed}: ${m[0]} is in our sensors' prefixes`).toBe(false);
      }
      for (const x of [...d.honeypots, ...d.hidden]) expect(text.includes(x), `seed ${seed}: ${x}`).toBe(false);
      seen.indicators += objects.filter((o) => o.type === 'indicator').length;
      seen.publicHosts += d.publicHosts.filter((h) => text.includes(`[ipv4-addr:value = '${h}']`)).length;
    }
    expect(seen.indicators).toBeGreaterThan(50);
    expect(seen.publicHosts).toBeGreaterThan(10);
  }, 300_000);
});
