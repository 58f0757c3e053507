import { describe, expect, it } from 'vitest';
import { deriveRelationships, type FkEdgeInput } from './relationships.js';
import type { Relation } from './types.js';

type Rel = Pick<Relation, 'oid' | 'schema' | 'name' | 'kind' | 'primaryKey' | 'uniques'>;
const table = (oid: number, name: string, primaryKey: string[], uniques: string[][] = []): Rel => ({
  oid,
  schema: 's',
  name,
  kind: 'table',
  primaryKey,
  uniques,
});
const fk = (name: string, rel: number, columns: string[], attnums: number[], refRel: number, sourceUnique = false): FkEdgeInput => ({
  name,
  rel,
  refRel,
  attnums,
  refAttnums: [1],
  columns,
  refColumns: ['id'],
  sourceUnique,
});

const m2m = (rels: ReturnType<typeof deriveRelationships>) =>
  rels.filter((r) => r.kind === 'many-to-many').map((r) => (r.kind === 'many-to-many' ? `${r.from.name}>${r.junction.name}>${r.to.name}` : ''));

describe('deriveRelationships', () => {
  const users = table(1, 'users', ['id']);
  const groups = table(2, 'groups', ['id']);

  it('needs the junction FK columns inside its primary key or one unique key', () => {
    const inPk = table(3, 'memberships', ['user_id', 'group_id']);
    const inUnique = table(4, 'links', ['id'], [['user_id', 'group_id']]);
    const loose = table(5, 'visits', ['id']);
    const fks = [3, 4, 5].flatMap((j) => [fk(`${j}_u`, j, ['user_id'], [2], 1), fk(`${j}_g`, j, ['group_id'], [3], 2)]);
    const rels = deriveRelationships([users, groups, inPk, inUnique, loose], fks, new Map());
    expect(m2m(rels).sort()).toEqual([
      'groups>links>users',
      'groups>memberships>users',
      'users>links>groups',
      'users>memberships>groups',
    ]);
  });

  it('skips relationships whose other end is not exposed, unless a view stands in for it', () => {
    const orders = table(3, 'orders', ['id']);
    const fks = [fk('orders_user', 3, ['user_id'], [2], 99)];
    expect(deriveRelationships([orders], fks, new Map())).toEqual([]);
    const view: Rel = { ...table(7, 'users_v', []), kind: 'view' };
    const sources = new Map([[7, [{ column: 'key', tableOid: 99, attnum: 1 }]]]);
    const rels = deriveRelationships([orders, view], fks, sources);
    expect(rels.map((r) => `${r.kind} ${r.from.name}->${r.to.name}`)).toEqual([
      'many-to-one orders->users_v',
      'one-to-many users_v->orders',
    ]);
  });

  it('needs a view to show every column of a composite key', () => {
    const stock = table(3, 'stock', ['id']);
    const view: Rel = { ...table(7, 'stock_v', []), kind: 'view' };
    const composite: FkEdgeInput = { ...fk('stock_wh', 3, ['a', 'b'], [2, 3], 2), refAttnums: [1, 2], refColumns: ['x', 'y'] };
    const partial = new Map([[7, [{ column: 'a', tableOid: 3, attnum: 2 }]]]);
    expect(deriveRelationships([stock, groups, view], [composite], partial).some((r) => r.from.name === 'stock_v')).toBe(false);
    const full = new Map([[7, [{ column: 'bee', tableOid: 3, attnum: 3 }, { column: 'ay', tableOid: 3, attnum: 2 }]]]);
    const fromView = deriveRelationships([stock, groups, view], [composite], full).find((r) => r.from.name === 'stock_v');
    expect(fromView).toMatchObject({ kind: 'many-to-one', fromColumns: ['ay', 'bee'], toColumns: ['x', 'y'] });
  });
});
