/**
 * Relationships for embedding, derived (purely) from foreign keys, following
 * PostgREST's rules:
 * - every FK gives a forward edge (referencing → referenced: many-to-one, or
 *   one-to-one when the FK columns are exactly a PK/unique of the referencing
 *   table) and a reverse edge (one-to-many, or one-to-one);
 * - views whose columns are plain references to the FK columns (resolved
 *   through other views) stand in for the table on either side;
 * - many-to-many through an exposed table with two different many-to-one FKs
 *   whose columns together lie within its primary key or one unique key.
 * Both ends of a relationship are exposed relations.
 */
import type { QualifiedName, Relation, Relationship } from './types.js';

export interface FkEdgeInput {
  readonly name: string;
  readonly rel: number;
  readonly refRel: number;
  readonly attnums: readonly number[];
  readonly refAttnums: readonly number[];
  readonly columns: readonly string[];
  readonly refColumns: readonly string[];
  /** the FK columns are exactly a PK / unique key of the referencing table */
  readonly sourceUnique: boolean;
}

/** A column of an exposed view that reads column `attnum` of table `tableOid` unchanged. */
export interface ViewColumnSource {
  readonly column: string;
  readonly tableOid: number;
  readonly attnum: number;
}

type RelInput = Pick<Relation, 'oid' | 'schema' | 'name' | 'kind' | 'primaryKey' | 'uniques'>;

interface Endpoint {
  readonly rel: RelInput;
  readonly columns: readonly string[];
}

interface Edge {
  readonly constraint: string;
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly unique: boolean;
  /** `from` is the table that owns the FK (not a view standing in for it) */
  readonly fromIsOwner: boolean;
}

const qn = (r: RelInput): QualifiedName => ({ schema: r.schema, name: r.name });

export function deriveRelationships(
  relations: readonly RelInput[],
  foreignKeys: readonly FkEdgeInput[],
  viewSources: ReadonlyMap<number, readonly ViewColumnSource[]>,
): Relationship[] {
  const byOid = new Map(relations.map((r) => [r.oid, r]));

  // (table oid, attnum) → the exposed views' columns reading it, in view column order
  const readers = new Map<string, { view: RelInput; column: string }[]>();
  for (const [viewOid, sources] of viewSources) {
    const view = byOid.get(viewOid);
    if (!view) continue;
    for (const s of sources) {
      const key = `${s.tableOid}:${s.attnum}`;
      let list = readers.get(key);
      if (!list) readers.set(key, (list = []));
      list.push({ view, column: s.column });
    }
  }

  // the table itself (when exposed) and each exposed view showing all of `attnums`
  function endpoints(tableOid: number, attnums: readonly number[], names: readonly string[]): Endpoint[] {
    const out: Endpoint[] = [];
    const table = byOid.get(tableOid);
    if (table) out.push({ rel: table, columns: names });
    const perView = new Map<RelInput, string[]>();
    attnums.forEach((attnum, i) => {
      for (const r of readers.get(`${tableOid}:${attnum}`) ?? []) {
        let cols = perView.get(r.view);
        if (!cols) perView.set(r.view, (cols = []));
        // a view may show one base column twice: keep the first
        if (cols.length === i) cols.push(r.column);
      }
    });
    for (const [view, cols] of perView) if (cols.length === attnums.length) out.push({ rel: view, columns: cols });
    return out;
  }

  const edges: Edge[] = [];
  for (const fk of foreignKeys) {
    const sources = endpoints(fk.rel, fk.attnums, fk.columns);
    if (sources.length === 0) continue;
    const targets = endpoints(fk.refRel, fk.refAttnums, fk.refColumns);
    for (const from of sources) {
      for (const to of targets) {
        edges.push({ constraint: fk.name, from, to, unique: fk.sourceUnique, fromIsOwner: from.rel.oid === fk.rel });
      }
    }
  }

  const out: Relationship[] = [];
  for (const e of edges) {
    const self = e.from.rel === e.to.rel;
    out.push({
      kind: e.unique ? 'one-to-one' : 'many-to-one',
      from: qn(e.from.rel),
      to: qn(e.to.rel),
      constraint: e.constraint,
      fromColumns: e.from.columns,
      toColumns: e.to.columns,
      self,
    });
    out.push({
      kind: e.unique ? 'one-to-one' : 'one-to-many',
      from: qn(e.to.rel),
      to: qn(e.from.rel),
      constraint: e.constraint,
      fromColumns: e.to.columns,
      toColumns: e.from.columns,
      self,
    });
  }

  // many-to-many: pairs of many-to-one edges leaving the same junction table
  const fromJunction = new Map<RelInput, Edge[]>();
  for (const e of edges) {
    if (!e.fromIsOwner || e.unique) continue;
    let list = fromJunction.get(e.from.rel);
    if (!list) fromJunction.set(e.from.rel, (list = []));
    list.push(e);
  }
  for (const [junction, list] of fromJunction) {
    for (const e1 of list) {
      for (const e2 of list) {
        if (e1.constraint === e2.constraint) continue;
        if (!coveredByKey(junction, [...e1.from.columns, ...e2.from.columns])) continue;
        out.push({
          kind: 'many-to-many',
          from: qn(e1.to.rel),
          to: qn(e2.to.rel),
          junction: qn(junction),
          constraint1: e1.constraint,
          junctionFromColumns: e1.from.columns,
          fromColumns: e1.to.columns,
          constraint2: e2.constraint,
          junctionToColumns: e2.from.columns,
          toColumns: e2.to.columns,
        });
      }
    }
  }
  return out;
}

function coveredByKey(rel: RelInput, columns: readonly string[]): boolean {
  const keys = rel.primaryKey.length > 0 ? [rel.primaryKey, ...rel.uniques] : rel.uniques;
  return keys.some((key) => columns.every((c) => key.includes(c)));
}
