/**
 * Honeypot indicators into the hub: a URL, a domain and an address host, and a file hash become
 * indicators with patterns the hub's STIX pattern parser reads; a re-publish makes no duplicate
 * and a later window a new version of the same id; reserved, benign (warning-listed) and our own
 * addresses are never published, and what becomes excluded after publication is revoked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStores, type TempStores } from '../../store/testing/temp-stores.js';
import { createCollection } from '../../share/taxii/collections.js';
import { readObjects } from '../../share/taxii/object-store.js';
import { parsePattern } from '../../share/stix/pattern/index.js';
import { validateObject } from '../../share/stix/validate.js';
import { addOwnSensors } from '../../share/indicators/own-sensors.js';
import { writeHoneypotEvents } from '../store/write-events.js';
import { cowrieLikeDay, H1, H2, H3 } from '../testing/cowrie-like-day.js';
import { publishHoneypotIndicators, type HoneypotShareRequest } from './publish-honeypot.js';

let s: TempStores;
const OPERATOR = { userId: 'op', orgId: null, role: 'platform-admin', scopes: ['read', 'write', 'admin'] } as const;
const DAY1 = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-02T00:00:00Z') };
const NOW = new Date('2026-11-02T00:00:00Z');

const publish = (collection: string, o: Partial<HoneypotShareRequest> = {}): ReturnType<typeof publishHoneypotIndicators> =>
  publishHoneypotIndicators(s, OPERATOR, { collection, tlp: 'green', window: DAY1, dryRun: false, now: NOW, ...o });

const newCollection = async (title: string): Promise<string> => (await createCollection(s.state, { title, read: [], write: [] }, 'setup')).id;

async function stored(collection: string): Promise<Record<string, unknown>[]> {
  const page = await readObjects(s.state, collection, { versions: ['all'], limit: 10_000 });
  return page.objects.map((o) => JSON.parse(o.body) as Record<string, unknown>);
}

beforeAll(async () => {
  s = await tempStores('honeypot-share');
  await writeHoneypotEvents(s.events, cowrieLikeDay(), { token: 'day-1' });
}, 120_000);
afterAll(async () => { await s.dispose(); });

describe('honeypot indicators', () => {
  it('publishes URLs, hosts and hashes with readable patterns, and nothing reserved', async () => {
    const c = await newCollection('honeypot');
    const r = await publish(c);
    expect(r.failures).toEqual([]);
    expect(r).toMatchObject({ observables: { urls: 3, hosts: 3, hashes: 3 }, created: 7, updated: 0, revoked: 0, unchanged: 0 });
    // The URL and the host at 198.18.0.5 (a benchmarking range): reserved.
    expect(r.excluded).toMatchObject({ reserved: 2, 'own-address': 0, 'benign-domain': 0, invalid: 0 });
    const objects = await stored(c);
    for (const o of objects) expect(validateObject(o), JSON.stringify(o)).toEqual([]);
    const indicators = objects.filter((o) => o['type'] === 'indicator');
    const patterns = indicators.map((o) => String(o['pattern'])).sort();
    expect(patterns).toEqual([
      "[domain-name:value = 'dl.example.net']",
      "[domain-name:value = 'evil.example']",
      `[file:hashes.'SHA-256' = '${H1}']`,
      `[file:hashes.'SHA-256' = '${H2}']`,
      `[file:hashes.'SHA-256' = '${H3}']`,
      "[url:value = 'http://dl.example.net/a.sh']",
      "[url:value = 'http://evil.example/bins/mirai.x86']",
    ]);
    for (const p of patterns) expect(parsePattern(p).ok, p).toBe(true);
    const url = indicators.find((o) => String(o['pattern']).includes('mirai.x86') && String(o['pattern']).startsWith('[url'));
    expect(url).toMatchObject({
      indicator_types: ['malicious-activity'], labels: ['honeypot', 'malicious-url'], confidence: 70,
      kill_chain_phases: [{ kill_chain_name: 'lockheed-martin-cyber-kill-chain', phase_name: 'delivery' }],
      valid_from: '2026-11-01T01:00:07.000Z', created: NOW.toISOString(), modified: NOW.toISOString(),
    });
    // Linear decay over 30 days from the last sighting down to 30 of 70: 30 × (1 − 30/70) days.
    expect(Date.parse(String(url?.['valid_until']))).toBe(Date.parse('2026-11-01T02:30:00Z') + Math.round(30 * (1 - 30 / 70) * 86_400_000));
    // The dropper's malware object, indicated by its file and by the URL it came from.
    const malware = objects.filter((o) => o['type'] === 'malware');
    expect(malware.map((m) => m['name']).sort()).toEqual([`Honeypot sample ${H1.slice(0, 16)}`, `Honeypot sample ${H2.slice(0, 16)}`, `Honeypot sample ${H3.slice(0, 16)}`]);
    const h1Malware = malware.find((m) => String(m['name']).endsWith(H1.slice(0, 16)));
    const pointing = objects.filter((o) => o['type'] === 'relationship' && o['target_ref'] === h1Malware?.['id']).map((o) => o['source_ref']);
    expect(new Set(pointing)).toEqual(new Set([url?.['id'], indicators.find((o) => String(o['pattern']).includes(H1))?.['id']]));
    // Attack-technical: no client address and no honeypot address anywhere.
    const text = JSON.stringify(objects);
    for (const a of ['192.0.2.10', '192.0.2.11', '198.51.100.7', '198.51.100.8', '203.0.113.99', '203.0.113.10', '203.0.113.11', '203.0.113.12', '198.18.0.5']) expect(text).not.toContain(a);
  });

  it('does not duplicate on a re-publish, and versions the same id when the evidence grows', async () => {
    const c = await newCollection('versions');
    expect((await publish(c)).created).toBe(7);
    const count = (await stored(c)).length;
    const again = await publish(c, { now: new Date('2026-11-02T06:00:00Z') });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 7, objects: 0, stored: 0 });
    expect((await stored(c)).length).toBe(count);
    // The next day another source fetches the dropper: the URL, its host and the file get new versions.
    await writeHoneypotEvents(s.events, [
      { honeypot: 'cowrie', sensor: 'hp-tokyo', session: 'n1', proto: 'telnet', src: '192.0.2.77', dst: '203.0.113.10', ts: '2026-11-02T04:00:00Z', kind: 'download', url: 'http://evil.example/bins/mirai.x86', url_host: 'evil.example', sha256: H1, size: 1000 },
    ], { token: 'day-2' });
    const later = await publish(c, { window: { from: DAY1.from, to: new Date('2026-11-03T00:00:00Z') }, now: new Date('2026-11-03T00:00:00Z') });
    expect(later).toMatchObject({ created: 0, updated: 3, unchanged: 4, revoked: 0 });
    const objects = await stored(c);
    const versions = objects.filter((o) => o['pattern'] === "[url:value = 'http://evil.example/bins/mirai.x86']");
    expect(versions).toHaveLength(2);
    expect(new Set(versions.map((v) => v['id'])).size).toBe(1);
    expect(versions.map((v) => v['created'])).toEqual([NOW.toISOString(), NOW.toISOString()]);
    expect(versions.map((v) => v['confidence']).sort()).toEqual([70, 80]);
    expect(versions.map((v) => v['modified']).sort()).toEqual([NOW.toISOString(), '2026-11-03T00:00:00.000Z']);
  });

  it('publishes no benign (warning-listed) domain, and revokes one listed after it was published', async () => {
    const c = await newCollection('benign');
    await publish(c);
    const r = await publish(c, { benignDomains: ['example.net'], now: new Date('2026-11-02T01:00:00Z') });
    // dl.example.net (under example.net) and its URL, from which no file came.
    expect(r).toMatchObject({ revoked: 2, updated: 2, unchanged: 5, created: 0 });
    expect(r.excluded['benign-domain']).toBe(2);
    const revokedNow = (await stored(c)).filter((o) => o['revoked'] === true).map((o) => o['pattern']).sort();
    expect(revokedNow).toEqual(["[domain-name:value = 'dl.example.net']", "[url:value = 'http://dl.example.net/a.sh']"]);
    // A fresh collection never gets it; a built-in benign name (a connectivity check) neither.
    await writeHoneypotEvents(s.events, [
      { honeypot: 'cowrie', sensor: 'hp-tokyo', session: 'g1', proto: 'ssh', src: '192.0.2.78', dst: '203.0.113.10', ts: '2026-11-01T09:00:00Z', kind: 'download', url: 'http://www.google.com/', url_host: 'www.google.com' },
    ], { token: 'google' });
    const fresh = await newCollection('benign-fresh');
    const f = await publish(fresh, { benignDomains: ['dl.example.net'] });
    expect(f.excluded['benign-domain']).toBe(4);
    expect(JSON.stringify(await stored(fresh))).not.toMatch(/dl\.example\.net|google\.com/);
  });

  it('never publishes our own sensors\' prefixes or a honeypot address, even inside a URL', async () => {
    await addOwnSensors(s.state, ['45.77.10.0/24']);
    await writeHoneypotEvents(s.events, [
      { honeypot: 'cowrie', sensor: 'hp-tokyo', session: 'o1', proto: 'ssh', src: '192.0.2.79', dst: '203.0.113.10', ts: '2026-11-01T10:00:00Z', kind: 'download', url: 'http://45.77.10.9/bins.sh', url_host: '45.77.10.9' },
      { honeypot: 'cowrie', sensor: 'hp-tokyo', session: 'o1', proto: 'ssh', src: '192.0.2.79', dst: '203.0.113.10', ts: '2026-11-01T10:00:01Z', kind: 'download', url: 'http://evil2.example/r?to=203.0.113.11', url_host: 'evil2.example' },
      { honeypot: 'cowrie', sensor: 'hp-tokyo', session: 'o1', proto: 'ssh', src: '192.0.2.79', dst: '203.0.113.10', ts: '2026-11-01T10:00:02Z', kind: 'download', url: 'http://0xcb00710a/x', url_host: '0xcb00710a' },
      { honeypot: 'cowrie', sensor: 'hp-tokyo', session: 'o1', proto: 'ssh', src: '192.0.2.79', dst: '203.0.113.10', ts: '2026-11-01T10:00:03Z', kind: 'download', url: 'http://45.77.11.5/ok.sh', url_host: '45.77.11.5' },
    ], { token: 'own' });
    const c = await newCollection('own');
    const r = await publish(c);
    // 45.77.10.9 (URL and host), the URL naming a honeypot, 0xcb00710a = 203.0.113.10 (URL and host).
    expect(r.excluded['own-address']).toBe(5);
    const text = JSON.stringify(await stored(c));
    expect(text).toContain("[ipv4-addr:value = '45.77.11.5']");
    expect(text).toContain("[url:value = 'http://45.77.11.5/ok.sh']");
    for (const a of ['45.77.10.', '203.0.113.1', '0xcb00710a']) expect(text).not.toContain(a);
  });
});
