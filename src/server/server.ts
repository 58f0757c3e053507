/**
 * startServer(config): database (embedded or given) → migrations → admin →
 * schema cache → buildApp → listen → LISTEN for reloads. Returns a handle whose
 * close() undoes it all in reverse order. Used by main.ts, tests and benchmarks,
 * so it never reads env or exits the process: failures are thrown as
 * StartupError for main.ts to describe.
 */
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { Config } from './config/types.js';
import { buildApp } from './app.js';
import { createPool, type Sql } from './db/pool.js';
import { migrate } from './db/migrate.js';
import { StartupError, type StartupContext } from './db/startup-errors.js';
import type { EmbeddedHandle } from './db/embedded.js';
import { loadSchemaCache } from './catalog/load.js';
import { SchemaStore } from './catalog/store.js';
import { createUser, ensureAdmin, listUsers } from './auth/users.js';
import { isPgliveError } from './errors.js';
import { loadDemo, type DemoUser } from './demo/index.js';

export interface StartOptions {
  /** progress lines for humans ("Starting the embedded PostgreSQL in …") */
  readonly onLog?: (line: string) => void;
  /** passed to buildApp (e.g. false in tests) */
  readonly logger?: boolean | object;
}

export interface AdminCredentials {
  readonly email: string;
  /** set only on the start that generated it: it is stored nowhere */
  readonly password: string | null;
}

export interface ServerHandle {
  /** http://host:port of the listening server */
  readonly url: string;
  readonly app: FastifyInstance;
  readonly sql: Sql;
  readonly schema: SchemaStore;
  /** the embedded cluster when pglive started one: its folder, whether it is new, its URL (with the password) */
  readonly embedded: { readonly dataDir: string; readonly fresh: boolean; readonly url: string } | null;
  readonly adminCredentials: AdminCredentials | null;
  /** the demo users created by this start (empty when the demo was not loaded now) */
  readonly demoUsers: readonly DemoUser[];
  close(): Promise<void>;
}

interface Resources {
  embedded?: EmbeddedHandle;
  sql?: Sql;
  app?: FastifyInstance;
}

/** app first (no new requests), then the listener and the pool, then the cluster; errors do not stop the rest */
async function closeAll(r: Resources): Promise<void> {
  const steps = [
    () => r.app?.close(),
    () => r.sql?.end({ timeout: 5 }),
    () => r.embedded?.stop(),
  ];
  for (const step of steps) await Promise.resolve().then(step).catch(() => {});
}

export async function startServer(config: Config, opts: StartOptions = {}): Promise<ServerHandle> {
  const log = opts.onLog ?? (() => {});
  const r: Resources = {};
  let context: StartupContext = { databaseUrl: config.databaseUrl, stage: 'connect' };
  try {
    let databaseUrl = config.databaseUrl;
    if (databaseUrl === null) {
      context = { stage: 'embedded' };
      log(`Starting the embedded PostgreSQL in ${config.dataDir}`);
      const { startEmbedded } = await import('./db/embedded.js');
      r.embedded = await startEmbedded({ dataDir: config.dataDir });
      databaseUrl = r.embedded.url;
      context = { databaseUrl, stage: 'connect' };
    }

    const sql = (r.sql = createPool(databaseUrl, { max: config.poolSize }));
    await sql`select 1`;

    context = { ...context, stage: 'migrate' };
    const migrated = await migrate(sql);
    if (migrated.applied.length > 0) log(`Applied migrations ${migrated.applied.join(', ')}`);
    context = { ...context, stage: 'connect' };

    let demoUsers: DemoUser[] = [];
    if (r.embedded?.fresh && config.demo) {
      log('Loading the demo database');
      const demo = await loadDemo(sql);
      demoUsers = await createDemoUsers(sql, demo.users);
    }

    const adminCredentials = await ensureAdminUser(sql, config);

    const schema = new SchemaStore(() => loadSchemaCache(sql, { schemas: config.schemas }));
    await schema.reload();

    // the live engine owns the LISTEN connection: row changes, and 'reload schema' on channel pglive
    const app = (r.app = await buildApp({
      config, sql, schema,
      live: { installTriggers: config.liveTriggers },
      ...(opts.logger === undefined ? {} : { logger: opts.logger }),
    }));
    context = { ...context, stage: 'listen', host: config.host, port: config.port };
    await app.listen({ port: config.port, host: config.host });
    context = { ...context, stage: 'connect' };


    let closing: Promise<void> | null = null;
    const embedded = r.embedded;
    return {
      url: publicUrl(config.host, (app.server.address() as AddressInfo).port),
      app,
      sql,
      schema,
      embedded: embedded ? { dataDir: config.dataDir, fresh: embedded.fresh, url: embedded.url } : null,
      adminCredentials,
      demoUsers,
      close: () => (closing ??= closeAll(r)),
    };
  } catch (e) {
    await closeAll(r);
    throw new StartupError(e, context);
  }
}


async function ensureAdminUser(sql: Sql, config: Config): Promise<AdminCredentials | null> {
  const result = await ensureAdmin(sql, { email: config.adminEmail, password: config.adminPassword });
  if (result.user) return { email: result.user.email, password: result.generatedPassword };
  const admin = (await listUsers(sql)).find((u) => u.isAdmin && !u.disabled);
  return admin ? { email: admin.email, password: null } : null;
}

async function createDemoUsers(sql: Sql, users: readonly DemoUser[]): Promise<DemoUser[]> {
  for (const u of users) {
    try {
      await createUser(sql, { email: u.email, password: u.password, displayName: u.displayName, dbRole: u.role, isAdmin: false });
    } catch (e) {
      if (!(isPgliveError(e) && e.code === 'PGLIVE208')) throw e; // already there from an interrupted first start
    }
  }
  return [...users];
}

function publicUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}
