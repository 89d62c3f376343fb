/**
 * The ties that come from other capabilities: `cnc` (honeypot addresses that our flows saw as
 * clients of one C&C server) and `darknet-tool` (the same fingerprint tags with the same ports
 * probed, as the darknet saw them). Flows are stored by the flows' own writer, darknet sources
 * through the ingest's own blocks, indicators through the hub's object store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStores, type TempStores } from '../../store/testing/temp-stores.js';
import { writeHoneypotEvents } from '../../honeypot/store/write-events.js';
import { FlowBatch, FLOW_KIND } from '../../flows/flow-batch.js';
import { writeFlows } from '../../flows/store/write-flows.js';
import { candidatePattern } from '../../flows/share/candidate-pattern.js';
import { savePublished } from '../../flows/share/published-state.js';
import { CidrSet } from '../../net/cidr-set.js';
import { parseIPv4 } from '../../net/ip.js';
import { storeSources, type TestSource } from '../../ingest/testing/store-sources.js';
import { createCollection } from '../../share/taxii/collections.js';
import { putObjects } from '../../share/taxii/object-store.js';
import { TLP2_IDS, type Tlp } from '../../share/stix/tlp.js';
import { UNRESTRICTED } from '../../store/need-to-know.js';
import type { HoneypotEventRow } from '../../schema/honeypot-event.js';
import { computeCampaigns } from './compute-campaigns.js';
import { campaignDetail, listCampaigns } from './campaign-store.js';
import { DEFAULT_RULES, TIE_KINDS } from './tie-rules.js';
import { cncServers } from './cnc-ties.js';
import { CAMPAIGN_TIE_KINDS } from '../../api/contract/honeypot.js';

const LOADER_URL = 'http://203.0.113.99/bins/x.sh';
/** Clients of the loader's host (on another port: its C&C). */
const LOADER_CLIENTS = ['192.0.2.1', '192.0.2.2', '192.0.2.3'];
/** Clients of an ordinary server. */
const ORDINARY = ['192.0.2.4', '192.0.2.5'];
/** Clients of the port a green c2 indicator names; of another port of it; of an amber one's. */
const GREEN_C2 = ['192.0.2.6', '192.0.2.7'];
const GREEN_OTHER_PORT = ['192.0.2.8', '192.0.2.9'];
const AMBER_C2 = ['192.0.2.10', '192.0.2.11'];
/** Clients of a server whose indicator was green, then AMBER in its newest version. */
const AMBER_LATER = ['192.0.2.16', '192.0.2.17'];
/** Clients of a C&C candidate the hub published from its own flows, as AMBER: its record alone ties nothing. */
const PUBLISHED = ['192.0.2.12', '192.0.2.13'];
/** Clients of a server a green c2 indicator names without a port: every port of it ties. */
const ANY_PORT = ['192.0.2.14', '192.0.2.15'];
/** Mirai on tcp/23 and tcp/37215: rare; one more honeypot address with few tagged packets; and a darknet-only source. */
const RARE = ['198.51.100.1', '198.51.100.2', '198.51.100.3'];
const UNTAGGED = '198.51.100.4';
const DARKNET_ONLY = '198.51.100.50';
/** Mirai on tcp/23 alone: everyone's combination. */
const COMMON = ['198.51.100.10', '198.51.100.11', '198.51.100.12', '198.51.100.13', '198.51.100.14'];
const AT = '2026-11-10T10:00:00.000Z';

/** Within these limits the rare combination (3) ties and the common one (5) does not. */
const RULES = { ...DEFAULT_RULES, ties: { ...DEFAULT_RULES.ties, 'darknet-tool': { weight: 0.4, maxShare: 0, minCap: 4 } } };

