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

/**
 * Serialisers that let PostgreSQL parse text itself. postgres.js converts bound
 * values by the parameter's type: booleans become 't' only for `true` (so the
 * text 'true' became false), json re-encodes strings, and timestamps go through
 * `new Date()` (so 'infinity' threw). Request values arrive as text and must be
 * parsed by PostgreSQL's own input functions, which also produce the right
 * errors (22P02, 22007). JS values (booleans, Dates, objects) still serialise.
 * Parsers stay as the driver's defaults.
 */
const TEXT_FRIENDLY_TYPES = {
  pgliveBool: {
    to: 16,
    from: [16],
    serialize: (x: unknown) => (x === true ? 't' : x === false ? 'f' : String(x)),
    parse: (x: string) => x === 't',
  },
  pgliveJson: {
    to: 114,
    from: [114, 3802],
    serialize: (x: unknown) => (typeof x === 'string' ? x : JSON.stringify(x)),
    parse: (x: string) => JSON.parse(x) as unknown,
  },
  pgliveDate: {
    to: 1184,
    from: [1082, 1114, 1184],
    serialize: (x: unknown) => (x instanceof Date ? x.toISOString() : typeof x === 'number' ? new Date(x).toISOString() : String(x)),
    parse: (x: string) => new Date(x),
  },
};

export function createPool(url: string, opts: PoolOptions = {}): Sql {
  return postgres(url, {
    types: TEXT_FRIENDLY_TYPES as never,
    max: opts.max ?? 10,
    idle_timeout: 60,
    // reconnect quickly after a database restart (the driver's default grows to 20 s)
    backoff: (attempt: number) => Math.min(0.1 * 2 ** attempt, 2),
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

/**
 * postgres.js fetches array types on every new connection from a message
 * handler, and nothing awaits that query: when the connection drops during it
 * (a database restart, pg_terminate_backend), its rejection is unhandled. The
 * connection reconnects by itself, so this one failure is harmless; main.ts
 * (and the test config) recognise it with this predicate instead of crashing.
 */
export function isDriverTypeFetchFailure(reason: unknown): boolean {
  if (typeof reason !== 'object' || reason === null) return false;
  const { query, code } = reason as { query?: unknown; code?: unknown };
  return typeof query === 'string' && /select b\.oid, b\.typarray\s+from pg_catalog\.pg_type a/.test(query) && typeof code === 'string';
}

/**
 * postgres.js can also write to a connection whose socket it already dropped
 * (a reserved connection handed out while PostgreSQL restarts): the write is
 * scheduled with setImmediate and throws a TypeError outside any promise. The
 * queries on that connection never settle (the live engine times them out).
 */
export function isDriverClosedSocketWrite(error: unknown): boolean {
  // by shape, not instanceof: a test runner hands over errors serialised from its workers
  if (typeof error !== 'object' || error === null) return false;
  const { name, message, stack } = error as { name?: unknown; message?: unknown; stack?: unknown };
  return (
    name === 'TypeError' &&
    typeof message === 'string' &&
    /reading 'write'/.test(message) &&
    typeof stack === 'string' &&
    /postgres[\\/]src[\\/]connection\.js/.test(stack)
  );
}
