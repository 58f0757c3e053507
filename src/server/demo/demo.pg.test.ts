import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../test/support/db.js';
import { createPool, type Sql, type TxSql } from '../db/pool.js';
import { DEMO_ROLES, DEMO_USERS, isDemoLoaded, loadDemo, type LoadDemoResult } from './index.js';

let db: TestDb;
let sql: Sql;
let loadedBefore: boolean;
let result: LoadDemoResult;

beforeAll(async () => {
  db = await createTestDb();
  sql = createPool(db.url, { max: 4 });
  loadedBefore = await isDemoLoaded(sql);
  result = await loadDemo(sql);
});

afterAll(async () => {
  await sql?.end({ timeout: 5 });
  await db?.drop();
});

/** Run fn as `role` in a transaction, like pglive does for a request (tx.ts). */
async function asRole<T>(role: string, email: string, fn: (tx: TxSql) => Promise<T>): Promise<T> {
  return (await sql.begin(async (tx) => {
    await tx.unsafe("select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)", [
      role,
      JSON.stringify({ role, email }),
    ]);
    return fn(tx as TxSql);
  })) as T;
}

async function count(q: Sql | TxSql, relation: string): Promise<number> {
  const [row] = await q.unsafe<{ n: number }[]>(`select count(*)::int as n from ${relation}`);
  return row!.n;
}

async function regionsOf(q: TxSql, relation: string): Promise<string[]> {
  const rows = await q.unsafe<{ region_code: string }[]>(
    `select distinct region_code from ${relation} order by region_code`,
  );
  return rows.map((r) => r.region_code);
}

describe('loadDemo', () => {
  it('loads into a fresh database and reports the time taken', () => {
    expect(loadedBefore).toBe(false);
    expect(result.created).toBe(true);
    expect(result.ms).toBeGreaterThan(0);
    expect(result.users.map((u) => u.email)).toEqual(DEMO_USERS.map((u) => u.email));
  });

  it('is recognised by isDemoLoaded afterwards', async () => {
    expect(await isDemoLoaded(sql)).toBe(true);
  });

  it('creates nothing in schema pglive', async () => {
    const [row] = await sql.unsafe<{ n: number }[]>(
      "select count(*)::int as n from pg_namespace where nspname = 'pglive'",
    );
    expect(row!.n).toBe(0);
  });

  it('has a big table of at least 100,000 rows, analysed', async () => {
    expect(await count(sql, 'public.order_lines')).toBeGreaterThanOrEqual(100_000);
    const [row] = await sql.unsafe<{ reltuples: number }[]>(
      "select reltuples::float8 as reltuples from pg_class where oid = 'public.order_lines'::regclass",
    );
    expect(row!.reltuples).toBeGreaterThanOrEqual(100_000);
  });

  it('is a no-op when loaded a second time', async () => {
    const before = await count(sql, 'public.orders');
    const again = await loadDemo(sql);
    expect(again).toMatchObject({ created: false, ms: 0 });
    expect(await count(sql, 'public.orders')).toBe(before);
  });
});

