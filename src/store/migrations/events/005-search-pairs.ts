/** A text index over adjacent word pairs of the search text, for quoted phrases (search/fields.ts). */
import { SEARCH_PAIRS_EXPR } from '../../../search/fields.js';

export const migration = {
  id: 5,
  name: 'services-search-pairs',
  statements: [
    `ALTER TABLE services_current ADD INDEX IF NOT EXISTS search_pairs ${SEARCH_PAIRS_EXPR} TYPE text(tokenizer = array)`,
    'ALTER TABLE services_current MATERIALIZE INDEX search_pairs',
  ],
};