function honeypotRows(): HoneypotEventRow[] {
  const all = [...LOADER_CLIENTS, ...ORDINARY, ...GREEN_C2, ...GREEN_OTHER_PORT, ...AMBER_C2, ...AMBER_LATER, ...PUBLISHED, ...ANY_PORT, ...RARE, UNTAGGED, ...COMMON];
  // Each only connects (no client version: no tool-ports tie): nothing in the honeypots ties them.
  const rows: HoneypotEventRow[] = all.map((ip, i) => ({ ts: AT, honeypot: 'cowrie', session: `s${i}`, kind: 'session.connect', proto: 'telnet', src: ip, dst_port: 23 }));
  rows.push({ ts: AT, honeypot: 'cowrie', session: 'loader', kind: 'download', proto: 'telnet', src: '192.0.2.99', url: LOADER_URL, url_host: '203.0.113.99' });
  return rows;
}

async function writeFlowRecords(events: TempStores['events']): Promise<void> {
  const records: [string[], string, number][] = [
    [LOADER_CLIENTS, '203.0.113.99', 8080], [ORDINARY, '203.0.113.200', 443], [GREEN_C2, '203.0.113.250', 6667],
    [GREEN_OTHER_PORT, '203.0.113.250', 80], [AMBER_C2, '203.0.113.251', 6667], [AMBER_LATER, '203.0.113.254', 6667], [PUBLISHED, '203.0.113.252', 7000], [ANY_PORT, '203.0.113.253', 9999],
  ];
  const fb = new FlowBatch(64);
  for (const [clients, server, port] of records) {
    for (const [n, c] of clients.entries()) {
      // Each client twice (two records of one session): one tie member all the same.
      for (const k of [0, 1]) {
        const i = fb.begin();
        fb.kind[i] = FLOW_KIND.ipfix;
        fb.family[i] = 4;
        FlowBatch.setV4(fb.src16, i, parseIPv4(c) >>> 0);
        FlowBatch.setV4(fb.dst16, i, parseIPv4(server) >>> 0);
        FlowBatch.setV4(fb.exporter16, i, parseIPv4('192.0.2.254') >>> 0);
        fb.sport[i] = 40000 + n;
        fb.dport[i] = port;
        fb.proto[i] = 6;
        fb.startMs[i] = Date.parse(AT) + k * 60_000;
        fb.endMs[i] = (fb.startMs[i] as number) + 1000;
        fb.octets[i] = 120;
        fb.packets[i] = 2;
        fb.sampling[i] = 1;
        fb.commit();
      }
    }
  }
  await writeFlows(events, fb, { token: 'campaign-ties-flows', internal: new CidrSet(['192.0.2.0/24']) });
}

async function writeIndicators(s: TempStores): Promise<void> {
  const col = await createCollection(s.state, { title: 'feed', read: [] }, 'test');
  const ind = (n: number, pattern: string, tlp: Tlp): Record<string, unknown> => ({
    type: 'indicator', spec_version: '2.1', id: `indicator--0b2c4d6e-8f0a-4b2c-8d4e-${n.toString(16).padStart(12, '0')}`, created: AT, modified: AT,
    pattern, pattern_type: 'stix', valid_from: AT, labels: ['c2', 'flow-detection'], object_marking_refs: [TLP2_IDS[tlp]],
  });
  const put = await putObjects(s.state, col.id, [
    ind(1, candidatePattern('203.0.113.250', 6667, 6), 'green'), ind(2, candidatePattern('203.0.113.251', 6667, 6), 'amber'),
    ind(3, "[ipv4-addr:value = '203.0.113.253']", 'clear'), ind(4, candidatePattern('203.0.113.252', 7000, 6), 'amber'),
  ], { userId: 'test', orgId: null });
  expect(put.failures).toEqual([]);
  // A newer version of a green indicator, as AMBER: its older green version no longer counts.
  const amberAgain = { ...ind(5, candidatePattern('203.0.113.254', 6667, 6), 'green') };
  const v2 = { ...amberAgain, modified: '2026-11-11T00:00:00.000Z', object_marking_refs: [TLP2_IDS.amber] };
  expect((await putObjects(s.state, col.id, [amberAgain, v2], { userId: 'test', orgId: null })).failures).toEqual([]);
  const d = new Date(AT);
  await savePublished(s.state, [{
    scope: col.id, key: '203.0.113.252|7000|6', indicatorId: 'indicator--0b2c4d6e-8f0a-4b2c-8d4e-000000000004', created: d, modified: d,
    firstSeen: d, lastSeen: d, confidence: 80, revoked: false, content: '{}',
  }]);
}

