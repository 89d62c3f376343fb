import { describe, expect, it } from 'vitest';
import { CidrSet } from '../../net/cidr-set.js';
import { validateObject } from '../../share/stix/validate.js';
import { evaluate, parsePattern } from '../../share/stix/pattern/index.js';
import { TLP2_IDS } from '../../share/stix/tlp.js';
import type { StixObject } from '../../share/stix/types.js';
import type { CncCandidate } from '../detect/candidate.js';
import { candidateObjects, type CandidateObjectOptions } from './candidate-objects.js';
import { candidatePattern } from './candidate-pattern.js';
import type { PublishedCandidate } from './published-state.js';
import { mentions, randomCandidates } from './testing/random-candidates.js';

const HUB: StixObject = {
  type: 'identity', spec_version: '2.1', id: 'identity--4b7f1b8e-52a4-4e8c-9d53-0d6c8f3a2b11',
  created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', name: 'Sakimori sharing hub', identity_class: 'organization',
};
const NOW = new Date('2026-11-22T00:00:00Z');
const opts = (o: Partial<CandidateObjectOptions> = {}): CandidateObjectOptions => ({ tlp: 'green', minScore: 0.5, hub: HUB, now: NOW, ...o });

const c2: CncCandidate = {
  server: '198.51.100.7', port: 443, proto: 6, score: 0.82, clients: 37,
  parts: { beacon: 0.45, 'size-regularity': 0.2, rarity: 0.17 },
  firstSeen: '2026-11-18T03:00:00.000Z', lastSeen: '2026-11-21T22:10:00.000Z',
  evidence: [{ client: '203.0.113.45', start: '2026-11-21T22:05:00.000Z', octets: 320, packets: 4, note: 'beacon interval 300 s ± 2 s' }],
};
// 198.51.100.0/24 is documentation space, refused as reserved: tests that publish use this one.
const pub = (o: Partial<CncCandidate> = {}): CncCandidate => ({ ...c2, server: '45.77.10.20', ...o });

/** Save what a run produced, as the publish would, for the next run. */
const stateOf = (next: readonly PublishedCandidate[]): Map<string, PublishedCandidate> => new Map(next.map((p) => [p.key, p]));

