/**
 * One profile per address on real stores, seeded through the real writers: a real Cowrie day
 * (../shared/data/honeypot), real darknet captures (../shared/data/pcap: 10.0.0.10 in the
 * tcp-control files, 3 + 63 packets of which 41 backscatter; 10.87.1.10 the nmap scanner of
 * nmap_80_w_service_detection.pcap), survey observations, flows and shared indicators. Each
 * timeline source and each verdict rule, and need-to-know through the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempApp, TEST_PASSWORD, type TempApp } from '../../api/testing/temp-app.js';
import { sharedData } from '../../../test/fixtures/shared-data.js';
import { writeHoneypotEvents } from '../../honeypot/store/write-events.js';
import { ingestDarknetFiles } from '../../ingest/darknet-ingest.js';
import { BUILTIN_FINGERPRINTS, Fingerprinter, type Fingerprint } from '../../classify/fingerprints.js';
import { writeServices } from '../../services/service-writer.js';
import { serviceRow } from '../../schema/service-observation.js';
import { addPrefixes, createOrg } from '../../orgs/org-store.js';
import { createUser, getUser } from '../../auth/users.js';
import { createApiKey } from '../../auth/api-keys.js';
import { importWarningList } from '../../share/indicators/warning-list-store.js';
import { createCollection } from '../../share/taxii/collections.js';
import { putObjects } from '../../share/taxii/object-store.js';
import { TLP2_IDS } from '../../share/stix/tlp.js';
import { FlowBatch, FLOW_KIND } from '../../flows/flow-batch.js';
import { writeFlows } from '../../flows/store/write-flows.js';
import { CidrSet } from '../../net/cidr-set.js';
import { UNRESTRICTED } from '../../store/need-to-know.js';
import { peerPrincipal } from '../../api/auth-plugin.js';
import type { Host } from '../../api/contract/hosts.js';
import type { HoneypotEventRow } from '../../schema/honeypot-event.js';
import type { EventsStore } from '../../store/types.js';
import { cowrieRows } from './testing/cowrie-rows.js';
import { seededRandom } from '../../util/seeded-random.js';
import { HONEYPOT_EVENT_KINDS } from '../../schema/honeypot-event.js';
import { TEXT_LIMIT } from './host-honeypot.js';
import { addressProfile } from './address-profile.js';

/** A deployment's fingerprint named after a research project (the rule under test maps the tag name to the actor). */
const CENSYS: Fingerprint = {
  name: 'censys', bit: 3, test: 'ip.family == 4 && proto == TCP && (tcp.flags & (SYN | ACK | RST)) == SYN && tcp.dport == 80',
  appliesToName: 'TCP SYN', appliesToNameJa: 'TCP SYN', falseMatchChance: 2 ** -16, minShare: 0.5, prior: 0.01,
  description: 'test', descriptionJa: 'test', reference: 'test',
};
const URL = 'http://203.0.113.50/bins/mirai.arm7';
const SHA = 'ab'.repeat(32);
const T = '2026-11-20T10:00:00.000Z';

/**
 * 192.0.2.66: what a hostile or broken source may log, fuzzed with a fixed seed: every kind, text
 * with NUL, quotes, newlines and non-ASCII, a 1 MB command line, sessions without an id (one per
 * hour and port), a clock that jumps to 2099.
 */
