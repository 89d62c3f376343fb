/**
 * Service observations (survey probes and imported scans). `services` keeps every observation
 * for good (history: first seen, what changed); `services_current` keeps the latest per
 * (ip, port, transport) through a ReplacingMergeTree fed by a view, read with FINAL or
 * `LIMIT 1 BY` (search/). Both deduplicate by the batch's insert token, so an import of the same
 * file or a resumed survey batch counts nothing twice.
 */
import { serviceColumnsDdl } from '../../../schema/service-observation.js';

const DEDUP = 'non_replicated_deduplication_window = 100000';
const COLUMNS = `
${serviceColumnsDdl()}`;

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
