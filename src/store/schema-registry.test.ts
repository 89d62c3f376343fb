/**
 * The schema a fresh store gets from the migrations, compared with the registries the code writes
 * through (schema/darknet-packet.ts, schema/darknet-aggregates.ts, schema/service-observation.ts,
 * search/fields.ts): names, types and order. Released migrations are literal DDL, so a field
 * added to a registry without a new migration (`ALTER TABLE … ADD COLUMN IF NOT EXISTS`) fails
 * here instead of failing every insert at a user's site.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DARKNET_AGGREGATE_TABLES } from '../schema/darknet-aggregates.js';
import { DARKNET_PACKET_FIELDS, type FieldDef } from '../schema/darknet-packet.js';
import { DARKNET_PACKET_KEY_FIELDS } from '../schema/darknet-packet-keys.js';
import { SERVICE_FIELDS } from '../schema/service-observation.js';
import { HONEYPOT_EVENT_FIELDS } from '../schema/honeypot-event.js';
import { FREE_TEXT_COLUMNS, SEARCH_PAIRS_EXPR } from '../search/fields.js';
import { tempStores, type TempStores } from './testing/temp-stores.js';

let stores: TempStores;

beforeAll(async () => {
  stores = await tempStores('schema-registry');
});

afterAll(async () => {
  await stores?.dispose();
});

interface ColumnRow { name: string; type: string; default_kind: string; default_expression: string }

async function columns(table: string): Promise<ColumnRow[]> {
  return stores.events.query<ColumnRow>(
    'SELECT name, type, default_kind, default_expression FROM system.columns WHERE database = currentDatabase() AND table = {t:String} ORDER BY position',
    { t: table },
  );
}

/** The columns the code writes: everything but MATERIALIZED / ALIAS columns. */
async function written(table: string): Promise<{ name: string; type: string }[]> {
  return (await columns(table)).filter((c) => c.default_kind === '' || c.default_kind === 'DEFAULT').map(({ name, type }) => ({ name, type }));
}

const registry = (fields: readonly FieldDef[]): { name: string; type: string }[] => fields.map((f) => ({ name: f.name, type: f.ch }));

describe('events schema of a freshly migrated store against the registries', () => {
  it.each(['darknet_ingest', 'darknet_packets'])('%s has the packet registry columns, in order', async (table) => {
    expect(await written(table)).toEqual(registry(DARKNET_PACKET_FIELDS));
  });

  it('darknet_packet_keys has the packet key registry columns, in order', async () => {
    expect(await written('darknet_packet_keys')).toEqual(registry(DARKNET_PACKET_KEY_FIELDS));
  });

  it.each(DARKNET_AGGREGATE_TABLES.map((t) => [t.table, t] as const))('%s has the aggregate registry columns, in order', async (table, def) => {
    expect(await written(table)).toEqual(registry(def.fields));
  });

  it.each(['services', 'services_current'])('%s has the service registry columns, in order', async (table) => {
    expect(await written(table)).toEqual(registry(SERVICE_FIELDS));
  });

  it('honeypot_events has the honeypot event registry columns, in order', async () => {
    expect(await written('honeypot_events')).toEqual(registry(HONEYPOT_EVENT_FIELDS));
  });

  it('services_current computes exactly the search columns, from the free-text fields', async () => {
    const computed = (await columns('services_current')).filter((c) => c.default_kind === 'MATERIALIZED');
    expect(computed.map((c) => [c.name, c.type])).toEqual([
      ['search_text', 'String'],
      ['search_text_intl', 'String'],
      ['ip4', 'UInt32'],
    ]);
    const text = computed.find((c) => c.name === 'search_text')?.default_expression ?? '';
    const joined = /concatWithSeparator\('\\n', (.*)\)\)$/.exec(text)?.[1];
    expect(joined?.split(', '), 'search/fields.ts FREE_TEXT_COLUMNS changed: redefine search_text in a new migration').toEqual([...FREE_TEXT_COLUMNS]);
  });

  it('the phrase index is over the expression the search compiler writes', async () => {
    const [index] = await stores.events.query<{ expr: string }>(
      "SELECT expr FROM system.data_skipping_indices WHERE database = currentDatabase() AND table = 'services_current' AND name = 'search_pairs'",
    );
    const squeeze = (s: string): string => s.replace(/\s+/g, '');
    expect(squeeze(index?.expr ?? '')).toBe(squeeze(SEARCH_PAIRS_EXPR));
  });
});
