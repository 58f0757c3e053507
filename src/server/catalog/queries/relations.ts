/**
 * Set-based catalog queries about exposed relations: one query each for the
 * relations, their columns, their keys and their check constraints, all
 * filtered by the same `exposedRelOids` subquery (never one query per table).
 */
import type { TxSql } from '../../db/pool.js';

/** Tables, views, materialized views, foreign and partitioned tables of the schemas; partitions hidden. */
export function exposedRelOids(sql: TxSql, schemas: readonly string[]) {
  return sql`
    select c.oid
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = any(${[...schemas]}::text[])
      and c.relkind in ('r', 'v', 'm', 'f', 'p')
      and not c.relispartition`;
}

export interface RelationRow {
  oid: number;
  schema: string;
  name: string;
  relkind: string;
  comment: string | null;
  rls_enabled: boolean;
  rls_forced: boolean;
  /** columns of this table that its row-level security policies read; null: a whole-row reference */
  policy_columns: string[] | null;
  /** other relations the read policies (SELECT / ALL) of this table read, by oid */
  policy_reads: number[];
  estimated_rows: number;
  /** pg_relation_is_updatable bitmask: 8 insert, 4 update, 16 delete (views and foreign tables) */
  updatable_mask: number;
  /** OR of the tgtype of INSTEAD OF triggers: 4 insert, 8 delete, 16 update */
  instead_mask: number;
}

export function relationsQuery(sql: TxSql, schemas: readonly string[]) {
  return sql<RelationRow[]>`
    select
      c.oid,
      n.nspname::text as schema,
      c.relname::text as name,
      c.relkind::text as relkind,
      d.description as comment,
      c.relrowsecurity as rls_enabled,
      c.relforcerowsecurity as rls_forced,
      case when not c.relrowsecurity then '{}'::text[]
        -- a whole-row reference in a policy that filters reads: every column counts (pg_depend
        -- does not record those, so they are found in the expression's node tree)
        when exists (select from pg_policy p0 where p0.polrelid = c.oid and p0.polcmd in ('r', '*')
                       and p0.polqual::text ~ ':varattno 0 ') then null
        -- a policy expression records a dependency on every column it reads
        else coalesce((
          select array_agg(distinct a.attname::text)
          from pg_policy pol
          join pg_depend dep on dep.classid = 'pg_policy'::regclass and dep.objid = pol.oid
            and dep.refclassid = 'pg_class'::regclass and dep.refobjid = c.oid and dep.refobjsubid > 0
          join pg_attribute a on a.attrelid = c.oid and a.attnum = dep.refobjsubid
          where pol.polrelid = c.oid
        ), '{}') end as policy_columns,
      -- the relations a read policy's expression reads besides this one (a membership table, say):
      -- their changes can move rows of this table in or out of a role's sight
      case when not c.relrowsecurity then '{}'::oid[] else coalesce((
        select array_agg(distinct dep.refobjid order by dep.refobjid)
        from pg_policy pol
        join pg_depend dep on dep.classid = 'pg_policy'::regclass and dep.objid = pol.oid
          and dep.refclassid = 'pg_class'::regclass and dep.refobjid <> c.oid
        where pol.polrelid = c.oid and pol.polcmd in ('r', '*')
      ), '{}'::oid[]) end as policy_reads,
      case when c.relkind = 'p' then coalesce((
        -- a partitioned parent has no rows of its own: add up the analysed leaves
        select case when bool_or(pc.reltuples >= 0) then sum(greatest(pc.reltuples, 0)) else -1 end
        from pg_partition_tree(c.oid) pt
        join pg_class pc on pc.oid = pt.relid
        where pt.isleaf
      ), -1) else c.reltuples end::float8 as estimated_rows,
      case when c.relkind in ('v', 'f') then pg_relation_is_updatable(c.oid::regclass, true) else 0 end as updatable_mask,
      coalesce((
        select bit_or(t.tgtype) from pg_trigger t
        where t.tgrelid = c.oid and (t.tgtype & 64) <> 0 and (t.tgtype & 1) = 1
      ), 0)::int as instead_mask
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    left join pg_description d
      on d.classoid = 'pg_class'::regclass and d.objoid = c.oid and d.objsubid = 0
    where c.oid in (${exposedRelOids(sql, schemas)})
    order by n.nspname, c.relname`;
}

