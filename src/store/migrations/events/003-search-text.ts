/**
 * Free text search (search/) reads one lower-cased column that joins what a service said and
 * what identified it, computed when a row is written rather than on every query. A text
 * (inverted) index over its words lets a word or part of a word be found from the index
 * dictionary without reading the column. Japanese (non-ASCII) words are not split by the
 * tokenizer, so their runs are also kept apart in a much smaller column that a substring
 * search reads instead of the whole text.
 */
//
// Released: literal DDL, never edited (checksum pinned in store/migrations/checksums.test.ts).
// The columns joined are search/fields.ts FREE_TEXT_COLUMNS as of this release; changing that
// list needs a new migration that redefines the column.

const SEARCH_TEXT = `lowerUTF8(concatWithSeparator('\\n', banner, http_title, http_server, tls_subject, tls_issuer, ssh_ident, vendor, product))`;
const INTL_RUNS = `arrayStringConcat(extractAll(search_text, '[^\\\\x00-\\\\x7f]+'), '\\n')`;

export const migration = {
  id: 3,
  name: 'services-search-text',
  statements: [
    `ALTER TABLE services_current ADD COLUMN IF NOT EXISTS search_text String MATERIALIZED ${SEARCH_TEXT} CODEC(ZSTD(1))`,
    `ALTER TABLE services_current ADD COLUMN IF NOT EXISTS search_text_intl String MATERIALIZED ${INTL_RUNS} CODEC(ZSTD(1))`,
    `ALTER TABLE services_current ADD INDEX IF NOT EXISTS search_words search_text TYPE text(tokenizer = splitByNonAlpha)`,
    `ALTER TABLE services_current MATERIALIZE COLUMN search_text`,
    `ALTER TABLE services_current MATERIALIZE COLUMN search_text_intl`,
    `ALTER TABLE services_current MATERIALIZE INDEX search_words`,
  ],
};
