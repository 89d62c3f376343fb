/**
 * A MISP event (the `{"Event": {...}}` JSON of the MISP core format, draft-dulaunoy-misp-core-format)
 * → STIX 2.1 objects: an indicator per attribute marked `to_ids`, an observed-data (with its
 * SCOs) per other attribute, attributes of MISP objects alike, a report grouping them, the
 * creating organisation as an identity, and TLP markings from `tlp:` tags and distribution levels
 * (the stricter wins: distribution.ts). Whatever cannot be converted — an unknown attribute type,
 * a bad value — is reported with its path and the rest is converted.
 */
import type { JsonValue, StixObject } from '../stix/types.js';
import { parseTlp, TLP2_IDS, type Tlp } from '../stix/tlp.js';
import { distributionOf, stricterTlp, tlpOfDistribution, type MispDistribution } from './distribution.js';
import { observableOf, type Sco } from './attribute-types.js';
import { parseJsonText } from './json-text.js';
import { uuidV5 } from './sco-ids.js';

export interface MispIssue { readonly path: string; readonly message: string }

export interface MispImport {
  readonly objects: StixObject[];
  readonly issues: MispIssue[];
  /** Attributes converted (indicators + observed-data). */
  readonly converted: number;
  readonly event: {
    readonly uuid: string;
    readonly info: string;
    readonly distribution: Exclude<MispDistribution, 5>;
    /** The event's effective TLP (its tags and its distribution, the stricter), null: neither given. */
    readonly tlp: Tlp | null;
    /** Distribution 4: the group's name and its organisations (names), for the importer to name recipients. */
    readonly sharingGroup?: { readonly name: string; readonly organisations: readonly string[] };
  };
}

