/**
 * STIX 2.1 objects → one MISP event (`{"Event": {...}}`, MISP core format) for export: an
 * attribute per indicator (its pattern read back into a MISP type when it is a simple one, else
 * a `stix2-pattern` attribute) and per SCO of each observed-data, the report's name, date and
 * labels, the TLP as a `tlp:` tag and the distribution that TLP allows (distribution.ts).
 */
import type { StixObject } from '../stix/types.js';
import { tlpOfMarkings, type Tlp } from '../stix/tlp.js';
import { DEFAULT_TLP } from '../policy/decide.js';
import { attributeOfPattern, attributeOfSco, categoryOf } from './attribute-types.js';
import { distributionOfTlp, stricterTlp } from './distribution.js';
import type { MispIssue } from './misp-to-stix.js';
import { uuidV5 } from './sco-ids.js';

export interface MispAttribute {
  uuid: string; type: string; category: string; value: string; to_ids: boolean; comment: string;
  distribution: string; timestamp: string; first_seen?: string; last_seen?: string; Tag?: { name: string }[];
}

export interface MispEvent {
  Event: {
    uuid: string; info: string; date: string; timestamp: string; published: boolean; analysis: string; threat_level_id: string;
    distribution: string; Orgc?: { name: string }; Tag: { name: string }[]; Attribute: MispAttribute[];
  };
}

export interface MispExportOptions {
  /** The event's title when no report names one. */
  readonly info?: string;
  /** The creating organisation's name (Orgc). */
  readonly orgName?: string;
  readonly now?: Date;
}

const EXPORT_NS = Buffer.from('1c7a4f0e6b3d4e2a8f5b9c0d2e4f6a81', 'hex');
const uuidOf = (id: string): string => id.slice(id.indexOf('--') + 2);
const seconds = (iso: unknown, fallback: Date): string => {
  const t = typeof iso === 'string' ? Date.parse(iso) : Number.NaN;
  return String(Math.floor((Number.isNaN(t) ? fallback.getTime() : t) / 1000));
};
const tagOf = (t: Tlp): { name: string } => ({ name: `tlp:${t}` });

export function stixToMisp(objects: readonly StixObject[], opts: MispExportOptions = {}): { event: MispEvent; issues: MispIssue[] } {
  const now = opts.now ?? new Date();
  const issues: MispIssue[] = [];
  const byId = new Map(objects.map((o) => [o.id, o]));
  const report = objects.find((o) => o.type === 'report');
  const exported = objects.filter((o) => o.type === 'indicator' || o.type === 'observed-data');
  const tlpOf = (o: StixObject): Tlp => tlpOfMarkings(o.object_marking_refs) ?? DEFAULT_TLP;
  // The event is as strict as its strictest attribute: an export never widens what any part allowed.
  const eventTlp = exported.reduce<Tlp | null>((t, o) => stricterTlp(t, tlpOf(o)), report ? tlpOf(report) : null) ?? DEFAULT_TLP;

  const attributes: MispAttribute[] = [];
  const push = (o: StixObject, type: string, value: string, toIds: boolean, uuid: string, extra: Partial<MispAttribute>): void => {
    const own = tlpOf(o);
    attributes.push({
      uuid, type, category: type === 'stix2-pattern' ? 'External analysis' : categoryOf(type), value, to_ids: toIds,
      comment: typeof o['description'] === 'string' ? o['description'] : '',
      // An attribute as strict as the event inherits (5); a stricter one carries its own level and tag.
      distribution: own === eventTlp ? '5' : String(distributionOfTlp(own)), timestamp: seconds(o.modified, now),
      ...(own === eventTlp ? {} : { Tag: [tagOf(own)] }), ...extra,
    });
  };

  objects.forEach((o, i) => {
    if (o.type === 'indicator') {
      const pattern = typeof o['pattern'] === 'string' ? o['pattern'] : undefined;
      if (!pattern) return void issues.push({ path: `objects[${i}].pattern`, message: 'an indicator without a pattern is not exported' });
      const a = o['pattern_type'] === undefined || o['pattern_type'] === 'stix' ? attributeOfPattern(pattern) : undefined;
      const seen = typeof o['valid_from'] === 'string' ? { first_seen: o['valid_from'] } : {};
      push(o, a?.type ?? 'stix2-pattern', a?.value ?? pattern, true, uuidOf(o.id), seen);
    } else if (o.type === 'observed-data') {
      const refs = Array.isArray(o['object_refs']) ? (o['object_refs'] as readonly unknown[]) : [];
      const first = typeof o['first_observed'] === 'string' ? o['first_observed'] : undefined;
      const last = typeof o['last_observed'] === 'string' ? o['last_observed'] : undefined;
      let any = false;
      for (const ref of refs) {
        const sco = typeof ref === 'string' ? byId.get(ref) : undefined;
        const a = sco ? attributeOfSco(sco) : undefined;
        if (!a) continue;
        any = true;
        // One observed-data may name several SCOs: each attribute gets an id of its own, the same on every export.
        push(o, a.type, a.value, false, refs.length === 1 ? uuidOf(o.id) : uuidV5(EXPORT_NS, `${o.id}\n${String(ref)}`), {
          ...(first ? { first_seen: first } : {}), ...(last ? { last_seen: last } : {}),
        });
      }
      if (!any) issues.push({ path: `objects[${i}]`, message: `observed-data ${o.id} names no address, domain, URL or file we hold: not exported` });
    } else if (!['report', 'identity', 'marking-definition', 'relationship'].includes(o.type) && !byIdIsReferencedSco(o, objects)) {
      issues.push({ path: `objects[${i}]`, message: `${o.type} objects have no MISP attribute: not exported` });
    }
  });

  const ids = objects.map((o) => o.id).sort().join('\n');
  const labels = report && Array.isArray(report['labels']) ? (report['labels'] as readonly unknown[]).filter((l): l is string => typeof l === 'string') : [];
  const date = typeof report?.['published'] === 'string' ? report['published'] : report?.created ?? now.toISOString();
  return {
    issues,
    event: {
      Event: {
        uuid: report ? uuidOf(report.id) : uuidV5(EXPORT_NS, ids),
        info: (typeof report?.['name'] === 'string' ? report['name'] : undefined) ?? opts.info ?? 'Sakimori export',
        date: date.slice(0, 10), timestamp: seconds(report?.modified, now), published: false, analysis: '2', threat_level_id: '4',
        distribution: String(distributionOfTlp(eventTlp)), ...(opts.orgName ? { Orgc: { name: opts.orgName } } : {}),
        Tag: [tagOf(eventTlp), ...labels.filter((l) => !/^tlp:/i.test(l)).map((name) => ({ name }))],
        Attribute: attributes,
      },
    },
  };
}

/** SCOs travel inside their observed-data; only one nothing refers to is worth a word. */
function byIdIsReferencedSco(o: StixObject, all: readonly StixObject[]): boolean {
  if (!['ipv4-addr', 'ipv6-addr', 'domain-name', 'url', 'file', 'network-traffic', 'email-addr'].includes(o.type)) return false;
  return all.some((x) => x.type === 'observed-data' && Array.isArray(x['object_refs']) && (x['object_refs'] as readonly unknown[]).includes(o.id)) || all.some((x) => Array.isArray(x['resolves_to_refs']) && (x['resolves_to_refs'] as readonly unknown[]).includes(o.id));
}
