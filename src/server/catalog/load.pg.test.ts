import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../test/support/db.js';
import { createPool, type Sql } from '../db/pool.js';
import { schemaIndex } from './index.js';
import { loadSchemaCache } from './load.js';
import type { Column, Relation, Relationship, SchemaCache } from './types.js';

const SCHEMAS = ['catalog_test', 'catalog_other'];
const ROLES = ['cat_anon', 'cat_editor'];

let db: TestDb;
let sql: Sql;
let cache: SchemaCache;

beforeAll(async () => {
  db = await createTestDb(['catalog.sql']);
  sql = createPool(db.url, { max: 2 });
  cache = await loadSchemaCache(sql, { schemas: SCHEMAS, roles: ROLES });
});

afterAll(async () => {
  await sql?.end({ timeout: 5 });
  await db?.drop();
});

function rel(name: string, schema = 'catalog_test'): Relation {
  const r = schemaIndex(cache).relation(schema, name);
  if (!r) throw new Error(`no relation ${schema}.${name}`);
  return r;
}

function col(relation: string, name: string): Column {
  const c = schemaIndex(cache).column(rel(relation), name);
  if (!c) throw new Error(`no column ${relation}.${name}`);
  return c;
}

/** relationships from `from`, as compact strings, sorted */
function rels(from: string, c: SchemaCache = cache, schema = 'catalog_test'): string[] {
  return schemaIndex(c)
    .relationshipsFrom({ schema, name: from })
    .map((r: Relationship) =>
      r.kind === 'many-to-many'
        ? `m2m ${r.to.name} via ${r.junction.name} [${r.junctionFromColumns}]->[${r.fromColumns}] [${r.junctionToColumns}]->[${r.toColumns}] ${r.constraint1}/${r.constraint2}`
        : `${r.kind} ${r.to.name} [${r.fromColumns}]->[${r.toColumns}] ${r.constraint}${r.self ? ' self' : ''}`,
    )
    .sort();
}

