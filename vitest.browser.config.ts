import { defineConfig } from 'vitest/config';

// Drives Debian's chromium through playwright-core against a running `sakimori serve`.
export default defineConfig({
  test: {
    // An answer with a field or status its API contract does not declare fails the test (api/zod-provider.ts).
    env: { SAKIMORI_STRICT_CONTRACT: '1' },
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
