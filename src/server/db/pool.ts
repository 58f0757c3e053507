/**
 * The only module (with db/*) that imports the PostgreSQL driver.
 * postgres.js: pipelining, prepared statements, LISTEN on a dedicated connection.
 */
import postgres from 'postgres';

export type Sql = postgres.Sql<Record<string, never>>;
export type TxSql = postgres.TransactionSql<Record<string, never>>;
export type ReservedSql = postgres.ReservedSql<Record<string, never>>;
export type PgRow = postgres.Row;
export { postgres };

export interface PoolOptions {
  max?: number;
  applicationName?: string;
  /** connect timeout in seconds */
  connectTimeout?: number;
}

export function createPool(url: string, opts: PoolOptions = {}): Sql {
  return postgres(url, {
    max: opts.max ?? 10,
    idle_timeout: 60,
    connect_timeout: opts.connectTimeout ?? 10,
    prepare: true,
    onnotice: () => {},
    connection: { application_name: opts.applicationName ?? 'pglive' },
    // keep int8/numeric as strings (no precision loss); JSON is built in SQL as text
  }) as unknown as Sql;
}

/** A PostgreSQL error as raised by the driver (has a SQLSTATE). */
export interface DriverPgError extends Error {
  code: string;
  detail?: string;
  hint?: string;
  severity?: string;
  constraint_name?: string;
  column_name?: string;
  table_name?: string;
}

export function isDriverPgError(e: unknown): e is DriverPgError {
  return (
    e instanceof Error &&
    (e as { name?: string }).name === 'PostgresError' &&
    typeof (e as { code?: unknown }).code === 'string'
  );
}