describe('relations', () => {
  it('lists tables, views, materialized views, foreign and partitioned tables, hiding partitions', () => {
    const names = cache.relations.filter((r) => r.schema === 'catalog_test').map((r) => `${r.name}:${r.kind}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'customers:table',
        'Order Items:table',
        'customer_names:view',
        'big_customer_names:view',
        'mood_counts:materialized_view',
        'events:partitioned_table',
      ]),
    );
    expect(names.some((n) => n.startsWith('events_20'))).toBe(false);
    const imported = schemaIndex(cache).relation('catalog_test', 'imported');
    if (imported) expect(imported.kind).toBe('foreign_table'); // file_fdw present on the server
    expect(rel('countries', 'catalog_other').kind).toBe('table');
    expect(cache.schemas).toEqual(SCHEMAS);
  });

  it('round-trips awkward identifiers', () => {
    expect(rel('Order Items').primaryKey).toEqual(['order_id', 'product_id']);
    const names = rel('customers').columns.map((c) => c.name);
    expect(names.slice(0, 4)).toEqual(['id', 'prénom', 'select', 'say "hi"']);
    expect(col('customers', 'say "hi"').position).toBe(4);
  });

  it('reads keys: composite primary keys, unique constraints and plain unique indexes only', () => {
    expect(rel('warehouses').primaryKey).toEqual(['region', 'code']);
    expect(rel('events').primaryKey).toEqual(['id', 'at']);
    // sku: UNIQUE constraint; (name, brand): unique index; lower(name) and the partial slug index are excluded
    expect(rel('products').uniques).toEqual([['name', 'brand'], ['sku']]);
    expect(rel('customer_names').primaryKey).toEqual([]);
  });

  it('reads check constraints with their columns', () => {
    expect(rel('products').checks).toEqual([
      { name: 'qty_range', definition: 'CHECK ((min_qty <= max_qty))', columns: ['min_qty', 'max_qty'] },
    ]);
    expect(col('products', 'min_qty').checks).toEqual([]); // two-column check: not a column check
    expect(col('customers', 'balance').checks).toEqual(['CHECK ((balance >= (0)::numeric))']);
  });

  it('computes writability', () => {
    const flags = (n: string) => {
      const r = rel(n);
      return [r.insertable, r.updatable, r.deletable];
    };
    expect(flags('customers')).toEqual([true, true, true]);
    expect(flags('events')).toEqual([true, true, true]);
    expect(flags('customer_names')).toEqual([true, true, true]); // auto-updatable
    expect(flags('big_customer_names')).toEqual([true, true, true]); // auto-updatable over auto-updatable
    expect(flags('order_totals')).toEqual([false, false, false]); // aggregate
    expect(flags('order_feed')).toEqual([true, false, false]); // INSTEAD OF INSERT only
    expect(flags('mood_counts')).toEqual([false, false, false]);
  });

  it('reads RLS flags, estimates and comments', () => {
    expect([rel('secrets').rlsEnabled, rel('secrets').rlsForced]).toEqual([true, true]);
    expect([rel('customers').rlsEnabled, rel('customers').rlsForced]).toEqual([false, false]);
    // the columns policies read (for live views: an update of other columns cannot change visibility)
    expect(rel('secrets').policyColumns).toEqual(['owner']);
    expect(rel('customers').policyColumns).toEqual([]);
    expect(rel('notes').policyColumns).toBeNull(); // USING (… notes IS NOT NULL) reads the whole row
    expect(rel('events').estimatedRows).toBe(600); // summed over analysed partitions
    expect(rel('customers').estimatedRows).toBe(-1); // never analysed
    expect(rel('customers').comment).toBe('People who buy things');
    expect(rel('customer_names').comment).toBe('Names only');
    expect(col('customers', 'prénom').comment).toBe('Given name');
    expect(rel('orders').comment).toBeNull();
  });

  it('resolves dependsOn through views to base tables', () => {
    const deps = (n: string) => rel(n).dependsOn.map((d) => `${d.schema}.${d.name}`);
    expect(deps('customer_names')).toEqual(['catalog_test.customers']);
    expect(deps('big_customer_names')).toEqual(['catalog_test.customers']);
    expect(deps('order_totals')).toEqual(['catalog_test.Order Items', 'catalog_test.orders']);
    expect(deps('mood_counts')).toEqual(['catalog_test.customers']);
    expect(deps('books_v')).toEqual(['catalog_other.books']);
    expect(deps('customers')).toEqual([]);
  });
});

describe('columns', () => {
  it('describes scalar types, lengths and numeric precision like information_schema', () => {
    expect(col('customers', 'prénom')).toMatchObject({
      type: 'character varying(40)',
      baseTypeName: 'varchar',
      baseTypeSchema: 'pg_catalog',
      category: 'S',
      maxLength: 40,
      nullable: false,
      arrayDims: 0,
    });
    expect(col('customers', 'balance')).toMatchObject({ type: 'numeric(10,2)', precision: 10, scale: 2, category: 'N' });
    expect(col('customers', 'profile')).toMatchObject({ type: 'jsonb', baseTypeName: 'jsonb', category: 'U' });
    expect(col('customers', 'created_at')).toMatchObject({ category: 'D', nullable: false, default: 'now()' });
  });

  it('reads identity, generated and default columns', () => {
    expect(col('customers', 'id')).toMatchObject({ identity: 'always', generated: false, default: null });
    expect(col('stock', 'id')).toMatchObject({ identity: 'by default', generated: false });
    expect(col('customers', 'label')).toMatchObject({ identity: null, generated: true, default: null });
    expect(col('orders', 'id').default).toBe("nextval('catalog_test.orders_id_seq'::regclass)");
    expect(col('customers', 'mood').default).toBe("'ok'::catalog_test.mood");
  });

  it('reads arrays (1-D, 2-D, of enums, of domains)', () => {
    expect(col('customers', 'tags')).toMatchObject({ type: 'text[]', baseTypeName: 'text', arrayDims: 1, category: 'S' });
    expect(col('customers', 'matrix')).toMatchObject({ type: 'integer[]', baseTypeName: 'int4', arrayDims: 2 });
    expect(col('customers', 'moods')).toMatchObject({
      baseTypeName: 'mood',
      arrayDims: 1,
      category: 'E',
      enumLabels: ['sad', 'meh', 'ok', 'happy'],
    });
    // array of a domain: the element is resolved; the domain does not bind the column itself
    expect(col('products', 'scores')).toMatchObject({ baseTypeName: 'int4', arrayDims: 1, domain: null, nullable: true, checks: [] });
  });

  it('reads enums in sort order', () => {
    expect(col('customers', 'mood')).toMatchObject({
      type: 'catalog_test.mood',
      baseTypeName: 'mood',
      baseTypeSchema: 'catalog_test',
      category: 'E',
      enumLabels: ['sad', 'meh', 'ok', 'happy'],
    });
    expect(schemaIndex(cache).enumType('catalog_test', 'mood')?.labels).toEqual(['sad', 'meh', 'ok', 'happy']);
    // enums of exposed schemas are listed even when unused
    expect(schemaIndex(cache).enumType('catalog_test', 'unused_kind')?.labels).toEqual(['a', 'b']);
  });

  it('resolves domains: base type, NOT NULL and checks', () => {
    expect(col('stock', 'qty')).toMatchObject({
      type: 'catalog_test.positive_int',
      baseTypeName: 'int4',
      category: 'N',
      domain: { schema: 'catalog_test', name: 'positive_int' },
      nullable: false, // the domain is NOT NULL
      checks: ['CHECK ((VALUE > 0))'],
    });
    expect(col('customers', 'email')).toMatchObject({ baseTypeName: 'varchar', maxLength: 200, nullable: true });
    // domain over domain: every level's checks, outermost first
    expect(col('customers', 'work')).toMatchObject({
      baseTypeName: 'varchar',
      domain: { schema: 'catalog_test', name: 'work_email' },
      checks: ["CHECK (((VALUE)::text ~ '\\.com$'::text))", "CHECK (((VALUE)::text ~ '@'::text))"],
    });
    const positive = cache.domains.find((d) => d.name === 'positive_int');
    expect(positive).toEqual({
      schema: 'catalog_test',
      name: 'positive_int',
      baseType: 'integer',
      nullable: false,
      checks: ['CHECK ((VALUE > 0))'],
    });
    expect(cache.domains.find((d) => d.name === 'work_email')?.baseType).toBe('catalog_test.email');
  });

  it('flags tsvector columns', () => {
    expect(col('customers', 'search').isTsvector).toBe(true);
    expect(col('customers', 'select').isTsvector).toBe(false);
  });
});

describe('foreign keys', () => {
  it('reads composite, cross-schema and self-referencing keys', () => {
    const fk = (name: string) => cache.foreignKeys.find((f) => f.name === name);
    expect(fk('stock_wh_fk')).toEqual({
      name: 'stock_wh_fk',
      schema: 'catalog_test',
      table: 'stock',
      columns: ['wh_code', 'region'],
      refSchema: 'catalog_test',
      refTable: 'warehouses',
      refColumns: ['code', 'region'],
    });
    expect(fk('customers_country_fkey')).toMatchObject({ refSchema: 'catalog_other', refTable: 'countries', columns: ['country'] });
    expect(fk('notes_customer_id_fkey')).toMatchObject({ schema: 'catalog_other', refSchema: 'catalog_test' });
    expect(fk('customers_referrer_id_fkey')).toMatchObject({ table: 'customers', refTable: 'customers' });
  });

  it('keeps cross-schema keys when only one side is exposed', async () => {
    const only = await loadSchemaCache(sql, { schemas: ['catalog_test'], roles: ROLES });
    const names = only.foreignKeys.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['customers_country_fkey', 'notes_customer_id_fkey']));
    // both ends unexposed: not listed
    expect(names).not.toContain('books_author_id_fkey');
    // relationships only join exposed relations
    expect(rels('customers', only).some((r) => r.includes('countries') || r.includes('notes'))).toBe(false);
    // ...but the unexposed tables' FK carries over to the views showing them
    expect(rels('books_v', only)).toEqual(['many-to-one authors_v [writer]->[author_key] books_author_id_fkey']);
    expect(rels('authors_v', only)).toEqual(['one-to-many books_v [author_key]->[writer] books_author_id_fkey']);
  });
});

describe('relationships', () => {
  it('derives many-to-one, one-to-many and composite relationships', () => {
    expect(rels('stock')).toEqual([
      'many-to-one products [product_id]->[id] stock_product_id_fkey',
      'many-to-one warehouses [wh_code,region]->[code,region] stock_wh_fk',
    ]);
    expect(rels('warehouses')).toEqual(['one-to-many stock [code,region]->[wh_code,region] stock_wh_fk']);
  });

  it('derives one-to-one in both directions when the FK columns are unique', () => {
    expect(rels('customer_profiles')).toEqual([
      'one-to-one big_customer_names [customer_id]->[id] customer_profiles_customer_id_fkey',
      'one-to-one customer_names [customer_id]->[id] customer_profiles_customer_id_fkey',
      'one-to-one customers [customer_id]->[id] customer_profiles_customer_id_fkey',
    ]);
    expect(rels('customers')).toContain('one-to-one customer_profiles [id]->[customer_id] customer_profiles_customer_id_fkey');
  });

  it('derives self-references and cross-schema relationships', () => {
    const fromCustomers = rels('customers');
    expect(fromCustomers).toContain('many-to-one customers [referrer_id]->[id] customers_referrer_id_fkey self');
    expect(fromCustomers).toContain('one-to-many customers [id]->[referrer_id] customers_referrer_id_fkey self');
    expect(fromCustomers).toContain('many-to-one countries [country]->[code] customers_country_fkey');
    expect(fromCustomers).toContain('one-to-many notes [id]->[customer_id] notes_customer_id_fkey');
    expect(rels('countries', cache, 'catalog_other')).toEqual([
      'one-to-many customer_names [code]->[country] customers_country_fkey',
      'one-to-many customers [code]->[country] customers_country_fkey',
    ]);
  });

  it('derives many-to-many through a junction whose FK columns lie in its primary key', () => {
    expect(rels('orders').filter((r) => r.startsWith('m2m'))).toEqual([
      'm2m products via Order Items [order_id]->[id] [product_id]->[id] Order Items_order_id_fkey/Order Items_product_id_fkey',
    ]);
    expect(rels('products').filter((r) => r.startsWith('m2m'))).toEqual([
      'm2m order_feed via Order Items [product_id]->[id] [order_id]->[id] Order Items_product_id_fkey/Order Items_order_id_fkey',
      'm2m orders via Order Items [product_id]->[id] [order_id]->[id] Order Items_product_id_fkey/Order Items_order_id_fkey',
    ]);
    // stock has FKs to products and warehouses, but they are not in its key: no m2m
    expect(rels('warehouses').some((r) => r.startsWith('m2m'))).toBe(false);
  });

  it('derives self many-to-many in both directions', () => {
    const self = rels('customers').filter((r) => r.startsWith('m2m customers'));
    expect(self).toEqual([
      'm2m customers via friendships [a]->[id] [b]->[id] friendships_a_fkey/friendships_b_fkey',
      'm2m customers via friendships [b]->[id] [a]->[id] friendships_b_fkey/friendships_a_fkey',
    ]);
  });

  it('carries foreign keys over to views whose columns read the FK columns, through views', () => {
    expect(rels('big_customer_names')).toContain('one-to-many orders [id]->[customer_id] orders_customer_id_fkey');
    expect(rels('orders')).toContain('many-to-one big_customer_names [customer_id]->[id] orders_customer_id_fkey');
    // renamed column: first_name is not an FK column, country is
    expect(rels('customer_names')).toContain('many-to-one countries [country]->[code] customers_country_fkey');
    // big_customer_names does not show country
    expect(rels('big_customer_names').some((r) => r.includes('countries'))).toBe(false);
    // mood_counts only has computed/grouped non-key columns
    expect(rels('mood_counts')).toEqual([]);
  });
});

describe('functions', () => {
  const fn = (name: string) => {
    const list = schemaIndex(cache).functions('catalog_test', name);
    const first = list[0];
    if (!first) throw new Error(`no function ${name}`);
    return first;
  };

  it('lists overloads, skipping procedures and trigger functions', () => {
    expect(schemaIndex(cache).functions('catalog_test', 'add')).toHaveLength(2);
    expect(schemaIndex(cache).functions('catalog_test', 'not_a_function')).toEqual([]);
    expect(schemaIndex(cache).functions('catalog_test', 'order_feed_insert')).toEqual([]);
  });

  it('reads arguments, defaults, modes and return kinds', () => {
    const add = schemaIndex(cache)
      .functions('catalog_test', 'add')
      .find((f) => f.args.length === 3)!;
    expect(add.args.map((a) => [a.name, a.type, a.hasDefault, a.mode])).toEqual([
      ['a', 'integer', false, 'in'],
      ['b', 'integer', true, 'in'],
      ['c', 'integer', true, 'in'],
    ]);
    expect(add).toMatchObject({
      returnType: 'integer',
      returnsSet: false,
      returnsScalar: true,
      returnsComposite: false,
      returnsRelation: null,
      volatility: 'immutable',
      comment: 'Adds numbers',
    });

    expect(fn('customers_by_mood')).toMatchObject({
      returnsSet: true,
      returnsRelation: { schema: 'catalog_test', name: 'customers' },
      returnsComposite: true,
      returnsScalar: false,
      volatility: 'stable',
    });
    expect(fn('customers_by_mood').args[0]).toMatchObject({ name: 'm', type: 'catalog_test.mood' });

    expect(fn('order_stats')).toMatchObject({ returnsSet: true, returnsComposite: true, returnsRelation: null, returnType: 'record' });
    expect(fn('order_stats').args.map((a) => [a.name, a.hasDefault])).toEqual([['since', true]]); // TABLE columns skipped

    expect(fn('bump').args.map((a) => [a.name, a.mode])).toEqual([['counter', 'inout']]); // OUT skipped
    expect(fn('bump')).toMatchObject({ returnsComposite: true, volatility: 'volatile' });

    expect(fn('join_all').args).toEqual([{ name: 'parts', type: 'text[]', typeOid: 1009, hasDefault: false, mode: 'variadic' }]);
    expect(fn('twice').args.map((a) => a.name)).toEqual(['']);
  });

  it('computes executableBy per role', () => {
    const add = schemaIndex(cache)
      .functions('catalog_test', 'add')
      .find((f) => f.args.length === 3)!;
    expect(add.executableBy).toEqual(['cat_editor']);
    expect(fn('twice').executableBy).toEqual(['cat_anon', 'cat_editor']);
  });
});

describe('roles and privileges', () => {
  it('computes column privileges from column-level and table-level grants', () => {
    expect(rel('customers').privileges['cat_anon']).toEqual({
      select: ['id', 'prénom'],
      insert: ['prénom', 'email'],
      update: ['select'],
      delete: false,
      refresh: false,
    });
    const all = rel('customers').columns.map((c) => c.name);
    expect(rel('customers').privileges['cat_editor']).toEqual({ select: all, insert: all, update: all, delete: true, refresh: false });
    expect(rel('customer_names').privileges['cat_anon']).toEqual({
      select: ['id', 'first_name', 'country'],
      insert: [],
      update: [],
      delete: false,
      refresh: false,
    });
    expect(rel('orders').privileges['cat_anon']).toEqual({ select: [], insert: [], update: [], delete: false, refresh: false });
    expect(Object.keys(rel('orders').privileges).sort()).toEqual(ROLES);
  });

  it('lets the owner of a materialized view (and its members) refresh it, nobody else', async () => {
    expect(rel('mood_counts').privileges['cat_editor']!.refresh).toBe(false);
    await sql.unsafe('alter materialized view catalog_test.mood_counts owner to cat_editor');
    try {
      const c = await loadSchemaCache(sql, { schemas: SCHEMAS, roles: ROLES });
      const mv = schemaIndex(c).relation('catalog_test', 'mood_counts')!;
      expect(mv.privileges['cat_editor']!.refresh).toBe(true);
      expect(mv.privileges['cat_anon']!.refresh).toBe(false);
      // only materialized views are refreshed: owning a table says nothing
      expect(schemaIndex(c).relation('catalog_test', 'customers')!.privileges['cat_editor']!.refresh).toBe(false);
    } finally {
      await sql.unsafe('alter materialized view catalog_test.mood_counts owner to current_user');
    }
  });

  it('on PostgreSQL 17 and later, MAINTAIN lets a role that does not own it refresh it too', async () => {
    const [{ v }] = (await sql.unsafe(`select current_setting('server_version_num')::int as v`)) as unknown as [{ v: number }];
    if (v < 170000) {
      // the privilege does not exist before 17: the catalogue must not ask for it (this load would fail)
      expect(schemaIndex(cache).relation('catalog_test', 'mood_counts')!.privileges['cat_anon']!.refresh).toBe(false);
      return;
    }
    await sql.unsafe('grant maintain on catalog_test.mood_counts to cat_anon');
    try {
      const c = await loadSchemaCache(sql, { schemas: SCHEMAS, roles: ROLES });
      expect(schemaIndex(c).relation('catalog_test', 'mood_counts')!.privileges['cat_anon']!.refresh).toBe(true);
    } finally {
      await sql.unsafe('revoke maintain on catalog_test.mood_counts from cat_anon');
    }
  });

  it('drops requested roles that do not exist', async () => {
    const c = await loadSchemaCache(sql, { schemas: ['catalog_other'], roles: ['cat_editor', 'cat_no_such_role'] });
    expect(c.roles).toEqual(['cat_editor']);
  });

  it('defaults to current_user and the roles it belongs to, without pg_* roles', async () => {
    const c = await loadSchemaCache(sql, { schemas: ['catalog_other'] });
    const [me] = await sql<{ u: string }[]>`select current_user::text as u`;
    expect(c.roles[0]).toBe(me!.u);
    expect(c.roles).toEqual(expect.arrayContaining(ROLES)); // the admin login is a superuser: member of all
    expect(c.roles.some((r) => r.startsWith('pg_'))).toBe(false);
    expect(rel('countries', 'catalog_other').privileges).toBeDefined();
  });
});

describe('the value', () => {
  it('is deep-frozen and JSON-able', () => {
    expect(Object.isFrozen(cache)).toBe(true);
    expect(Object.isFrozen(cache.relations)).toBe(true);
    expect(Object.isFrozen(col('customers', 'mood').enumLabels)).toBe(true);
    expect(Object.isFrozen(rel('customers').privileges['cat_anon']!.select)).toBe(true);
    expect(() => (cache.relations as Relation[]).push(rel('customers'))).toThrow(TypeError);
    expect(JSON.parse(JSON.stringify(cache)).relations).toHaveLength(cache.relations.length);
  });

  it('records the server version and load time', async () => {
    const [v] = await sql<{ v: number }[]>`select current_setting('server_version_num')::int as v`;
    expect(cache.serverVersion).toBe(v!.v);
    expect(Math.abs(Date.now() - cache.loadedAt)).toBeLessThan(60_000);
  });
});