function hostile(): HoneypotEventRow[] {
  const rand = seededRandom(18);
  const pick = <X>(xs: readonly X[]): X => xs[Math.floor(rand() * xs.length)] as X;
  const junk = (): string => Array.from({ length: Math.floor(rand() * 40) }, () => String.fromCharCode(Math.floor(rand() * 0x3000))).join('');
  const rows: HoneypotEventRow[] = Array.from({ length: 300 }, (_, i) => ({
    ts: new Date(Date.UTC(2026, 10, 10) + Math.floor(rand() * 3 * 86_400_000)).toISOString(), honeypot: pick(['cowrie', 'dionaea', 'conpot', 'sakimori'] as const),
    session: rand() < 0.3 ? '' : `s${i % 17}`, kind: pick(HONEYPOT_EVENT_KINDS), proto: pick(['ssh', 'telnet', 'smb', 'modbus', '']), src: '192.0.2.66',
    dst_port: Math.floor(rand() * 65536), username: junk(), password: junk(), success: pick([-1, 0, 1]), input: junk(), url: rand() < 0.2 ? `http://x/${junk()}` : '',
    sha256: rand() < 0.1 ? 'c'.repeat(64) : '', client: junk(),
  }));
  rows.push(
    { ts: '2026-11-11T00:00:00Z', honeypot: 'cowrie', session: 'big', kind: 'command', src: '192.0.2.66', input: 'x'.repeat(1_000_000) },
    { ts: '2099-01-01T00:00:00Z', honeypot: 'cowrie', session: 'future', kind: 'login', src: '192.0.2.66', username: "a'\"\\\u0000\n", password: '', success: 1 },
  );
  return rows;
}

let t: TempApp;
let keys: Record<'alice' | 'bob', string>;
const fingerprinter = new Fingerprinter([...BUILTIN_FINGERPRINTS, CENSYS]);

const get = async (ip: string, who?: 'alice' | 'bob'): Promise<{ status: number; body: string; host: Host }> => {
  const r = await t.inject({ url: `/api/v1/hosts/${encodeURIComponent(ip)}`, ...(who ? { headers: { authorization: `Bearer ${keys[who]}` } } : {}) });
  return { status: r.statusCode, body: r.body, host: r.json<Host>() };
};
const codes = (h: Host): string[] => h.verdict.evidence.map((e) => e.code);

