/**
 * Runs pending migrations at start. Several pglive processes may start at
 * once: a transaction-level advisory lock serialises them, and each migration
 * commits together with its row in pglive.migrations.
 */
import type { Sql } from './pool.js';
import { MIGRATIONS, type Migration } from './migrations.js';

/** arbitrary, fixed: "pglive" in ASCII folded into an int8 */
const MIGRATION_LOCK = 0x70676c697665n;

export interface MigrateResult {
  readonly applied: readonly number[];
  readonly current: number;
}

export async function migrate(sql: Sql, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrateResult> {
  return (await sql.begin(async (tx) => {
    await tx.unsafe('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK.toString()]);
    // CREATE SCHEMA IF NOT EXISTS still needs CREATE on the database: skip it when
    // the schema exists, so a pre-created schema owned by the login role suffices.
    const [exists] = await tx.unsafe<{ n: number }[]>("select count(*)::int as n from pg_namespace where nspname = 'pglive'");
    if (!exists || exists.n === 0) {
      await tx.unsafe('create schema pglive');
      await tx.unsafe('revoke all on schema pglive from public');
    }
    await tx.unsafe(
      `create table if not exists pglive.migrations (
         version integer primary key,
         name text not null,
         applied_at timestamptz not null default now())`,
    );
    const rows = await tx.unsafe<{ version: number }[]>('select version from pglive.migrations');
    const done = new Set(rows.map((r) => r.version));
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      await tx.unsafe(m.sql);
      await tx.unsafe('insert into pglive.migrations (version, name) values ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    const current = Math.max(0, ...done, ...applied);
    return { applied, current };
  })) as MigrateResult;
}
