/**
 * `pglive uninstall`: remove everything pglive created in a database, in one
 * transaction so a failure leaves it as it was. pglive's objects are the schema
 * `pglive` and, for the live engine, event triggers, triggers and publications
 * named pglive_*; user tables and data are never touched.
 */
import type { Sql, TxSql } from './db/pool.js';
import { quoteIdent, quoteQualified } from './sql/ident.js';

/** LIKE pattern: the underscore is escaped so `pglivex` is not matched */
const PREFIX = 'pglive\\_%';

export interface UninstallResult {
  /** human-readable descriptions of what was dropped, in order */
  readonly removed: readonly string[];
}

export async function uninstall(sql: Sql): Promise<UninstallResult> {
  return (await sql.begin(async (tx) => {
    const removed: string[] = [];
    for (const { name } of await tx.unsafe<{ name: string }[]>(
      'select evtname as name from pg_event_trigger where evtname like $1 order by 1',
      [PREFIX],
    )) {
      await tx.unsafe(`drop event trigger ${quoteIdent(name)}`);
      removed.push(`event trigger ${name}`);
    }
    removed.push(...(await dropTriggers(tx)));
    for (const { name } of await tx.unsafe<{ name: string }[]>(
      'select pubname as name from pg_publication where pubname like $1 order by 1',
      [PREFIX],
    )) {
      await tx.unsafe(`drop publication ${quoteIdent(name)}`);
      removed.push(`publication ${name}`);
    }
    const [schema] = await tx.unsafe<{ tables: string | null }[]>(
      `select (select string_agg(c.relname, ', ' order by c.relname) from pg_class c
                where c.relnamespace = s.oid and c.relkind in ('r', 'p')) as tables
         from pg_namespace s where s.nspname = 'pglive'`,
    );
    if (schema) {
      await tx.unsafe('drop schema pglive cascade');
      removed.push(`schema pglive${schema.tables ? ` (tables ${schema.tables})` : ''}`);
    }
    return { removed };
  })) as UninstallResult;
}

/** triggers named pglive_* on user tables (the schema pglive's own go with the schema) */
async function dropTriggers(tx: TxSql): Promise<string[]> {
  const rows = await tx.unsafe<{ trigger: string; schema: string; table: string }[]>(
    `select t.tgname as trigger, n.nspname as schema, c.relname as table
       from pg_trigger t
       join pg_class c on c.oid = t.tgrelid
       join pg_namespace n on n.oid = c.relnamespace
      where not t.tgisinternal and t.tgname like $1 and n.nspname <> 'pglive'
      order by 2, 3, 1`,
    [PREFIX],
  );
  const removed: string[] = [];
  for (const r of rows) {
    await tx.unsafe(`drop trigger ${quoteIdent(r.trigger)} on ${quoteQualified(r.schema, r.table)}`);
    removed.push(`trigger ${r.trigger} on ${r.schema}.${r.table}`);
  }
  return removed;
}
