/**
 * Loading is set-based: the query count does not grow with the number of
 * tables. Logs the time for 300 tables (no timing assertion: shared machine).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../test/support/db.js';
import { createPool } from '../db/pool.js';
import { schemaIndex } from './index.js';
import { loadSchemaCache } from './load.js';

const ROLES = ['cat_anon', 'cat_editor'];

describe('scale', () => {
  let big: TestDb;
  afterAll(async () => {
    await big?.drop();
  });

  it('loads 300 tables with a fixed number of queries', async () => {
    big = await createTestDb([]);
    await big.sql.unsafe(`
      create schema wide;
      create table wide.t0 (id int primary key, note text);
      do $$ begin
        for i in 1..299 loop
          execute format(
            'create table wide.%I (id int primary key, parent_id int references wide.t%s (id), name text not null, tags text[], created_at timestamptz default now())',
            't' || i, i - 1);
        end loop;
      end $$;
      create view wide.v1 as select id, parent_id from wide.t1;`);
    const pool = createPool(big.url, { max: 2 });
    try {
      const started = performance.now();
      const c = await loadSchemaCache(pool, { schemas: ['wide'], roles: ROLES });
      const ms = Math.round(performance.now() - started);
      console.log(`loadSchemaCache: 300 tables, ${c.relations.reduce((n, r) => n + r.columns.length, 0)} columns in ${ms} ms`);
      expect(c.relations).toHaveLength(301);
      expect(c.foreignKeys).toHaveLength(299);
      expect(schemaIndex(c).relationshipsFrom({ schema: 'wide', name: 'v1' }).map((r) => `${r.kind} ${r.to.name}`).sort()).toEqual([
        'many-to-one t0',
        'one-to-many t2',
      ]);
    } finally {
      await pool.end({ timeout: 5 });
    }
  });
});
