/**
 * @supabase/postgrest-js against a listening pglive: writes (insert, upsert,
 * update, delete), RPC, a second schema and error objects. Writes go to
 * client_items / rest_two.things (test/fixtures/clients.sql); tests run in
 * order and each states the rows it expects.
 */
import { PostgrestClient } from '@supabase/postgrest-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jwtFor } from '../support/app.js';
import { loggingFetch, startClientServer, type ClientServer } from './server.js';

let server: ClientServer;
let db: PostgrestClient;

beforeAll(async () => {
  server = await startClientServer(['rest.sql', 'clients.sql'], { schemas: ['public', 'rest_two'] });
  const token = await jwtFor('rest_user', { email: 'alice@x.test' });
  db = new PostgrestClient(server.apiUrl, { headers: { Authorization: `Bearer ${token}` }, fetch: loggingFetch });
});
afterAll(async () => server?.close());

const items = () => db.from('client_items');

/** mutation results come back in no guaranteed order */
function byKey<T extends Record<string, unknown>>(rows: T[] | null, key: string): T[] {
  return [...(rows ?? [])].sort((a, b) => String(a[key]).localeCompare(String(b[key]), 'en', { numeric: true }));
}

async function itemsBySku(skus: string[]): Promise<unknown[]> {
  const { data, error } = await items().select('sku, name, qty, note').in('sku', skus).order('sku');
  expect(error).toBeNull();
  return data ?? [];
}

describe('insert', () => {
  it('one row, return=minimal: 201 and no body', async () => {
    const r = await items().insert({ sku: 'D-4', name: 'Drill', qty: 4 });
    expect(r.error).toBeNull();
    expect(r.status).toBe(201);
    expect(r.data).toBeNull();
    expect(await itemsBySku(['D-4'])).toEqual([{ sku: 'D-4', name: 'Drill', qty: 4, note: 'none' }]);
  });

  it('one row with select() returns the representation', async () => {
    const r = await items().insert({ sku: 'E-5', name: 'Engine', qty: 5, note: null }).select('id, sku, note').single();
    expect(r.error).toBeNull();
    expect(r.status).toBe(201);
    expect(r.data).toEqual({ id: 5, sku: 'E-5', note: null });
  });

  it('many rows with a count', async () => {
    const r = await items()
      .insert([{ sku: 'F-6', name: 'File', qty: 6 }, { sku: 'G-7', name: 'Gauge', qty: 7 }], { count: 'exact' })
      .select('sku, qty');
    expect(r.error).toBeNull();
    expect(r.count).toBe(2);
    expect(r.data).toEqual([{ sku: 'F-6', qty: 6 }, { sku: 'G-7', qty: 7 }]);
  });

  it('rows with different keys: missing columns are null by default (a NOT NULL column fails)', async () => {
    const r = await items().insert([{ sku: 'H-8', name: 'Hammer', qty: 8 }, { sku: 'I-9', name: 'Iron' }]);
    expect(r.status).toBe(400);
    expect(r.error?.code).toBe('23502');
    expect(await itemsBySku(['H-8', 'I-9'])).toEqual([]);
  });

  it('defaultToNull: false sends missing=default, so missing columns take their defaults', async () => {
    const r = await items()
      .insert([{ sku: 'H-8', name: 'Hammer', qty: 8 }, { sku: 'I-9', name: 'Iron' }], { defaultToNull: false })
      .select('sku, qty, note');
    expect(r.error).toBeNull();
    expect(r.data).toEqual([
      { sku: 'H-8', qty: 8, note: 'none' },
      { sku: 'I-9', qty: 7, note: 'none' },
    ]);
  });

  it('a duplicate key is 23505 / 409 with PostgreSQL details', async () => {
    const r = await items().insert({ sku: 'A-1', name: 'Again' });
    expect(r.status).toBe(409);
    expect(r.data).toBeNull();
    expect(r.error).toMatchObject({ code: '23505', details: 'Key (sku)=(A-1) already exists.' });
    expect(r.error?.message).toMatch(/duplicate key value violates unique constraint "client_items_sku_key"/);
  });
});

