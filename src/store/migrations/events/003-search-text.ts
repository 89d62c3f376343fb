/**
 * Free text search (search/) reads one lower-cased column that joins what a service said and
 * what identified it, computed when a row is written rather than on every query; a token bloom
 * filter lets whole-word searches skip granules without the word.
 */
import { FREE_TEXT_COLUMNS } from '../../../search/fields.js';

const SEARCH_TEXT = `lowerUTF8(concatWithSeparator('\\n', ${FREE_TEXT_COLUMNS.join(', ')}))`;

export const migration = {
  id: 3,
  name: 'services-search-text',
  statements: [
    `ALTER TABLE services_current ADD COLUMN IF NOT EXISTS search_text String MATERIALIZED ${SEARCH_TEXT} CODEC(ZSTD(1))`,
    `ALTER TABLE services_current MATERIALIZE COLUMN search_text`,
  ],
};
