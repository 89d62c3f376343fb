import { defineConfig } from 'vitest/config';

// Drives Debian's chromium through playwright-core against a running `sakimori serve`.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
