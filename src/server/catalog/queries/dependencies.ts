/**
 * What views read, and the foreign keys that matter to exposed relations.
 *
 * `viewReads` walks pg_depend from each exposed view's (or materialized
 * view's) _RETURN rule, recursively through the plain views it reads, in one
 * recursive query. The walk also tells which base tables sit under exposed
 * views, so foreign keys between those tables (even in unexposed schemas) can
 * be carried over to the views.
 */
import type { TxSql } from '../../db/pool.js';
import { exposedRelOids } from './relations.js';

function viewReadsCte(sql: TxSql, schemas: readonly string[]) {
  return sql`
    reads(view_oid, ref_oid) as (
      select r.ev_class, d.refobjid
      from pg_rewrite r
      join pg_depend d
        on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid
       and d.refclassid = 'pg_class'::regclass and d.refobjid <> r.ev_class
      where r.rulename = '_RETURN' and r.ev_class in (${exposedRelOids(sql, schemas)})
      union
      select r.ev_class, d.refobjid
      from reads
      join pg_class c on c.oid = reads.ref_oid and c.relkind = 'v'
      join pg_rewrite r on r.ev_class = c.oid and r.rulename = '_RETURN'
      join pg_depend d
        on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid
       and d.refclassid = 'pg_class'::regclass and d.refobjid <> r.ev_class
    )`;
}

export interface ViewNodeRow {
  oid: number;
  schema: string;
  name: string;
  relkind: string;
  /** pg_rewrite.ev_action of the _RETURN rule, for the views that were expanded */
  action: string | null;
  /** oids of the relations this view reads directly */
  reads: number[];
}

/** Every relation in the dependency closure of the exposed views: the views themselves and what they read. */
export function viewReadsQuery(sql: TxSql, schemas: readonly string[]) {
  return sql<ViewNodeRow[]>`
    with recursive ${viewReadsCte(sql, schemas)},
    nodes(oid) as (select view_oid from reads union select ref_oid from reads)
    select
      c.oid,
      n.nspname::text as schema,
      c.relname::text as name,
      c.relkind::text as relkind,
      (select r.ev_action::text from pg_rewrite r
        where r.ev_class = c.oid and r.rulename = '_RETURN'
          and exists (select 1 from reads where reads.view_oid = c.oid)) as action,
      array(select reads.ref_oid from reads where reads.view_oid = c.oid order by 1) as reads
    from nodes
    join pg_class c on c.oid = nodes.oid
    join pg_namespace n on n.oid = c.relnamespace`;
}

export interface ForeignKeyRow {
  name: string;
  rel: number;
  schema: string;
  table: string;
  ref_rel: number;
  ref_schema: string;
  ref_table: string;
  attnums: number[];
  ref_attnums: number[];
  columns: string[];
  ref_columns: string[];
  /** the table or the referenced table is in an exposed schema (listed in SchemaCache.foreignKeys) */
  exposed: boolean;
  /** the FK columns are exactly the primary key or a unique index of the referencing table */
  source_unique: boolean;
}

export function foreignKeysQuery(sql: TxSql, schemas: readonly string[]) {
  const names = [...schemas];
  // conparentid = 0: skip the clones PostgreSQL makes on each partition
  return sql<ForeignKeyRow[]>`
    with recursive ${viewReadsCte(sql, schemas)}
    select
      c.conname::text as name,
      c.conrelid as rel,
      sn.nspname::text as schema,
      sc.relname::text as table,
      c.confrelid as ref_rel,
      tn.nspname::text as ref_schema,
      tc.relname::text as ref_table,
      c.conkey::int[] as attnums,
      c.confkey::int[] as ref_attnums,
      array(
        select a.attname::text from unnest(c.conkey) with ordinality k(attnum, ord)
        join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum
        order by k.ord
      ) as columns,
      array(
        select a.attname::text from unnest(c.confkey) with ordinality k(attnum, ord)
        join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.attnum
        order by k.ord
      ) as ref_columns,
      (sn.nspname = any(${names}::text[]) or tn.nspname = any(${names}::text[])) as exposed,
      exists (
        select 1 from pg_index i
        where i.indrelid = c.conrelid and i.indisunique and i.indisvalid
          and i.indpred is null and i.indexprs is null
          and i.indnkeyatts = cardinality(c.conkey)
          and (select array_agg(k order by k) from unnest(c.conkey) k)
            = (select array_agg(k order by k) from unnest(i.indkey::int2[]) with ordinality u(k, o) where o <= i.indnkeyatts)
      ) as source_unique
    from pg_constraint c
    join pg_class sc on sc.oid = c.conrelid
    join pg_namespace sn on sn.oid = sc.relnamespace
    join pg_class tc on tc.oid = c.confrelid
    join pg_namespace tn on tn.oid = tc.relnamespace
    where c.contype = 'f' and c.conparentid = 0
      and (sn.nspname = any(${names}::text[]) or tn.nspname = any(${names}::text[])
           or c.conrelid in (select ref_oid from reads) or c.confrelid in (select ref_oid from reads))
    order by sn.nspname, sc.relname, c.conname`;
}
