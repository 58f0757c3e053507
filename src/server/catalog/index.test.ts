import { describe, expect, it } from 'vitest';
import { schemaIndex } from './index.js';
import type { DbFunction, Relation, Relationship, SchemaCache } from './types.js';

function relation(schema: string, name: string, columns: string[]): Relation {
  return {
    schema,
    name,
    kind: 'table',
    oid: 1,
    comment: null,
    columns: columns.map((c, i) => ({
      name: c,
      position: i + 1,
      type: 'text',
      typeOid: 25,
      baseTypeName: 'text',
      baseTypeSchema: 'pg_catalog',
      category: 'S',
      arrayDims: 0,
      domain: null,
      enumLabels: null,
      nullable: true,
      default: null,
      identity: null,
      generated: false,
      maxLength: null,
      precision: null,
      scale: null,
      comment: null,
      checks: [],
      isTsvector: false,
    })),
    primaryKey: [],
    uniques: [],
    checks: [],
    insertable: true,
    updatable: true,
    deletable: true,
    rlsEnabled: false,
    rlsForced: false,
    estimatedRows: -1,
    dependsOn: [],
    policyReads: [],
    privileges: {},
  };
}

function fn(schema: string, name: string, oid: number): DbFunction {
  return {
    schema,
    name,
    oid,
    args: [],
    returnType: 'int',
    returnsSet: false,
    returnsRelation: null,
    returnsComposite: false,
    returnsScalar: true,
    volatility: 'stable',
    comment: null,
    executableBy: [],
  };
}

const a = relation('api', 'a', ['id', 'select', 'say "hi"']);
const dotted = relation('api.x', 'y', ['id']); // must not collide with api / x.y
const xy = relation('api', 'x.y', ['id']);
const rel: Relationship = {
  kind: 'many-to-one',
  from: { schema: 'api', name: 'a' },
  to: { schema: 'api', name: 'x.y' },
  constraint: 'a_fk',
  fromColumns: ['id'],
  toColumns: ['id'],
  self: false,
};

const cache: SchemaCache = {
  schemas: ['api'],
  relations: [a, dotted, xy],
  foreignKeys: [],
  relationships: [rel],
  functions: [fn('api', 'f', 10), fn('api', 'f', 11), fn('api', 'g', 12)],
  enums: [{ schema: 'api', name: 'mood', labels: ['sad', 'ok'] }],
  domains: [],
  roles: [],
  serverVersion: 150000,
  loadedAt: 0,
};

describe('schemaIndex', () => {
  it('looks up relations by schema and name without separator collisions', () => {
    const idx = schemaIndex(cache);
    expect(idx.relation('api', 'a')).toBe(a);
    expect(idx.relation('api.x', 'y')).toBe(dotted);
    expect(idx.relation('api', 'x.y')).toBe(xy);
    expect(idx.relation('api', 'A')).toBeUndefined();
    expect(idx.relation('other', 'a')).toBeUndefined();
  });

  it('looks up columns of a relation', () => {
    const idx = schemaIndex(cache);
    expect(idx.column(a, 'say "hi"')?.position).toBe(3);
    expect(idx.column(a, 'nope')).toBeUndefined();
    expect(idx.column(relation('api', 'a', ['id']), 'id')).toBeUndefined(); // not from this cache
  });

  it('groups relationships and function overloads', () => {
    const idx = schemaIndex(cache);
    expect(idx.relationshipsFrom({ schema: 'api', name: 'a' })).toEqual([rel]);
    expect(idx.relationshipsFrom({ schema: 'api', name: 'x.y' })).toEqual([]);
    expect(idx.functions('api', 'f').map((f) => f.oid)).toEqual([10, 11]);
    expect(idx.functions('api', 'h')).toEqual([]);
    expect(idx.enumType('api', 'mood')?.labels).toEqual(['sad', 'ok']);
    expect(idx.enumType('api', 'nope')).toBeUndefined();
  });

  it('is memoised per cache value', () => {
    expect(schemaIndex(cache)).toBe(schemaIndex(cache));
    const next = { ...cache, relations: [a] };
    expect(schemaIndex(next)).not.toBe(schemaIndex(cache));
    expect(schemaIndex(next).relation('api', 'x.y')).toBeUndefined();
  });
});
