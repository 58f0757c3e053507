/**
 * Every pg_type row needed to describe exposed columns: their types, and
 * recursively the base types of domains and the element types of arrays,
 * plus the enums and domains defined in the exposed schemas. Resolution
 * (domain → base, array → element) happens in build.ts over this closure.
 */
import type { TxSql } from '../../db/pool.js';
import { exposedRelOids } from './relations.js';

export interface TypeRow {
  oid: number;
  schema: string;
  name: string;
  /** b base, c composite, d domain, e enum, p pseudo, r range, m multirange */
  typtype: string;
  category: string;
  basetype: number;
  elem: number;
  len: number;
  not_null: boolean;
  /** in an exposed schema (listed in SchemaCache.enums/domains even when unused) */
  exposed: boolean;
  /** for domains: format_type of the base type with the domain's typmod */
  domain_base: string | null;
  /** for domains: CHECK definitions, in name order */
  checks: string[] | null;
  /** for enums: labels in enumsortorder */
  labels: string[] | null;
}

export function typesQuery(sql: TxSql, schemas: readonly string[]) {
  const names = [...schemas];
  return sql<TypeRow[]>`
    with recursive closure(oid) as (
      select a.atttypid
      from pg_attribute a
      where a.attrelid in (${exposedRelOids(sql, schemas)}) and a.attnum > 0 and not a.attisdropped
      union
      select t.oid
      from pg_type t
      join pg_namespace n on n.oid = t.typnamespace
      where n.nspname = any(${names}::text[]) and t.typtype in ('d', 'e')
      union
      select case when t.typtype = 'd' then t.typbasetype else t.typelem end
      from closure c
      join pg_type t on t.oid = c.oid
      where t.typtype = 'd' or (t.typtype = 'b' and t.typelem <> 0 and t.typlen = -1)
    )
    select
      t.oid,
      n.nspname::text as schema,
      t.typname::text as name,
      t.typtype::text as typtype,
      t.typcategory::text as category,
      t.typbasetype as basetype,
      t.typelem as elem,
      t.typlen::int as len,
      t.typnotnull as not_null,
      n.nspname = any(${names}::text[]) as exposed,
      case when t.typtype = 'd' then format_type(t.typbasetype, t.typtypmod) end as domain_base,
      case when t.typtype = 'd' then array(
        select pg_get_constraintdef(k.oid) from pg_constraint k
        where k.contypid = t.oid and k.contype = 'c' order by k.conname
      ) end as checks,
      case when t.typtype = 'e' then array(
        select e.enumlabel::text from pg_enum e where e.enumtypid = t.oid order by e.enumsortorder
      ) end as labels
    from closure
    join pg_type t on t.oid = closure.oid
    join pg_namespace n on n.oid = t.typnamespace
    order by n.nspname, t.typname`;
}