export interface MispImportOptions {
  /** created_by_ref when the event names no creating organisation (the hub's identity). */
  readonly createdByRef?: string;
  /** The time used where the event carries none (tests pin it). */
  readonly now?: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Namespace of ids derived for MISP elements without a usable uuid (so a re-import yields the same ids). */
const DERIVED_NS = Buffer.from('6d2f6e0c1b8e4f4a9f3c5e1a7b2d9c40', 'hex');

type Obj = { readonly [k: string]: unknown };
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/** MISP times: unix seconds (number or digit string) or ISO text. */
function timeOf(v: unknown): string | undefined {
  const s = str(v);
  if (s === undefined || s === '') return undefined;
  const d = /^\d{1,12}$/.test(s) ? new Date(Number(s) * 1000) : /^\d{4}-\d\d-\d\d/.test(s) ? new Date(s) : undefined;
  return d && !Number.isNaN(d.getTime()) && d.getUTCFullYear() >= 1970 && d.getUTCFullYear() < 10000 ? d.toISOString() : undefined;
}

function tlpOfTags(tags: unknown, path: string, issues: MispIssue[]): { tlp: Tlp | null; labels: string[] } {
  if (tags === undefined) return { tlp: null, labels: [] };
  if (!Array.isArray(tags)) {
    issues.push({ path, message: 'Tag must be a list' });
    return { tlp: null, labels: [] };
  }
  let tlp: Tlp | null = null;
  const labels: string[] = [];
  tags.forEach((t, i) => {
    const name = isObj(t) ? str(t['name']) : undefined;
    if (!name) {
      issues.push({ path: `${path}[${i}]`, message: 'a tag needs a name' });
      return;
    }
    if (/^tlp:/i.test(name.trim())) {
      const level = parseTlp(name);
      if (level) tlp = stricterTlp(tlp, level);
      else issues.push({ path: `${path}[${i}].name`, message: `unknown TLP tag ${JSON.stringify(name.slice(0, 40))}` });
    } else labels.push(name);
  });
  return { tlp, labels };
}

export function mispToStix(input: unknown, opts: MispImportOptions = {}): MispImport {
  const issues: MispIssue[] = [];
  const empty = (uuid = '', info = ''): MispImport => ({ objects: [], issues, converted: 0, event: { uuid, info, distribution: 0, tlp: null } });
  let json = input;
  if (typeof input === 'string') {
    const p = parseJsonText(input);
    if (!p.ok) {
      issues.push({ path: `line ${p.line}, column ${p.column}`, message: `not JSON: ${p.message}` });
      return empty();
    }
    json = p.value;
  }
  const ev = isObj(json) && isObj(json['Event']) ? json['Event'] : undefined;
  if (!ev) {
    issues.push({ path: '', message: 'a MISP event is an object with an "Event" object' });
    return empty();
  }
  const now = (opts.now ?? new Date()).toISOString();
  const info = str(ev['info']) ?? '';
  if (!info) issues.push({ path: 'Event.info', message: 'missing: the event has no title' });
  const eventUuid = str(ev['uuid']) && UUID.test(str(ev['uuid']) as string) ? (str(ev['uuid']) as string).toLowerCase() : undefined;
  if (!eventUuid) issues.push({ path: 'Event.uuid', message: 'missing or not a UUID: ids are derived from the title and date' });
  const evId = eventUuid ?? uuidV5(DERIVED_NS, `${info}\n${str(ev['date']) ?? ''}`);
  const evTime = timeOf(ev['timestamp']) ?? timeOf(ev['date']) ?? now;

  let evDist = distributionOf(ev['distribution']);
  if (evDist === undefined || evDist === 5) {
    if (ev['distribution'] !== undefined) issues.push({ path: 'Event.distribution', message: `must be 0 to 4, not ${JSON.stringify(ev['distribution'])}: read as 0 (your organisation only)` });
    evDist = 0;
  }
  const eventDist: Exclude<MispDistribution, 5> = evDist;
  const evTags = tlpOfTags(ev['Tag'], 'Event.Tag', issues);
  const evTlp = stricterTlp(evTags.tlp, ev['distribution'] === undefined ? null : tlpOfDistribution(eventDist));

  let sharingGroup: MispImport['event']['sharingGroup'];
  if (eventDist === 4) {
    const sg = isObj(ev['SharingGroup']) ? ev['SharingGroup'] : undefined;
    const orgs = sg && Array.isArray(sg['SharingGroupOrg']) ? sg['SharingGroupOrg'] : [];
    sharingGroup = {
      name: (sg && str(sg['name'])) ?? str(ev['sharing_group_id']) ?? '',
      organisations: orgs.map((o) => (isObj(o) && isObj(o['Organisation']) ? str(o['Organisation']['name']) : undefined)).filter((n): n is string => !!n),
    };
    if (!sg) issues.push({ path: 'Event.SharingGroup', message: 'distribution 4 without its sharing group: only the collection\'s audience will receive it (TLP:RED)' });
  }

  const objects: StixObject[] = [];
  let createdBy = opts.createdByRef;
  const orgc = isObj(ev['Orgc']) ? ev['Orgc'] : undefined;
  if (orgc && str(orgc['uuid']) && UUID.test(str(orgc['uuid']) as string)) {
    createdBy = `identity--${(str(orgc['uuid']) as string).toLowerCase()}`;
    objects.push({ type: 'identity', spec_version: '2.1', id: createdBy, created: evTime, modified: evTime, name: str(orgc['name']) ?? 'MISP organisation', identity_class: 'organization' });
  }

  const scos = new Map<string, { sco: Sco; tlp: Tlp | null }>();
  const refs: string[] = [];
  let converted = 0;
  const marking = (t: Tlp | null): { object_marking_refs?: string[] } => (t ? { object_marking_refs: [TLP2_IDS[t]] } : {});
  const by = (): { created_by_ref?: string } => (createdBy ? { created_by_ref: createdBy } : {});

  const attribute = (a: unknown, path: string, inherited: { dist: Exclude<MispDistribution, 5>; tlp: Tlp | null }): void => {
    if (!isObj(a)) {
      issues.push({ path, message: 'an attribute must be an object' });
      return;
    }
    if (a['deleted'] === true || a['deleted'] === '1') return;
    const type = str(a['type']);
    const value = str(a['value']);
    if (!type) return void issues.push({ path: `${path}.type`, message: 'missing' });
    if (value === undefined) return void issues.push({ path: `${path}.value`, message: 'missing' });
    const obs = observableOf(type, value);
    if (obs === undefined) return void issues.push({ path: `${path}.type`, message: `unknown attribute type ${JSON.stringify(type.slice(0, 60))}: not converted` });
    if (typeof obs === 'string') return void issues.push({ path: `${path}.value`, message: obs });
    const d = distributionOf(a['distribution']);
    if (a['distribution'] !== undefined && d === undefined) issues.push({ path: `${path}.distribution`, message: `must be 0 to 5, not ${JSON.stringify(a['distribution'])}: the event's is used` });
    const dist = d === undefined || d === 5 ? inherited.dist : d;
    const tags = tlpOfTags(a['Tag'], `${path}.Tag`, issues);
    // Stricter of everything that applies: the enclosing event or object, the attribute's own tags and distribution.
    const tlp = stricterTlp(stricterTlp(inherited.tlp, tags.tlp), d === undefined || d === 5 ? null : tlpOfDistribution(dist));
    const uuid = str(a['uuid']) && UUID.test(str(a['uuid']) as string) ? (str(a['uuid']) as string).toLowerCase() : uuidV5(DERIVED_NS, `${evId}\n${path}\n${type}\n${value}`);
    const t = timeOf(a['timestamp']) ?? evTime;
    const toIds = a['to_ids'] === true || a['to_ids'] === '1' || a['to_ids'] === 1;
    const comment = str(a['comment']);
    const labels = [...(str(a['category']) ? [str(a['category']) as string] : []), ...tags.labels];
    const common = { spec_version: '2.1', created: t, modified: t, ...by(), ...marking(tlp), ...(labels.length ? { labels } : {}) };
    if (toIds) {
      const id = `indicator--${uuid}`;
      objects.push({
        type: 'indicator', id, ...common, name: `${type}: ${value}`.slice(0, 250), ...(comment ? { description: comment } : {}),
        indicator_types: ['malicious-activity'], pattern: obs.pattern, pattern_type: 'stix', pattern_version: '2.1',
        valid_from: timeOf(a['first_seen']) ?? t, ...(timeOf(a['last_seen']) ? { valid_until: timeOf(a['last_seen']) as string } : {}),
      });
      refs.push(id);
    } else {
      const id = `observed-data--${uuid}`;
      const first = timeOf(a['first_seen']) ?? t;
      const last = timeOf(a['last_seen']) ?? first;
      objects.push({
        type: 'observed-data', id, ...common, first_observed: first, last_observed: last < first ? first : last, number_observed: 1,
        object_refs: obs.scos.map((s) => s.id),
      });
      refs.push(id);
      // SCOs travel with the observed-data that names them (an indicator's pattern needs none).
      for (const s of obs.scos) scos.set(s.id, { sco: s, tlp: stricterTlp(scos.get(s.id)?.tlp ?? null, tlp) });
    }
    converted++;
  };

  const eventCtx = { dist: eventDist, tlp: evTlp };
  const list = (v: unknown, path: string): readonly unknown[] => {
    if (v === undefined) return [];
    if (Array.isArray(v)) return v;
    issues.push({ path, message: 'must be a list' });
    return [];
  };
  list(ev['Attribute'], 'Event.Attribute').forEach((a, i) => attribute(a, `Event.Attribute[${i}]`, eventCtx));
  list(ev['Object'], 'Event.Object').forEach((o, i) => {
    const path = `Event.Object[${i}]`;
    if (!isObj(o)) return void issues.push({ path, message: 'an object must be an object' });
    if (o['deleted'] === true || o['deleted'] === '1') return;
    const d = distributionOf(o['distribution']);
    const ctx = d === undefined || d === 5 ? eventCtx : { dist: d, tlp: stricterTlp(evTlp, tlpOfDistribution(d)) };
    list(o['Attribute'], `${path}.Attribute`).forEach((a, j) => attribute(a, `${path}.Attribute[${j}]`, ctx));
  });

  for (const { sco, tlp } of scos.values()) objects.push({ ...sco, ...marking(tlp) } as StixObject);
  if (refs.length > 0) {
    const published = timeOf(ev['publish_timestamp']) ?? timeOf(ev['date']) ?? evTime;
    objects.push({
      type: 'report', spec_version: '2.1', id: `report--${evId}`, created: evTime, modified: evTime, ...by(), ...marking(evTlp),
      name: info || `MISP event ${evId}`, report_types: ['threat-report'], published, object_refs: refs,
      ...(evTags.labels.length ? { labels: evTags.labels } : {}),
      external_references: [{ source_name: 'misp', external_id: evId }] as JsonValue,
    });
  } else issues.push({ path: 'Event', message: 'no attribute could be converted: no report' });

  return { objects, issues, converted, event: { uuid: evId, info, distribution: eventDist, tlp: evTlp, ...(sharingGroup ? { sharingGroup } : {}) } };
}
