/**
 * buildApp(deps) → a Fastify instance that never listens (tests use inject()).
 * main.ts / server.ts own listening, signals and process lifecycle.
 *
 * Request order: error handling → auth (/auth/*, principal per request) →
 * REST (/api/*: parse → plan → sql → db as role → respond) → admin.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config/types.js';
import type { Sql } from './db/pool.js';
import type { SchemaStore } from './catalog/store.js';
import { registerAuth, type AuthService } from './auth/plugin.js';
import { installErrorHandling } from './http/errors.js';
import { registerRest } from './http/rest.js';
import { registerAdmin } from './http/admin.js';

export interface AppDeps {
  readonly config: Config;
  /** the request pool (login role of the server) */
  readonly sql: Sql;
  readonly schema: SchemaStore;
  /** pino logger options or false; default: config.logLevel */
  readonly logger?: boolean | object;
  /** clock for sessions (tests) */
  readonly now?: () => number;
}

export interface PgliveApp extends FastifyInstance {
  pglive: { auth: AuthService };
}

export async function buildApp(deps: AppDeps): Promise<PgliveApp> {
  const { config } = deps;
  const app = Fastify({
    logger: deps.logger ?? (config.logLevel === 'silent' ? false : { level: config.logLevel }),
    bodyLimit: config.bodyLimit,
    // PostgREST paths can be long (awkward identifiers)
    routerOptions: { maxParamLength: 1000, ignoreTrailingSlash: false },
  }) as unknown as PgliveApp;
  installErrorHandling(app);
  const auth = registerAuth(app, {
    sql: deps.sql,
    jwtSecret: config.jwtSecret,
    anonRole: config.anonRole,
    sessionIdleMs: config.sessionIdleMs,
    sessionAbsoluteMs: config.sessionAbsoluteMs,
    allowedOrigins: config.allowedOrigins,
    ...(deps.now ? { now: deps.now } : {}),
  });
  app.decorate('pglive', { auth });
  registerRest(app, { config, sql: deps.sql, schema: deps.schema, principal: (req) => auth.principal(req) });
  registerAdmin(app, { schema: deps.schema, principal: (req) => auth.principal(req) });
  await app.ready();
  return app;
}
