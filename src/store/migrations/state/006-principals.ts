/**
 * Principals: local users (scrypt password hashes), console sessions (only a hash of the token
 * is stored, with the CSRF token), API keys (hashed, scoped, revocable) and the login attempts
 * that throttling counts.
 */
export const migration = {
  id: 6,
  name: 'principals',
  statements: [
    `CREATE TABLE users (
       id text PRIMARY KEY,
       username text NOT NULL UNIQUE,
       password_hash text NOT NULL,
       role text NOT NULL CHECK (role IN ('platform-admin', 'analyst', 'org-admin', 'org-member')),
       org_id text REFERENCES organisations(id) ON DELETE RESTRICT,
       disabled boolean NOT NULL DEFAULT false,
       created_at timestamptz NOT NULL DEFAULT now(),
       CHECK ((role IN ('org-admin', 'org-member')) = (org_id IS NOT NULL))
     )`,
    `CREATE TABLE sessions (
       token_hash text PRIMARY KEY,
       user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
       csrf_token text NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       expires_at timestamptz NOT NULL,
       last_seen_at timestamptz NOT NULL DEFAULT now(),
       client_ip text NOT NULL DEFAULT ''
     )`,
    `CREATE INDEX sessions_user ON sessions (user_id)`,
    `CREATE TABLE api_keys (
       id text PRIMARY KEY,
       key_hash text NOT NULL UNIQUE,
       prefix text NOT NULL,
       name text NOT NULL,
       user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
       scopes text[] NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       expires_at timestamptz,
       revoked_at timestamptz,
       last_used_at timestamptz
     )`,
    `CREATE TABLE login_attempts (
       id bigserial PRIMARY KEY,
       username text NOT NULL,
       client_ip text NOT NULL,
       ok boolean NOT NULL,
       at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE INDEX login_attempts_user ON login_attempts (username, at)`,
    `CREATE INDEX login_attempts_ip ON login_attempts (client_ip, at)`,
  ],
};
