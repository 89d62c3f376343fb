/**
 * The STIX a victim report becomes, in two parts (report-input.ts says which is which):
 * - `technicalStix`: shareable at once, in any state: an indicator per C2 address or domain, the
 *   C2 infrastructure, malware, a note naming the ATT&CK techniques (the hub accepts no
 *   attack-pattern objects: docs/sharing.md), and the submitted attack-technical objects
 *   re-issued by the hub. `created_by_ref` is the hub's identity, never the reporter (who is
 *   often the victim), and nothing in it names the victim;
 * - `victimStix`: only for a released report: the incident (incident-core extension), the victim
 *   as an anonymised identity (sector, size band, region — never its name) and an observed-data
 *   of its addresses pseudonymised with Crypto-PAn under the hub's key.
 * Ids are derived from the report's id, so producing them again yields the same objects.
 */
import type { JsonValue, StixObject } from '../stix/types.js';
import { TLP2_IDS, type Tlp } from '../stix/tlp.js';
import { splitCidr } from '../../net/cidr.js';
import { scoId, uuidV5 } from '../stix/ids.js';
import type { CryptoPan } from './cryptopan.js';
import { INCIDENT_CORE_EXTENSION } from './report-input.js';
import type { ReportRow } from './reports.js';

const NS = 'b3c1f7a2-584e-4d3c-9a6e-0f1d2c3b4a59';
const idFor = (type: string, r: ReportRow, part: string): string => `${type}--${uuidV5(NS, `${r.id}\n${type}\n${part}`)}`;
const lit = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const t = (d: Date): string => new Date(d).toISOString();

export interface StixOptions { readonly hubIdentityId: string; readonly tlp?: Tlp }

export function technicalStix(r: ReportRow, o: StixOptions): StixObject[] {
  const created = t(r.submitted_at);
  const common = { spec_version: '2.1', created, modified: created, created_by_ref: o.hubIdentityId, object_marking_refs: [TLP2_IDS[o.tlp ?? 'green']] };
  const out: StixObject[] = [];
  const c2 = r.technical.c2 ?? [];
  for (const v of c2) {
    const cidr = splitCidr(v);
    const pattern = cidr ? `[${cidr.family === 4 ? 'ipv4-addr' : 'ipv6-addr'}:value = ${lit(v)}]` : `[domain-name:value = ${lit(v.toLowerCase())}]`;
    out.push({ type: 'indicator', id: idFor('indicator', r, `c2 ${v}`), ...common, name: `C2 ${v}`, indicator_types: ['malicious-activity'], pattern, pattern_type: 'stix', valid_from: t(r.occurred_at) });
  }
  if (c2.length) out.push({ type: 'infrastructure', id: idFor('infrastructure', r, 'c2'), ...common, name: `C2 of a ${r.attack_kind} incident`, infrastructure_types: ['command-and-control'] });
  for (const m of r.technical.malware ?? []) out.push({ type: 'malware', id: idFor('malware', r, `malware ${m}`), ...common, name: m, is_family: true });
  // The member's own attack-technical objects, re-issued by the hub without anything that points elsewhere.
  for (const s of r.technical.stix ?? []) {
    const kept = Object.fromEntries(Object.entries(s).filter(([k]) => !k.endsWith('_ref') && !k.endsWith('_refs') && k !== 'extensions' && k !== 'granular_markings')) as Record<string, JsonValue>;
    out.push({ ...kept, ...common, type: s.type, id: idFor(s.type, r, s.id) } as StixObject);
  }
  const techniques = r.technical.techniques ?? [];
  if (techniques.length && out.length) {
    out.push({
      type: 'note', id: idFor('note', r, 'techniques'), ...common, abstract: 'ATT&CK techniques', content: techniques.join(', '),
      object_refs: out.map((x) => x.id), external_references: techniques.map((t) => ({ source_name: 'mitre-attack', external_id: t })) as JsonValue,
    });
  }
  return out;
}

/** Pseudonymise an address or CIDR: the network address through Crypto-PAn, the prefix length kept. */
function pseudonym(pan: CryptoPan, v: string): string | undefined {
  const c = splitCidr(v);
  if (!c) return undefined;
  const a = pan.anonymize(c.ip);
  if (!a) return undefined;
  const max = c.family === 4 ? 32 : 128;
  return c.bits === max ? a : `${a}/${c.bits}`;
}

/** The released victim part; throws unless the report is released (callers check first). */
export function victimStix(r: ReportRow, pan: CryptoPan, o: StixOptions): StixObject[] {
  if (r.state !== 'released' || !r.released_at) throw new Error(`victim report ${r.id} is not released`);
  const released = t(r.released_at);
  const common = { spec_version: '2.1', created: released, modified: released, created_by_ref: o.hubIdentityId, object_marking_refs: [TLP2_IDS[o.tlp ?? 'green']] };
  const identity: StixObject = {
    type: 'identity', id: idFor('identity', r, 'victim'), ...common, identity_class: 'organization',
    name: `Anonymised victim (${r.sector}, ${r.size_band} employees, ${r.region})`, sectors: [r.sector],
    description: `Size band ${r.size_band}; region ${r.region}. The name is withheld by the hub.`,
  };
  const out: StixObject[] = [identity];
  const scos: StixObject[] = [];
  for (const v of r.victim.addresses ?? []) {
    const p = pseudonym(pan, v);
    if (!p) continue;
    const type = splitCidr(p)?.family === 6 ? 'ipv6-addr' : 'ipv4-addr';
    scos.push({ type, spec_version: '2.1', id: scoId(type, { value: p }), value: p, object_marking_refs: common.object_marking_refs });
  }
  if (scos.length) {
    const occurred = t(r.occurred_at);
    out.push({
      type: 'observed-data', id: idFor('observed-data', r, 'victim addresses'), ...common, first_observed: occurred, last_observed: occurred, number_observed: 1,
      object_refs: scos.map((s) => s.id), labels: ['victim-addresses', 'pseudonymised-cryptopan'],
    }, ...scos);
  }
  const technical = technicalStix(r, o).map((x) => x.id);
  out.unshift({
    type: 'incident', id: `incident--${r.id}`, ...common,
    name: `${r.attack_kind} incident, ${r.sector}, ${t(r.occurred_at).slice(0, 7)}`,
    extensions: {
      [INCIDENT_CORE_EXTENSION]: {
        extension_type: 'property-extension', determination: 'successful-attempt', investigation_status: 'closed', incident_types: [r.attack_kind],
        other_object_refs: [...out.map((x) => x.id), ...technical],
      },
    },
  });
  return out;
}
