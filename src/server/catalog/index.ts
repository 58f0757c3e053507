/**
 * O(1) lookups over a SchemaCache value. The cache stays plain data (easy to
 * dump and compare); the maps are built once per value on first use and
 * memoised in a WeakMap, so a reload's new value gets fresh maps and the old
 * ones are collected with the old value.
 */
import type { Column, DbFunction, EnumType, QualifiedName, Relation, Relationship, SchemaCache } from './types.js';

export interface SchemaIndex {
  relation(schema: string, name: string): Relation | undefined;
  /** `rel` must belong to the indexed cache */
  column(rel: Relation, name: string): Column | undefined;
  relationshipsFrom(rel: QualifiedName): readonly Relationship[];
  /** every overload named `name` in `schema` */
  functions(schema: string, name: string): readonly DbFunction[];
  enumType(schema: string, name: string): EnumType | undefined;
}

const EMPTY: readonly never[] = Object.freeze([]);
const indexes = new WeakMap<SchemaCache, SchemaIndex>();

export function schemaIndex(cache: SchemaCache): SchemaIndex {
  let index = indexes.get(cache);
  if (!index) {
    index = buildIndex(cache);
    indexes.set(cache, index);
  }
  return index;
}

/** schema → name → value; two levels so no separator can make two names collide */
class NameMap<V> {
  private readonly bySchema = new Map<string, Map<string, V>>();

  get(schema: string, name: string): V | undefined {
    return this.bySchema.get(schema)?.get(name);
  }

  getOrSet(schema: string, name: string, make: () => V): V {
    let names = this.bySchema.get(schema);
    if (!names) this.bySchema.set(schema, (names = new Map()));
    let v = names.get(name);
    if (v === undefined) names.set(name, (v = make()));
    return v;
  }
}

function buildIndex(cache: SchemaCache): SchemaIndex {
  const relations = new NameMap<Relation>();
  const columns = new Map<Relation, Map<string, Column>>();
  for (const rel of cache.relations) {
    relations.getOrSet(rel.schema, rel.name, () => rel);
    columns.set(rel, new Map(rel.columns.map((c) => [c.name, c])));
  }

  const relationships = new NameMap<Relationship[]>();
  for (const r of cache.relationships) relationships.getOrSet(r.from.schema, r.from.name, () => []).push(r);

  const functions = new NameMap<DbFunction[]>();
  for (const f of cache.functions) functions.getOrSet(f.schema, f.name, () => []).push(f);

  const enums = new NameMap<EnumType>();
  for (const e of cache.enums) enums.getOrSet(e.schema, e.name, () => e);

  return {
    relation: (schema, name) => relations.get(schema, name),
    column: (rel, name) => columns.get(rel)?.get(name),
    relationshipsFrom: (rel) => relationships.get(rel.schema, rel.name) ?? EMPTY,
    functions: (schema, name) => functions.get(schema, name) ?? EMPTY,
    enumType: (schema, name) => enums.get(schema, name),
  };
}
