/**
 * Roles and their privileges. Privileges for every (exposed relation × role)
 * come from ONE query: roles cross-joined with columns, has_column_privilege
 * per cell (it also answers yes for table-level grants), aggregated per pair.
 */
import type { TxSql } from '../../db/pool.js';
import { exposedRelOids } from './relations.js';

export interface SessionRow {
  me: string;
  server_version: number;
  /** roles current_user is a member of (directly or not), pg_* excluded, sorted */
  member_of: string[];
  /** the requested roles that exist, in the requested order */
  requested: string[];
}

export function sessionQuery(sql: TxSql, requested: readonly string[]) {
  return sql<SessionRow[]>`
    select
      current_user::text as me,
      current_setting('server_version_num')::int as server_version,
      array(
        select r.rolname::text from pg_roles r
        where pg_has_role(current_user, r.oid, 'MEMBER')
          and r.rolname !~ '^pg_' and r.rolname <> current_user
        order by r.rolname
      ) as member_of,
      array(
        select r.role from unnest(${[...requested]}::text[]) with ordinality r(role, ord)
        where exists (select 1 from pg_roles p where p.rolname = r.role)
        order by r.ord
      ) as requested`;
}

export interface PrivilegeRow {
  rel: number;
  role: string;
  select: string[];
  insert: string[];
  update: string[];
  delete: boolean;
  refresh: boolean;
}

/**
 * `refresh`: the role may REFRESH the materialized view: it has its owner's
 * privileges (PostgreSQL 15/16) or, from PostgreSQL 17, the MAINTAIN privilege.
 * Always false for other relations.
 */
export function privilegesQuery(sql: TxSql, schemas: readonly string[], roles: readonly string[], serverVersion: number) {
  // has_table_privilege(…, 'MAINTAIN') is an error before PostgreSQL 17
  const maintain = serverVersion >= 170000 ? sql`or has_table_privilege(r.role, c.oid, 'MAINTAIN')` : sql``;
  return sql<PrivilegeRow[]>`
    select
      c.oid as rel,
      r.role,
      coalesce(array_agg(a.attname::text order by a.attnum)
        filter (where has_column_privilege(r.role, c.oid, a.attnum, 'SELECT')), '{}') as select,
      coalesce(array_agg(a.attname::text order by a.attnum)
        filter (where has_column_privilege(r.role, c.oid, a.attnum, 'INSERT')), '{}') as insert,
      coalesce(array_agg(a.attname::text order by a.attnum)
        filter (where has_column_privilege(r.role, c.oid, a.attnum, 'UPDATE')), '{}') as update,
      has_table_privilege(r.role, c.oid, 'DELETE') as delete,
      c.relkind = 'm' and (pg_has_role(r.role, c.relowner, 'USAGE') ${maintain}) as refresh
    from pg_class c
    cross join unnest(${[...roles]}::text[]) r(role)
    left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    where c.oid in (${exposedRelOids(sql, schemas)})
    group by c.oid, r.role`;
}
