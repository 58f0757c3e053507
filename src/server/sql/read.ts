/**
 * Renders read plans to SQL. The response body is built by PostgreSQL
 * (json_agg), so one round trip returns { total, page_total, body }.
 */
import { PgliveError } from '../errors.js';
import type { Relationship } from '../catalog/types.js';
import type { ColumnRef, EmbedNode, PlannedCondition, PlannedOrder, PlannedSelect, ReadNode, ReadPlan, RpcArg, Source } from '../plan/types.js';
import { quoteIdent, quoteQualified } from './ident.js';
import { OPERATORS, likePattern } from './operators.js';
import { Params, arrayLiteral, type SqlStatement } from './params.js';

export function columnExpr(alias: string, ref: ColumnRef, p: Params): string {
  let expr = ref.column.name === '*' ? `${alias}.*` : `${alias}.${quoteIdent(ref.column.name)}`;
  for (const step of ref.json) {
    const key = typeof step.key === 'number' ? `${p.add(step.key)}::int` : `${p.add(step.key)}::text`;
    expr = `${expr}${step.arrow}${key}`;
  }
  return expr;
}

function isTextual(ref: ColumnRef): boolean {
  if (ref.json.length > 0) return ref.json[ref.json.length - 1]!.arrow === '->>';
  return ref.column.category === 'S' && (ref.column.arrayDims ?? 0) === 0;
}

