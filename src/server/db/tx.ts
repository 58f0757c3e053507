/**
 * Every request runs in one transaction as its database role:
 * set_config('role', …, true) is SET LOCAL ROLE; the JWT-style claims go into
 * request.jwt.claims (PostgREST-compatible) so RLS policies can read them with
 * current_setting('request.jwt.claims', true)::jsonb; pglive.user_id carries the
 * pglive user id ('' for JWT / anonymous). statement_timeout bounds every statement.
 */
import type { Sql, TxSql } from './pool.js';
import type { SqlStatement } from '../sql/params.js';

export interface RoleContext {
  readonly role: string;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly userId: string | null;
  readonly statementTimeoutMs: number;
  readonly method?: string;
  readonly path?: string;
}

/**
 * jit is off for requests: they are pages and small writes, and PostgreSQL's
 * JIT compiles a plan on every execution once its cost passes jit_above_cost.
 * A deep page (OFFSET 52,550 with two embeds) spent 333–391 ms compiling to
 * run for 60 ms.
 */
const SET_CONTEXT =
  "select set_config('role', $1, true), set_config('request.jwt.claims', $2, true), " +
  "set_config('pglive.user_id', $3, true), set_config('statement_timeout', $4, true), " +
  "set_config('request.method', $5, true), set_config('request.path', $6, true), set_config('jit', 'off', true)";

export function contextValues(ctx: RoleContext): string[] {
  return [
    ctx.role,
    JSON.stringify(ctx.claims),
    ctx.userId ?? '',
    String(Math.max(0, Math.floor(ctx.statementTimeoutMs))),
    ctx.method ?? '',
    ctx.path ?? '',
  ];
}

export async function withRole<T>(
  sql: Sql,
  ctx: RoleContext,
  fn: (tx: TxSql) => Promise<T>,
  opts: { readOnly?: boolean } = {},
): Promise<T> {
  return (await sql.begin(opts.readOnly ? 'read only' : 'read write', async (tx) => {
    // Pipelined: the context statement and the first request statement leave in
    // one round trip. If the context fails (e.g. an unknown role), the request
    // statement fails too ("transaction aborted"): report the context's error.
    const setup = tx.unsafe(SET_CONTEXT, contextValues(ctx)).execute();
    setup.catch(() => {});
    const result = fn(tx as TxSql);
    result.catch(() => {});
    await setup;
    return await result;
  })) as T;
}

/**
 * One round trip for the common case: BEGIN, the role context, the given
 * statements and COMMIT leave together on a reserved connection (pipelined;
 * postgres.js's begin() would wait for BEGIN and COMMIT separately). The first
 * error wins: the context's (bad role), else the first failing statement's;
 * the COMMIT of an aborted transaction only rolls back.
 */
export async function runAsRole(
  sql: Sql,
  ctx: RoleContext,
  statements: readonly SqlStatement[],
  opts: { readOnly?: boolean } = {},
): Promise<Record<string, unknown>[][]> {
  const [result] = await runBatchAsRoles(sql, [{ ctx, statements, readOnly: opts.readOnly ?? false }]);
  if ('error' in result!) throw result.error;
  return result!.rows;
}

/** one unit of a batch: a role context and its statements */
export interface RoleBatchItem {
  readonly ctx: RoleContext;
  readonly statements: readonly SqlStatement[];
  readonly readOnly: boolean;
}

export type RoleBatchResult = { readonly rows: Record<string, unknown>[][] } | { readonly error: unknown };

/** SQLSTATE 25P02: a statement sent after an earlier one failed in the same transaction */
const IN_FAILED_TRANSACTION = '25P02';

/**
 * Several units on ONE connection, pipelined: all of them leave in one write
 * and come back in one round trip (runAsRole is the one-unit case). The live
 * engine evaluates many views this way; per view, a round trip, a socket write
 * and a transaction of its own cost more than its SELECT.
 *
 * Each unit runs in a transaction (BEGIN, its role context, its statements,
 * COMMIT). Read-only units of the same context (role, claims, user, timeout)
 * share one transaction: they would see the same rows under the same
 * permissions anyway, and a shared transaction saves three statements per
 * unit. Results are still per unit, in order: its rows or its first error
 * (the context's before the statements'). A failing statement aborts its
 * shared transaction: the units after it, refused with 25P02, run again in a
 * batch of their own, so one unit's error never becomes another's.
 */
