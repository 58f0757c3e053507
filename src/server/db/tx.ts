/**
 * Every request runs in one transaction as its database role:
 * set_config('role', …, true) is SET LOCAL ROLE; the JWT-style claims go into
 * request.jwt.claims (PostgREST-compatible) so RLS policies can read them with
 * current_setting('request.jwt.claims', true)::jsonb; pglive.user_id carries the
 * pglive user id ('' for JWT / anonymous). statement_timeout bounds every statement.
 */
import type { Sql, TxSql } from './pool.js';

export interface RoleContext {
  readonly role: string;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly userId: string | null;
  readonly statementTimeoutMs: number;
  readonly method?: string;
  readonly path?: string;
}

const SET_CONTEXT =
  "select set_config('role', $1, true), set_config('request.jwt.claims', $2, true), " +
  "set_config('pglive.user_id', $3, true), set_config('statement_timeout', $4, true), " +
  "set_config('request.method', $5, true), set_config('request.path', $6, true)";

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
  statements: readonly { readonly text: string; readonly values: readonly unknown[] }[],
  opts: { readOnly?: boolean } = {},
): Promise<Record<string, unknown>[][]> {
  const [result] = await runBatchAsRoles(sql, [{ ctx, statements, readOnly: opts.readOnly ?? false }]);
  if ('error' in result!) throw result.error;
  return result!.rows;
}

/** one unit of a batch: a role context and its statements, in a transaction of their own */
export interface RoleBatchItem {
  readonly ctx: RoleContext;
  readonly statements: readonly { readonly text: string; readonly values: readonly unknown[] }[];
  readonly readOnly: boolean;
}

export type RoleBatchResult = { readonly rows: Record<string, unknown>[][] } | { readonly error: unknown };

/**
 * Several units on ONE connection, pipelined: each unit is its own
 * transaction (BEGIN, its role context, its statements, COMMIT), and all of
 * them leave in one write and come back in one round trip (runAsRole is the
 * one-unit case). The live engine can evaluate many views this way; per view,
 * a round trip and a socket write of its own cost more than its SELECT. Every
 * statement has its own Sync, so a failing unit aborts only its own
 * transaction: results are per unit, its rows or its first error (in send
 * order: the context's before the statements').
 */
export async function runBatchAsRoles(sql: Sql, items: readonly RoleBatchItem[]): Promise<RoleBatchResult[]> {
  const conn = await sql.reserve();
  try {
    const units = items.map((item) => {
      const sent = [
        conn.unsafe(item.readOnly ? 'begin read only' : 'begin').execute(),
        conn.unsafe(SET_CONTEXT, contextValues(item.ctx)).execute(),
        ...item.statements.map((s) => conn.unsafe(s.text, s.values as never[]).execute()),
        conn.unsafe('commit').execute(),
      ] as Promise<unknown>[];
      for (const p of sent) p.catch(() => {});
      return sent;
    });
    const out: RoleBatchResult[] = [];
    for (const sent of units) {
      const settled = await Promise.allSettled(sent);
      const failed = settled.find((r) => r.status === 'rejected');
      if (failed) out.push({ error: (failed as PromiseRejectedResult).reason });
      else out.push({ rows: settled.slice(2, -1).map((r) => (r as PromiseFulfilledResult<unknown>).value as Record<string, unknown>[]) });
    }
    return out;
  } finally {
    // every unit ended with COMMIT (or ROLLBACK after its error): nothing is left open
    conn.release();
  }
}