function darknetSources(): TestSource[] {
  const at = new Date(AT);
  const mirai = (ip: string, port: number, packets: number, tagged = packets): TestSource => ({ ip, port, packets, mirai: tagged, at });
  return [
    ...[...RARE, DARKNET_ONLY].flatMap((ip) => [mirai(ip, 23, 4), mirai(ip, 37215, 2)]),
    mirai(UNTAGGED, 23, 4, 1), mirai(UNTAGGED, 37215, 4, 0),
    ...COMMON.map((ip) => mirai(ip, 23, 3)),
  ];
}

describe('campaign ties from flows and the darknet', () => {
  let s: TempStores;
  beforeAll(async () => {
    s = await tempStores('campaign-ties');
    await writeHoneypotEvents(s.events, honeypotRows(), { token: 'campaign-ties' });
  }, 60_000);
  afterAll(async () => s.dispose());

  it('keeps the tie kinds in one order everywhere, appended, within the member mask', () => {
    expect([...TIE_KINDS]).toEqual([...CAMPAIGN_TIE_KINDS]);
    expect(TIE_KINDS.slice(0, 6)).toEqual(['url', 'url-host', 'hash', 'credentials', 'tool-ports', 'cnc']);
    // The mask is a byte in compute-campaigns.ts (and a smallint in campaign_members).
    expect(TIE_KINDS.length).toBeLessThanOrEqual(8);
  });

  it('with no flows and no darknet days, ties only what the honeypots tie (nothing here)', async () => {
    const sum = await computeCampaigns(s, { rules: RULES });
    expect(sum).toMatchObject({ campaigns: 0, members: 0, ties: {}, commonTies: {} });
  });

  it('ties clients of a download host or of a C&C indicator everyone may receive, and nobody else', async () => {
    await writeFlowRecords(s.events);
    await writeIndicators(s);
    const sum = await computeCampaigns(s, { rules: RULES, now: new Date('2026-12-01T00:00:00Z') });
    expect(sum.ties).toEqual({ cnc: 3 });
    expect(sum.campaigns).toBe(3);
    const list = await listCampaigns(s, UNRESTRICTED);
    const byValue = new Map(list.campaigns.map((c) => [c.ties[0]?.value, c]));
    expect([...byValue.keys()].sort()).toEqual(['203.0.113.250:6667/tcp', '203.0.113.253:9999/tcp', '203.0.113.99:8080/tcp']);
    const loader = byValue.get('203.0.113.99:8080/tcp');
    expect(loader).toMatchObject({ name: 'C&C 203.0.113.99:8080/tcp', members: 3, ties: [{ kind: 'cnc', members: 3 }] });
    const detail = await campaignDetail(s, UNRESTRICTED, loader?.id ?? '');
    expect(detail.sample.map((m) => m.ip).sort()).toEqual(LOADER_CLIENTS);
    expect(detail.sample.every((m) => m.ties.join() === 'cnc')).toBe(true);
    const members = new Set(await Promise.all(list.campaigns.map((c) => campaignDetail(s, UNRESTRICTED, c.id))).then((ds) => ds.flatMap((d) => d.sample.map((m) => m.ip))));
    for (const ip of [...ORDINARY, ...GREEN_OTHER_PORT, ...AMBER_C2, ...AMBER_LATER, ...PUBLISHED]) expect(members.has(ip)).toBe(false);
    expect([...members].sort()).toEqual([...LOADER_CLIENTS, ...GREEN_C2, ...ANY_PORT].sort());
  });

  it('takes from c2 indicators only single addresses every match needs, with their one port', async () => {
    const col = await createCollection(s.state, { title: 'shapes', read: [] }, 'test');
    const shape = (n: number, pattern: string, labels = ['c2']): Record<string, unknown> => ({
      type: 'indicator', spec_version: '2.1', id: `indicator--1b2c4d6e-8f0a-4b2c-8d4e-${n.toString(16).padStart(12, '0')}`, created: AT, modified: AT,
      pattern, pattern_type: 'stix', valid_from: AT, labels, object_marking_refs: [TLP2_IDS.clear],
    });
    const put = await putObjects(s.state, col.id, [
      shape(1, "[ipv4-addr:value = '198.18.0.0/24']"),
      shape(2, "[ipv4-addr:value = '198.18.1.1'] OR [domain-name:value = 'c2.example']"),
      shape(3, "[network-traffic:dst_ref.value = '198.18.2.2' AND (network-traffic:dst_port = 80 OR network-traffic:dst_port = 8080)]"),
      shape(4, "[ipv6-addr:value = '2001:db8::c2']"),
      shape(5, "[ipv4-addr:value = '198.18.3.3']", ['malicious-activity']),
    ], { userId: 'test', orgId: null });
    expect(put.failures).toEqual([]);
    const got = await cncServers(s.state);
    // A block, a match that needs no address and a non-c2 label give nothing; two ports give every port.
    for (const ip of ['198.18.0.0', '198.18.1.1', '198.18.3.3']) {
      expect(got.anyPort).not.toContain(ip);
      expect(got.pairHosts).not.toContain(ip);
    }
    expect(got.anyPort).toEqual(expect.arrayContaining(['198.18.2.2', '2001:db8::c2', '203.0.113.253']));
    expect(got.pairHosts.map((h, i) => `${h}:${got.pairPorts[i]}`)).toEqual(['203.0.113.250:6667']);
  });

  it('ties a rare fingerprint-and-ports combination, counts a common one and leaves untagged sources out', async () => {
    await storeSources(s.events, darknetSources());
    const sum = await computeCampaigns(s, { rules: RULES });
    expect(sum.ties).toEqual({ cnc: 3, 'darknet-tool': 1 });
    expect(sum.commonTies).toEqual({ 'darknet-tool': 1 });
    expect(sum.largestCommon).toEqual([{ kind: 'darknet-tool', value: 'mirai → tcp/23', members: COMMON.length }]);
    const list = await listCampaigns(s, UNRESTRICTED);
    const dark = list.campaigns.find((c) => c.ties[0]?.kind === 'darknet-tool');
    expect(dark).toMatchObject({ name: 'darknet mirai → tcp/23,tcp/37215', members: RARE.length, ties: [{ kind: 'darknet-tool', value: 'mirai → tcp/23,tcp/37215', members: 3 }] });
    const detail = await campaignDetail(s, UNRESTRICTED, dark?.id ?? '');
    // The darknet-only source is no member (members are addresses the honeypots saw); the one with a quarter of its SYNs tagged carries no tag.
    expect(detail.sample.map((m) => m.ip).sort()).toEqual(RARE);
    expect(detail.sample[0]?.ties).toEqual(['darknet-tool']);
    // With the default limits (at least 50 members) the Mirai-on-23 sources tie too: what the narrow limit is for.
    const wide = await computeCampaigns(s);
    expect(wide.ties['darknet-tool']).toBe(2);
    expect(wide.commonTies).toEqual({});
  });

  it('gives the same campaigns from the same data', async () => {
    await computeCampaigns(s, { rules: RULES, now: new Date('2026-12-01T00:00:00Z') });
    const a = await listCampaigns(s, UNRESTRICTED);
    await computeCampaigns(s, { rules: RULES, now: new Date('2026-12-01T00:00:00Z') });
    const b = await listCampaigns(s, UNRESTRICTED);
    expect(b).toEqual(a);
  });
});
