/**
 * What a member submits as a victim report: a JSON form (the console's) or a STIX incident with
 * the incident-core extension, in a bundle with the objects it relates. Both become one
 * `VictimReportInput`, split as the 2023 Japanese guidance on sharing damage information splits
 * it: the attack-technical part (C2 addresses, malware, techniques, attack-technical STIX
 * objects) and the victim-identifying part (the victim's addresses, name, affected systems, and
 * the sector, size and region it is generalised to).
 */
import { z } from 'zod';
import { SakimoriError } from '../../errors.js';
import { splitCidr } from '../../net/cidr.js';

export const ATTACK_KINDS = ['ddos', 'ransomware', 'botnet', 'intrusion', 'phishing', 'malware', 'data-theft', 'defacement', 'scanning', 'other'] as const;
export type AttackKind = (typeof ATTACK_KINDS)[number];
/** Employee bands (the EU SME bands, then large). */
export const SIZE_BANDS = ['1-49', '50-249', '250-999', '1000+', 'unknown'] as const;
export type SizeBand = (typeof SIZE_BANDS)[number];

/** OASIS cti-stix-common-objects: the incident-core extension-definition. */
export const INCIDENT_CORE_EXTENSION = 'extension-definition--ef765651-680c-498d-9894-99799f2fa126';
/** STIX types a report's attack-technical part may carry (no identity, location, sighting or SCO: those can name a victim). */
export const TECHNICAL_TYPES = ['indicator', 'malware', 'infrastructure'] as const;

const HOST = /^(?=.{1,253}$)([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/i;
const STIX_ID = /^([a-z0-9-]+)--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const addressList = (what: string, hostsToo: boolean) => z.array(z.string().trim().max(300).refine(
  (s) => splitCidr(s) !== undefined || (hostsToo && HOST.test(s)), { message: hostsToo ? `${what}: an IP address, CIDR or domain name` : `${what}: an IP address or CIDR` },
)).max(10_000).default([]);

export const victimReportInput = z.object({
  title: z.string().trim().min(1).max(300),
  description: z.string().max(20_000).default(''),
  attackKind: z.enum(ATTACK_KINDS),
  occurredAt: z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString()),
  technical: z.object({
    c2: addressList('C2', true),
    malware: z.array(z.string().trim().min(1).max(200)).max(200).default([]),
    techniques: z.array(z.string().trim().regex(/^T\d{4}(\.\d{3})?$/, 'a MITRE ATT&CK technique id such as T1110 or T1110.001')).max(500).default([]),
    stix: z.array(z.looseObject({
      type: z.enum(TECHNICAL_TYPES, { message: `attack-technical objects only: ${TECHNICAL_TYPES.join(', ')} (identities, locations and addresses of the victim go in "victim")` }),
      id: z.string().regex(STIX_ID, 'a STIX id: type--UUID'),
    })).max(1000).default([]),
  }).prefault({}),
  victim: z.object({
    name: z.string().trim().min(1).max(300),
    addresses: addressList('victim address', false),
    sector: z.string().trim().toLowerCase().min(1).max(100),
    employees: z.number().int().min(0).max(10_000_000).optional(),
    sizeBand: z.enum(SIZE_BANDS).optional(),
    region: z.string().trim().min(1).max(100),
    affectedSystems: z.array(z.string().trim().min(1).max(300)).max(1000).default([]),
  }),
});

export type VictimReportInput = z.output<typeof victimReportInput>;

export function sizeBandOf(v: VictimReportInput['victim']): SizeBand {
  if (v.sizeBand) return v.sizeBand;
  const n = v.employees;
  return n === undefined ? 'unknown' : n < 50 ? '1-49' : n < 250 ? '50-249' : n < 1000 ? '250-999' : '1000+';
}

type Obj = { readonly [k: string]: unknown };
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A STIX submission: a bundle, a list of objects or one incident object. */
export function isStixSubmission(body: unknown): boolean {
  return (isObj(body) && (body['type'] === 'bundle' || body['type'] === 'incident')) || (Array.isArray(body) && body.some((o) => isObj(o) && o['type'] === 'incident'));
}

/**
 * A STIX incident (with the incident-core extension) and its bundle → the form's fields: the
 * incident's name and description, `incident_types[0]` as the attack kind, the bundle's
 * attack-technical objects as they are; the victim from its identity (organization: name,
 * `sectors[0]`, `x_sakimori_employees`), a location (`region`, else `country`) and the address
 * SCOs (ipv4-addr, ipv6-addr), which are the victim's.
 */
export function inputFromStix(body: unknown): unknown {
  const objects: unknown[] = isObj(body) && body['type'] === 'bundle' ? (Array.isArray(body['objects']) ? body['objects'] : []) : Array.isArray(body) ? body : [body];
  const incidents = objects.filter((o): o is Obj => isObj(o) && o['type'] === 'incident');
  if (incidents.length !== 1) throw new SakimoriError('BAD_REQUEST', `a STIX victim report holds exactly one incident, not ${incidents.length}`, { field: 'objects' });
  const inc = incidents[0] as Obj;
  const ext = isObj(inc['extensions']) ? inc['extensions'][INCIDENT_CORE_EXTENSION] : undefined;
  if (!isObj(ext) || ext['extension_type'] !== 'property-extension') {
    throw new SakimoriError('BAD_REQUEST', `the incident needs the incident-core extension (${INCIDENT_CORE_EXTENSION}) as a property-extension`, { field: 'extensions' });
  }
  const types = Array.isArray(ext['incident_types']) ? ext['incident_types'] : [];
  const kind = (ATTACK_KINDS as readonly unknown[]).find((k) => types.includes(k)) ?? 'other';
  const identity = objects.find((o): o is Obj => isObj(o) && o['type'] === 'identity' && o['identity_class'] === 'organization');
  if (!identity) throw new SakimoriError('BAD_REQUEST', 'the bundle names no victim: an identity with identity_class "organization"', { field: 'objects' });
  const location = objects.find((o): o is Obj => isObj(o) && o['type'] === 'location');
  const sectors = Array.isArray(identity['sectors']) ? identity['sectors'] : [];
  return {
    title: inc['name'],
    description: typeof inc['description'] === 'string' ? inc['description'] : '',
    attackKind: kind,
    occurredAt: inc['created'],
    technical: { stix: objects.filter((o) => isObj(o) && (TECHNICAL_TYPES as readonly unknown[]).includes(o['type'])) },
    victim: {
      name: identity['name'],
      sector: typeof sectors[0] === 'string' ? sectors[0] : 'unknown',
      ...(typeof identity['x_sakimori_employees'] === 'number' ? { employees: identity['x_sakimori_employees'] } : {}),
      region: (location && (location['region'] ?? location['country'])) ?? 'unknown',
      addresses: objects.filter((o): o is Obj => isObj(o) && (o['type'] === 'ipv4-addr' || o['type'] === 'ipv6-addr')).map((o) => o['value']),
    },
  };
}

/** Either form → the checked input; the first problem names its field. */
export function parseVictimReport(body: unknown): VictimReportInput {
  const p = victimReportInput.safeParse(isStixSubmission(body) ? inputFromStix(body) : body);
  if (p.success) return p.data;
  const i = p.error.issues[0];
  const field = i ? i.path.join('.') : '';
  throw new SakimoriError('BAD_REQUEST', i ? `${field || 'report'}: ${i.message}` : 'invalid victim report', field ? { field } : {});
}
