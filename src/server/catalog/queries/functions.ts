/** Functions (prokind 'f') of the exposed schemas, with EXECUTE checked for every role in the same query. */
import type { TxSql } from '../../db/pool.js';

export interface FunctionRow {
  oid: number;
  schema: string;
  name: string;
  /** all argument types incl. OUT/TABLE ones (proallargtypes), else the IN ones */
  arg_types: number[];
  arg_type_names: string[];
  /** i in, o out, b inout, v variadic, t table; empty when all are IN */
  arg_modes: string[];
  arg_names: string[];
  /** how many of the trailing input arguments have defaults */
  n_defaults: number;
  return_type: string;
  returns_set: boolean;
  return_is_record: boolean;
  /** set when the return type is the row type of a table, view… (not a free-standing composite type) */
  return_rel_schema: string | null;
  return_rel_name: string | null;
  /** the return type is a composite type (including row types of relations) */
  return_is_composite: boolean;
  volatility: string;
  comment: string | null;
  executable_by: string[];
}

export function functionsQuery(sql: TxSql, schemas: readonly string[], roles: readonly string[]) {
  return sql<FunctionRow[]>`
    select
      p.oid,
      n.nspname::text as schema,
      p.proname::text as name,
      -- rebuilt through unnest: oidvector::oid[] keeps 0-based bounds ("[0:1]={...}")
      array(
        select u.t from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) with ordinality u(t, ord)
        order by u.ord
      ) as arg_types,
      array(
        select format_type(u.t, null) from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) with ordinality u(t, ord)
        order by u.ord
      ) as arg_type_names,
      coalesce(p.proargmodes::text[], '{}') as arg_modes,
      coalesce(p.proargnames, '{}') as arg_names,
      p.pronargdefaults::int as n_defaults,
      format_type(p.prorettype, null) as return_type,
      p.proretset as returns_set,
      p.prorettype = 'record'::regtype as return_is_record,
      case when rc.relkind in ('r', 'v', 'm', 'f', 'p') then rn.nspname::text end as return_rel_schema,
      case when rc.relkind in ('r', 'v', 'm', 'f', 'p') then rc.relname::text end as return_rel_name,
      rt.typtype = 'c' as return_is_composite,
      p.provolatile::text as volatility,
      d.description as comment,
      array(
        select r.role from unnest(${[...roles]}::text[]) with ordinality r(role, ord)
        where has_function_privilege(r.role, p.oid, 'EXECUTE')
        order by r.ord
      ) as executable_by
    from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
    join pg_type rt on rt.oid = p.prorettype
    left join pg_class rc on rc.oid = rt.typrelid
    left join pg_namespace rn on rn.oid = rc.relnamespace
    left join pg_description d
      on d.classoid = 'pg_proc'::regclass and d.objoid = p.oid and d.objsubid = 0
    where n.nspname = any(${[...schemas]}::text[]) and p.prokind = 'f'
      -- trigger functions cannot be called directly
      and p.prorettype not in ('trigger'::regtype, 'event_trigger'::regtype)
    order by n.nspname, p.proname, p.oid`;
}