describe('upsert', () => {
  it('merges on a unique column (onConflict)', async () => {
    const r = await items().upsert({ sku: 'A-1', name: 'Anvil XL', qty: 10 }, { onConflict: 'sku' }).select('id, sku, name, qty, note');
    expect(r.error).toBeNull();
    expect(r.data).toEqual([{ id: 1, sku: 'A-1', name: 'Anvil XL', qty: 10, note: 'heavy' }]);
  });

  it('merges on the primary key by default, inserting new rows', async () => {
    const r = await items()
      .upsert([{ id: 2, sku: 'B-2', name: 'Big bucket', qty: 20 }, { id: 100, sku: 'Z-100', name: 'Zip', qty: 1 }])
      .select('id, name, qty');
    expect(r.error).toBeNull();
    expect(byKey(r.data, 'id')).toEqual([
      { id: 2, name: 'Big bucket', qty: 20 },
      { id: 100, name: 'Zip', qty: 1 },
    ]);
  });

  it('ignoreDuplicates inserts only the new rows and returns only them', async () => {
    const r = await items()
      .upsert([{ sku: 'A-1', name: 'ignored', qty: 0 }, { sku: 'J-10', name: 'Jack', qty: 10 }], { onConflict: 'sku', ignoreDuplicates: true })
      .select('sku, name');
    expect(r.error).toBeNull();
    expect(r.data).toEqual([{ sku: 'J-10', name: 'Jack' }]);
    expect(await itemsBySku(['A-1'])).toEqual([{ sku: 'A-1', name: 'Anvil XL', qty: 10, note: 'heavy' }]);
  });
});

describe('update and delete', () => {
  it('updates the filtered rows and returns them', async () => {
    const r = await items().update({ qty: 99, note: 'updated' }, { count: 'exact' }).in('sku', ['F-6', 'G-7']).select('sku, qty, note');
    expect(r.error).toBeNull();
    expect(r.status).toBe(200);
    expect(r.count).toBe(2);
    expect(byKey(r.data, 'sku')).toEqual([
      { sku: 'F-6', qty: 99, note: 'updated' },
      { sku: 'G-7', qty: 99, note: 'updated' },
    ]);
  });

  it('update without select: 204', async () => {
    const r = await items().update({ name: 'Drill press' }).eq('sku', 'D-4');
    expect(r.error).toBeNull();
    expect(r.status).toBe(204);
    expect(await itemsBySku(['D-4'])).toEqual([{ sku: 'D-4', name: 'Drill press', qty: 4, note: 'none' }]);
  });

  it('a filterless update is refused (PGLIVE100) and changes nothing', async () => {
    const r = await items().update({ qty: 0 });
    expect(r.status).toBe(400);
    expect(r.error?.code).toBe('PGLIVE100');
    expect(await itemsBySku(['A-1'])).toEqual([{ sku: 'A-1', name: 'Anvil XL', qty: 10, note: 'heavy' }]);
  });

  it('deletes the filtered rows, with representation and count', async () => {
    const r = await items().delete({ count: 'exact' }).like('sku', 'F-*').select('sku');
    expect(r.error).toBeNull();
    expect(r.count).toBe(1);
    expect(r.data).toEqual([{ sku: 'F-6' }]);
  });

  it('delete without select: 204, and the row is gone', async () => {
    const r = await items().delete().eq('sku', 'G-7');
    expect(r.error).toBeNull();
    expect(r.status).toBe(204);
    expect(await itemsBySku(['F-6', 'G-7'])).toEqual([]);
  });
});

