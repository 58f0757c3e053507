/**
 * Grid state → the REST query (PostgREST syntax) the server evaluates, both for
 * the live window subscription and for CSV export. Sorting, filtering and
 * searching all happen on the server; nothing here filters rows itself.
 *
 * Filters and the search box become one logic tree: and=(…) or or=(…) of the
 * filters, AND the search (any text column matches, or full-text search on a
 * tsvector column when the relation has one).
 */
import { columnKind, type ColumnKind } from './columns.js';
import type { Filter, FilterOp, GridState } from './grid-state.js';
import { quoteValue } from './keys.js';
import { readableColumns, type MetaColumn, type MetaRelation, type MetaSchema } from './meta.js';

/** The filter operators offered per column kind, most useful first. */
export const OPS_BY_KIND: Readonly<Record<ColumnKind, readonly FilterOp[]>> = {
  text: ['contains', 'equals', 'starts', 'regex', 'empty', 'notEmpty', 'isNull', 'notNull'],
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'isNull', 'notNull'],
  date: ['eq', 'gt', 'lt', 'between', 'lastDays', 'nextDays', 'today', 'isNull', 'notNull'],
  datetime: ['gt', 'lt', 'between', 'lastDays', 'nextDays', 'today', 'isNull', 'notNull'],
  time: ['eq', 'gt', 'lt', 'between', 'isNull', 'notNull'],
  boolean: ['isTrue', 'isFalse', 'isNull', 'notNull'],
  enum: ['in', 'isNull', 'notNull'],
  array: ['has', 'isNull', 'notNull'],
  json: ['jsonKey', 'isNull', 'notNull'],
  uuid: ['eq', 'neq', 'isNull', 'notNull'],
  tsvector: [],
  other: ['eq', 'neq', 'isNull', 'notNull'],
};

export const OP_LABELS: Readonly<Record<FilterOp, string>> = {
  contains: 'contains', equals: 'is', starts: 'starts with', regex: 'matches regex', empty: 'is empty', notEmpty: 'is not empty',
  eq: '=', neq: '≠', gt: '>', gte: '≥', lt: '<', lte: '≤', between: 'between',
  lastDays: 'in the last … days', nextDays: 'in the next … days', today: 'is today',
  in: 'is one of', isTrue: 'is true', isFalse: 'is false', isNull: 'is null', notNull: 'is not null',
  has: 'contains all of', jsonKey: 'key equals',
};

/** date and time filters say before / after rather than < / > */
export function opLabel(op: FilterOp, kind: ColumnKind): string {
  if (kind === 'date' || kind === 'datetime' || kind === 'time') {
    if (op === 'gt') return 'after';
    if (op === 'lt') return 'before';
    if (op === 'eq') return 'on';
  }
  return OP_LABELS[op];
}

/** a column name or value inside a logic tree: quoted when it holds reserved characters */
function q(s: string): string {
  return quoteValue(s);
}

