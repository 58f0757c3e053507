/**
 * The demo database ("Acme Trading"), loaded when pglive starts its embedded
 * PostgreSQL with no database of its own. See docs/demo.md for what it shows.
 *
 * Everything is created in schema public in one transaction: a failed load
 * leaves nothing behind. Nothing goes into schema pglive; a loaded demo is
 * recognised by the comment on its regions table (marker.ts).
 */
import type { Sql, TxSql } from '../db/pool.js';
import { DATA_SQL, DROP_HELPERS_SQL, HELPERS_SQL } from './data.js';
import { FINISH_SQL } from './finish.js';
import { DEMO_MARKER_COMMENT, DEMO_MARKER_TABLE } from './marker.js';
import { SCHEMA_SQL } from './schema.js';
import { SECURITY_SQL } from './security.js';
import { DEMO_USERS, type DemoUser } from './users.js';

export { DEMO_ROLES, DEMO_USERS, type DemoUser } from './users.js';

export interface LoadDemoResult {
  /** the pglive users to create (their roles exist once loadDemo returns) */
  users: DemoUser[];
  /** wall-clock time of the load; 0 when nothing was done */
  ms: number;
  /** false when the demo was already there: loading again is a no-op */
  created: boolean;
}

/** serialises concurrent loads into the same database (two pglive processes starting at once) */
const DEMO_LOCK = '7406880156735345'; // arbitrary, fixed

/** run in order; each is a multi-statement script */
const STEPS: readonly string[] = [HELPERS_SQL, SCHEMA_SQL, DATA_SQL, FINISH_SQL, SECURITY_SQL, DROP_HELPERS_SQL];

/**
 * Create the demo schema and data in the database `sql` points at. Loading
 * into a database that already holds the demo is a no-op (created: false).
 * The login role needs CREATEROLE (or superuser) for the demo roles.
 */
export async function loadDemo(sql: Sql): Promise<LoadDemoResult> {
  const started = performance.now();
  const created = (await sql.begin(async (tx) => {
    await tx.unsafe('select pg_advisory_xact_lock($1)', [DEMO_LOCK]);
    if (await markerPresent(tx)) return false;
    // the load takes seconds; a server-wide statement_timeout must not cut it short
    await tx.unsafe("select set_config('statement_timeout', '0', true)");
    for (const step of STEPS) await tx.unsafe(step);
    return true;
  })) as boolean;
  return {
    users: DEMO_USERS.map((u) => ({ ...u })),
    ms: created ? Math.round(performance.now() - started) : 0,
    created,
  };
}

/** true when the database already holds the demo */
export async function isDemoLoaded(sql: Sql): Promise<boolean> {
  return markerPresent(sql);
}

async function markerPresent(sql: Sql | TxSql): Promise<boolean> {
  const rows = await sql.unsafe<{ loaded: boolean }[]>(
    "select coalesce(obj_description(to_regclass($1), 'pg_class') = $2, false) as loaded",
    [DEMO_MARKER_TABLE, DEMO_MARKER_COMMENT],
  );
  return rows[0]?.loaded === true;
}
