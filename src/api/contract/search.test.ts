/** The contract's copies of the search bounds agree with the search's own (the contract folder may not import src/search). */
import { describe, expect, it } from 'vitest';
import { MAX_FACET_SIZE, MAX_OFFSET, MAX_PAGE, SEARCH_SORTS as SORTS } from '../../search/search.js';
import { SEARCH_FIELDS } from '../../search/fields.js';
import { SEARCH, SEARCH_MAX_FACET_SIZE, SEARCH_MAX_OFFSET, SEARCH_MAX_PAGE, SEARCH_SORTS, SearchField } from './search.js';

describe('search contract', () => {
  it('has the bounds of search/search.ts', () => {
    expect(SEARCH_MAX_PAGE).toBe(MAX_PAGE);
    expect(SEARCH_MAX_OFFSET).toBe(MAX_OFFSET);
    expect(SEARCH_MAX_FACET_SIZE).toBe(MAX_FACET_SIZE);
    expect([...SEARCH_SORTS].sort()).toEqual(Object.keys(SORTS).sort());
  });

  it('refuses a page, an offset or a facet size out of those bounds', () => {
    const q = SEARCH.search.schema.querystring;
    expect(q.safeParse({ limit: String(MAX_PAGE), offset: String(MAX_OFFSET), facetSize: String(MAX_FACET_SIZE) }).success).toBe(true);
    expect(q.safeParse({ limit: String(MAX_PAGE + 1) }).success).toBe(false);
    expect(q.safeParse({ offset: String(MAX_OFFSET + 1) }).success).toBe(false);
    expect(q.safeParse({ facetSize: String(MAX_FACET_SIZE + 1) }).success).toBe(false);
    expect(q.parse({})).toEqual({ limit: 50, offset: 0, facetSize: 10, sort: 'ip' });
    expect(q.safeParse({ sort: 'banner' }).success).toBe(false);
  });

  it('declares every kind of search field', () => {
    for (const f of SEARCH_FIELDS) expect(SearchField.shape.kind.options, f.name).toContain(f.kind);
  });
});