/** an ILIKE pattern matching `text` literally (PostgREST's * is the wildcard) */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function localDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function localDateTime(d: Date): string {
  return `${localDate(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** a moment as the column type wants it: dates as local days, timestamptz as UTC, timestamp as local wall time */
function moment(d: Date, c: MetaColumn): string {
  if (columnKind(c) === 'date') return localDate(d);
  return c.baseTypeName === 'timestamptz' ? d.toISOString() : localDateTime(d);
}

const DAY_MS = 86_400_000;

function startOfDay(now: number): Date {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d;
}

const LOCAL_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/**
 * A date-time typed into the browser (datetime-local: wall time, no zone)
 * means the user's local time; for timestamptz say so explicitly, else the
 * server would read it in its own zone.
 */
function operand(v: string, c: MetaColumn): string {
  const t = v.trim();
  if (c.baseTypeName === 'timestamptz' && LOCAL_DATETIME.test(t)) {
    const d = new Date(t);
    if (!Number.isNaN(d.getTime())) return d.toISOString();
  }
  return t;
}

/** One filter as a logic-tree term (e.g. 'name.ilike.*acme*'), or null when it is incomplete. */
export function filterTerm(f: Filter, c: MetaColumn, now: number): string | null {
  const col = q(c.name);
  const [a = '', b = ''] = f.args;
  const needs = (...xs: string[]) => xs.every((x) => x.trim() !== '');
  switch (f.op) {
    case 'contains':
      return needs(a) ? `${col}.ilike.${q(`*${likeLiteral(a)}*`)}` : null;
    case 'starts':
      return needs(a) ? `${col}.ilike.${q(`${likeLiteral(a)}*`)}` : null;
    case 'equals':
      return `${col}.eq.${q(a)}`;
    case 'regex':
      return needs(a) ? `${col}.imatch.${q(a)}` : null;
    case 'empty':
      return `or(${col}.is.null,${col}.eq."")`;
    case 'notEmpty':
      return `and(${col}.not.is.null,${col}.neq."")`;
    case 'eq':
    case 'neq':
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return needs(a) ? `${col}.${f.op}.${q(operand(a, c))}` : null;
    case 'between':
      if (needs(a, b)) return `and(${col}.gte.${q(operand(a, c))},${col}.lte.${q(operand(b, c))})`;
      if (needs(a)) return `${col}.gte.${q(operand(a, c))}`;
      if (needs(b)) return `${col}.lte.${q(operand(b, c))}`;
      return null;
    case 'lastDays':
    case 'nextDays': {
      const n = Number(a);
      if (!needs(a) || !Number.isFinite(n) || n < 0) return null;
      const date = columnKind(c) === 'date';
      const from = f.op === 'lastDays' ? (date ? new Date(startOfDay(now).getTime() - n * DAY_MS) : new Date(now - n * DAY_MS)) : date ? startOfDay(now) : new Date(now);
      const to = f.op === 'lastDays' ? (date ? startOfDay(now) : new Date(now)) : date ? new Date(startOfDay(now).getTime() + n * DAY_MS) : new Date(now + n * DAY_MS);
      return `and(${col}.gte.${q(moment(from, c))},${col}.lte.${q(moment(to, c))})`;
    }
    case 'today': {
      const start = startOfDay(now);
      if (columnKind(c) === 'date') return `${col}.eq.${q(localDate(start))}`;
      const end = new Date(start.getTime() + DAY_MS);
      return `and(${col}.gte.${q(moment(start, c))},${col}.lt.${q(moment(end, c))})`;
    }
    case 'in':
      return f.args.length > 0 ? `${col}.in.(${f.args.map(q).join(',')})` : null;
    case 'isTrue':
      return `${col}.is.true`;
    case 'isFalse':
      return `${col}.is.false`;
    case 'isNull':
      return `${col}.is.null`;
    case 'notNull':
      return `${col}.not.is.null`;
    case 'has': {
      const items = f.args.filter((x) => x !== '');
      if (items.length === 0) return null;
      const literal = `{${items.map((x) => `"${x.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
      return `${col}.cs.${q(literal)}`;
    }
    case 'jsonKey':
      // ->> compares as text, which is what a user typing a value means
      return needs(a) ? `${col}->>${q(a)}.eq.${q(b)}` : null;
  }
}

/** text columns searched with ILIKE when the relation has no tsvector column */
export function searchTerm(rel: MetaRelation, text: string): string | null {
  const t = text.trim();
  if (t === '') return null;
  const cols = readableColumns(rel);
  const tsv = cols.find((c) => c.isTsvector);
  if (tsv) return `${q(tsv.name)}.wfts.${q(t)}`;
  const texts = cols.filter((c) => columnKind(c) === 'text');
  if (texts.length === 0) return null;
  const pattern = q(`*${likeLiteral(t)}*`);
  return texts.length === 1 ? `${q(texts[0]!.name)}.ilike.${pattern}` : `or(${texts.map((c) => `${q(c.name)}.ilike.${pattern}`).join(',')})`;
}

/** The WHERE part as one query parameter ('and=(…)'), or null when nothing filters. */
export function whereParam(rel: MetaRelation, state: GridState, now: number): string | null {
  const byName = new Map(rel.columns.map((c) => [c.name, c]));
  const terms = state.filters.flatMap((f) => {
    const c = byName.get(f.column);
    const t = c ? filterTerm(f, c, now) : null;
    return t ? [t] : [];
  });
  const search = searchTerm(rel, state.search);
  let tree: string | null;
  if (terms.length === 0) tree = search ? `and(${search})` : null;
  else {
    const filters = terms.length === 1 ? terms[0]! : `${state.join}(${terms.join(',')})`;
    tree = search ? `and(${filters},${search})` : terms.length === 1 ? `and(${filters})` : filters;
  }
  if (tree === null) return null;
  // tree is 'and(…)' or 'or(…)': the top level becomes the parameter
  const open = tree.indexOf('(');
  return `${tree.slice(0, open)}=${encodeURIComponent(tree.slice(open))}`;
}

export interface FkLabel {
  /** the FK column in this relation */
  column: string;
  /** the key under which the embedded { label } arrives in each row */
  alias: string;
  refSchema: string;
  refTable: string;
  labelColumn: string;
}

/**
 * Single-column foreign keys whose target the role can read and that has a
 * label column: shown as the target's label, fetched by embedding it.
 * Embedding works within one schema only (PostgREST), so others stay raw.
 */
export function fkLabels(rel: MetaRelation, meta: MetaSchema): FkLabel[] {
  const out: FkLabel[] = [];
  const readable = new Set(rel.privileges.select);
  rel.foreignKeys.forEach((fk, i) => {
    if (fk.columns.length !== 1 || fk.refSchema !== rel.schema) return;
    const column = fk.columns[0]!;
    if (!readable.has(column) || out.some((l) => l.column === column)) return;
    const target = meta.relations.find((r) => r.schema === fk.refSchema && r.name === fk.refTable);
    const label = target?.labelColumn;
    if (!target || !label || !target.privileges.select.includes(label) || label === fk.refColumns[0]) return;
    out.push({ column, alias: `__fk${i}`, refSchema: fk.refSchema, refTable: fk.refTable, labelColumn: label });
  });
  return out;
}

/**
 * The embed that fetches a label: `alias:target!fk(label)`. A self-reference
 * (employees.manager_id → employees) is embedded by its column instead: as in
 * PostgREST, `employees!fk` names the other direction there (the rows that
 * point at this one), `manager_id(…)` the row this one points at.
 */
export function fkEmbedName(rel: MetaRelation, l: FkLabel): string {
  if (l.refSchema === rel.schema && l.refTable === rel.name) return `${l.alias}:${q(l.column)}(${q(l.labelColumn)})`;
  const fk = rel.foreignKeys.find((f) => f.columns.length === 1 && f.columns[0] === l.column && f.refTable === l.refTable);
  return `${l.alias}:${q(l.refTable)}!${q(fk?.name ?? '')}(${q(l.labelColumn)})`;
}

/** the columns the grid shows: readable, minus tsvector (search data, not for eyes) */
export function gridColumns(rel: MetaRelation): MetaColumn[] {
  return readableColumns(rel).filter((c) => !c.isTsvector);
}

export function selectParam(rel: MetaRelation, labels: readonly FkLabel[]): string {
  const cols = gridColumns(rel).map((c) => q(c.name));
  // the primary key identifies rows for links and deletes, even when hidden from the grid
  for (const k of rel.primaryKey) if (rel.privileges.select.includes(k) && !cols.includes(q(k))) cols.push(q(k));
  return [...cols, ...labels.map((l) => fkEmbedName(rel, l))].join(',');
}

/** sort keys, then the primary key: windows of an ordered result must not overlap or skip rows on ties */
export function orderParam(rel: MetaRelation, state: GridState): string | null {
  const known = new Set(rel.columns.map((c) => c.name));
  const keys = state.sort.filter((k) => known.has(k.column)).map((k) => `${q(k.column)}.${k.dir}`);
  for (const pk of rel.primaryKey) if (!state.sort.some((k) => k.column === pk)) keys.push(`${q(pk)}.asc`);
  return keys.length > 0 ? keys.join(',') : null;
}

export interface GridQuery {
  /** select, filters and order: everything but the window */
  readonly base: string;
  readonly labels: readonly FkLabel[];
}

export function gridQuery(rel: MetaRelation, meta: MetaSchema, state: GridState, now: number): GridQuery {
  const labels = fkLabels(rel, meta);
  const parts = [`select=${encodeURIComponent(selectParam(rel, labels))}`];
  const where = whereParam(rel, state, now);
  if (where) parts.push(where);
  const order = orderParam(rel, state);
  if (order) parts.push(`order=${encodeURIComponent(order)}`);
  return { base: parts.join('&'), labels };
}

export function windowQuery(base: string, offset: number, limit: number): string {
  return `${base}&limit=${limit}${offset > 0 ? `&offset=${offset}` : ''}`;
}

/** the current filtered, sorted view without embeds or window: what a CSV export holds */
export function exportQuery(rel: MetaRelation, state: GridState, now: number): string {
  const parts = [`select=${encodeURIComponent(gridColumns(rel).map((c) => q(c.name)).join(','))}`];
  const where = whereParam(rel, state, now);
  if (where) parts.push(where);
  const order = orderParam(rel, state);
  if (order) parts.push(`order=${encodeURIComponent(order)}`);
  return parts.join('&');
}
