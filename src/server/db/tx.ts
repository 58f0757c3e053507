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
  const conn = await sql.reserve();
  const pending: Promise<unknown>[] = [];
  const send = <R>(p: Promise<R>): Promise<R> => {
    p.catch(() => {});
    pending.push(p);
    return p;
  };
  try {
    send(conn.unsafe(opts.readOnly ? 'begin read only' : 'begin').execute());
    const setup = send(conn.unsafe(SET_CONTEXT, contextValues(ctx)).execute());
    const results = statements.map((s) => send(conn.unsafe(s.text, s.values as never[]).execute()));
    const commit = send(conn.unsafe('commit').execute());
    await Promise.allSettled(pending);
    await setup;
    const out: Record<string, unknown>[][] = [];
    for (const r of results) out.push((await r) as unknown as Record<string, unknown>[]);
    await commit;
    return out;
  } catch (e) {
    await conn.unsafe('rollback').catch(() => {});
    throw e;
  } finally {
    conn.release();
  }
}