describe('C&C candidates as STIX', () => {
  it('makes an indicator, an infrastructure and an indicates relationship that validate, by the hub, with the TLP', () => {
    const r = candidateObjects([pub()], opts());
    expect(r.created).toBe(1);
    expect(r.objects.map((o) => o.type)).toEqual(['identity', 'indicator', 'infrastructure', 'relationship']);
    for (const o of r.objects) expect(validateObject(o), JSON.stringify(o)).toEqual([]);
    const [, ind, infra, rel] = r.objects as [StixObject, StixObject, StixObject, StixObject];
    expect(ind).toMatchObject({
      created_by_ref: HUB.id, pattern_type: 'stix', confidence: 82, valid_from: '2026-11-18T03:00:00.000Z',
      pattern: "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '45.77.10.20' AND network-traffic:dst_port = 443 AND network-traffic:protocols[*] = 'tcp']",
      x_sakimori_score_parts: { beacon: 0.45, rarity: 0.17, 'size-regularity': 0.2 }, x_sakimori_client_bucket: '10-99',
      object_marking_refs: [TLP2_IDS.green],
    });
    // C&C decay (τ 90 d, δ 2): valid for 90 × (1 − 30/82)² ≈ 36.1 days after the last sighting.
    const days = (Date.parse(String(ind['valid_until'])) - Date.parse(c2.lastSeen)) / 86_400_000;
    expect(days).toBeCloseTo(90 * (1 - 30 / 82) ** 2, 3);
    expect(infra).toMatchObject({ infrastructure_types: ['command-and-control'], first_seen: c2.firstSeen, last_seen: c2.lastSeen, object_marking_refs: [TLP2_IDS.green] });
    expect(rel).toMatchObject({ relationship_type: 'indicates', source_ref: ind.id, target_ref: infra.id });
  });

  it('writes a pattern that matches traffic to the service and not to another port or address', () => {
    const p = parsePattern(candidatePattern('45.77.10.20', 443, 6));
    if (!p.ok) throw new Error(p.error.message);
    const obs = (dst: string, port: number) => [{ time: 0, objects: [
      { type: 'ipv4-addr', id: 'ipv4-addr--00000000-0000-5000-8000-000000000001', value: '203.0.113.45' },
      { type: 'ipv4-addr', id: 'ipv4-addr--00000000-0000-5000-8000-000000000002', value: dst },
      { type: 'network-traffic', id: 'network-traffic--00000000-0000-5000-8000-000000000003', src_ref: 'ipv4-addr--00000000-0000-5000-8000-000000000001', dst_ref: 'ipv4-addr--00000000-0000-5000-8000-000000000002', src_port: 50000, dst_port: port, protocols: ['ipv4', 'tcp'] },
    ] }];
    const hit = (dst: string, port: number): boolean => { const e = evaluate(p.pattern, obs(dst, port)); return e.evaluable && e.matched; };
    expect(hit('45.77.10.20', 443)).toBe(true);
    expect(hit('45.77.10.20', 8443)).toBe(false);
    expect(hit('45.77.10.21', 443)).toBe(false);
    expect(candidatePattern('2a02:c7f::7', 53, 17)).toBe("[network-traffic:dst_ref.type = 'ipv6-addr' AND network-traffic:dst_ref.value = '2a02:c7f::7' AND network-traffic:dst_port = 53 AND network-traffic:protocols[*] = 'udp']");
    expect(candidatePattern('45.77.10.20', 0, 1)).toBe("[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '45.77.10.20' AND network-traffic:protocols[*] = 'icmp']");
  });

  it('keeps ids stable across runs: nothing new when nothing changed, a new version (same ids, later modified) when something did', () => {
    const first = candidateObjects([pub()], opts());
    const again = candidateObjects([pub()], opts({ previous: stateOf(first.next), now: new Date(NOW.getTime() + 3_600_000) }));
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    expect(again.objects.map((o) => o.type)).toEqual(['identity']);
    // Another run from scratch (lost state) names the same objects.
    expect(candidateObjects([pub()], opts()).objects.map((o) => o.id)).toEqual(first.objects.map((o) => o.id));
    const later = new Date(NOW.getTime() + 86_400_000);
    const moved = candidateObjects([pub({ lastSeen: '2026-11-22T20:00:00.000Z', score: 0.9 })], opts({ previous: stateOf(first.next), now: later }));
    expect(moved).toMatchObject({ created: 0, updated: 1 });
    const ids = (x: typeof first) => x.objects.slice(1).map((o) => o.id);
    expect(ids(moved)).toEqual(ids(first));
    const ind = moved.objects[1] as StixObject;
    expect(ind).toMatchObject({ created: NOW.toISOString(), modified: later.toISOString(), confidence: 90, valid_from: c2.firstSeen });
    for (const o of moved.objects) expect(validateObject(o)).toEqual([]);
    // Another collection: other ids.
    expect(candidateObjects([pub()], opts({ scope: 'collection-b' })).objects[1]?.id).not.toBe(first.objects[1]?.id);
    // Another port or protocol of the same server: another candidate.
    const three = candidateObjects([pub(), pub({ port: 8443 }), pub({ proto: 17 })], opts());
    expect(new Set(three.objects.filter((o) => o.type === 'indicator').map((o) => o.id)).size).toBe(3);
  });

  it('excludes reserved ranges, our sensors, warning lists, the carrier\'s customers and low scores, counting each', () => {
    const sets = { ownSensors: new CidrSet(['45.33.2.0/24']), warningLists: new CidrSet(['71.6.135.0/24']), dosMinPackets: 25 };
    const r = candidateObjects([
      c2, pub({ server: '10.1.2.3' }), pub({ server: '45.33.2.9' }), pub({ server: '71.6.135.131' }), pub({ server: '133.5.6.7' }),
      pub({ server: '45.77.10.21', score: 0.4 }), pub({ server: '45.77.10.22', score: 0.31, lastSeen: '2026-11-21T00:00:00.000Z' }),
      pub({ server: 'not an address' }), pub({ server: '45.77.10.23' }),
    ], opts({ exclusions: sets, internal: new CidrSet(['133.5.0.0/16']), minScore: 0.3 }));
    expect(r.excluded).toMatchObject({ reserved: 2, 'own-sensor': 1, 'warning-list': 1, internal: 1, invalid: 1, 'below-min-score': 0 });
    // 0.4 → confidence 40: valid 90 × (1 − 30/40)² = 5.6 days after 21 Nov: kept; 31: 0.08 days: expired by now.
    expect(r.excluded.expired).toBe(1);
    expect(r.created).toBe(2);
    expect(candidateObjects([pub({ score: 0.2 })], opts({ minScore: 0 })).excluded['below-threshold']).toBe(1);
    expect(candidateObjects([pub({ score: 0.4 })], opts()).excluded['below-min-score']).toBe(1);
  });

  it('revokes what it published when the server is put on a warning list later', () => {
    const first = candidateObjects([pub()], opts());
    const sets = { ownSensors: new CidrSet([]), warningLists: new CidrSet(['45.77.10.0/24']), dosMinPackets: 25 };
    const r = candidateObjects([], opts({ previous: stateOf(first.next), exclusions: sets, now: new Date(NOW.getTime() + 1000) }));
    expect(r.revoked).toBe(1);
    expect(r.objects.slice(1).map((o) => [o.type, o['revoked']])).toEqual([['indicator', true], ['infrastructure', true], ['relationship', true]]);
    for (const o of r.objects) expect(validateObject(o)).toEqual([]);
    expect(r.objects.slice(1).map((o) => o.id)).toEqual(first.objects.slice(1).map((o) => o.id));
    // Final: a later run does not un-revoke it.
    const after = candidateObjects([pub()], opts({ previous: stateOf(r.next), now: new Date(NOW.getTime() + 2000) }));
    expect(after).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
  });

  it('never names a client: no evidence address appears in any object, over 300 random candidates (seed 17)', () => {
    const { candidates, clients } = randomCandidates(17, 300);
    const r = candidateObjects(candidates, opts({ minScore: 0 }));
    expect(r.created).toBeGreaterThan(150);
    const text = JSON.stringify(r.objects);
    const leaked = clients.filter((a) => mentions(text, a));
    expect(leaked).toEqual([]);
    for (const o of r.objects) {
      expect(validateObject(o)).toEqual([]);
      expect(Object.keys(o).filter((k) => /client|evidence/.test(k) && k !== 'x_sakimori_client_bucket')).toEqual([]);
    }
    // A part named after something other than a feature is dropped, whatever it says.
    const odd = candidateObjects([pub({ parts: { beacon: 0.5, 'client 203.0.113.45': 0.1, 'Rarity ': 0.1 } })], opts());
    expect(odd.objects[1]?.['x_sakimori_score_parts']).toEqual({ beacon: 0.5 });
    expect(JSON.stringify(odd.objects)).not.toContain('203.0.113.45');
    // The check itself finds an address where there is one.
    expect(mentions(`${text} ${clients[0]}.`, clients[0] ?? '')).toBe(true);
  });
});
