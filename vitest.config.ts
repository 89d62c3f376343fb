import { defineConfig } from 'vitest/config';

// Unit and integration tests on the embedded stores. Server and browser suites have their own configs.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/architecture/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
