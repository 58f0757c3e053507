/** Plans POST (insert / upsert), PATCH, PUT and DELETE on a relation. */
import type { Column, Relation } from '../catalog/types.js';
import { schemaIndex } from '../catalog/index.js';
import { PgliveError } from '../errors.js';
import type { ApiRequest } from '../request/types.js';
import { applyModifiers, planCondition, planNode, type PlanContext } from './read.js';
import type { InsertGroup, MutatePlan, ReadNode } from './types.js';

function columnOf(ctx: PlanContext, rel: Relation, name: string): Column {
  const col = schemaIndex(ctx.cache).column(rel, name);
  if (!col) {
    throw new PgliveError('PGRST204', `Could not find the "${name}" column of "${rel.schema}.${rel.name}" in the schema cache`, {
      hint: `Known columns: ${rel.columns.map((c) => c.name).join(', ')}`,
    });
  }
  return col;
}

function asRows(body: unknown): Record<string, unknown>[] {
  if (body === null || body === undefined) {
    throw new PgliveError('PGRST102', 'Empty request body: send a JSON object or an array of objects');
  }
  const rows = Array.isArray(body) ? body : [body];
  for (const [i, r] of rows.entries()) {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) {
      throw new PgliveError('PGRST102', `Body item ${i} is not a JSON object`);
    }
  }
  return rows as Record<string, unknown>[];
}

function pick(row: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (Object.hasOwn(row, k)) out[k] = row[k];
  return out;
}

function insertGroups(ctx: PlanContext, rel: Relation, req: ApiRequest, input: Record<string, unknown>[]): InsertGroup[] {
  let rows = input;
  if (req.columns !== null) {
    for (const c of req.columns) columnOf(ctx, rel, c);
    rows = rows.map((r) => pick(r, req.columns!));
    if (req.prefer.missing !== 'default') {
      return [{ rows, columns: req.columns.map((c) => columnOf(ctx, rel, c)) }];
    }
  }
  if (req.prefer.missing === 'default') {
    const byKeys = new Map<string, Record<string, unknown>[]>();
    for (const r of rows) {
      const key = JSON.stringify(Object.keys(r).sort());
      const list = byKeys.get(key) ?? [];
      list.push(r);
      byKeys.set(key, list);
    }
    return [...byKeys.entries()].map(([k, rs]) => ({
      rows: rs,
      columns: (JSON.parse(k) as string[]).map((c) => columnOf(ctx, rel, c)),
    }));
  }
  const names = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) names.add(k);
  return [{ rows, columns: [...names].map((c) => columnOf(ctx, rel, c)) }];
}

function checkWritable(rel: Relation, what: 'insertable' | 'updatable' | 'deletable'): void {
  if (!rel[what]) {
    throw new PgliveError('PGLIVE104', `"${rel.schema}.${rel.name}" is not ${what}`, {
      hint: rel.kind === 'view' ? 'Only simple views (or views with INSTEAD OF triggers) can be written to' : null,
    });
  }
}

function targetNode(ctx: PlanContext, rel: Relation, req: ApiRequest): ReadNode {
  const node = planNode(ctx, { kind: 'relation', relation: rel }, []);
  for (const { path, condition } of req.conditions) {
    if (path.length === 0) node.conditions.push(planCondition(ctx, node, condition));
  }
  return node;
}

