/**
 * A STIX 2.1 object as the hub holds it: the parsed JSON, kept as posted (no property is dropped
 * or reordered), with the common properties every object has typed. Validation
 * (`validate.ts`) is what makes an `unknown` into one of these.
 */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export interface StixObject {
  readonly type: string;
  readonly id: string;
  readonly spec_version?: string;
  readonly created?: string;
  readonly modified?: string;
  readonly revoked?: boolean;
  readonly created_by_ref?: string;
  readonly object_marking_refs?: readonly string[];
  readonly [property: string]: JsonValue | undefined;
}

/** A STIX bundle: what exports write and imports read. */
export interface StixBundle {
  readonly type: 'bundle';
  readonly id: string;
  readonly objects: readonly StixObject[];
}

/** Meta-objects and SCOs have no `created`/`modified`; SDOs and SROs have both. */
export const SCO_TYPES = ['ipv4-addr', 'ipv6-addr', 'domain-name', 'url', 'network-traffic', 'file', 'autonomous-system', 'email-addr', 'mac-addr', 'x509-certificate'] as const;
export const SDO_TYPES = ['identity', 'indicator', 'observed-data', 'infrastructure', 'malware', 'report', 'note', 'opinion', 'incident', 'attack-pattern', 'campaign', 'course-of-action', 'grouping', 'intrusion-set', 'location', 'malware-analysis', 'threat-actor', 'tool', 'vulnerability'] as const;
export const SRO_TYPES = ['relationship', 'sighting'] as const;

export function isSco(type: string): boolean {
  return (SCO_TYPES as readonly string[]).includes(type);
}
