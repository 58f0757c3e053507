import { defineConfig } from 'vitest/config';
import { isDriverClosedSocketWrite, isDriverTypeFetchFailure } from './src/server/db/pool.js';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'e2e/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    // the fault tests drop connections; postgres.js's unawaited type query on a new
    // connection then rejects unhandled (see isDriverTypeFetchFailure in src/server/db/pool.ts)
    // (and isDriverClosedSocketWrite: a write scheduled on a connection the driver already closed)
    onUnhandledError: (error) => (isDriverTypeFetchFailure(error) || isDriverClosedSocketWrite(error) ? false : undefined),
  },
});
