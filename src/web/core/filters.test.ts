import { describe, expect, it } from 'vitest';
import { INITIAL_GRID_STATE, type GridState } from './grid-state.js';
import { exportQuery, filterTerm, fkLabels, gridQuery, orderParam, searchTerm, whereParam, windowQuery, OPS_BY_KIND } from './filters.js';
import { columnKind } from './columns.js';
import { INT, col, rel, schema } from './test-fixtures.js';

const NOW = new Date(2025, 5, 15, 14, 30, 0).getTime(); // local time: 2025-06-15 14:30

const name = col('name');
const total = col('total', { type: 'numeric', baseTypeName: 'numeric', category: 'N' });
const due = col('due', { type: 'date', baseTypeName: 'date', category: 'D' });
const at = col('at', { type: 'timestamp with time zone', baseTypeName: 'timestamptz', category: 'D' });
const status = col('status', { type: 'order_status', baseTypeName: 'order_status', category: 'E', enumLabels: ['open', 'paid', 'on hold'] });
const tags = col('tags', { type: 'text[]', baseTypeName: 'text', category: 'A', arrayDims: 1 });
const prefs = col('prefs', { type: 'jsonb', baseTypeName: 'jsonb', category: 'U' });
const flag = col('flag', { type: 'boolean', baseTypeName: 'bool', category: 'B' });

const term = (c: typeof name, op: string, ...args: string[]) => filterTerm({ column: c.name, op: op as never, args }, c, NOW);

describe('column kinds and their operators', () => {
  it('classifies by type', () => {
    expect([name, total, due, at, status, tags, prefs, flag].map(columnKind)).toEqual(['text', 'number', 'date', 'datetime', 'enum', 'array', 'json', 'boolean']);
    expect(columnKind(col('id', INT))).toBe('number');
    expect(columnKind(col('u', { baseTypeName: 'uuid', category: 'U' }))).toBe('uuid');
    expect(OPS_BY_KIND.enum).toContain('in');
  });
});

describe('filterTerm', () => {
  it('text: contains / equals / starts / regex / empty, with LIKE wildcards in the value escaped', () => {
    expect(term(name, 'contains', 'acme')).toBe('name.ilike.*acme*');
    // backslashes force quoting, and are escaped inside the quotes
    expect(term(name, 'contains', '50%_off')).toBe('name.ilike."*50\\\\%\\\\_off*"');
    expect(term(name, 'contains', 'a, b')).toBe('name.ilike."*a, b*"');
    expect(term(name, 'starts', 'Co')).toBe('name.ilike.Co*');
    expect(term(name, 'equals', 'x.y')).toBe('name.eq."x.y"');
    expect(term(name, 'regex', '^Co')).toBe('name.imatch.^Co');
    expect(term(name, 'empty')).toBe('or(name.is.null,name.eq."")');
    expect(term(name, 'notEmpty')).toBe('and(name.not.is.null,name.neq."")');
    expect(term(name, 'contains', '  ')).toBeNull();
  });

  it('numbers: comparisons and ranges, open-ended when one side is blank', () => {
    expect(term(total, 'gte', ' 10 ')).toBe('total.gte.10');
    expect(term(total, 'between', '10', '20.5')).toBe('and(total.gte.10,total.lte."20.5")');
    expect(term(total, 'between', '', '20')).toBe('total.lte.20');
    expect(term(total, 'between', '', '')).toBeNull();
  });

  it('relative dates resolve against now: dates as local days, timestamptz as UTC instants', () => {
    expect(term(due, 'lastDays', '7')).toBe('and(due.gte.2025-06-08,due.lte.2025-06-15)');
    expect(term(due, 'nextDays', '3')).toBe('and(due.gte.2025-06-15,due.lte.2025-06-18)');
    expect(term(due, 'today')).toBe('due.eq.2025-06-15');
    const from = new Date(NOW - 7 * 86_400_000).toISOString();
    expect(term(at, 'lastDays', '7')).toBe(`and(at.gte."${from}",at.lte."${new Date(NOW).toISOString()}")`);
    expect(term(at, 'today')).toMatch(/^and\(at\.gte\.".*",at\.lt\.".*"\)$/);
    expect(term(due, 'lastDays', 'x')).toBeNull();
  });

  it('a typed local date-time means the browser’s zone for timestamptz', () => {
    expect(term(at, 'gt', '2025-06-01T09:30')).toBe(`at.gt."${new Date('2025-06-01T09:30').toISOString()}"`);
    expect(term(at, 'gt', '2025-06-01T09:30:00Z')).toBe('at.gt."2025-06-01T09:30:00Z"');
    expect(term(due, 'gt', '2025-06-01')).toBe('due.gt.2025-06-01');
  });

  it('enums, booleans, nulls, arrays, JSON keys', () => {
    expect(term(status, 'in', 'open', 'on hold')).toBe('status.in.(open,"on hold")');
    expect(term(status, 'in')).toBeNull();
    expect(term(flag, 'isTrue')).toBe('flag.is.true');
    expect(term(flag, 'isFalse')).toBe('flag.is.false');
    expect(term(name, 'isNull')).toBe('name.is.null');
    expect(term(name, 'notNull')).toBe('name.not.is.null');
    expect(term(tags, 'has', 'crm', 'go')).toBe('tags.cs."{\\"crm\\",\\"go\\"}"');
    expect(term(prefs, 'jsonKey', 'newsletter', 'true')).toBe('prefs->>newsletter.eq.true');
  });
});

