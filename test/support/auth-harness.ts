/**
 * Shared setup of the src/server/auth database tests: a fresh database,
 * migrated by a NON-superuser login role (auth_server, test/fixtures/auth.sql)
 * so role-membership checks are real, a controllable clock, and Fastify apps
 * with the auth routes and the lead's error-handler contract.
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { createPool, type Sql } from '../../src/server/db/pool.js';
import { migrate } from '../../src/server/db/migrate.js';
import { withRole } from '../../src/server/db/tx.js';
import { toRoleContext } from '../../src/server/auth/principal.js';
import { isPgliveError } from '../../src/server/errors.js';
import { registerAuth, type AuthDeps, type AuthService } from '../../src/server/auth/plugin.js';
import { createTestDb, type TestDb } from './db.js';

export const JWT_SECRET = 'test-secret-of-at-least-thirty-two-characters!';
export const ADMIN = { email: 'admin@example.com', password: 'correct horse battery' } as const;
export const OWN_HOST = 'pglive.test';

export interface Clock {
  t: number;
  advance(ms: number): void;
}

export interface AuthHarness {
  readonly db: TestDb;
  /** pool logged in as auth_server */
  readonly sql: Sql;
  readonly clock: Clock;
  /** `routes` adds test-only routes before the app is readied */
  makeApp(
    overrides?: Partial<AuthDeps>,
    fastifyOpts?: FastifyServerOptions,
    routes?: (app: FastifyInstance, auth: AuthService) => void,
  ): Promise<{ app: FastifyInstance; auth: AuthService }>;
  close(): Promise<void>;
}

export async function createAuthHarness(): Promise<AuthHarness> {
  const db = await createTestDb(['auth.sql']);
  await db.sql.unsafe(`grant create on database "${db.name}" to auth_server`);
  const url = new URL(db.url);
  url.username = 'auth_server';
  url.password = 'auth_server'; // set by test/fixtures/auth.sql
  const sql = createPool(url.toString(), { max: 4 });
  await migrate(sql);
  const clock: Clock = {
    t: Date.now(),
    advance(ms) {
      this.t += ms;
    },
  };
  const apps: FastifyInstance[] = [];
  return {
    db,
    sql,
    clock,
    async makeApp(overrides = {}, fastifyOpts = {}, routes) {
      const app = Fastify({ logger: false, ...fastifyOpts });
      app.setErrorHandler((e, _req, reply) =>
        isPgliveError(e)
          ? reply.code(e.status).headers(e.headers).send(e.toBody())
          : reply.code(500).send({ code: 'PGLIVE500', message: String((e as Error).message), details: null, hint: null }),
      );
      const auth = registerAuth(app, {
        sql,
        jwtSecret: JWT_SECRET,
        anonRole: null,
        sessionIdleMs: 30 * 60_000,
        sessionAbsoluteMs: 8 * 3600_000,
        allowedOrigins: ['https://admin.example.com'],
        now: () => clock.t,
        ...overrides,
      });
      routes?.(app, auth);
      await app.ready();
      apps.push(app);
      return { app, auth };
    },
    async close() {
      for (const a of apps) await a.close();
      await sql.end({ timeout: 5 });
      await db.drop();
    },
  };
}

/** A test route: the principal's role and claims as PostgreSQL sees them inside withRole. */
export function whoamiRoute(sql: Sql) {
  return (app: FastifyInstance, auth: AuthService): void => {
    app.all('/whoami', async (req) => {
      const p = await auth.principal(req);
      const [row] = await withRole(sql, toRoleContext(p, { statementTimeoutMs: 5000 }), (tx) =>
        tx<{ role: string; claims: string; user_id: string }[]>`
          select current_user as role, current_setting('request.jwt.claims', true) as claims,
                 current_setting('pglive.user_id', true) as user_id`,
      );
      return { kind: p.kind, role: row!.role, claims: JSON.parse(row!.claims) as unknown, userId: row!.user_id };
    });
  };
}

/** Logs in and returns the `pglive_session=…` pair for a Cookie header. */
export async function login(app: FastifyInstance, email: string, password: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const c = res.cookies.find((x) => x.name === 'pglive_session');
  if (!c) throw new Error('no session cookie');
  return `pglive_session=${c.value}`;
}
