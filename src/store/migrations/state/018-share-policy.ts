/**
 * The sharing policy's state (issue 16, docs/sharing.md "Policy"): who serves whom between
 * organisations (an ISP its customers, an ISAC its members, a CERT its constituents: TLP:AMBER
 * reaches the served ones), the users named as TLP:RED recipients of one object version, the
 * victims' consents that release an object version's victim-identifying fields, the objects
 * found victim-identifying by reference on the way in (a sighting's `where_sighted_refs` makes
 * the identity it names a victim), and the egress audit: every delivery, by whom, of which
 * object version, through which path, and why the policy allowed it.
 */
export const migration = {
  id: 18,
  name: 'share-policy',
  statements: [
    `CREATE TABLE org_serves (
       server_org_id text NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
       served_org_id text NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
       relation text NOT NULL DEFAULT 'other' CHECK (relation IN ('customer', 'member', 'constituent', 'other')),
       created_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (server_org_id, served_org_id),
       CHECK (server_org_id <> served_org_id)
     )`,
    `CREATE INDEX org_serves_served ON org_serves (served_org_id)`,
    `CREATE TABLE share_red_recipients (
       object_id text NOT NULL,
       version text NOT NULL,
       user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
       named_by text NOT NULL,
       named_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (object_id, version, user_id, named_by)
     )`,
    `CREATE TABLE share_consents (
       object_id text NOT NULL,
       version text NOT NULL,
       org_id text NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
       consented_by text NOT NULL,
       note text NOT NULL DEFAULT '',
       consented_at timestamptz NOT NULL DEFAULT now(),
       withdrawn_at timestamptz,
       PRIMARY KEY (object_id, version)
     )`,
    `CREATE TABLE share_victim_refs (
       object_id text PRIMARY KEY,
       because text NOT NULL,
       marked_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE TABLE share_egress (
       id bigserial PRIMARY KEY,
       at timestamptz NOT NULL DEFAULT now(),
       user_id text NOT NULL,
       org_id text,
       object_id text NOT NULL,
       version text NOT NULL,
       owner_org_id text,
       collection_id text,
       path text NOT NULL CHECK (path IN ('taxii', 'rest', 'export', 'digest', 'report', 'console')),
       reason text NOT NULL
     )`,
    `CREATE INDEX share_egress_at ON share_egress (at)`,
    `CREATE INDEX share_egress_org ON share_egress (org_id, at)`,
    `CREATE INDEX share_egress_owner ON share_egress (owner_org_id, at)`,
    `CREATE INDEX share_egress_object ON share_egress (object_id, version)`,
  ],
};
