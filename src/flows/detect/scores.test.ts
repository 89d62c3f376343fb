import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStores, type TempStores } from '../../store/testing/temp-stores.js';
import { CidrSet } from '../../net/cidr-set.js';
import { Rng } from '../../synth/rng.js';
import { FlowBatch, FLOW_KIND } from '../flow-batch.js';
import { writeFlows } from '../store/write-flows.js';
import { cncCandidates } from './candidates.js';
import type { CncCandidate } from './candidate.js';
import { CNC_THRESHOLDS } from './weights.js';

const T0 = Date.UTC(2026, 10, 3);
const DAY = 86_400_000;
const ip = (s: string): number => s.split('.').reduce((a, x) => a * 256 + Number(x), 0);

/** A session as a router exports it: the client's record and the server's reply. */
function session(b: FlowBatch, client: string, server: string, port: number, proto: number, t: number, octets: number): void {
  for (const up of [true, false]) {
    const i = b.begin();
    b.kind[i] = FLOW_KIND.netflow9;
    b.family[i] = 4;
    FlowBatch.setV4(up ? b.src16 : b.dst16, i, ip(client));
    FlowBatch.setV4(up ? b.dst16 : b.src16, i, ip(server));
    b.sport[i] = up ? 40000 : port;
    b.dport[i] = up ? port : 40000;
    b.proto[i] = proto;
    b.startMs[i] = t + (up ? 0 : 5);
    b.endMs[i] = t + 200;
    b.packets[i] = 2;
    b.octets[i] = up ? octets : 300;
    b.commit();
  }
}

let s: TempStores;
let cs: CncCandidate[];
const find = (server: string): CncCandidate => {
  const c = cs.find((x) => x.server === server);
  if (!c) throw new Error(`no candidate ${server}`);
  return c;
};

beforeAll(async () => {
  s = await tempStores('cnc-scores');
  const b = new FlowBatch(1 << 16);
  const r = new Rng(5);
  // A perfect beacon: every 300 s, 600 bytes.
  for (let t = 0; t < DAY; t += 300_000) session(b, '10.0.0.1', '198.51.100.1', 443, 6, T0 + t, 600);
  // A jittered one: 600 s ± 40 %, 400 bytes ± 3 %.
  for (let t = 0; t < DAY; t += 600_000 * (0.6 + 0.8 * r.float())) session(b, '10.0.0.2', '198.51.100.2', 8080, 6, T0 + t, Math.round(400 * (0.97 + 0.06 * r.float())));
  // Random: Poisson arrivals (mean 600 s) with heavy-tailed sizes.
  for (let t = 0; t < DAY; t += -Math.log(1 - r.float()) * 600_000) session(b, '10.0.0.3', '198.51.100.3', 443, 6, T0 + t, r.pareto(300, 1.1, 1_000_000));
  // NTP: exactly periodic, but 200 clients use the same server.
  for (let c = 0; c < 200; c++) {
    const phase = r.float() * 1_024_000;
    for (let t = phase; t < DAY; t += 1_024_000) session(b, `10.0.1.${c}`, '198.51.100.123', 123, 17, T0 + t, 76);
  }
  await writeFlows(s.events, b, { token: 'scores', internal: new CidrSet(['10.0.0.0/8']) });
  // One client of the jittered beacon also scanned our darknet.
  await s.events.exec(
    `INSERT INTO darknet_source_day (day, sensor, src, first_seen, last_seen, packets, pkts_scan, pkts_backscatter, pkts_other, tag_hits, ports, dsts, asn, country)
     VALUES ('2026-11-03', 'default', toIPv6('10.0.0.2'), '2026-11-03 01:00:00', '2026-11-03 01:00:00', 10, 10, 0, 0, ([0], [10]), ([], []), ([], []), 0, '')`);
  // A peer's indicator imported into the hub names the random server's /24.
  const col = '6f1c1e4a-9b7d-4c2e-8a6f-3d2b1c0a9e77';
  await s.state.query(`INSERT INTO share_collections (id, title, created_by) VALUES ($1, 'peers', 'test')`, [col]);
  const ind = { type: 'indicator', spec_version: '2.1', id: 'indicator--5f1c1e4a-9b7d-4c2e-8a6f-3d2b1c0a9e03', created: '2026-11-01T00:00:00.000Z', modified: '2026-11-01T00:00:00.000Z',
    created_by_ref: 'identity--5f1c1e4a-9b7d-4c2e-8a6f-3d2b1c0a9e04', pattern: "[ipv4-addr:value ISSUBSET '198.51.100.0/30']", pattern_type: 'stix', valid_from: '2026-11-01T00:00:00.000Z' };
  await s.state.query(
    `INSERT INTO share_objects (collection_id, date_added, stix_id, type, spec_version, version, version_text, body) VALUES ($1, now(), $2, 'indicator', '2.1', $3::timestamptz, $4, $5)`,
    [col, ind.id, ind.modified, ind.modified, JSON.stringify(ind)]);
  cs = await cncCandidates(s, { fromMs: T0, toMs: T0 + DAY, limit: 100 });
}, 60_000);
afterAll(async () => { await s.dispose(); });

describe('C&C scores on hand-made pairs', () => {
  it('scores a perfect beacon high, on timing and size', () => {
    const c = find('198.51.100.1');
    expect(c.score).toBeGreaterThanOrEqual(CNC_THRESHOLDS.decision);
    expect(c.parts['beacon']).toBeGreaterThan(0.9);
    expect(c.parts['size-regularity']).toBeGreaterThan(0.9);
    expect(c.clients).toBe(1);
    expect(c.evidence?.length).toBe(3);
    expect(c.evidence?.[0]).toMatchObject({ client: '10.0.0.1', octets: 600 });
    expect(c.evidence?.[0]?.note).toMatch(/beacon interval 300 s/);
  });

  it('scores a beacon with ±40 % jitter high too, and counts its client\'s darknet sighting', () => {
    const c = find('198.51.100.2');
    expect(c.score).toBeGreaterThanOrEqual(CNC_THRESHOLDS.decision);
    expect(c.parts['beacon']).toBeGreaterThan(0.6);
    expect(c.parts['darknet']).toBe(1);
  });

  it('scores random arrivals low, unless an imported indicator names the server', () => {
    const c = find('198.51.100.3');
    expect(c.parts['beacon']).toBeLessThan(0.5);
    expect(c.parts['indicator']).toBe(1);
    const behaviour = 1 - (1 - c.score) / (1 - 0.6); // the indicator's noisy-OR share taken out
    expect(behaviour).toBeLessThan(0.35);
    expect(find('198.51.100.1').parts['indicator']).toBe(1);
    expect(find('198.51.100.123').parts['indicator']).toBe(0);
  });

  it('keeps popular periodic NTP low: it beacons perfectly, but from 200 clients', () => {
    const c = find('198.51.100.123');
    expect(c.parts['beacon']).toBeGreaterThan(0.8);
    expect(c.parts['rarity']).toBeLessThan(0.01);
    expect(c.score).toBeLessThan(0.05);
    expect(c.clients).toBe(200);
  });

  it('ranks best first and writes down the read of raw flows', async () => {
    expect(cs.map((c) => c.score)).toEqual([...cs.map((c) => c.score)].sort((a, b) => b - a));
    const reads = await s.state.query<{ purpose: string; records: string; window_from: Date }>('SELECT purpose, records, window_from FROM flow_raw_reads');
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({ purpose: 'cnc-detect' });
    expect(Number(reads[0]?.records)).toBeGreaterThan(1000);
    expect(new Date(reads[0]?.window_from ?? 0).getTime()).toBe(T0);
  });
});