export async function runBatchAsRoles(
  sql: Sql,
  items: readonly RoleBatchItem[],
  /** called with each unit's result as soon as it is known (results arrive in send order) */
  onResult?: (index: number, result: RoleBatchResult) => void,
): Promise<RoleBatchResult[]> {
  const out: (RoleBatchResult | undefined)[] = new Array(items.length);
  let todo = items.map((_, i) => i);
  while (todo.length > 0) {
    const retry: number[] = [];
    await runOnce(sql, todo.map((i) => items[i]!), (k, result, refused) => {
      if (refused) retry.push(todo[k]!);
      else {
        out[todo[k]!] = result;
        onResult?.(todo[k]!, result);
      }
    });
    todo = retry;
  }
  return out as RoleBatchResult[];
}

/** one pipelined round trip; `settle(k, result, refused)` per unit, refused = only 25P02 after another unit's error */
async function runOnce(
  sql: Sql,
  items: readonly RoleBatchItem[],
  settle: (k: number, result: RoleBatchResult, refused: boolean) => void,
): Promise<void> {
  // transactions: read-only units of one context together, in order of first appearance
  const groups = new Map<string, number[]>();
  items.forEach((item, k) => {
    const key = item.readOnly ? 'r' + JSON.stringify(contextValues(item.ctx)) : 'w' + k;
    const group = groups.get(key);
    if (group) group.push(k);
    else groups.set(key, [k]);
  });
  const conn = await sql.reserve();
  try {
    const sent = [...groups.values()].map((units) => {
      const first = items[units[0]!]!;
      const begin = conn.unsafe(first.readOnly ? 'begin read only' : 'begin').execute();
      const context = conn.unsafe(SET_CONTEXT, contextValues(first.ctx)).execute();
      const perUnit = units.map((k) => items[k]!.statements.map((s) => conn.unsafe(s.text, s.values as never[]).execute() as Promise<unknown>));
      const commit = conn.unsafe('commit').execute();
      for (const p of [begin, context, commit, ...perUnit.flat()]) (p as Promise<unknown>).catch(() => {});
      return { units, readOnly: first.readOnly, head: [begin, context] as Promise<unknown>[], perUnit, commit: Promise.allSettled([commit]) };
    });
    for (const { units, readOnly, head, perUnit, commit } of sent) {
      const headFailed = (await Promise.allSettled(head)).find((r) => r.status === 'rejected');
      let failedBefore = false;
      for (const [j, k] of units.entries()) {
        const settled = await Promise.allSettled(perUnit[j]!);
        const failed = headFailed ?? settled.find((r) => r.status === 'rejected');
        if (!failed) {
          const rows = settled.map((r) => (r as PromiseFulfilledResult<unknown>).value as Record<string, unknown>[]);
          if (readOnly) {
            // what a read-only transaction read stands once read: its COMMIT changes nothing
            settle(k, { rows }, false);
            continue;
          }
          // a write stands only once committed (a deferred constraint can still fail the COMMIT),
          // and its caller answers only then, so a reader it tells can see it
          const [c] = await commit;
          settle(k, c!.status === 'rejected' ? { error: c!.reason } : { rows }, false);
          continue;
        }
        const reason = (failed as PromiseRejectedResult).reason as { code?: unknown };
        const refused = failedBefore && headFailed === undefined && reason?.code === IN_FAILED_TRANSACTION;
        settle(k, { error: reason }, refused);
        failedBefore = true;
      }
    }
    // every COMMIT answered before the connection goes back to the pool
    await Promise.all(sent.map((g) => g.commit));
  } finally {
    // every transaction ended with COMMIT (or ROLLBACK after its error): nothing is left open
    conn.release();
  }
}
