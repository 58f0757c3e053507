/**
 * catalogFingerprint: a cheap value that changes when DDL changes what pglive
 * exposes in the given schemas. For servers without event triggers (no
 * superuser): poll it, and reload the SchemaCache when it changes.
 *
 * Catalog rows are compared by xmin (any transactional update gives a row a
 * new xmin; a dropped row disappears). pg_class is the exception: VACUUM,
 * ANALYZE and trigger creation rewrite its rows, so only the columns the
 * SchemaCache reads are hashed. pglive's own capture triggers are left out,
 * so installing them does not look like a schema change.
 */
import type { Sql } from '../../db/pool.js';

const FINGERPRINT_SQL = `
with ns as (select oid from pg_namespace where nspname = any($1::text[])),
rel as (select oid from pg_class where relnamespace in (select oid from ns)),
fn as (select oid from pg_proc where pronamespace in (select oid from ns)),
entries as (
  select 'n' || n.oid || ':' || n.nspname || ':' || n.xmin || ':' || coalesce(n.nspacl::text, '') as e
    from pg_namespace n where n.oid in (select oid from ns)
  union all
  select 'c' || c.oid || ':' || c.relname || ':' || c.relkind::text || ':' || c.relispartition || ':' || c.relrowsecurity
         || ':' || c.relforcerowsecurity || ':' || coalesce(c.relacl::text, '') || ':' || c.reloftype
    from pg_class c where c.oid in (select oid from rel)
  union all
  select 'a' || a.attrelid || '.' || a.attnum || ':' || a.xmin from pg_attribute a
   where a.attrelid in (select oid from rel) and a.attnum > 0
  union all
  select 'd' || d.oid || ':' || d.xmin from pg_attrdef d where d.adrelid in (select oid from rel)
  union all
  select 'k' || k.oid || ':' || k.xmin from pg_constraint k
   where k.conrelid in (select oid from rel) or k.connamespace in (select oid from ns)
  union all
  select 'i' || i.indexrelid || ':' || i.xmin from pg_index i where i.indrelid in (select oid from rel)
  union all
  select 'r' || w.oid || ':' || w.xmin from pg_rewrite w where w.ev_class in (select oid from rel)
  union all
  select 'g' || t.oid || ':' || t.xmin from pg_trigger t
   where t.tgrelid in (select oid from rel) and t.tgname not like 'pglive\\_%'
  union all
  select 'p' || p.oid || ':' || p.xmin from pg_proc p where p.oid in (select oid from fn)
  union all
  select 't' || y.oid || ':' || y.xmin from pg_type y where y.typnamespace in (select oid from ns)
  union all
  select 'e' || e.oid || ':' || e.xmin from pg_enum e
   where e.enumtypid in (select y.oid from pg_type y where y.typnamespace in (select oid from ns))
  union all
  select 'm' || m.objoid || '.' || m.objsubid || ':' || m.xmin from pg_description m
   where m.objoid in (select oid from rel union all select oid from fn union all select oid from ns)
  union all
  -- role membership decides which roles the SchemaCache computes privileges for
  select 'u' || u.roleid || '.' || u.member || ':' || u.xmin from pg_auth_members u
)
select md5(coalesce(string_agg(e, E'\\n' order by e), '')) as fingerprint from entries`;

export async function catalogFingerprint(sql: Sql, schemas: readonly string[]): Promise<string> {
  const [row] = await sql.unsafe<{ fingerprint: string }[]>(FINGERPRINT_SQL, [[...schemas]]);
  if (!row) throw new Error('catalogFingerprint: no row');
  return row.fingerprint;
}

/**
 * Role memberships change with GRANT / REVOKE of roles, which fire no event
 * trigger (roles are shared objects). The live engine polls the memberships of
 * the roles its views run as: a membership decides, through policies that test
 * it (pg_has_role), which rows a view shows, and the privileges the SchemaCache
 * computes. Other roles' memberships (the cluster's other databases and users)
 * do not concern it.
 */
const MEMBERSHIP_SQL = `select r.name, md5(array_to_string(array(
           select g.oid from pg_roles g where g.oid <> p.oid and pg_has_role(p.oid, g.oid, 'MEMBER') order by g.oid), ',')) as fingerprint
  from unnest($1::text[]) as r(name) join pg_roles p on p.rolname = r.name
 where not p.rolsuper`;

/**
 * Per role (of those given that exist and are not superusers): a fingerprint
 * of the roles it is a member of, directly or not. A superuser is a member of
 * every role and bypasses row-level security: its memberships say nothing, and
 * would change with every role created anywhere in the cluster.
 */
export async function membershipFingerprints(sql: Sql, roles: readonly string[]): Promise<Map<string, string>> {
  const rows = await sql.unsafe<{ name: string; fingerprint: string }[]>(MEMBERSHIP_SQL, [[...roles]]);
  return new Map(rows.map((r) => [r.name, r.fingerprint]));
}
