/**
 * Renders mutation plans. The body travels as one json bind parameter and is
 * turned into rows by json_populate_recordset(null::table, $n), so PostgreSQL's
 * own input functions convert every value (enums, domains, arrays, jsonb…).
 */
import type { Column } from '../catalog/types.js';
import type { MutatePlan } from '../plan/types.js';
import { quoteIdent, quoteQualified } from './ident.js';
import { Params, type SqlStatement } from './params.js';
import { JSON_ROWS, nodeQuery, whereParts } from './read.js';
import { readableColumns } from '../plan/read.js';

function colList(cols: readonly Column[]): string {
  return cols.map((c) => quoteIdent(c.name)).join(', ');
}

function returningNames(plan: MutatePlan, role: string): string[] {
  if (plan.returning === 'headers-only' && plan.relation.primaryKey.length > 0) return [...plan.relation.primaryKey];
  return readableColumns(plan.relation, role).map((c) => c.name);
}

function qualified(alias: string | null, names: readonly string[]): string {
  return names.map((n) => (alias ? `${alias}.${quoteIdent(n)}` : quoteIdent(n))).join(', ');
}

function insertSql(plan: MutatePlan, groupIndex: number, p: Params, returning: readonly string[] | null): string {
  const rel = plan.relation;
  const g = plan.groups[groupIndex]!;
  const target = quoteQualified(rel.schema, rel.name);
  const cols = colList(g.columns);
  let q = `insert into ${target}${cols ? ` (${cols})` : ''} select ${cols} from json_populate_recordset(null::${target}, ${p.add(g.rows)}::json)`;
  if (plan.onConflict) {
    const conflict = plan.onConflict.columns.map(quoteIdent).join(', ');
    const updatable = g.columns.filter((c) => !plan.onConflict!.columns.includes(c.name));
    if (plan.onConflict.action === 'ignore') {
      q += ` on conflict (${conflict}) do nothing`;
    } else {
      const sets = (updatable.length > 0 ? updatable.map((c) => c.name) : plan.onConflict.columns).map((c) => `${quoteIdent(c)} = excluded.${quoteIdent(c)}`);
      q += ` on conflict (${conflict}) do update set ${sets.join(', ')}`;
    }
  }
  if (returning !== null) q += ` returning ${qualified(null, returning)}${tracksInserts(plan) ? `, (xmax = 0) as ${INSERTED}` : ''}`;
  return q;
}

/** For upserts on tables, RETURNING also says which rows were inserted (xmax = 0), so a pure update answers 200. */
const INSERTED = '"_pglive_inserted"';
function tracksInserts(plan: MutatePlan): boolean {
  return plan.onConflict !== null && (plan.relation.kind === 'table' || plan.relation.kind === 'partitioned_table');
}

function updateSql(plan: MutatePlan, p: Params, returning: readonly string[] | null): string {
  const rel = plan.relation;
  const target = quoteQualified(rel.schema, rel.name);
  const t = plan.target.alias;
  const sets = plan.setColumns.map((c) => `${quoteIdent(c.name)} = _b.${quoteIdent(c.name)}`);
  const where = whereParts(plan.target, p);
  let q = `update ${target} as ${t} set ${sets.join(', ')} from json_populate_record(null::${target}, ${p.add(plan.setValues)}::json) as _b`;
  if (where.length > 0) q += ` where ${where.join(' and ')}`;
  if (returning !== null) q += ` returning ${qualified(t, returning)}`;
  return q;
}

function deleteSql(plan: MutatePlan, p: Params, returning: readonly string[] | null): string {
  const rel = plan.relation;
  const t = plan.target.alias;
  const where = whereParts(plan.target, p);
  let q = `delete from ${quoteQualified(rel.schema, rel.name)} as ${t}`;
  if (where.length > 0) q += ` where ${where.join(' and ')}`;
  if (returning !== null) q += ` returning ${qualified(t, returning)}`;
  return q;
}

/**
 * return=minimal: plain statements without RETURNING (so SELECT privileges and
 * SELECT policies are not required), one per insert group; counts come from
 * the command tags.
 */
export function minimalStatements(plan: MutatePlan): SqlStatement[] {
  if (plan.kind === 'insert' || plan.kind === 'upsert-put') {
    return plan.groups.map((_, i) => {
      const p = new Params();
      return { text: insertSql(plan, i, p, null), values: p.values };
    });
  }
  const p = new Params();
  return [{ text: plan.kind === 'update' ? updateSql(plan, p, null) : deleteSql(plan, p, null), values: p.values }];
}

/**
 * return=representation / headers-only: one statement, the mutation in a CTE
 * named _mut, the read shape applied on top. Row { total, page_total, body, keys }.
 */
export function returningStatement(plan: MutatePlan, role: string): SqlStatement {
  const p = new Params();
  const returning = returningNames(plan, role);
  let ctes: string;
  if (plan.kind === 'insert' || plan.kind === 'upsert-put') {
    const parts = plan.groups.map((_, i) => `_m${i} as (${insertSql(plan, i, p, returning)})`);
    const union = plan.groups.map((_, i) => `select * from _m${i}`).join(' union all ');
    ctes = `with ${parts.join(', ')}, _mut as (${union || `select ${qualified(null, returning)} from ${quoteQualified(plan.relation.schema, plan.relation.name)} where false`})`;
  } else {
    ctes = `with _mut as (${plan.kind === 'update' ? updateSql(plan, p, returning) : deleteSql(plan, p, returning)})`;
  }
  const pk = plan.relation.primaryKey;
  const keys = pk.length > 0 && pk.every((k) => returning.includes(k))
    ? `(select json_agg(json_build_array(${pk.map((k) => `_k.${quoteIdent(k)}`).join(', ')})) from _mut as _k)::text`
    : 'null::text';
  const inserted = tracksInserts(plan) ? `(select count(*) from _mut where ${INSERTED})` : 'null::bigint';
  if (plan.returning === 'headers-only') {
    return { text: `${ctes} select null::bigint as total, (select count(*) from _mut) as page_total, null::text as body, ${keys} as keys, ${inserted} as inserted`, values: p.values };
  }
  const inner = nodeQuery(plan.node, p, null);
  return {
    text: `${ctes} select null::bigint as total, count(*) as page_total, ${JSON_ROWS} as body, ${keys} as keys, ${inserted} as inserted from (${inner}) as _r`,
    values: p.values,
  };
}
