/**
 * Plans the read shape of a request: select list, embeds (resolved through
 * relationships), conditions, order and ranges, per embed path.
 * Pure: ApiRequest × SchemaCache → ReadNode.
 */
import type { Column, Relation, Relationship, SchemaCache } from '../catalog/types.js';
import { schemaIndex } from '../catalog/index.js';
import { PgliveError } from '../errors.js';
import type { ApiRequest, Condition, EmbedPath, Field, Filter, OrderTerm, SelectItem } from '../request/types.js';
import { canonicalCast } from './casts.js';
import type { ColumnRef, EmbedNode, PlannedCondition, PlannedOrder, PlannedSelect, ReadNode, Source } from './types.js';

export class AliasCounter {
  private n = 0;
  next(): string {
    return 't' + this.n++;
  }
}

export interface PlanContext {
  readonly cache: SchemaCache;
  readonly role: string;
  readonly aliases: AliasCounter;
  readonly maxRows: number | null;
}

function relationOf(source: Source): Relation | null {
  return source.relation;
}

function sourceLabel(source: Source): string {
  if (source.kind === 'function') return `${source.fn.schema}.${source.fn.name}()`;
  return `${source.relation.schema}.${source.relation.name}`;
}

/** Columns the role may read; all columns when the role's privileges are unknown. */
export function readableColumns(rel: Relation, role: string): readonly Column[] {
  const priv = rel.privileges[role];
  if (!priv) return rel.columns;
  const allowed = new Set(priv.select);
  const cols = rel.columns.filter((c) => allowed.has(c.name));
  // No readable column at all: keep every column and let PostgreSQL raise 42501.
  return cols.length > 0 ? cols : rel.columns;
}

export function resolveColumn(ctx: PlanContext, source: Source, name: string): Column | Pick<Column, 'name'> {
  const rel = relationOf(source);
  if (!rel) return { name }; // anonymous composite (RETURNS TABLE): PostgreSQL checks the name
  const col = schemaIndex(ctx.cache).column(rel, name);
  if (!col) {
    throw new PgliveError('PGRST204', `Column "${name}" does not exist in ${sourceLabel(source)}`, {
      hint: `Known columns: ${rel.columns.map((c) => c.name).join(', ')}`,
    });
  }
  return col;
}

function fieldRef(ctx: PlanContext, source: Source, field: Field): ColumnRef {
  return { column: resolveColumn(ctx, source, field.name), json: field.json };
}

/** The default output name of a column: its name, or the last JSON key. */
function defaultOutName(field: Field): string {
  const last = field.json[field.json.length - 1];
  return last ? String(last.key) : field.name;
}

// ---------------------------------------------------------------------------
// relationships

function describeRel(r: Relationship): string {
  if (r.kind === 'many-to-many') {
    return `${r.from.name} ↔ ${r.to.name} through ${r.junction.schema}.${r.junction.name} (${r.constraint1}, ${r.constraint2})`;
  }
  return `${r.kind} ${r.from.name} → ${r.to.name} via ${r.constraint}`;
}

function matchesTarget(r: Relationship, name: string): boolean {
  if (r.to.name === name) return true;
  if (r.kind === 'many-to-many') return false;
  if (r.constraint === name) return true;
  // embedding by FK column name: select=*,client_id(*)
  return r.kind !== 'one-to-many' && r.fromColumns.length === 1 && r.fromColumns[0] === name && r.to.name !== name;
}

function matchesHint(r: Relationship, hint: string): boolean {
  if (r.kind === 'many-to-many') {
    return r.junction.name === hint || r.constraint1 === hint || r.constraint2 === hint;
  }
  return (
    r.constraint === hint ||
    (r.fromColumns.length === 1 && r.fromColumns[0] === hint) ||
    (r.toColumns.length === 1 && r.toColumns[0] === hint)
  );
}