function rpcArgValue(arg: RpcArg, type: string | undefined): unknown {
  const v = arg.value;
  if (v === null || v === undefined) return null;
  // json/jsonb parameters take JSON text (db/pool.ts passes strings through)
  if (type && /^jsonb?$/.test(type)) return JSON.stringify(v);
  if (Array.isArray(v)) return v.map((x) => (x !== null && typeof x === 'object' ? JSON.stringify(x) : x));
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function sourceSql(source: Source, p: Params): string {
  switch (source.kind) {
    case 'relation':
      return quoteQualified(source.relation.schema, source.relation.name);
    case 'mutation':
      return '_mut';
    case 'function': {
      const types = new Map(source.fn.args.map((a) => [a.name, a.type]));
      const args = source.args.map((a) => {
        const ph = p.add(rpcArgValue(a, types.get(a.name)));
        return a.name === '' ? ph : `${quoteIdent(a.name)} => ${ph}`;
      });
      return `${quoteQualified(source.fn.schema, source.fn.name)}(${args.join(', ')})`;
    }
  }
}

/** child.toColumns[i] = parent.fromColumns[i]; many-to-many goes through the junction */
export function joinCondition(r: Relationship, parentAlias: string, childAlias: string): string {
  if (r.kind === 'many-to-many') {
    const j = `j_${childAlias}`;
    const a = r.junctionFromColumns.map((c, i) => `${j}.${quoteIdent(c)} = ${parentAlias}.${quoteIdent(r.fromColumns[i]!)}`);
    const b = r.junctionToColumns.map((c, i) => `${j}.${quoteIdent(c)} = ${childAlias}.${quoteIdent(r.toColumns[i]!)}`);
    return `exists (select 1 from ${quoteQualified(r.junction.schema, r.junction.name)} as ${j} where ${[...a, ...b].join(' and ')})`;
  }
  return r.toColumns.map((c, i) => `${childAlias}.${quoteIdent(c)} = ${parentAlias}.${quoteIdent(r.fromColumns[i]!)}`).join(' and ');
}

function renderFilter(c: Extract<PlannedCondition, { kind: 'filter' }>, alias: string, p: Params): string {
  const spec = OPERATORS[c.operator];
  let lhs = columnExpr(alias, c.ref, p);
  let sql: string;
  switch (spec.kind) {
    case 'binary': {
      if (spec.textual && !isTextual(c.ref)) lhs = `${lhs}::text`;
      const conv = (v: string) => (spec.pattern ? likePattern(v) : v);
      if (c.quantifier !== null) {
        if (!spec.quantifiable) {
          throw new PgliveError('PGRST100', `Operator "${c.operator}" does not take (any)/(all) quantifiers`);
        }
        const values = c.value.kind === 'list' ? c.value.values : c.value.kind === 'scalar' ? [c.value.value] : [];
        sql = `${lhs} ${spec.sql} ${c.quantifier}(${p.add(arrayLiteral(values.map(conv)))})`;
      } else {
        if (c.value.kind !== 'scalar') {
          throw new PgliveError('PGLIVE102', `Operator "${c.operator}" needs a single value`);
        }
        sql = `${lhs} ${spec.sql} ${p.add(conv(c.value.value))}`;
      }
      break;
    }
    case 'in': {
      const values = c.value.kind === 'list' ? c.value.values : c.value.kind === 'scalar' ? [c.value.value] : [];
      sql = `${lhs} = any(${p.add(arrayLiteral(values))})`;
      break;
    }
    case 'is': {
      if (c.value.kind !== 'is') throw new PgliveError('PGLIVE102', 'is accepts null, true, false or unknown');
      sql = `${lhs} is ${c.value.value}`; // one of four keywords, checked by the parser
      break;
    }
    case 'distinct': {
      if (c.value.kind !== 'scalar') throw new PgliveError('PGLIVE102', 'isdistinct needs a single value');
      sql = `${lhs} is distinct from ${p.add(c.value.value)}`;
      break;
    }
    case 'fts': {
      if (c.value.kind !== 'scalar') throw new PgliveError('PGLIVE102', `${c.operator} needs a single value`);
      const tsv = c.ref.column.isTsvector && c.ref.json.length === 0;
      const lang = c.language === null ? null : `${p.add(c.language)}::regconfig`;
      const doc = tsv ? lhs : lang ? `to_tsvector(${lang}, ${lhs}::text)` : `to_tsvector(${lhs}::text)`;
      const query = lang ? `${spec.fn}(${lang}, ${p.add(c.value.value)})` : `${spec.fn}(${p.add(c.value.value)})`;
      sql = `${doc} @@ ${query}`;
      break;
    }
  }
  return c.negated ? `not (${sql})` : sql;
}

export function renderCondition(c: PlannedCondition, node: ReadNode, p: Params): string {
  switch (c.kind) {
    case 'filter':
      return renderFilter(c, node.alias, p);
    case 'and':
    case 'or': {
      const parts = c.children.map((ch) => renderCondition(ch, node, p));
      const body = parts.length === 0 ? 'true' : parts.map((x) => `(${x})`).join(` ${c.kind} `);
      return c.negated ? `not (${body})` : `(${body})`;
    }
    case 'embed-exists': {
      const ex = existsSql(c.embed, node, p);
      return c.exists ? ex : `not ${ex}`;
    }
  }
}

function existsSql(embed: EmbedNode, parent: ReadNode, p: Params): string {
  const child = embed.node;
  const where = [joinCondition(embed.relationship, parent.alias, child.alias), ...whereParts(child, p)];
  return `exists (select 1 from ${sourceSql(child.source, p)} as ${child.alias} where ${where.join(' and ')})`;
}

/** the node's own conditions plus !inner embeds */
export function whereParts(node: ReadNode, p: Params): string[] {
  const parts = node.conditions.map((c) => renderCondition(c, node, p));
  for (const e of node.embeds) if (e.inner) parts.push(existsSql(e, node, p));
  return parts;
}

function orderSql(o: PlannedOrder, node: ReadNode, p: Params): string {
  let expr: string;
  if (o.embed) {
    const child = o.embed.node;
    expr = `(select ${columnExpr(child.alias, o.ref, p)} from ${sourceSql(child.source, p)} as ${child.alias} where ${joinCondition(o.embed.relationship, node.alias, child.alias)} limit 1)`;
  } else {
    expr = columnExpr(node.alias, o.ref, p);
  }
  return `${expr}${o.direction ? ' ' + o.direction : ''}${o.nulls ? ' nulls ' + o.nulls : ''}`;
}

function embedExpr(embed: EmbedNode, parent: ReadNode, p: Params): string {
  const child = embed.node;
  const inner = nodeQuery(child, p, joinCondition(embed.relationship, parent.alias, child.alias));
  const x = `_${child.alias}`;
  return embed.toOne
    ? `(select row_to_json(${x}) from (${inner}) as ${x})`
    : `coalesce((select ('[' || string_agg(row_to_json(${x})::text, ',') || ']')::json from (${inner}) as ${x}), '[]'::json)`;
}

function selectItemSql(s: PlannedSelect, node: ReadNode, p: Params): string[] {
  if (s.kind === 'column') {
    if (s.ref.column.name === '*') return [`${node.alias}.*`];
    const expr = columnExpr(node.alias, s.ref, p);
    const cast = s.cast === null ? '' : s.cast.endsWith('[]') ? `::${quoteIdent(s.cast.slice(0, -2))}[]` : `::${quoteIdent(s.cast)}`;
    return [`${expr}${cast} as ${quoteIdent(s.outName)}`];
  }
  const e = s.embed;
  if (!e.spread) return [`${embedExpr(e, node, p)} as ${quoteIdent(e.outName)}`];
  // ...rel(a,b): one scalar subquery per spread column
  const child = e.node;
  const join = joinCondition(e.relationship, node.alias, child.alias);
  const where = [join, ...whereParts(child, p)].join(' and ');
  return child.select.flatMap((cs) =>
    selectItemSql(cs, child, p).map((item) => {
      const m = /^(.*) as ("(?:[^"]|"")*")$/s.exec(item);
      const expr = m ? m[1]! : item;
      const name = m ? m[2]! : quoteIdent('value');
      return `(select ${expr} from ${sourceSql(child.source, p)} as ${child.alias} where ${where} limit 1) as ${name}`;
    }),
  );
}

