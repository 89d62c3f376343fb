/**
 * An indicator's STIX 2.1 form (section 4.7) and the objects it points at: a malware object per
 * tag of a malware family (Mirai) and an `indicates` relationship to it. Scanning tools (Masscan,
 * ZMap) are named in the indicator's labels and description only: the hub accepts no `tool`
 * objects (issue 16, item 1), and a relationship must point at an object peers can resolve. Every id is stable (stable-id.ts), so a new version of the indicator is
 * the same id with a later `modified`; the tool objects and relationships do not change and are
 * posted again as the same version, which the object store keeps once.
 */
import { isIP } from 'node:net';
import type { StixObject } from '../stix/types.js';
import { TLP2_IDS } from '../stix/tlp.js';
import type { IndicatorState } from './indicator-state.js';
import { stableId } from './stable-id.js';

/** Tags whose tool is malware (a bot family); the others are scanning tools. */
const MALWARE_TAGS: Readonly<Record<string, { malwareTypes: readonly string[]; name: string }>> = {
  mirai: { malwareTypes: ['bot', 'worm'], name: 'Mirai' },
};

const TOOL_NAMES: Readonly<Record<string, string>> = { masscan: 'Masscan', zmap: 'ZMap' };

/** When the hub's catalogue of tools was written: the tool objects' one version. */
const TOOL_OBJECTS_CREATED = '2026-01-01T00:00:00.000Z';

export function stixPattern(ip: string): string {
  return `[${isIP(ip) === 6 ? 'ipv6-addr' : 'ipv4-addr'}:value = '${ip}']`;
}

export function toolName(tag: string): string {
  return MALWARE_TAGS[tag]?.name ?? TOOL_NAMES[tag] ?? tag;
}

export function isMalwareTag(tag: string): boolean {
  return MALWARE_TAGS[tag] !== undefined;
}

/** The malware object of a malware family's tag; undefined for a scanning tool's. */
export function toolObject(tag: string, hubId: string): StixObject | undefined {
  const malware = MALWARE_TAGS[tag];
  if (!malware) return undefined;
  return {
    type: 'malware', id: stableId('malware', hubId, tag), spec_version: '2.1', created: TOOL_OBJECTS_CREATED, modified: TOOL_OBJECTS_CREATED,
    created_by_ref: hubId, name: toolName(tag), object_marking_refs: [TLP2_IDS.clear], is_family: true, malware_types: [...malware.malwareTypes],
  };
}

/** Tool object ids by hub and tag: one hash each, not one per relationship. */
const toolIds = new Map<string, string>();

function toolId(tag: string, hubId: string): string {
  const key = `${hubId}|${tag}`;
  let id = toolIds.get(key);
  if (id === undefined) {
    id = stableId('malware', hubId, tag);
    toolIds.set(key, id);
  }
  return id;
}

export function indicatesRelationship(indicator: IndicatorState, tag: string, hubId: string): StixObject {
  const target = toolId(tag, hubId);
  const created = indicator.created.toISOString();
  return {
    type: 'relationship', spec_version: '2.1', id: stableId('relationship', hubId, `${indicator.id}|indicates|${target}`),
    created, modified: created, created_by_ref: hubId, relationship_type: 'indicates',
    source_ref: indicator.id, target_ref: target, object_marking_refs: [TLP2_IDS[indicator.tlp]],
  };
}

function describe(s: IndicatorState): { name: string; description: string } {
  const tools = s.tags.map(toolName);
  const what = tools.length > 0 ? `${tools.join(', ')} scanner` : 'Scanner';
  const day = (d: Date): string => d.toISOString().slice(0, 10);
  return {
    name: `${what} ${s.value}`,
    description: `${s.value} probed the hub's darknet (class ${s.cls}${tools.length > 0 ? `, tool tags ${s.tags.join(', ')}` : ''}): `
      + `${s.packets} packets on ${s.daysSeen} day(s) between ${day(s.firstSeen)} and ${day(s.lastSeen)}.`,
  };
}

export function indicatorObject(s: IndicatorState, hubId: string): StixObject {
  const validFrom = s.firstSeen.toISOString();
  // valid_until must be later than valid_from (STIX 2.1 section 4.7).
  const until = s.validUntil && s.validUntil.getTime() > s.firstSeen.getTime() ? s.validUntil : new Date(s.firstSeen.getTime() + 1000);
  return {
    type: 'indicator', spec_version: '2.1', id: s.id,
    created: s.created.toISOString(), modified: s.modified.toISOString(), created_by_ref: hubId,
    ...describe(s),
    indicator_types: s.tags.some((t) => MALWARE_TAGS[t]) ? ['malicious-activity', 'compromised'] : ['malicious-activity'],
    pattern: stixPattern(s.value), pattern_type: 'stix', pattern_version: '2.1',
    valid_from: validFrom, valid_until: until.toISOString(),
    confidence: s.confidence,
    labels: ['scanner', ...s.tags],
    ...(s.revoked ? { revoked: true } : {}),
    external_references: [{ source_name: 'sakimori', external_id: `${s.kind}:${s.value}` }],
    object_marking_refs: [TLP2_IDS[s.tlp]],
  };
}

/** The indicator, its relationships and tool objects: what one version publishes. */
export function indicatorBundleObjects(s: IndicatorState, hubId: string): StixObject[] {
  return [indicatorObject(s, hubId), ...s.tags.filter(isMalwareTag).map((t) => indicatesRelationship(s, t, hubId))];
}