export function resolveRelationship(ctx: PlanContext, parent: Relation, name: string, hint: string | null): Relationship {
  const all = schemaIndex(ctx.cache).relationshipsFrom(parent);
  let found = all.filter((r) => matchesTarget(r, name));
  if (hint !== null) found = found.filter((r) => matchesHint(r, hint));
  // Prefer direct FK relationships over many-to-many when both exist and no hint is given.
  if (found.length > 1 && hint === null) {
    const direct = found.filter((r) => r.kind !== 'many-to-many');
    if (direct.length === 1) found = direct;
  }
  // A self-referencing FK matches both ways by table name + column hint
  // (employees!manager_id): like PostgREST, that names the reverse (to-many)
  // side; the forward side is embedded by column name (manager_id(*)).
  if (found.length === 2 && found.every((r) => r.kind !== 'many-to-many' && r.self) && hint !== null && name === parent.name) {
    const reverse = found.filter((r) => r.kind === 'one-to-many' || (r.kind === 'one-to-one' && r.toColumns.includes(hint)));
    if (reverse.length === 1) found = reverse;
  }
  if (found.length === 0) {
    throw new PgliveError('PGRST200', `Could not find a relationship between "${parent.name}" and "${name}"${hint ? ` using the hint "${hint}"` : ''}`, {
      details: `Searched for a foreign key relationship between "${parent.schema}.${parent.name}" and "${name}" in the schema cache`,
      hint: 'Check the name, or add a foreign key; use rel!fk_name to pick a relationship',
    });
  }
  if (found.length > 1) {
    throw new PgliveError('PGRST201', `Could not embed because more than one relationship was found for "${parent.name}" and "${name}"`, {
      details: found.map(describeRel).join('; '),
      hint: `Disambiguate with a hint, e.g. ${name}!${found[0]!.kind === 'many-to-many' ? (found[0] as { junction: { name: string } }).junction.name : (found[0] as { constraint: string }).constraint}(*)`,
    });
  }
  return found[0]!;
}

function targetRelation(ctx: PlanContext, r: Relationship): Relation {
  const rel = schemaIndex(ctx.cache).relation(r.to.schema, r.to.name);
  if (!rel) {
    throw new PgliveError('PGRST205', `Relation "${r.to.schema}.${r.to.name}" is not exposed`);
  }
  return rel;
}

// ---------------------------------------------------------------------------
// select

export function planNode(ctx: PlanContext, source: Source, items: readonly SelectItem[], depth = 0): ReadNode {
  const node: ReadNode = {
    source,
    alias: ctx.aliases.next(),
    select: [],
    embeds: [],
    conditions: [],
    order: [],
    limit: null,
    offset: 0,
  };
  const rel = relationOf(source);
  for (const item of items) {
    if (item.type === 'star') {
      if (!rel) {
        node.select.push({ kind: 'column', ref: { column: { name: '*' }, json: [] }, outName: '*', cast: null });
        continue;
      }
      for (const col of readableColumns(rel, ctx.role)) {
        node.select.push({ kind: 'column', ref: { column: col, json: [] }, outName: col.name, cast: null });
      }
    } else if (item.type === 'column') {
      const ref = fieldRef(ctx, source, item.field);
      node.select.push({
        kind: 'column',
        ref,
        outName: item.alias ?? defaultOutName(item.field),
        cast: item.cast === null ? null : canonicalCast(item.cast),
      });
    } else {
      if (!rel) {
        throw new PgliveError('PGRST200', `Cannot embed "${item.name}": ${sourceLabel(source)} does not return a table's rows`);
      }
      const relationship = resolveRelationship(ctx, rel, item.name, item.hint);
      const child = planNode(ctx, { kind: 'relation', relation: targetRelation(ctx, relationship) }, item.select, depth + 1);
      const toOne = relationship.kind === 'many-to-one' || relationship.kind === 'one-to-one';
      if (item.spread && !toOne) {
        throw new PgliveError('PGRST100', `Cannot spread "${item.name}": only to-one relationships can be spread`, {
          hint: `Embed it instead: ${item.name}(...)`,
        });
      }
      const embed: EmbedNode = {
        outName: item.alias ?? item.name,
        relationship,
        toOne,
        inner: item.inner,
        spread: item.spread,
        node: child,
      };
      node.embeds.push(embed);
      node.select.push({ kind: 'embed', embed });
    }
  }
  return node;
}

// ---------------------------------------------------------------------------
// paths, conditions, order, ranges

