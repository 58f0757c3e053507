/**
 * The pglive side of the REST benchmark, run as a child process so the server
 * has its own event loop (as in production) and the load generator's CPU is
 * not counted inside it. Builds the real app (migrations, schema cache, auth,
 * REST) over the bench database, listens on a free loopback port and prints
 * `LISTENING <port>` on stdout. SIGTERM closes it.
 *
 * Env: BENCH_DB_URL (the bench database, as a login that can SET ROLE bench_user),
 *      BENCH_JWT_SECRET, BENCH_POOL_SIZE (default 10), BENCH_LOG_LEVEL (default silent).
 */
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../src/server/app.js';
import { loadSchemaCache } from '../../src/server/catalog/load.js';
import { SchemaStore } from '../../src/server/catalog/store.js';
import { migrate } from '../../src/server/db/migrate.js';
import { createPool } from '../../src/server/db/pool.js';
import { benchConfig, POOL_SIZE } from './config.js';

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (bench/rest/server.ts is started by bench/rest/run.ts)`);
  return v;
}

async function main(): Promise<void> {
  const config = benchConfig(required('BENCH_DB_URL'), required('BENCH_JWT_SECRET'), Number(process.env.BENCH_POOL_SIZE ?? POOL_SIZE), process.env.BENCH_LOG_LEVEL ?? 'silent');
  const sql = createPool(config.databaseUrl!, { max: config.poolSize });
  await migrate(sql);
  const store = new SchemaStore(() => loadSchemaCache(sql, { schemas: config.schemas }));
  await store.reload();
  const app = await buildApp({ config, sql, schema: store });
  await app.listen({ port: 0, host: config.host });
  const { port } = app.server.address() as AddressInfo;
  process.stdout.write(`LISTENING ${port}\n`);

  const stop = async () => {
    await app.close().catch(() => {});
    await sql.end({ timeout: 5 }).catch(() => {});
    // a normal exit (not a signal death) so --cpu-prof writes its profile
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((e: unknown) => {
  process.stderr.write(`bench server failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
