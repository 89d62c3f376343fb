import { defineConfig } from 'vitest/config';

// Suites against real servers (PostgreSQL started by the test run; ClickHouse when CLICKHOUSE_URL is set).
export default defineConfig({
  test: {
    // An answer with a field or status its API contract does not declare fails the test (api/zod-provider.ts).
    env: { SAKIMORI_STRICT_CONTRACT: '1' },
    include: ['test/servers/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
