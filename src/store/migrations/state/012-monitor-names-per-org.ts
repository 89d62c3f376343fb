/**
 * A monitor's name is unique within its organisation, not across the platform: with one global
 * name space, creating a monitor told a member which names other organisations use. The
 * platform's own monitors (org_id NULL) form one more name space. Lookups by name are made within
 * the caller's organisation (monitors/monitor-store.ts).
 */
export const migration = {
  id: 12,
  name: 'monitor-names-per-org',
  statements: [
    // The constraint 003 made with `name text NOT NULL UNIQUE` (PostgreSQL names it table_column_key).
    'ALTER TABLE monitors DROP CONSTRAINT monitors_name_key',
    `CREATE UNIQUE INDEX monitors_org_name ON monitors ((coalesce(org_id, '')), name)`,
  ],
};
