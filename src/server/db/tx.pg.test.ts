/**
 * The pipelined runner (runAsRole / runBatchAsRoles) against a real
 * PostgreSQL: a write is answered only once committed (visible to any other
 * connection, and a COMMIT that fails is the caller's error), while read-only
 * units of one context share a transaction and fail one by one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Sql } from './pool.js';
import { runAsRole, runBatchAsRoles, type RoleContext } from './tx.js';
import { createTestDb, type TestDb } from '../../../test/support/db.js';

let db: TestDb;
let sql: Sql;
beforeAll(async () => {
  db = await createTestDb();
  await db.sql.unsafe(`
    create table tx_items (id int primary key, v text,
      constraint tx_items_v_unique unique (v) deferrable initially deferred)`);
  sql = createPool(db.url, { max: 2 });
});
afterAll(async () => {
  await sql?.end({ timeout: 5 });
  await db?.drop();
});

const ctx: RoleContext = { role: 'postgres', claims: { role: 'postgres' }, userId: null, statementTimeoutMs: 5000 };
const insert = (id: number, v: string) => ({ text: 'insert into tx_items (id, v) values ($1, $2)', values: [id, v] });

describe('runAsRole / runBatchAsRoles', () => {
  it('answers a write once it is committed: another connection sees it at once', async () => {
    for (let i = 1; i <= 20; i++) {
      await runAsRole(sql, ctx, [insert(i, `v${i}`)]);
      const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from tx_items where id = ${i}`;
      expect(row!.n).toBe(1);
    }
  });

  it('reports a COMMIT that fails (a deferred unique constraint) as the write\'s error', async () => {
    await expect(runAsRole(sql, ctx, [insert(100, 'v1')])).rejects.toMatchObject({ code: '23505' });
    const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from tx_items where id = 100`;
    expect(row!.n).toBe(0);
    const out = await runBatchAsRoles(sql, [
      { ctx, readOnly: false, statements: [insert(101, 'fresh')] },
      { ctx, readOnly: false, statements: [insert(102, 'v2')] },
    ]);
    expect(out.map((r) => ('error' in r ? (r.error as { code?: string }).code : 'ok'))).toEqual(['ok', '23505']);
  });

  it('runs requests without JIT (it compiled deep pages for longer than they ran), for that transaction only', async () => {
    const one = createPool(db.url, { max: 1 }); // one connection: the same one before and after
    try {
      await one`set jit = on`;
      const [rows] = await runAsRole(one, ctx, [{ text: "select current_setting('jit') as jit", values: [] }], { readOnly: true });
      expect(rows![0]!['jit']).toBe('off');
      const [after] = await one`select current_setting('jit') as jit`;
      expect(after!['jit']).toBe('on'); // set_config(…, true): gone with the transaction
    } finally {
      await one.end({ timeout: 5 });
    }
  });

  it('shares one transaction among read-only units of a context; a failing one fails alone', async () => {
    const read = (q: string) => ({ ctx, readOnly: true, statements: [{ text: q, values: [] }] });
    const out = await runBatchAsRoles(sql, [
      read('select txid_current_if_assigned() as t, pg_backend_pid() as p, statement_timestamp() as s, now() as n'),
      read('select 1/0'),
      read('select now() as n'),
    ]);
    expect('error' in out[1]! && (out[1].error as { code?: string }).code).toBe('22012');
    const a = (out[0] as { rows: Record<string, unknown>[][] }).rows[0]![0]!;
    const c = (out[2] as { rows: Record<string, unknown>[][] }).rows[0]![0]!;
    // the third unit ran again, apart, after the second one's error aborted the shared transaction
    expect(c['n']).not.toEqual(a['n']);
    const together = await runBatchAsRoles(sql, [read('select now() as n'), read('select now() as n')]);
    const [x, y] = together.map((r) => String((r as { rows: Record<string, unknown>[][] }).rows[0]![0]!['n']));
    expect(x).toBe(y); // one transaction: the same now()
  });
});
