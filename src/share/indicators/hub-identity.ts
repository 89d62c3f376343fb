/**
 * The hub's own STIX identity: created once per installation (a random id, kept in the state
 * store) and the `created_by_ref` of everything the hub publishes. Sightings we make of peers'
 * indicators name it as where they were sighted, so no member's network is named.
 */
import { randomUUID } from 'node:crypto';
import type { StateStore } from '../../store/types.js';
import type { StixObject } from '../stix/types.js';

export const DEFAULT_HUB_NAME = 'Sakimori sharing hub';

interface Row { id: string; name: string; created: Date }

/** Per state store: the identity never changes once created, and every page released asks for it. */
const known = new WeakMap<object, StixObject>();

export async function hubIdentity(state: Pick<StateStore, 'query'>, name = DEFAULT_HUB_NAME): Promise<StixObject> {
  const cached = known.get(state);
  if (cached) return { ...cached };
  const [had] = await state.query<Row>('SELECT id, name, created FROM share_hub_identity');
  if (had) {
    const o = identityObject(had);
    known.set(state, o);
    return o;
  }
  // Two first runs at once: the second insert does nothing and both read the one row.
  await state.query(
    `INSERT INTO share_hub_identity (id, name, created) VALUES ($1, $2, date_trunc('milliseconds', now())) ON CONFLICT (singleton) DO NOTHING`,
    [`identity--${randomUUID()}`, name],
  );
  const [r] = await state.query<Row>('SELECT id, name, created FROM share_hub_identity');
  if (!r) throw new Error('the hub identity could not be created');
  const o = identityObject(r);
  known.set(state, o);
  return o;
}

function identityObject(r: Row): StixObject {
  const created = new Date(r.created).toISOString();
  return {
    type: 'identity', spec_version: '2.1', id: r.id, created, modified: created,
    name: r.name, identity_class: 'organization',
    description: 'The ISAC sharing hub: indicators from its own darknet observations, and sightings of members\' indicators (anonymised to the hub).',
  };
}
