/**
 * Campaigns (issue 18): addresses tied together by what they share on the honeypots (a download
 * URL or its host, a dropper's hash, a credential dictionary, a tool and its ports), computed by
 * `sakimori campaigns --compute` (correlate/campaigns/) and replaced whole on each computation.
 *
 * - `campaign_runs`: the one last computation (when, over how many addresses, its figures).
 * - `campaigns`: one row per campaign; its lists (ties, ports, countries, ASNs, URLs, hashes) as
 *   jsonb, since they are read and written whole and are at most a few dozen entries each.
 * - `campaign_members`: one narrow row per member address (a million must fit): its campaign,
 *   origin AS and country, events, first and last seen, the tie kinds that hold it (a bit mask in
 *   the order of CAMPAIGN_TIE_KINDS), and the organisation whose constituency held it when
 *   computed (impact per organisation, and the cases it feeds). Indexed by address for
 *   need-to-know (which campaigns an organisation may see) and by organisation for impact.
 */
export const migration = {
  id: 25,
  name: 'campaigns',
  statements: [
    `CREATE TABLE campaign_runs (
       id integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
       computed_at timestamptz NOT NULL,
       addresses bigint NOT NULL,
       figures jsonb NOT NULL DEFAULT '{}'::jsonb
     )`,
    `CREATE TABLE campaigns (
       id text PRIMARY KEY,
       name text NOT NULL,
       rank integer NOT NULL,
       members integer NOT NULL,
       events bigint NOT NULL,
       first_seen timestamptz NOT NULL,
       last_seen timestamptz NOT NULL,
       ties jsonb NOT NULL,
       ports jsonb NOT NULL,
       countries jsonb NOT NULL,
       asns jsonb NOT NULL,
       urls jsonb NOT NULL,
       hashes jsonb NOT NULL,
       computed_at timestamptz NOT NULL
     )`,
    `CREATE TABLE campaign_members (
       campaign text NOT NULL,
       ip inet NOT NULL,
       asn bigint NOT NULL DEFAULT 0,
       country text NOT NULL DEFAULT '',
       events bigint NOT NULL,
       first_seen timestamptz NOT NULL,
       last_seen timestamptz NOT NULL,
       ties smallint NOT NULL,
       org_id text
     )`,
    `CREATE INDEX campaign_members_campaign ON campaign_members (campaign, events DESC)`,
    `CREATE INDEX campaign_members_ip ON campaign_members (ip)`,
    `CREATE INDEX campaign_members_org ON campaign_members (org_id, campaign) WHERE org_id IS NOT NULL`,
  ],
};
