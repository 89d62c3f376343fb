/**
 * Local vulnerability feeds (see docs/vulnerabilities.md and src/vulns/).
 *
 * - `vuln_feeds`: one row per imported feed (`kev`, or an NVD file such as `nvdcve-2.0-2024`):
 *   file, time, counts, whether the file was complete, the import that wrote its rows.
 * - `vuln_kev`: the CISA Known Exploited Vulnerabilities catalogue, one row per CVE.
 * - `vuln_cve`: NVD CVE records per feed (a CVE may be in a yearly and in the `modified` feed;
 *   the matcher uses the copy modified last).
 * - `vuln_cpe_match`: the CPE match criteria of each CVE's configurations, unescaped and
 *   lower-cased vendor/product/version/update for lookups, range bounds as NVD gives them.
 *
 * A re-import replaces a feed in one transaction: rows are rewritten per CVE as they are read
 * (`import_id` marks them) and, when the file was complete, rows of the feed with another
 * `import_id` are deleted. A truncated file therefore updates what it holds and removes nothing.
 */
export const migration = {
  id: 10,
  name: 'vulnerabilities',
  statements: [
    `CREATE TABLE vuln_feeds (
       feed text PRIMARY KEY,
       format text NOT NULL CHECK (format IN ('kev', 'nvd')),
       file text NOT NULL,
       import_id text NOT NULL,
       imported_at timestamptz NOT NULL DEFAULT now(),
       records integer NOT NULL DEFAULT 0,
       skipped integer NOT NULL DEFAULT 0,
       complete boolean NOT NULL,
       catalog_version text NOT NULL DEFAULT ''
     )`,
    `CREATE TABLE vuln_kev (
       cve_id text PRIMARY KEY,
       vendor_project text NOT NULL DEFAULT '',
       product text NOT NULL DEFAULT '',
       vulnerability_name text NOT NULL DEFAULT '',
       date_added date NOT NULL,
       due_date date,
       short_description text NOT NULL DEFAULT '',
       required_action text NOT NULL DEFAULT '',
       known_ransomware boolean NOT NULL DEFAULT false,
       notes text NOT NULL DEFAULT '',
       cwes text[] NOT NULL DEFAULT '{}',
       import_id text NOT NULL
     )`,
    `CREATE TABLE vuln_cve (
       feed text NOT NULL,
       id text NOT NULL,
       summary text NOT NULL DEFAULT '',
       cvss_version text NOT NULL DEFAULT '',
       cvss_score real,
       cvss_severity text NOT NULL DEFAULT '',
       cvss_vector text NOT NULL DEFAULT '',
       published timestamptz,
       last_modified timestamptz,
       status text NOT NULL DEFAULT '',
       import_id text NOT NULL,
       PRIMARY KEY (feed, id)
     )`,
    `CREATE INDEX vuln_cve_id ON vuln_cve (id)`,
    `CREATE TABLE vuln_cpe_match (
       feed text NOT NULL,
       cve_id text NOT NULL,
       config integer NOT NULL,
       node integer NOT NULL,
       config_operator text NOT NULL DEFAULT 'OR',
       node_operator text NOT NULL DEFAULT 'OR',
       negate boolean NOT NULL DEFAULT false,
       vulnerable boolean NOT NULL,
       part text NOT NULL,
       vendor text NOT NULL,
       product text NOT NULL,
       version text NOT NULL,
       cpe_update text NOT NULL,
       criteria text NOT NULL,
       version_start_including text,
       version_start_excluding text,
       version_end_including text,
       version_end_excluding text,
       match_criteria_id text,
       FOREIGN KEY (feed, cve_id) REFERENCES vuln_cve (feed, id) ON DELETE CASCADE
     )`,
    `CREATE INDEX vuln_cpe_match_cve ON vuln_cpe_match (feed, cve_id)`,
    `CREATE INDEX vuln_cpe_match_product ON vuln_cpe_match (vendor, product)`,
  ],
};
