/** The Config both sides of the benchmark share: pglive's child uses it whole, the raw baseline its pool size and timeout. */
import type { Config } from '../../src/server/config/types.js';

/** pglive's default request pool size; the raw baseline uses the same */
export const POOL_SIZE = 10;
export const STATEMENT_TIMEOUT_MS = 10_000;

export function benchConfig(databaseUrl: string, jwtSecret: string, poolSize: number, logLevel = 'silent'): Config {
  return {
    databaseUrl,
    dataDir: '.pglive-bench',
    port: 0,
    host: '127.0.0.1',
    schemas: ['public'],
    anonRole: null,
    jwtSecret,
    adminEmail: null,
    adminPassword: null,
    allowedOrigins: [],
    bodyLimit: 1024 * 1024,
    statementTimeoutMs: STATEMENT_TIMEOUT_MS,
    sessionIdleMs: 24 * 3600_000,
    sessionAbsoluteMs: 30 * 24 * 3600_000,
    maxRows: null,
    poolSize,
    demo: false,
    liveTriggers: false,
    // default 'silent' (no per-request log lines): pglive's default is 'info',
    // but logging cost is a deployment choice (BENCH_LOG_LEVEL=info measures it)
    logLevel,
  };
}