describe('demo schema', () => {
  it('uses the showcase column types', async () => {
    const rows = await sql.unsafe<{ col: string; type: string; typtype: string; generated: string }[]>(
      `select c.relname || '.' || a.attname as col, format_type(a.atttypid, a.atttypmod) as type,
              t.typtype::text as typtype, a.attgenerated::text as generated
       from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_type t on t.oid = a.atttypid
       where c.relnamespace = 'public'::regnamespace and a.attnum > 0 and not a.attisdropped`,
    );
    const byCol = new Map(rows.map((r) => [r.col, r]));
    const expected: [string, string, string][] = [
      ['orders.status', 'order_status', 'e'],
      ['customers.tier', 'customer_tier', 'e'],
      ['customers.email', 'email_address', 'd'],
      ['products.price', 'positive_money', 'd'],
      ['products.attributes', 'jsonb', 'b'],
      ['customers.preferences', 'jsonb', 'b'],
      ['orders.labels', 'text[]', 'b'],
      ['employees.quarterly_targets', 'integer[]', 'b'],
      ['customers.public_id', 'uuid', 'b'],
      ['products.warranty', 'interval', 'b'],
      ['products.discontinued', 'boolean', 'b'],
      ['products.last_restocked_at', 'timestamp without time zone', 'b'],
      ['orders.ordered_at', 'timestamp with time zone', 'b'],
      ['products.launched_on', 'date', 'b'],
      ['order_lines.line_total', 'numeric(12,2)', 'b'],
      ['products.search', 'tsvector', 'b'],
    ];
    for (const [col, type, typtype] of expected) {
      expect(byCol.get(col), col).toMatchObject({ type, typtype });
    }
    for (const col of ['order_lines.line_total', 'products.search', 'orders.order_no']) {
      expect(byCol.get(col)?.generated, col).toBe('s');
    }
  });

  it('indexes the search column with GIN', async () => {
    const rows = await sql.unsafe<{ indexdef: string }[]>(
      "select indexdef from pg_indexes where schemaname = 'public' and tablename = 'products'",
    );
    expect(rows.some((r) => /using gin \(search\)/i.test(r.indexdef))).toBe(true);
  });

  it('has a composite primary key, a many-to-many junction and a self-reference', async () => {
    const rows = await sql.unsafe<{ rel: string; contype: string; cols: string[]; ref: string | null }[]>(
      `select c.conrelid::regclass::text as rel, c.contype::text as contype, c.confrelid::regclass::text as ref,
              array(select a.attname::text from unnest(c.conkey) with ordinality k(n, i)
                    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.i) as cols
       from pg_constraint c where c.connamespace = 'public'::regnamespace and c.contype in ('p', 'f')`,
    );
    const find = (rel: string, contype: string, cols: string[]) =>
      rows.find((r) => r.rel === rel && r.contype === contype && r.cols.join() === cols.join());
    expect(find('order_lines', 'p', ['order_id', 'line_no'])).toBeDefined();
    expect(find('product_tags', 'p', ['product_id', 'tag_id'])).toBeDefined();
    expect(find('product_tags', 'f', ['product_id'])?.ref).toBe('products');
    expect(find('product_tags', 'f', ['tag_id'])?.ref).toBe('tags');
    expect(find('employees', 'f', ['manager_id'])?.ref).toBe('employees');
    expect(find('order_lines', 'f', ['order_id'])?.ref).toBe('orders');
  });

  it('has views and a materialized view that return rows', async () => {
    const kinds = await sql.unsafe<{ relname: string; relkind: string }[]>(
      "select relname, relkind::text from pg_class where relnamespace = 'public'::regnamespace and relkind in ('v', 'm')",
    );
    expect(Object.fromEntries(kinds.map((k) => [k.relname, k.relkind]))).toEqual({
      order_summaries: 'v',
      active_products: 'v',
      monthly_sales: 'm',
    });
    expect(await count(sql, 'public.order_summaries')).toBe(await count(sql, 'public.orders'));
    expect(await count(sql, 'public.monthly_sales')).toBeGreaterThan(0);
    const [updatable] = await sql.unsafe<{ is_updatable: string }[]>(
      "select is_updatable from information_schema.views where table_schema = 'public' and table_name = 'active_products'",
    );
    expect(updatable!.is_updatable).toBe('YES');
  });

  it('describes every table with a comment', async () => {
    const rows = await sql.unsafe<{ relname: string; comment: string | null }[]>(
      `select relname, obj_description(oid, 'pg_class') as comment from pg_class
       where relnamespace = 'public'::regnamespace and relkind in ('r', 'v', 'm')`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(10);
    expect(rows.filter((r) => !r.comment).map((r) => r.relname)).toEqual([]);
  });

  it('generates a full-text search document for products', async () => {
    const rows = await sql.unsafe<{ name: string }[]>("select name from public.search_products('desk chair')");
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => /chair|desk/i.test(r.name))).toBe(true);
  });
});

