/**
 * Text indexes over the list columns that searches test for one element (`cve:CVE-…`,
 * `tag:iot`): `has()` is then answered from the index without reading the arrays of every row.
 */
export const migration = {
  id: 4,
  name: 'services-array-indexes',
  statements: [
    'ALTER TABLE services_current ADD INDEX IF NOT EXISTS cves_elements cves TYPE text(tokenizer = array)',
    'ALTER TABLE services_current ADD INDEX IF NOT EXISTS tags_elements tags TYPE text(tokenizer = array)',
    'ALTER TABLE services_current MATERIALIZE INDEX cves_elements',
    'ALTER TABLE services_current MATERIALIZE INDEX tags_elements',
  ],
};
