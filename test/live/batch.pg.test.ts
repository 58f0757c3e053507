/**
 * Batched evaluation (evaluateViews → runBatchAsRoles): many views of
 * different roles and claims pipelined on one connection, each in its own
 * transaction. Each view must get exactly what it would get alone — its own
 * role's GRANTs, its own claims under RLS — and one failing view must not
 * fail the others.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, jwtFor, type TestApp } from '../support/app.js';
import { compileView, evaluateView, evaluateViews, planView, type BatchItem, type Evaluation, type ViewSpec } from '../../src/server/live/evaluate.js';
import type { CallerPrincipal } from '../../src/server/http/rest.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp(['live.sql']);
});
afterAll(async () => t?.close());

const rowsOf = (ev: Evaluation): Record<string, unknown>[] => ev.texts.map((t) => JSON.parse(t) as Record<string, unknown>);

const principal = (role: string, email: string | null): CallerPrincipal =>
  ({ role, claims: email === null ? { role } : { role, email }, userId: null }) as unknown as CallerPrincipal;

function item(role: string, email: string | null, query: string, table = 'items'): BatchItem {
  const spec: ViewSpec = { table, schema: null, query, count: 'exact' };
  return { view: compileView(planView(t.store.current, spec, role), spec, role), spec, principal: principal(role, email) };
}

/** what REST answers for the same query and user */
async function rest(role: string, email: string | null, query: string): Promise<{ rows: unknown[]; total: number }> {
  const token = await jwtFor(role, email === null ? {} : { email });
  const res = await t.app.inject({ method: 'GET', url: `/api/items?${query}`, headers: { authorization: `Bearer ${token}`, prefer: 'count=exact' } });
  expect([200, 206]).toContain(res.statusCode);
  return { rows: JSON.parse(res.body) as unknown[], total: Number(res.headers['content-range']!.split('/')[1]) };
}

describe('batched live evaluation', () => {
  it('gives each view its own role and claims: the same rows and totals as REST, and as alone', async () => {
    const q = 'select=id,account,price&order=id&limit=20';
    const users: [string, string | null][] = [
      ['live_user', 'a@live.test'],
      ['live_user', 'b@live.test'],
      ['live_manager', 'm@live.test'],
      ['live_user', 'nobody@live.test'],
      ['live_user', 'a@live.test'],
    ];
    const items = users.map(([role, email]) => item(role, email, q));
    const batch = await evaluateViews(t.sql, items, 5000);
    for (const [i, [role, email]] of users.entries()) {
      const got = batch[i] as Evaluation;
      expect(got).not.toHaveProperty('error');
      const truth = await rest(role, email, q);
      expect([rowsOf(got), got.total]).toEqual([truth.rows, truth.total]);
      const alone = await evaluateView(t.sql, items[i]!.view, items[i]!.spec, items[i]!.principal, 5000);
      expect(got).toEqual(alone);
    }
    // the claims really differed: a's rows are not b's, the manager sees everyone's, nobody sees nothing
    const accounts = (i: number) => new Set(rowsOf(batch[i] as Evaluation).map((r) => r.account));
    expect([...accounts(0)]).toEqual(['a@live.test']);
    expect([...accounts(1)]).toEqual(['b@live.test']);
    expect(accounts(2).size).toBe(3);
    expect((batch[3] as Evaluation).total).toBe(0);
  });

  it('a view that fails (no privilege) gets its own error; the others in the batch still get their rows', async () => {
    const items = [
      item('live_user', 'a@live.test', 'select=id,price&order=id&limit=5'),
      item('live_limited', 'b@live.test', 'select=id,qty&order=id&limit=5'),
      item('live_none', null, 'select=id,qty&order=id&limit=5'),
      item('live_manager', 'm@live.test', 'select=id,price&order=id&limit=5'),
    ];
    const out = await evaluateViews(t.sql, items, 5000);
    expect(out.map((r) => ('error' in r ? (r.error as { code?: string }).code : 'ok'))).toEqual(['ok', 'ok', '42501', 'ok']);
    expect((out[0] as Evaluation).texts.length).toBe(5);
    expect(rowsOf(out[1] as Evaluation)[0]).toEqual({ id: expect.any(Number), qty: expect.anything() });
  });

  it('views of one context share a transaction, yet a failing view fails alone', async () => {
    const ok = (q: string) => item('live_user', 'a@live.test', q);
    const items = [
      ok('select=id,price&order=id&limit=3'),
      ok('select=id,price&price=eq.not-a-number&limit=3'), // 22P02 at execution, inside the shared transaction
      ok('select=id,qty&order=id.desc&limit=2'),
      item('live_manager', 'm@live.test', 'select=id&order=id&limit=2'),
      ok('select=id&order=id&limit=1'),
    ];
    const out = await evaluateViews(t.sql, items, 5000);
    expect(out.map((r) => ('error' in r ? (r.error as { code?: string }).code : 'ok'))).toEqual(['ok', '22P02', 'ok', 'ok', 'ok']);
    for (const i of [0, 2, 3, 4]) {
      const alone = await evaluateView(t.sql, items[i]!.view, items[i]!.spec, items[i]!.principal, 5000);
      expect(out[i]).toEqual(alone);
    }
    // results are handed over one by one as they arrive, each once, the same as returned
    const seen: [number, unknown][] = [];
    const again = await evaluateViews(t.sql, items, 5000, (i, r) => seen.push([i, r]));
    expect(seen.map(([i]) => i).sort()).toEqual([0, 1, 2, 3, 4]);
    for (const [i, r] of seen) expect(r).toBe(again[i]);
    // an error in the context itself (an unknown role) is every view's of that context
    const ghost = principal('live_no_such_role', null);
    const bad = await evaluateViews(t.sql, [0, 2].map((i) => ({ ...items[i]!, principal: ghost })), 5000);
    expect(bad.map((r) => ('error' in r ? (r.error as { code?: string }).code : 'ok'))).toEqual(['22023', '22023']);
  });

  it('leaves no role or claims behind on the pooled connection', async () => {
    await evaluateViews(t.sql, [item('live_user', 'a@live.test', 'select=id&limit=1'), item('live_manager', 'm@live.test', 'select=id&limit=1')], 5000);
    const rows = await Promise.all(
      Array.from({ length: 12 }, () => t.sql<{ u: string; c: string | null }[]>`select current_user as u, current_setting('request.jwt.claims', true) as c`),
    );
    for (const [r] of rows) expect([r!.u, r!.c ?? '']).toEqual([expect.not.stringMatching(/^live_/), '']);
  });
});