describe('rpc', () => {
  it('POST with named arguments returns the scalar', async () => {
    const r = await db.rpc('add_them', { a: 40, b: 2 });
    expect(r.error).toBeNull();
    expect(r.data).toBe(42);
  });

  it('get: true sends the arguments in the query string', async () => {
    const r = await db.rpc('add_them', { a: 1, b: 2 }, { get: true });
    expect(r.error).toBeNull();
    expect(r.data).toBe(3);
  });

  it('runs as the JWT role with its claims', async () => {
    expect((await db.rpc('whoami')).data).toBe('rest_user');
    expect((await db.rpc('claim_email', {}, { get: true })).data).toBe('alice@x.test');
  });

  it('set-returning functions take select, filters, order and range', async () => {
    const r = await db.rpc('films_since', { y: 1954 }).select('title, rating').gte('rating', 8).order('title').range(0, 1);
    expect(r.error).toBeNull();
    expect(r.data).toEqual([
      { title: 'Ran', rating: 8.2 },
      { title: 'Seven Samurai', rating: 8.6 },
    ]);
    const viaGet = await db.rpc('films_since', { y: 1980 }, { get: true }).select('id').eq('director_id', 2);
    expect(viaGet.error).toBeNull();
    expect(viaGet.data).toEqual([{ id: 5 }]);
  });

  it('head with count returns the count and no data', async () => {
    const r = await db.rpc('films_since', { y: 1960 }, { head: true, count: 'exact' });
    expect(r.error).toBeNull();
    expect(r.data).toBeNull();
    expect(r.count).toBe(3);
  });

  it('setof scalar and void functions', async () => {
    expect((await db.rpc('series', { n: 3 })).data).toEqual([1, 2, 3]);
    const v = await db.rpc('nothing');
    expect(v.error).toBeNull();
    expect(v.status).toBe(204);
    expect(v.data).toBeNull();
  });

  it('an unknown function is PGRST202 / 404', async () => {
    const r = await db.rpc('no_such_fn', { a: 1 });
    expect(r.status).toBe(404);
    expect(r.error?.code).toBe('PGRST202');
  });
});

describe('schema()', () => {
  it('reads and writes another exposed schema with Accept-Profile / Content-Profile', async () => {
    const two = db.schema('rest_two');
    const ins = await two.from('things').insert({ id: 2, label: 'two-two' }).select();
    expect(ins.error).toBeNull();
    expect(ins.data).toEqual([{ id: 2, label: 'two-two' }]);
    const r = await two.from('things').select('*').order('id');
    expect(r.error).toBeNull();
    expect(r.data).toEqual([
      { id: 1, label: 'two-one' },
      { id: 2, label: 'two-two' },
    ]);
  });

  it('a schema that is not exposed is PGRST106 / 406', async () => {
    const r = await db.schema('pglive').from('users').select();
    expect(r.status).toBe(406);
    expect(r.error?.code).toBe('PGRST106');
  });
});

describe('errors', () => {
  it('an unknown table is PGRST205 / 404', async () => {
    const r = await db.from('no_such_table').select();
    expect(r.status).toBe(404);
    expect(r.data).toBeNull();
    expect(r.error?.code).toBe('PGRST205');
    expect(r.error?.message).toMatch(/no_such_table/);
  });

  it('an unknown column is a 400 naming it', async () => {
    const r = await db.from('films').select('id, nope');
    expect(r.status).toBe(400);
    expect(['42703', 'PGRST204']).toContain(r.error?.code);
    expect(r.error?.message).toMatch(/nope/);
  });

  it('an embed without a relationship is PGRST200 / 400', async () => {
    const r = await db.from('films').select('title, ranges(id)');
    expect(r.status).toBe(400);
    expect(r.error?.code).toBe('PGRST200');
  });

  it('a malformed value is a 400, not a 500', async () => {
    const r = await db.from('films').select('id').eq('year', 'nineteen');
    expect(r.status).toBe(400);
    expect(typeof r.error?.code).toBe('string');
    expect(r.error?.message).toMatch(/nineteen/);
  });

  it('a CHECK violation keeps its SQLSTATE', async () => {
    const r = await db.from('films').insert({ title: 'Too early', year: 1800 });
    expect(r.status).toBe(400);
    expect(r.error?.code).toBe('23514');
  });

  it('throwOnError() rejects with the same error object', async () => {
    await expect(db.from('no_such_table').select().throwOnError()).rejects.toMatchObject({ code: 'PGRST205' });
  });
});