export function planMutation(ctx: PlanContext, req: ApiRequest, rel: Relation): MutatePlan {
  const returning = req.prefer.return ?? 'minimal';
  // the representation: read shape over the affected rows; embedded filters/order apply there
  const node = planNode(ctx, { kind: 'mutation', relation: rel }, req.select);
  const embeddedOnly: ApiRequest = {
    ...req,
    conditions: req.conditions.filter((c) => c.path.length > 0),
    order: req.order.filter((o) => o.path.length > 0),
    ranges: req.ranges.filter((r) => r.path.length > 0),
  };
  applyModifiers({ ...ctx, maxRows: null }, node, embeddedOnly, { skipRootRange: true });
  const rootOrder = req.order.find((o) => o.path.length === 0);
  const rootRange = req.ranges.find((r) => r.path.length === 0 && (r.limit !== null || r.offset > 0));
  if (req.method === 'PUT' && rootRange) {
    throw new PgliveError('PGRST114', 'limit/offset are not allowed with PUT');
  }
  if (req.method !== 'POST' && (rootOrder || rootRange)) {
    throw new PgliveError('PGRST100', `limit, offset and order are not supported on ${req.method}`, {
      hint: 'Filter the rows to change by their key instead',
    });
  }
  const base = {
    relation: rel,
    returning,
    node,
    media: req.accept,
    singular: req.accept === 'object',
    maxAffected: req.prefer.maxAffected,
    preferApplied: req.prefer.applied,
  };
  const target = targetNode(ctx, rel, req);
  const noConditions = { groups: [], setColumns: [], setValues: {}, onConflict: null };

  switch (req.method) {
    case 'POST': {
      checkWritable(rel, 'insertable');
      const rows = asRows(req.body);
      const groups = insertGroups(ctx, rel, req, rows);
      let onConflict: MutatePlan['onConflict'] = null;
      if (req.prefer.resolution !== null) {
        const cols = req.onConflict ?? rel.primaryKey;
        if (cols.length === 0) {
          throw new PgliveError('PGRST100', `Upsert on "${rel.name}" needs on_conflict=…: the relation has no primary key`);
        }
        for (const c of cols) columnOf(ctx, rel, c);
        onConflict = { columns: cols, action: req.prefer.resolution === 'merge-duplicates' ? 'merge' : 'ignore' };
      }
      return { ...base, kind: 'insert', groups, setColumns: [], setValues: {}, onConflict, target };
    }
    case 'PATCH': {
      checkWritable(rel, 'updatable');
      if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
        throw new PgliveError('PGRST102', 'PATCH body must be a single JSON object of the columns to change');
      }
      let values = req.body as Record<string, unknown>;
      if (req.columns !== null) values = pick(values, req.columns);
      const setColumns = Object.keys(values).map((c) => columnOf(ctx, rel, c));
      if (setColumns.length === 0) {
        throw new PgliveError('PGRST102', 'PATCH body has no columns to change');
      }
      requireFilter(req, target);
      return { ...base, kind: 'update', groups: [], setColumns, setValues: values, onConflict: null, target };
    }
    case 'DELETE': {
      checkWritable(rel, 'deletable');
      requireFilter(req, target);
      return { ...base, ...noConditions, kind: 'delete', target };
    }
    case 'PUT': {
      checkWritable(rel, 'insertable');
      checkWritable(rel, 'updatable');
      const rows = asRows(req.body);
      if (rows.length !== 1) throw new PgliveError('PGRST105', 'PUT body must be exactly one object');
      const row = rows[0]!;
      const pk = rel.primaryKey;
      if (pk.length === 0) throw new PgliveError('PGRST105', `PUT needs a primary key: "${rel.name}" has none`);
      const eqs = new Map<string, string>();
      for (const c of target.conditions) {
        if (c.kind !== 'filter' || c.operator !== 'eq' || c.negated || c.quantifier || c.ref.json.length > 0 || c.value.kind !== 'scalar') {
          throw new PgliveError('PGRST105', 'PUT accepts only eq filters on the primary key columns');
        }
        eqs.set(c.ref.column.name, c.value.value);
      }
      if (eqs.size !== pk.length || !pk.every((k) => eqs.has(k))) {
        throw new PgliveError('PGRST105', `PUT must filter on every primary key column with eq: ${pk.join(', ')}`);
      }
      for (const k of pk) {
        if (Object.hasOwn(row, k) && String(row[k]) !== eqs.get(k)) {
          throw new PgliveError('PGRST115', `Payload value of primary key column "${k}" does not match the URL filter`);
        }
      }
      const full: Record<string, unknown> = { ...row };
      for (const k of pk) if (!Object.hasOwn(full, k)) full[k] = eqs.get(k);
      const columns = Object.keys(full).map((c) => columnOf(ctx, rel, c));
      return {
        ...base, kind: 'upsert-put', groups: [{ rows: [full], columns }], setColumns: [], setValues: {},
        onConflict: { columns: pk, action: 'merge' }, target,
      };
    }
    default:
      throw new PgliveError('PGRST101', `Method ${req.method} is not allowed on a relation`);
  }
}

function requireFilter(req: ApiRequest, target: ReadNode): void {
  if (target.conditions.length === 0 && !req.prefer.allowUnfiltered) {
    throw new PgliveError('PGLIVE100', `Refusing ${req.method} without a filter: it would change every row`, {
      hint: 'Add a filter such as ?id=eq.1, or send "Prefer: allow-unfiltered" if you really mean every row',
    });
  }
}
