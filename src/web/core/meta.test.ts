import { describe, expect, it } from 'vitest';
import { compactCount, groupRelations, relationPath } from './meta.js';
import { keysFilter } from './keys.js';
import { col, rel, schema, INT } from './test-fixtures.js';

describe('sidebar grouping', () => {
  const meta = { ...schema([rel('orders', []), rel('accounts', [], { schema: 'sales', comment: 'Customer accounts' }), rel('customers', [])]), schemas: ['public', 'sales'] };

  it('groups by schema in the server’s order and sorts by name', () => {
    expect(groupRelations(meta).map((g) => [g.schema, g.relations.map((r) => r.name)])).toEqual([
      ['public', ['customers', 'orders']],
      ['sales', ['accounts']],
    ]);
  });

  it('searches names, schemas and comments, every word', () => {
    expect(groupRelations(meta, 'cust').flatMap((g) => g.relations.map((r) => r.name))).toEqual(['customers', 'accounts']);
    expect(groupRelations(meta, 'sales acc').flatMap((g) => g.relations.map((r) => r.name))).toEqual(['accounts']);
    expect(groupRelations(meta, 'zzz')).toEqual([]);
  });

  it('formats estimates compactly and paths safely', () => {
    expect([0, 999, 1500, 35_000, 1_234_567, 25_000_000, -1].map(compactCount)).toEqual(['0', '999', '1.5k', '35k', '1.2M', '25M', '?']);
    expect(relationPath('my schema', 'a/b')).toBe('/t/my%20schema/a%2Fb');
  });
});

describe('row keys', () => {
  const single = rel('t', [col('id', INT)]);
  const composite = rel('t', [col('order_id', INT), col('code')], { primaryKey: ['order_id', 'code'] });

  it('builds one filter for a set of rows (bulk delete)', () => {
    expect(decodeURIComponent(keysFilter(single, ['[1]', '[2]'])!)).toBe('or=(id.eq.1,id.eq.2)');
    expect(decodeURIComponent(keysFilter(composite, ['[1,"x y"]'])!)).toBe('or=(and(order_id.eq.1,code.eq."x y"))');
    expect(keysFilter(single, [])).toBeNull();
  });
});
