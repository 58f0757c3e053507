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
