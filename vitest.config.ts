import { defineConfig } from 'vitest/config';

// Unit and integration tests on the embedded stores. Server and browser suites have their own configs.
export default defineConfig({
  test: {
    // An answer with a field or status its API contract does not declare fails the test (api/zod-provider.ts).
    env: { SAKIMORI_STRICT_CONTRACT: '1' },
    include: ['src/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/architecture/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
