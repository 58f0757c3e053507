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
import { PgliveError } from './errors.js';
import { registerRest } from './http/rest.js';
import { registerAdmin } from './http/admin.js';
import { registerMeta } from './http/meta.js';
import { registerRefresh } from './http/refresh.js';
import { registerStatic } from './http/static.js';
import { registerPrefs } from './prefs/index.js';
import { startLive, type LiveHandle, type LiveOptions } from './live/index.js';

export interface AppDeps {
  readonly config: Config;
  /** the request pool (login role of the server) */
  readonly sql: Sql;
  readonly schema: SchemaStore;
  /** pino logger options or false; default: config.logLevel */
  readonly logger?: boolean | object;
  /** clock for sessions (tests) */
  readonly now?: () => number;
  /** the live engine (change capture, LISTEN, /live websocket); off when absent */
  readonly live?: LiveOptions;
}

export interface PgliveApp extends FastifyInstance {
  pglive: { auth: AuthService; live: LiveHandle | null };
}

export async function buildApp(deps: AppDeps): Promise<PgliveApp> {
  const { config } = deps;
  const app = Fastify({
    logger: deps.logger ?? (config.logLevel === 'silent' ? false : { level: config.logLevel }),
    bodyLimit: config.bodyLimit,
    // PostgREST paths can be long (awkward identifiers)
    routerOptions: { maxParamLength: 1000, ignoreTrailingSlash: false },
    // malformed URLs (bad percent-encoding…) get the catalogue's error shape too
    frameworkErrors: (error, _req, reply) => {
      const e = new PgliveError('PGLIVE105', `Malformed request: ${error.message}`);
      const r = reply as unknown as { code(n: number): { type(t: string): { send(b: unknown): void } } };
      r.code(400).type('application/json; charset=utf-8').send(e.toBody());
    },
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
  const pglive: PgliveApp['pglive'] = { auth, live: null };
  app.decorate('pglive', pglive);
  registerRest(app, { config, sql: deps.sql, schema: deps.schema, principal: (req) => auth.principal(req) });
  registerAdmin(app, { schema: deps.schema, principal: (req) => auth.principal(req) });
  registerMeta(app, { schema: deps.schema, principal: (req) => auth.principal(req) });
  registerRefresh(app, { config, sql: deps.sql, schema: deps.schema, principal: (req) => auth.principal(req) });
  registerStatic(app);
  registerPrefs(app, { sql: deps.sql, schema: deps.schema, principal: (req) => auth.principal(req) });
  if (deps.live) {
    const live = await startLive({
      app, sql: deps.sql, schema: deps.schema, auth, config, options: deps.live,
      log: (msg) => app.log.info(msg),
    });
    pglive.live = live;
    app.addHook('onClose', async () => live.close());
  }
  await app.ready();
  return app;
}
