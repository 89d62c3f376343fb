/**
 * API keys remember the key that minted them, so revoking a key revokes what it minted (a
 * short-lived key cannot leave a long-lived one behind). Keys made from a session or by the
 * operator have no parent.
 */
export const migration = {
  id: 13,
  name: 'api-key-parents',
  statements: [
    `ALTER TABLE api_keys ADD COLUMN parent_id text REFERENCES api_keys(id) ON DELETE CASCADE`,
    `CREATE INDEX api_keys_parent ON api_keys (parent_id)`,
  ],
};