export function findNode(root: ReadNode, path: EmbedPath, what: string): ReadNode {
  let node = root;
  for (const step of path) {
    const next = node.embeds.find((e) => e.outName === step) ?? node.embeds.find((e) => e.relationship.to.name === step);
    if (!next) {
      throw new PgliveError('PGRST108', `"${path.join('.')}" in ${what} is not an embedded resource in the select`, {
        hint: `Add ${step}(...) to the select parameter`,
      });
    }
    node = next.node;
  }
  return node;
}

export function planCondition(ctx: PlanContext, node: ReadNode, cond: Condition): PlannedCondition {
  if (cond.type !== 'filter') {
    return { kind: cond.type, negated: cond.negated, children: cond.children.map((ch) => planCondition(ctx, node, ch)) };
  }
  const c: Filter = cond;
  // embed=is.null / embed=not.is.null
  const embed = node.embeds.find((e) => e.outName === c.field.name);
  const rel = relationOf(node.source);
  const isColumn = rel ? rel.columns.some((col) => col.name === c.field.name) : true;
  if (embed && !isColumn && c.field.json.length === 0) {
    if (c.operator !== 'is' || c.value.kind !== 'is' || c.value.value !== 'null') {
      throw new PgliveError('PGRST120', `Only is.null or not.is.null filters are allowed on the embedded resource "${c.field.name}"`);
    }
    return { kind: 'embed-exists', embed, exists: c.negated };
  }
  return {
    kind: 'filter',
    ref: fieldRef(ctx, node.source, c.field),
    operator: c.operator,
    negated: c.negated,
    quantifier: c.quantifier,
    language: c.language,
    value: c.value,
  };
}

function planOrderTerm(ctx: PlanContext, node: ReadNode, t: OrderTerm): PlannedOrder {
  if (t.relation === null) {
    return { embed: null, ref: fieldRef(ctx, node.source, t.field), direction: t.direction, nulls: t.nulls };
  }
  const embed = node.embeds.find((e) => e.outName === t.relation) ?? node.embeds.find((e) => e.relationship.to.name === t.relation);
  if (!embed) {
    throw new PgliveError('PGRST108', `Cannot order by "${t.relation}(${t.field.name})": "${t.relation}" is not embedded in the select`);
  }
  if (!embed.toOne) {
    throw new PgliveError('PGRST118', `Cannot order by "${t.relation}(${t.field.name})": "${t.relation}" is a to-many relationship`);
  }
  return { embed, ref: fieldRef(ctx, embed.node.source, t.field), direction: t.direction, nulls: t.nulls };
}

/** Applies the request's conditions, order and ranges to the planned tree. */
export function applyModifiers(ctx: PlanContext, root: ReadNode, req: ApiRequest, opts: { skipRootRange?: boolean; skipConditionsFor?: ReadonlySet<string> } = {}): void {
  for (const { path, condition } of req.conditions) {
    if (path.length === 0 && condition.type === 'filter' && opts.skipConditionsFor?.has(condition.field.name)) continue;
    const node = findNode(root, path, 'a filter');
    node.conditions.push(planCondition(ctx, node, condition));
  }
  for (const { path, terms } of req.order) {
    const node = findNode(root, path, 'order');
    node.order.push(...terms.map((t) => planOrderTerm(ctx, node, t)));
  }
  for (const r of req.ranges) {
    if (r.path.length === 0 && opts.skipRootRange) continue;
    const node = findNode(root, r.path, 'limit/offset');
    node.limit = r.limit;
    node.offset = r.offset;
  }
  if (ctx.maxRows !== null && !opts.skipRootRange) {
    root.limit = root.limit === null ? ctx.maxRows : Math.min(root.limit, ctx.maxRows);
  }
}

export function outputNames(node: ReadNode): string[] {
  const names: string[] = [];
  for (const s of node.select) {
    if (s.kind === 'column') names.push(s.outName);
    else if (s.embed.spread) names.push(...outputNames(s.embed.node));
    else names.push(s.embed.outName);
  }
  return names;
}

export function selectedColumns(items: readonly PlannedSelect[]): string[] {
  return items.flatMap((s) => (s.kind === 'column' ? [s.ref.column.name] : []));
}