export interface ColumnRow {
  rel: number;
  attnum: number;
  name: string;
  type: string;
  type_oid: number;
  ndims: number;
  not_null: boolean;
  default: string | null;
  identity: string;
  generated: string;
  max_length: number | null;
  precision: number | null;
  scale: number | null;
  comment: string | null;
  nondeterministic: boolean;
}

export function columnsQuery(sql: TxSql, schemas: readonly string[]) {
  // information_schema's helpers give the same length/precision/scale as
  // information_schema.columns (domains resolved), without its slow view;
  // guarded by category because each call costs (SQL functions, not inlined).
  return sql<ColumnRow[]>`
    select
      a.attrelid as rel,
      a.attnum::int as attnum,
      a.attname::text as name,
      format_type(a.atttypid, a.atttypmod) as type,
      a.atttypid as type_oid,
      a.attndims::int as ndims,
      a.attnotnull as not_null,
      case when a.attgenerated = '' then pg_get_expr(ad.adbin, ad.adrelid) end as default,
      a.attidentity::text as identity,
      a.attgenerated::text as generated,
      case when t.typcategory in ('S', 'V')
        then information_schema._pg_char_max_length(tt.id, tt.mod) end as max_length,
      case when t.typcategory = 'N'
        then information_schema._pg_numeric_precision(tt.id, tt.mod) end as precision,
      case when t.typcategory = 'N'
        then information_schema._pg_numeric_scale(tt.id, tt.mod) end as scale,
      d.description as comment,
      coalesce((select not co.collisdeterministic from pg_collation co where co.oid = a.attcollation), false) as nondeterministic
    from pg_attribute a
    join pg_type t on t.oid = a.atttypid
    -- what information_schema._pg_truetypid/_pg_truetypmod compute (one level of domain)
    cross join lateral (
      select
        case when t.typtype = 'd' then t.typbasetype else a.atttypid end as id,
        case when t.typtype = 'd' then t.typtypmod else a.atttypmod end as mod
    ) tt
    left join pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
    left join pg_description d
      on d.classoid = 'pg_class'::regclass and d.objoid = a.attrelid and d.objsubid = a.attnum
    where a.attrelid in (${exposedRelOids(sql, schemas)})
      and a.attnum > 0
      and not a.attisdropped
    order by a.attrelid, a.attnum`;
}

export interface KeyRow {
  rel: number;
  primary: boolean;
  columns: string[];
}

/** Primary keys and unique indexes made of plain columns, without a predicate (usable as on_conflict targets). */
export function keysQuery(sql: TxSql, schemas: readonly string[]) {
  return sql<KeyRow[]>`
    select
      i.indrelid as rel,
      i.indisprimary as primary,
      array(
        select a.attname::text
        from unnest(i.indkey::int2[]) with ordinality k(attnum, ord)
        join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
        where k.ord <= i.indnkeyatts
        order by k.ord
      ) as columns
    from pg_index i
    join pg_class ic on ic.oid = i.indexrelid
    where i.indrelid in (${exposedRelOids(sql, schemas)})
      and i.indisunique
      and i.indisvalid
      and i.indpred is null
      and i.indexprs is null
    order by i.indrelid, i.indisprimary desc, ic.relname`;
}

export interface CheckRow {
  rel: number;
  name: string;
  definition: string;
  columns: string[];
}

export function checksQuery(sql: TxSql, schemas: readonly string[]) {
  return sql<CheckRow[]>`
    select
      c.conrelid as rel,
      c.conname::text as name,
      pg_get_constraintdef(c.oid) as definition,
      array(
        select a.attname::text
        from unnest(c.conkey) with ordinality k(attnum, ord)
        join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum
        order by k.ord
      ) as columns
    from pg_constraint c
    where c.contype = 'c'
      and c.conrelid in (${exposedRelOids(sql, schemas)})
    order by c.conrelid, c.conname`;
}
