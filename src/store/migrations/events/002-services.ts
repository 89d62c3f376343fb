/**
 * Service observations (survey probes and imported scans). `services` keeps every observation
 * for good (history: first seen, what changed); `services_current` keeps the latest per
 * (ip, port, transport) through a ReplacingMergeTree fed by a view, read with FINAL or
 * `LIMIT 1 BY` (search/). Both deduplicate by the batch's insert token, so an import of the same
 * file or a resumed survey batch counts nothing twice.
 */
//
// Released: the DDL below is literal and never changes (checksum pinned in
// store/migrations/checksums.test.ts). A new field in schema/service-observation.ts is a new
// migration adding the column to both tables.

const DEDUP = 'non_replicated_deduplication_window = 100000';
const COLUMNS = `
  time DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
  ip IPv6,
  port UInt16,
  transport LowCardinality(String),
  source LowCardinality(String),
  run_id String,
  status LowCardinality(String),
  service LowCardinality(String),
  banner String CODEC(ZSTD(3)),
  error String,
  http_status UInt16,
  http_title String,
  http_server String,
  http_headers Map(String, String) CODEC(ZSTD(3)),
  http_body_sha256 String,
  http_favicon_hash Nullable(Int32),
  http_www_authenticate String,
  tls_version LowCardinality(String),
  tls_cipher LowCardinality(String),
  tls_subject String,
  tls_issuer String,
  tls_sans Array(String),
  tls_not_before Nullable(DateTime('UTC')),
  tls_not_after Nullable(DateTime('UTC')),
  tls_fingerprint_sha256 String,
  tls_self_signed UInt8,
  tls_chain_length UInt8,
  ssh_ident String,
  ssh_hassh String,
  ssh_kex Array(String),
  ssh_host_key_type LowCardinality(String),
  ssh_host_key_sha256 String,
  login_prompt UInt8,
  no_auth UInt8,
  weak_credential UInt8,
  credential_list LowCardinality(String),
  credential_id String,
  vendor LowCardinality(String),
  product LowCardinality(String),
  version String,
  device_type LowCardinality(String),
  cpe Array(String),
  cves Array(String),
  cve_evidence Array(LowCardinality(String)),
  tags Array(LowCardinality(String)),
  asn UInt32,
  org LowCardinality(String),
  country LowCardinality(String),
  details String CODEC(ZSTD(3))`;

export const migration = {
  id: 2,
  name: 'services',
  statements: [
    `CREATE TABLE IF NOT EXISTS services (${COLUMNS},
       INDEX ip_bloom ip TYPE bloom_filter GRANULARITY 2
     ) ENGINE = {engine:MergeTree}
     PARTITION BY toYYYYMM(time)
     ORDER BY (ip, port, transport, time)
     SETTINGS ${DEDUP}`,
    `CREATE TABLE IF NOT EXISTS services_current (${COLUMNS}
     ) ENGINE = {engine:ReplacingMergeTree(time)}
     ORDER BY (ip, port, transport)
     SETTINGS ${DEDUP}`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS services_current_mv TO services_current AS SELECT * FROM services`,
  ],
};