describe('demo roles and row-level security', () => {
  const eu = (fn: (tx: TxSql) => Promise<unknown>) => asRole(DEMO_ROLES.eu, 'eu@acme.test', fn);
  const us = (fn: (tx: TxSql) => Promise<unknown>) => asRole(DEMO_ROLES.us, 'us@acme.test', fn);
  const manager = (fn: (tx: TxSql) => Promise<unknown>) => asRole(DEMO_ROLES.manager, 'manager@acme.test', fn);

  it('gives each sales team only its own region, and the manager everything', async () => {
    for (const rel of ['public.orders', 'public.customers']) {
      expect(await eu((tx) => regionsOf(tx, rel))).toEqual(['EU']);
      expect(await us((tx) => regionsOf(tx, rel))).toEqual(['US']);
      expect(await manager((tx) => regionsOf(tx, rel))).toEqual(['APAC', 'EU', 'US']);
    }
    const all = (await manager((tx) => count(tx, 'public.orders'))) as number;
    expect(all).toBe(await count(sql, 'public.orders'));
    expect(await eu((tx) => count(tx, 'public.orders'))).toBeLessThan(all);
    expect(await us((tx) => count(tx, 'public.orders'))).toBeLessThan(all);
  });

  it('lets order lines and the summary view follow the visibility of their order', async () => {
    const euLines = (await eu((tx) => count(tx, 'public.order_lines'))) as number;
    const [expected] = await sql.unsafe<{ n: number }[]>(
      "select count(*)::int as n from public.order_lines l join public.orders o on o.id = l.order_id where o.region_code = 'EU'",
    );
    expect(euLines).toBe(expected!.n);
    expect(await us((tx) => regionsOf(tx, 'public.order_summaries'))).toEqual(['US']);
  });

  it('hides employees.salary from the sales roles but not from the manager', async () => {
    await expect(eu((tx) => tx.unsafe('select salary from public.employees'))).rejects.toMatchObject({
      code: '42501',
    });
    expect(await eu((tx) => count(tx, 'public.employees'))).toBeGreaterThan(0);
    await expect(
      eu((tx) => tx.unsafe('select full_name, title, manager_id from public.employees')),
    ).resolves.toBeDefined();
    await expect(manager((tx) => tx.unsafe('select salary from public.employees'))).resolves.toBeDefined();
  });

  it('lets a sales team write in its own region only, and never delete', async () => {
    const inserted = (await eu((tx) =>
      tx.unsafe<{ order_no: string }[]>(
        "insert into public.orders (customer_id, region_code) select id, 'EU' from public.customers where region_code = 'EU' limit 1 returning order_no",
      ),
    )) as { order_no: string }[];
    expect(inserted[0]!.order_no).toMatch(/^ACME-\d{6}$/);
    await expect(
      eu((tx) => tx.unsafe("insert into public.orders (customer_id, region_code) values (1, 'US')")),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(us((tx) => tx.unsafe('delete from public.orders where id = 1'))).rejects.toMatchObject({
      code: '42501',
    });
  });

  it('keeps monthly_sales and its refresh to the manager', async () => {
    await expect(eu((tx) => tx.unsafe('select * from public.monthly_sales'))).rejects.toMatchObject({
      code: '42501',
    });
    await expect(manager((tx) => tx.unsafe('select public.refresh_monthly_sales()'))).resolves.toBeDefined();
    // the manager owns it: a plain REFRESH works for the manager only
    await expect(manager((tx) => tx.unsafe('refresh materialized view concurrently public.monthly_sales'))).resolves.toBeDefined();
    await expect(us((tx) => tx.unsafe('refresh materialized view public.monthly_sales'))).rejects.toMatchObject({ code: '42501' });
  });
});

describe('a second load elsewhere', () => {
  let other: TestDb;
  const pools: Sql[] = [];

  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end({ timeout: 5 })));
    await other?.drop();
  });

  it('is serialised when two loads race, and produces the same data', async () => {
    other = await createTestDb();
    pools.push(createPool(other.url, { max: 1 }), createPool(other.url, { max: 1 }));
    const results = await Promise.all(pools.map((p) => loadDemo(p)));
    expect(results.map((r) => r.created).sort()).toEqual([false, true]);

    const fingerprint = `select md5(string_agg(concat_ws('|', c.id, c.public_id, c.name, c.tier, c.preferences), ',' order by c.id))
                          || (select sum(line_total)::text from public.order_lines) as f from public.customers c`;
    const [a] = await sql.unsafe<{ f: string }[]>(fingerprint);
    const [b] = await pools[0]!.unsafe<{ f: string }[]>(fingerprint);
    expect(b!.f).toBe(a!.f);
  });
});
