/**
 * Builds the real app (buildApp) over a fresh test database for HTTP tests
 * through inject(): migrations, schema cache, auth, REST — nothing mocked.
 */
import { SignJWT } from 'jose';
import { buildApp, type PgliveApp } from '../../src/server/app.js';
import { loadSchemaCache } from '../../src/server/catalog/load.js';
import { SchemaStore } from '../../src/server/catalog/store.js';
import type { Config } from '../../src/server/config/types.js';
import { createPool, type Sql } from '../../src/server/db/pool.js';
import { migrate } from '../../src/server/db/migrate.js';
import { createTestDb, type TestDb } from './db.js';
import type { LiveOptions } from '../../src/server/live/index.js';

export const TEST_JWT_SECRET = 'test-secret-test-secret-test-secret-0123456789';

export function testConfig(over: Partial<Config> = {}): Config {
  return {
    databaseUrl: null,
    dataDir: '.pglive-test',
    port: 0,
    host: '127.0.0.1',
    schemas: ['public'],
    anonRole: null,
    jwtSecret: TEST_JWT_SECRET,
    adminEmail: null,
    adminPassword: null,
    allowedOrigins: [],
    bodyLimit: 1024 * 1024,
    statementTimeoutMs: 10_000,
    sessionIdleMs: 24 * 3600_000,
    sessionAbsoluteMs: 30 * 24 * 3600_000,
    maxRows: null,
    poolSize: 4,
    demo: false,
    liveTriggers: true,
    logLevel: 'silent',
    ...over,
  };
}

export interface TestApp {
  readonly app: PgliveApp;
  readonly db: TestDb;
  readonly sql: Sql;
  readonly store: SchemaStore;
  readonly config: Config;
  close(): Promise<void>;
}

export async function createTestApp(fixtures: string[], over: Partial<Config> = {}, extra: { live?: LiveOptions } = {}): Promise<TestApp> {
  const db = await createTestDb(fixtures);
  const config = testConfig({ databaseUrl: db.url, ...over });
  const sql = createPool(db.url, { max: config.poolSize });
  await migrate(sql);
  const store = new SchemaStore(() => loadSchemaCache(sql, { schemas: config.schemas }));
  await store.reload();
  const app = await buildApp({ config, sql, schema: store, ...(extra.live ? { live: extra.live } : {}) });
  return {
    app, db, sql, store, config,
    async close() {
      await app.close();
      await sql.end({ timeout: 5 });
      await db.drop();
    },
  };
}

/** Listens on a free port of 127.0.0.1: the app's origin (http://…) and its live websocket URL (ws://…/live). */
export async function listenTestApp(t: TestApp): Promise<{ origin: string; liveUrl: string }> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = t.app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { origin: `http://127.0.0.1:${port}`, liveUrl: `ws://127.0.0.1:${port}/live` };
}

/** HS256 JWT with a role claim (PostgREST-style), valid for an hour unless `exp` is given. */
export async function jwtFor(role: string, extra: Record<string, unknown> = {}, secret = TEST_JWT_SECRET): Promise<string> {
  const jwt = new SignJWT({ role, ...extra }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
  if (!('exp' in extra)) jwt.setExpirationTime('1h');
  return jwt.sign(new TextEncoder().encode(secret));
}