beforeAll(async () => {
  t = await tempApp('address-profile');
  const { ctx } = t;
  const a = await createOrg(ctx.state, { name: 'ISP A', kind: 'isp' });
  const b = await createOrg(ctx.state, { name: 'ISP B', kind: 'isp' });
  await addPrefixes(ctx.state, a.id, ['192.0.2.0/25', '88.223.26.0/24']);
  await addPrefixes(ctx.state, b.id, ['198.51.100.0/24']);
  await createUser(ctx.state, { username: 'alice', password: TEST_PASSWORD, role: 'org-member', org: 'ISP A' });
  await createUser(ctx.state, { username: 'bob', password: TEST_PASSWORD, role: 'org-member', org: 'ISP B' });
  keys = { alice: (await createApiKey(ctx.state, 'alice', 'k', ['read'])).key, bob: (await createApiKey(ctx.state, 'bob', 'k', ['read'])).key };

  // Honeypots: the real Cowrie day, an infected device on our IoT sensor, a research scanner's contact.
  const infected: HoneypotEventRow[] = [
    { ts: '2026-11-20T10:00:00.000Z', honeypot: 'sakimori', sensor: 's1', session: 'm1', kind: 'session.connect', proto: 'telnet', src: '192.0.2.10', dst_port: 23 },
    { ts: '2026-11-20T10:00:01.000Z', honeypot: 'sakimori', sensor: 's1', session: 'm1', kind: 'login', proto: 'telnet', src: '192.0.2.10', username: 'root', password: 'admin', success: 0 },
    { ts: '2026-11-20T10:00:02.000Z', honeypot: 'sakimori', sensor: 's1', session: 'm1', kind: 'login', proto: 'telnet', src: '192.0.2.10', username: 'root', password: 'xc3511', success: 1 },
    { ts: '2026-11-20T10:00:03.000Z', honeypot: 'sakimori', sensor: 's1', session: 'm1', kind: 'command', proto: 'telnet', src: '192.0.2.10', input: 'enable' },
    { ts: '2026-11-20T10:00:04.000Z', honeypot: 'sakimori', sensor: 's1', session: 'm1', kind: 'command', proto: 'telnet', src: '192.0.2.10', input: '/bin/busybox ECCHI' },
    { ts: '2026-11-20T10:00:05.000Z', honeypot: 'sakimori', sensor: 's1', session: 'm1', kind: 'download', proto: 'telnet', src: '192.0.2.10', url: URL, url_host: '203.0.113.50', sha256: SHA },
    { ts: '2026-11-20T10:00:06.000Z', honeypot: 'sakimori', sensor: 's1', session: 'm1', kind: 'session.close', proto: 'telnet', src: '192.0.2.10', duration: 6 },
    { ts: '2026-11-21T08:00:00.000Z', honeypot: 'sakimori', sensor: 's1', session: 'r1', kind: 'session.connect', proto: 'http', src: '198.51.100.77', dst_port: 80 },
  ];
  await writeHoneypotEvents(ctx.events, [...cowrieRows(sharedData('honeypot/cowrie.json.2018-05-06')), ...infected, ...hostile()], { enricher: ctx.enricher });
  // The survey: the infected device exposes telnet that accepted a default credential.
  await writeServices(ctx.events, ctx.enricher, [
    serviceRow({ ip: '192.0.2.10', port: 23, transport: 'tcp', service: 'telnet', source: 'survey', weak_credential: 1, credential_list: 'mirai', credential_id: 'root-xc3511' }, '2026-11-01T00:00:00Z'),
    serviceRow({ ip: '192.0.2.10', port: 80, transport: 'tcp', service: 'http', source: 'survey', http_status: 200, http_title: 'Router' }, '2026-11-01T00:00:00Z'),
  ], { dedupToken: 'profile-services' });
  // The darknet: real captures, tagged with the built-in fingerprints and the research one.
  const results = await ingestDarknetFiles(
    { events: ctx.events, state: ctx.state, enricher: ctx.enricher, fingerprinter, classify: ctx.config.darknet },
    ['tcp-control-single_syn.pcap', 'tcp-control-single_syn_ack.pcap', 'tcp-control-single_rst.pcap', 'tcp-control-one_way_all_flags.pcap', 'nmap-nmap_80_w_service_detection.pcap'].map((f) => sharedData(`pcap/${f}`)),
    { sensor: ctx.config.sensor, batchSize: 1000 },
  );
  expect(results.map((r) => r.status)).toEqual(results.map(() => 'ingested'));
  // A warning list of research scanners.
  await importWarningList(ctx.state, 'Censys scanners', '198.51.100.77\n');
  // Flows: 203.0.113.9:443 serves three internal clients on two days.
  const fb = new FlowBatch(8);
  for (const [day, client] of [[1, 1], [1, 2], [2, 3]] as const) {
    const i = fb.begin();
    fb.kind[i] = FLOW_KIND.ipfix;
    fb.family[i] = 4;
    FlowBatch.setV4(fb.src16, i, 0x0a000000 + client);
    FlowBatch.setV4(fb.dst16, i, 0xcb007109);
    FlowBatch.setV4(fb.exporter16, i, 0xc0000201);
    fb.sport[i] = 50000 + client;
    fb.dport[i] = 443;
    fb.proto[i] = 6;
    fb.startMs[i] = Date.UTC(2026, 10, day, 12);
    fb.endMs[i] = (fb.startMs[i] as number) + 1000;
    fb.octets[i] = 300;
    fb.packets[i] = 3;
    fb.sampling[i] = 1;
    fb.commit();
  }
  await writeFlows(ctx.events, fb, { token: 'profile-flows', internal: new CidrSet(['10.0.0.0/8']) });
  // Shared indicators: a C&C candidate naming the flow server, a scanner indicator naming the Cowrie attacker.
  const admin = await getUser(ctx.state, 'test-admin');
  const col = await createCollection(ctx.state, { title: 'feed', read: [a.id, b.id] }, admin.id);
  const ind = (n: number, ip: string, labels: string[]): Record<string, unknown> => ({
    type: 'indicator', spec_version: '2.1', id: `indicator--0b2c4d6e-8f0a-4b2c-8d4e-${n.toString(16).padStart(12, '0')}`, created: T, modified: T,
    pattern: `[ipv4-addr:value = '${ip}']`, pattern_type: 'stix', valid_from: T, labels, object_marking_refs: [TLP2_IDS.green],
  });
  const put = await putObjects(ctx.state, col.id, [ind(1, '203.0.113.9', ['c2', 'flow-detection']), ind(2, '88.223.26.58', ['scanner'])], { userId: admin.id, orgId: null });
  expect(put.failures).toEqual([]);
}, 180_000);
afterAll(async () => { await t?.dispose(); });