/**
 * Past an offset, PostgreSQL computes a node's select list for every row it
 * skips, so embedded resources (subqueries in the select list) would run
 * 50,000 times for the page at offset 50,000. Such a window is read first,
 * with only the columns the select list, the order and the embeds' joins use
 * (the same columns, so the same column privileges), and the select list is
 * computed for the rows of the page alone.
 */
function windowFirst(node: ReadNode): boolean {
  return node.offset > 0 && node.source.kind === 'relation' && node.select.some((s) => s.kind === 'embed');
}

function windowedQuery(node: ReadNode, p: Params, join: string | null): string {
  const a = node.alias;
  const used = new Set<string>();
  let star = false;
  for (const s of node.select) {
    if (s.kind === 'embed') for (const c of s.embed.relationship.fromColumns) used.add(c);
    else if (s.ref.column.name === '*') star = true;
    else used.add(s.ref.column.name);
  }
  for (const o of node.order) {
    if (o.embed) for (const c of o.embed.relationship.fromColumns) used.add(c);
    else used.add(o.ref.column.name);
  }
  const columns = star ? `${a}.*` : [...used].map((c) => `${a}.${quoteIdent(c)}`).join(', ');
  const where = [...(join ? [join] : []), ...whereParts(node, p)];
  let inner = `select ${columns} from ${sourceSql(node.source, p)} as ${a}`;
  if (where.length > 0) inner += ` where ${where.join(' and ')}`;
  if (node.order.length > 0) inner += ` order by ${node.order.map((o) => orderSql(o, node, p)).join(', ')}`;
  if (node.limit !== null) inner += ` limit ${p.add(node.limit)}`;
  inner += ` offset ${p.add(node.offset)}`;
  const cols = node.select.flatMap((s) => selectItemSql(s, node, p));
  // the window's order again: a subquery's row order is not the outer query's by definition
  const order = node.order.length > 0 ? ` order by ${node.order.map((o) => orderSql(o, node, p)).join(', ')}` : '';
  return `select ${cols.join(', ')} from (${inner}) as ${a}${order}`;
}

/** select … from source as alias where … order by … limit … offset … */
export function nodeQuery(node: ReadNode, p: Params, join: string | null): string {
  if (windowFirst(node)) return windowedQuery(node, p, join);
  const cols = node.select.flatMap((s) => selectItemSql(s, node, p));
  const from = sourceSql(node.source, p);
  const where = [...(join ? [join] : []), ...whereParts(node, p)];
  let q = `select ${cols.length > 0 ? cols.join(', ') : 'null as "_"'} from ${from} as ${node.alias}`;
  if (node.source.kind === 'function' && !node.source.relation && !node.source.fn.returnsComposite) {
    q = `select ${cols.join(', ') || `${node.alias}.v`} from ${from} as ${node.alias}(v)`;
  }
  if (where.length > 0) q += ` where ${where.join(' and ')}`;
  if (node.order.length > 0) q += ` order by ${node.order.map((o) => orderSql(o, node, p)).join(', ')}`;
  if (node.limit !== null) q += ` limit ${p.add(node.limit)}`;
  if (node.offset > 0) q += ` offset ${p.add(node.offset)}`;
  return q;
}