describe('search', () => {
  it('ILIKE over the text columns', () => {
    const r = rel('c', [col('id', INT), name, col('city'), total]);
    expect(searchTerm(r, ' cop ')).toBe('or(name.ilike.*cop*,city.ilike.*cop*)');
    expect(searchTerm(rel('c', [col('id', INT), name]), 'x')).toBe('name.ilike.*x*');
    expect(searchTerm(r, '   ')).toBeNull();
    expect(searchTerm(rel('n', [col('id', INT)]), 'x')).toBeNull();
  });

  it('full-text search when a tsvector column exists', () => {
    const r = rel('p', [col('id', INT), name, col('search', { type: 'tsvector', baseTypeName: 'tsvector', category: 'U', isTsvector: true })]);
    expect(searchTerm(r, 'desk lamp')).toBe('search.wfts."desk lamp"');
  });

  it('only searches columns the role can read', () => {
    const r = rel('c', [col('id', INT), name, col('secret')], { privileges: { select: ['id', 'name'], insert: [], update: [], delete: false, refresh: false } });
    expect(searchTerm(r, 'x')).toBe('name.ilike.*x*');
  });
});

describe('whereParam', () => {
  const r = rel('o', [col('id', INT), name, total, status]);
  const st = (over: Partial<GridState>): GridState => ({ ...INITIAL_GRID_STATE, ...over });
  const decode = (p: string | null) => (p === null ? null : decodeURIComponent(p));

  it('nothing → null; one filter → and=(…)', () => {
    expect(whereParam(r, INITIAL_GRID_STATE, NOW)).toBeNull();
    expect(decode(whereParam(r, st({ filters: [{ column: 'total', op: 'gt', args: ['5'] }] }), NOW))).toBe('and=(total.gt.5)');
  });

  it('combines filters with AND or OR, and ANDs the search onto them', () => {
    const filters = [{ column: 'total', op: 'gt' as const, args: ['5'] }, { column: 'status', op: 'in' as const, args: ['open'] }];
    expect(decode(whereParam(r, st({ filters }), NOW))).toBe('and=(total.gt.5,status.in.(open))');
    expect(decode(whereParam(r, st({ filters, join: 'or' }), NOW))).toBe('or=(total.gt.5,status.in.(open))');
    expect(decode(whereParam(r, st({ filters, join: 'or', search: 'ab' }), NOW))).toBe('and=(or(total.gt.5,status.in.(open)),name.ilike.*ab*)');
    expect(decode(whereParam(r, st({ search: 'ab' }), NOW))).toBe('and=(name.ilike.*ab*)');
  });

  it('ignores incomplete filters and filters on unknown columns', () => {
    const filters = [{ column: 'total', op: 'gt' as const, args: [''] }, { column: 'gone', op: 'isNull' as const, args: [] }];
    expect(whereParam(r, st({ filters }), NOW)).toBeNull();
  });
});

describe('select, order, window', () => {
  const customers = rel('customers', [col('id', INT), name], { labelColumn: 'name' });
  const regions = rel('regions', [col('code'), col('label')], { primaryKey: ['code'], labelColumn: 'code' });
  const orders = rel('orders', [col('id', INT), col('customer_id', INT), col('region', {}), col('search', { baseTypeName: 'tsvector', isTsvector: true })], {
    foreignKeys: [
      { name: 'orders_customer_id_fkey', columns: ['customer_id'], refSchema: 'public', refTable: 'customers', refColumns: ['id'] },
      { name: 'orders_region_fkey', columns: ['region'], refSchema: 'public', refTable: 'regions', refColumns: ['code'] },
    ],
  });
  const meta = schema([customers, regions, orders]);

  it('embeds the label of each referenced row, unless the key is its own label', () => {
    expect(fkLabels(orders, meta)).toEqual([{ column: 'customer_id', alias: '__fk0', refSchema: 'public', refTable: 'customers', labelColumn: 'name' }]);
    const q = gridQuery(orders, meta, INITIAL_GRID_STATE, NOW);
    expect(decodeURIComponent(q.base)).toBe('select=id,customer_id,region,__fk0:customers!orders_customer_id_fkey(name)&order=id.asc');
  });

  it('embeds the label of a self-reference by its column: the row it points at, not the rows pointing at it', () => {
    const employees = rel('employees', [col('id', INT), col('email'), col('manager_id', INT)], {
      labelColumn: 'email',
      foreignKeys: [{ name: 'employees_manager_id_fkey', columns: ['manager_id'], refSchema: 'public', refTable: 'employees', refColumns: ['id'] }],
    });
    const q = gridQuery(employees, schema([employees]), INITIAL_GRID_STATE, NOW);
    expect(decodeURIComponent(q.base)).toBe('select=id,email,manager_id,__fk0:manager_id(email)&order=id.asc');
  });

  it('does not embed what the role cannot read', () => {
    const hidden = schema([{ ...customers, privileges: { ...customers.privileges, select: ['id'] } }, orders]);
    expect(fkLabels(orders, hidden)).toEqual([]);
  });

  it('orders by the sort keys, then the primary key as a tie-breaker', () => {
    expect(orderParam(orders, { ...INITIAL_GRID_STATE, sort: [{ column: 'region', dir: 'desc' }] })).toBe('region.desc,id.asc');
    expect(orderParam(orders, { ...INITIAL_GRID_STATE, sort: [{ column: 'id', dir: 'desc' }] })).toBe('id.desc');
    expect(orderParam(rel('v', [name], { primaryKey: [] }), INITIAL_GRID_STATE)).toBeNull();
  });

  it('windows and exports', () => {
    expect(windowQuery('select=id', 0, 100)).toBe('select=id&limit=100');
    expect(windowQuery('select=id', 200, 100)).toBe('select=id&limit=100&offset=200');
    expect(decodeURIComponent(exportQuery(orders, { ...INITIAL_GRID_STATE, search: 'x' }, NOW))).toBe('select=id,customer_id,region&and=(search.wfts.x)&order=id.asc');
  });
});
