/**
 * Per-test-file databases on the shared PostgreSQL: unique names, fixtures
 * loaded from SQL files, dropped at the end. Roles are cluster-wide, so
 * fixtures must create them idempotently (see test/fixtures/*.sql).
 */
import { inject } from 'vitest';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import postgres from 'postgres';

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURES = join(here, '..', 'fixtures');

export interface TestDb {
  /** URL of the new database, as the admin (superuser) login */
  readonly url: string;
  readonly name: string;
  /** an admin connection to the new database */
  readonly sql: postgres.Sql;
  drop(): Promise<void>;
}

export function adminUrl(): string {
  return inject('adminUrl');
}

export function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = '/' + db;
  return u.toString();
}

/** Create a fresh database and load the given fixture files (names under test/fixtures or absolute paths). */
export async function createTestDb(fixtures: string[] = []): Promise<TestDb> {
  const admin = adminUrl();
  const name = `pglive_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const root = postgres(admin, { max: 1, onnotice: () => {} });
  try {
    await root.unsafe(`create database "${name}"`);
  } finally {
    await root.end();
  }
  const url = withDatabase(admin, name);
  const sql = postgres(url, { max: 4, onnotice: () => {} });
  for (const f of fixtures) {
    const path = f.startsWith('/') ? f : join(FIXTURES, f);
    await sql.unsafe(readFileSync(path, 'utf8'));
  }
  return {
    url,
    name,
    sql,
    async drop() {
      await sql.end({ timeout: 5 });
      const r = postgres(admin, { max: 1, onnotice: () => {} });
      try {
        await r.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await r.end();
      }
    },
  };
}