function countSql(node: ReadNode, p: Params): string {
  const where = whereParts(node, p);
  return `select count(*) from ${sourceSql(node.source, p)} as ${node.alias}${where.length > 0 ? ' where ' + where.join(' and ') : ''}`;
}

/** a compact JSON array of the rows of subquery _r, in order (json_agg would add newlines) */
export const JSON_ROWS = `'[' || coalesce(string_agg(row_to_json(_r)::text, ','), '') || ']'`;

/** The main statement: one row { total, page_total, body }. */
export function readStatement(plan: ReadPlan): SqlStatement {
  const p = new Params();
  const node = plan.node;
  if (plan.voidFunction || plan.scalarFunction) {
    const fnSource = node.source;
    if (fnSource.kind !== 'function') throw new Error('scalar plan without a function source');
    if (plan.voidFunction) {
      return { text: `select null::bigint as total, 1 as page_total, null::text as body from ${sourceSql(fnSource, p)} as ${node.alias}`, values: p.values };
    }
    if (!fnSource.fn.returnsSet) {
      return { text: `select null::bigint as total, 1 as page_total, to_json(${sourceSql(fnSource, p)})::text as body`, values: p.values };
    }
    const lim = node.limit !== null ? ` limit ${p.add(node.limit)}` : '';
    const off = node.offset > 0 ? ` offset ${p.add(node.offset)}` : '';
    return {
      text: `select null::bigint as total, count(*) as page_total, '[' || coalesce(string_agg(to_json(_r.v)::text, ','), '') || ']' as body from (select ${node.alias}.v from ${sourceSql(fnSource, p)} as ${node.alias}(v)${lim}${off}) as _r`,
      values: p.values,
    };
  }
  const inner = nodeQuery(node, p, null);
  const total = plan.count === 'exact' ? `(${countSql(node, p)})` : 'null::bigint';
  const body = plan.headOnly ? 'null::text' : JSON_ROWS;
  return {
    text: `select ${total} as total, count(*) as page_total, ${body} as body from (${inner}) as _r`,
    values: p.values,
  };
}

/** EXPLAIN of the unpaginated count, for Prefer: count=planned|estimated. */
export function plannedCountStatement(plan: ReadPlan): SqlStatement {
  const p = new Params();
  const node = plan.node;
  const where = whereParts(node, p);
  // the rows estimate of the top node; EXPLAIN of a count(*) would always say 1
  return {
    text: `explain (format json) select 1 from ${sourceSql(node.source, p)} as ${node.alias}${where.length > 0 ? ' where ' + where.join(' and ') : ''}`,
    values: p.values,
  };
}

/** exact count on its own, for count=estimated below the threshold */
export function exactCountStatement(plan: ReadPlan): SqlStatement {
  const p = new Params();
  return { text: countSql(plan.node, p), values: p.values };
}

/**
 * The live-view statement: one row per result row, { k: key JSON text, j: row JSON text },
 * plus the exact total in every row when asked. `keyColumns` name output columns
 * that identify a row (the primary key); when empty, rows are identified by content.
 */
export function liveStatement(plan: ReadPlan, keyColumns: readonly string[], exactTotal: boolean): SqlStatement {
  const p = new Params();
  const inner = nodeQuery(plan.node, p, null);
  const key = keyColumns.length > 0 ? `json_build_array(${keyColumns.map((c) => `_r.${quoteIdent(c)}`).join(', ')})::text` : 'null::text';
  const total = exactTotal ? `(${countSql(plan.node, p)})` : 'null::bigint';
  return {
    text: `select ${key} as k, row_to_json(_r)::text as j, ${total} as total from (${inner}) as _r`,
    values: p.values,
  };
}
