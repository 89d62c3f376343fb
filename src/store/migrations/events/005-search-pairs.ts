/** A text index over adjacent word pairs of the search text, for quoted phrases (search/fields.ts). */
//
// Released: literal DDL, never edited (checksum pinned in store/migrations/checksums.test.ts).
// The expression is search/fields.ts SEARCH_PAIRS_EXPR as of this release (the compiler must keep
// writing the same expression for ClickHouse to use the index).

export const migration = {
  id: 5,
  name: 'services-search-pairs',
  statements: [
    `ALTER TABLE services_current ADD INDEX IF NOT EXISTS search_pairs arrayMap((a, b) -> concat(a, ' ', b), arrayPopBack(splitByNonAlpha(search_text)), arrayPopFront(splitByNonAlpha(search_text))) TYPE text(tokenizer = array)`,
    'ALTER TABLE services_current MATERIALIZE INDEX search_pairs',
  ],
};
