/**
 * PLACEHOLDER on branch i16-policy only: number 17 is reserved for the TAXII object store
 * (branch i16-taxii), which this branch does not have yet; the list must run 1, 2, 3 … without a
 * gap. Delete this file (and its line in index.ts) when i16-taxii's 017 is merged.
 */
export const migration = {
  id: 17,
  name: 'reserved-taxii',
  statements: ['SELECT 1'],
};