describe('one profile per address', () => {
  it('finds a host only honeypots saw (the real Cowrie day): sessions, logins, commands, credentials, and a malicious verdict', async () => {
    const { status, host: h } = await get('88.223.26.58');
    expect(status).toBe(200);
    expect([h.seenInDarknet, h.exposure]).toEqual([false, null]);
    expect(h.honeypot).toMatchObject({
      firstSeen: '2018-05-06T17:44:05.866Z', sessions: 5, logins: { attempts: 2, success: 2, failed: 0 },
      credentials: [{ username: 'root', password: 'password', attempts: 2 }], honeypots: ['cowrie'], protos: ['ssh'], clients: ['SSH-2.0-OpenSSH_7.7'],
    });
    expect([...(h.honeypot?.commands ?? [])].sort()).toEqual(['find /', 'ls', 'ls /', 'uname -a']);
    const hp = h.timeline.filter((e) => e.source === 'honeypot');
    expect(hp.filter((e) => e.kind === 'session')).toHaveLength(5);
    expect(hp.filter((e) => e.kind === 'login').map((e) => [e.at, e.detail['username'], e.detail['password']])).toEqual([
      ['2018-05-06T17:44:51.165Z', 'root', 'password'], ['2018-05-06T17:46:02.803Z', 'root', 'password'],
    ]);
    expect(hp.find((e) => e.detail['session'] === 'ef410359268d' && e.kind === 'session')?.detail).toMatchObject({ commands: 3, firstCommands: 'ls ; find / ; ls /', logins: 1, loginsOk: 1 });
    expect(h.timeline.map((e) => e.at)).toEqual([...h.timeline.map((e) => e.at)].sort());
    expect(h.verdict.verdict).toBe('malicious');
    expect(codes(h)).toEqual(expect.arrayContaining(['honeypot-login-success', 'honeypot-commands', 'shared-indicator-scanner']));
    expect(h.verdict.score).toBe(h.verdict.evidence.reduce((s, e) => s + e.weight, 0));
  });

  it('a failed login alone leans malicious but stays unknown; a bare connection weighs little', async () => {
    const failed = (await get('137.74.171.123')).host;
    expect(failed.honeypot?.logins).toEqual({ attempts: 1, success: 0, failed: 1 });
    expect(failed.honeypot?.credentials).toEqual([{ username: 'miner', password: 'miner', attempts: 1 }]);
    expect([failed.verdict.verdict, codes(failed)]).toEqual(['unknown', ['honeypot-login-attempts']]);
    const bare = (await get('105.184.22.235')).host;
    expect([bare.verdict.verdict, bare.verdict.score, codes(bare)]).toEqual(['unknown', 0.5, ['honeypot-contact']]);
  });

  it('an infected device: exposes telnet with a default credential and attacks our sensor; its timeline joins survey and honeypot', async () => {
    const { host: h } = await get('192.0.2.10');
    expect(h.verdict.verdict).toBe('malicious');
    expect(codes(h)).toEqual(expect.arrayContaining(['infected-device', 'honeypot-login-success', 'honeypot-commands', 'honeypot-download']));
    expect(codes(h)).not.toContain('exposed-default-credential');
    expect(h.honeypot).toMatchObject({ urls: [URL], hashes: [SHA], honeypots: ['sakimori'], protos: ['telnet'], logins: { attempts: 2, success: 1, failed: 1 } });
    expect(h.timeline.map((e) => `${e.source}:${e.kind}`)).toEqual([
      'survey:exposure', 'survey:exposure', 'survey:default-credential', 'honeypot:session', 'honeypot:login', 'honeypot:download',
    ]);
    expect(h.timeline.find((e) => e.kind === 'default-credential')?.detail).toMatchObject({ port: 23, service: 'telnet', list: 'mirai', entry: 'root-xc3511' });
    expect(h.timeline.find((e) => e.kind === 'login')?.detail).toMatchObject({ username: 'root', password: 'xc3511' });
    expect(h.timeline.find((e) => e.kind === 'download')?.detail).toMatchObject({ url: URL, sha256: SHA });
  });

  it('darknet alone: days of scanning and backscatter episodes; weak evidence, unknown', async () => {
    const { host: h } = await get('10.0.0.10');
    const dark = h.timeline.filter((e) => e.source === 'darknet');
    expect(dark.filter((e) => e.kind === 'backscatter').map((e) => [e.at, e.detail['packets']])).toEqual(
      h.dosEpisodes.map((e) => [e.start, e.packets]));
    const sent = dark.filter((e) => e.kind !== 'backscatter');
    expect(sent.reduce((s, e) => s + Number(e.detail['packets']), 0)).toBe((h.classPackets['scan'] ?? 0) + (h.classPackets['other'] ?? 0));
    expect(sent.every((e) => String(e.detail['ports']).startsWith('tcp/80 '))).toBe(true);
    expect(h.verdict.verdict).toBe('unknown');
    expect(codes(h)).toEqual(expect.arrayContaining(['dos-victim']));
    expect(h.verdict.score).toBeLessThan(3);
  });

  it('a research scanner by its fingerprint tag: benign, the actor named', async () => {
    const p = await addressProfile({ ...t.ctx, fingerprinter }, '10.87.1.10', UNRESTRICTED, peerPrincipal(), 'rest');
    expect(p?.tags.map((x) => x.tag)).toContain('censys');
    expect([p?.verdict.verdict, p?.verdict.actor]).toEqual(['benign', 'Censys']);
    expect(p?.verdict.evidence.map((e) => e.code)).toEqual(expect.arrayContaining(['research-scanner-tag', 'darknet-scan']));
    // nmap's connection and version probes outnumber its SYNs: the day reads as "other" traffic.
    const days = p?.timeline.filter((e) => e.source === 'darknet' && e.kind !== 'backscatter') ?? [];
    expect(days.map((e) => [e.kind, e.detail['packets']])).toEqual([[
      (p?.classPackets['scan'] ?? 0) >= (p?.classPackets['other'] ?? 0) ? 'scan' : 'other', (p?.classPackets['scan'] ?? 0) + (p?.classPackets['other'] ?? 0),
    ]]);
  });

  it('a research scanner by the hub\'s warning list: benign, the list named', async () => {
    const { host: h } = await get('198.51.100.77');
    expect([h.verdict.verdict, h.verdict.actor]).toEqual(['benign', 'Censys scanners']);
    expect(codes(h)).toEqual(['research-scanner-list', 'honeypot-contact']);
  });

  it('a server in our flows named as a C&C candidate by a shared indicator: found through flows, malicious', async () => {
    const { status, host: h } = await get('203.0.113.9');
    expect(status).toBe(200);
    expect(h.timeline.filter((e) => e.source === 'flows').map((e) => [e.detail['day'], e.detail['flows'], e.detail['ports']])).toEqual([
      ['2026-11-01', 2, 'tcp/443 2'], ['2026-11-02', 1, 'tcp/443 1'],
    ]);
    expect(h.timeline.filter((e) => e.source === 'indicator').map((e) => [e.kind, e.at])).toEqual([['cnc-candidate', T]]);
    expect(h.verdict.verdict).toBe('malicious');
    expect(codes(h)).toEqual(['cnc-candidate', 'flow-server']);
  });

  it('need-to-know: another organisation\'s member gets NOT_FOUND even where honeypot events exist, and a page leaks nothing else', async () => {
    for (const ip of ['88.223.26.58', '192.0.2.10']) {
      const r = await get(ip, 'bob');
      expect(r.status, ip).toBe(404);
      expect(r.body).not.toMatch(/cowrie|sakimori|honeypot|xc3511|timeline/);
    }
    for (const ip of ['198.51.100.77', '137.74.171.123', '203.0.113.9']) expect((await get(ip, 'alice')).status, ip).toBe(404);
    const own = await get('192.0.2.10', 'alice');
    expect(own.status).toBe(200);
    expect(own.host.verdict.verdict).toBe('malicious');
    for (const other of ['88.223.26.58', '198.51.100.77', '10.0.0.10', '203.0.113.9', 'miner']) expect(own.body).not.toContain(other);
    expect((await get('198.51.100.77', 'bob')).host.verdict.actor).toBe('Censys scanners');
  });

  it('reads by the exact address only: every events query names it, on tables ordered (or indexed) by it', async () => {
    const sql: string[] = [];
    const events: EventsStore = Object.create(t.ctx.events) as EventsStore;
    events.query = <R>(q: string, params?: Parameters<EventsStore['query']>[1]): Promise<R[]> => {
      sql.push(q);
      return t.ctx.events.query<R>(q, params);
    };
    const p = await addressProfile({ ...t.ctx, events }, '192.0.2.10', UNRESTRICTED, peerPrincipal(), 'rest');
    expect(p?.verdict.verdict).toBe('malicious');
    const tables = (q: string): string[] => [...q.matchAll(/FROM\s+(\w+)/g)].map((m) => m[1] as string).filter((x) => !/^\(/.test(x));
    for (const q of sql) {
      for (const table of tables(q)) {
        if (['honeypot_events', 'darknet_packets', 'darknet_source_day', 'darknet_source_hour', 'flow_server_hour', 'services', 'services_current'].includes(table)) {
          expect(q, table).toMatch(/(src|server|ip) = (\{ip:IPv6\}|toIPv6)/);
        }
      }
    }
    expect(sql.filter((q) => q.includes('honeypot_events'))).toHaveLength(4);
    expect(sql.some((q) => q.includes('flows_raw'))).toBe(false);
  });

  it('hostile and broken honeypot input: answered, bounded, sorted, nothing lost from the counts', async () => {
    const { status, host: h } = await get('192.0.2.66', 'alice');
    expect(status).toBe(200);
    const rows = hostile();
    expect(h.honeypot?.logins.attempts).toBe(rows.filter((r) => r.kind === 'login').length);
    expect(h.honeypot?.logins.success).toBe(rows.filter((r) => r.kind === 'login' && r.success === 1).length);
    expect(Math.max(...(h.honeypot?.commands ?? []).map((c) => c.length))).toBeLessThanOrEqual(TEXT_LIMIT + 1);
    expect(h.honeypot?.commands).toContain(`${'x'.repeat(TEXT_LIMIT)}…`);
    expect(h.timeline.map((e) => e.at)).toEqual([...h.timeline.map((e) => e.at)].sort());
    expect(h.timeline.at(-1)?.at.startsWith('2099-01-01')).toBe(true);
    expect(h.timeline.find((e) => e.kind === 'login' && e.at.startsWith('2099'))?.detail['username']).toBe("a'\"\\\u0000\n");
    expect(h.timeline.length).toBeLessThanOrEqual(500);
  });

  it('an address nothing saw is NOT_FOUND, whoever asks', async () => {
    expect((await get('192.0.2.99')).status).toBe(404);
    expect((await get('192.0.2.99', 'alice')).status).toBe(404);
  });
});
