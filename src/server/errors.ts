/**
 * The error catalogue: every error pglive itself raises has a stable code here.
 *
 * Codes that have a PostgREST equivalent reuse PostgREST's code (PGRSTxxx), so
 * existing clients (postgrest-js `.single()`, ra-data-postgrest) keep working.
 * pglive-only errors use PGLIVExxx. docs/errors.md is generated from / checked
 * against this table by test/errors-doc.test.ts — keep both in sync.
 *
 * PostgreSQL errors are not in this table: they pass through with their SQLSTATE
 * (see pgErrorStatus below).
 */

export interface CatalogueEntry {
  readonly status: number;
  readonly title: string;
}

export const ERRORS = {
  // --- request parsing (URL, headers, body) ---------------------------------
  PGRST100: { status: 400, title: 'Malformed query string (select, filter, order, logic tree)' },
  PGRST101: { status: 405, title: 'Method not allowed for this resource (e.g. non-GET on a view-less target or GET on a volatile function)' },
  PGRST102: { status: 400, title: 'Malformed request body (invalid JSON, mixed keys in a bulk insert)' },
  PGRST103: { status: 416, title: 'Requested range not satisfiable (bad limit, offset or Range header)' },
  PGRST105: { status: 405, title: 'Invalid PUT: must target exactly one row by primary key with eq filters' },
  PGRST106: { status: 406, title: 'Schema not exposed (Accept-Profile / Content-Profile)' },
  PGRST107: { status: 415, title: 'Unsupported Content-Type' },
  PGRST108: { status: 400, title: 'Filter on an embedded resource that is not in select' },
  PGRST111: { status: 400, title: 'Invalid header value (Prefer, Range)' },
  PGRST114: { status: 400, title: 'PUT does not accept limit or offset' },
  PGRST115: { status: 400, title: 'PUT payload primary key does not match the URL filter' },
  PGRST116: { status: 406, title: 'Singular response requested but the result has zero or several rows' },
  PGRST118: { status: 400, title: 'Cannot order by a to-many embedded resource' },
  PGRST120: { status: 400, title: 'Embedded-resource filter only allowed on is.null / not.is.null with !inner semantics' },
  PGRST124: { status: 400, title: 'Too many rows affected (Prefer: max-affected violated)' },
  // --- planning against the schema cache ------------------------------------
  PGRST200: { status: 400, title: 'No relationship found between the two resources' },
  PGRST201: { status: 300, title: 'Ambiguous relationship: use a hint rel!fk_name' },
  PGRST202: { status: 404, title: 'Function not found (or no overload takes these argument names)' },
  PGRST203: { status: 300, title: 'Ambiguous function overload' },
  PGRST204: { status: 400, title: 'Column not found' },
  PGRST205: { status: 404, title: 'Table or view not found in the exposed schemas' },
  // --- authentication -------------------------------------------------------
  PGRST300: { status: 500, title: 'Server misconfigured: JWT secret missing' },
  PGRST301: { status: 401, title: 'JWT invalid (malformed, bad signature, wrong algorithm)' },
  PGRST302: { status: 401, title: 'Anonymous access disabled: credentials required' },
  PGRST303: { status: 401, title: 'JWT expired' },
  // --- pglive: requests -----------------------------------------------------
  PGLIVE100: { status: 400, title: 'Filterless PATCH or DELETE refused: add a filter, or Prefer: allow-unfiltered' },
  PGLIVE101: { status: 400, title: 'Unknown operator' },
  PGLIVE102: { status: 400, title: 'Invalid value for column type or operator' },
  PGLIVE103: { status: 413, title: 'Request body too large' },
  PGLIVE104: { status: 400, title: 'Write not allowed on this relation (not insertable / updatable / deletable)' },
  PGLIVE105: { status: 404, title: 'Route not found' },
  PGLIVE106: { status: 400, title: 'Invalid cast type' },
  PGLIVE107: { status: 400, title: 'Query too complex (nesting depth or size limit)' },
  PGLIVE108: { status: 406, title: 'Unsupported Accept media type' },
  PGLIVE109: { status: 400, title: 'Not a materialized view: only materialized views can be refreshed' },
  PGLIVE110: { status: 409, title: 'Cannot refresh concurrently: the materialized view has no unique index on plain columns, or is not populated yet' },
  // --- pglive: auth ---------------------------------------------------------
  PGLIVE200: { status: 401, title: 'Invalid e-mail or password' },
  PGLIVE201: { status: 401, title: 'Session missing, expired or revoked: log in again' },
  PGLIVE202: { status: 403, title: 'Account disabled' },
  PGLIVE203: { status: 429, title: 'Too many login attempts: wait before retrying' },
  PGLIVE204: { status: 403, title: 'Admin privilege required' },
  PGLIVE205: { status: 403, title: 'Cross-site request refused (Origin missing or not allowed)' },
  PGLIVE206: { status: 401, title: 'API token invalid or revoked' },
  PGLIVE207: { status: 400, title: 'Invalid user data (e-mail, password policy, role)' },
  PGLIVE208: { status: 409, title: 'User already exists' },
  PGLIVE209: { status: 404, title: 'User or token not found' },
  PGLIVE210: { status: 403, title: 'Role not assumable: the server login role is not a member of it' },
  // --- pglive: live websocket ------------------------------------------------
  PGLIVE300: { status: 400, title: 'Invalid live message (not JSON, or not a valid protocol message)' },
  PGLIVE301: { status: 429, title: 'Too many subscriptions on one socket' },
  PGLIVE302: { status: 429, title: 'Too many messages per second on one socket' },
  PGLIVE303: { status: 409, title: 'Subscription id already in use on this socket' },
  PGLIVE304: { status: 404, title: 'No such subscription on this socket' },
  // --- pglive: server -------------------------------------------------------
  PGLIVE500: { status: 500, title: 'Internal error (a bug: please report it with the request id)' },
  PGLIVE501: { status: 503, title: 'Database unavailable' },
  PGLIVE502: { status: 504, title: 'Statement timeout exceeded' },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof ERRORS;

export interface ErrorBody {
  code: string;
  message: string;
  details: string | null;
  hint: string | null;
}

/** The one error type pglive throws for expected failures. */
export class PgliveError extends Error {
  readonly code: ErrorCode;
  readonly details: string | null;
  readonly hint: string | null;
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { details?: string | null; hint?: string | null; status?: number; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'PgliveError';
    this.code = code;
    this.details = opts.details ?? null;
    this.hint = opts.hint ?? null;
    this.status = opts.status ?? ERRORS[code].status;
    this.headers = opts.headers ?? {};
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message, details: this.details, hint: this.hint };
  }
}

export function isPgliveError(e: unknown): e is PgliveError {
  return e instanceof PgliveError;
}

/**
 * HTTP status for a PostgreSQL SQLSTATE, following PostgREST's table.
 * `authenticated` decides 42501 (insufficient privilege): 403 for a real
 * user, 401 for the anonymous role (so the client knows to log in).
 */
export function pgErrorStatus(sqlstate: string, authenticated: boolean): number {
  switch (sqlstate) {
    case '23503': // foreign_key_violation
    case '23505': // unique_violation
    case '23P01': // exclusion_violation
    case '40001': // serialization_failure
      return 409;
    case '25006': // read_only_sql_transaction
      return 405;
    case '42501':
      return authenticated ? 403 : 401;
    case '42883': // undefined_function
    case '42P01': // undefined_table
      return 404;
    case '57014': // query_canceled (statement timeout)
      return 504;
    case '57P01': // admin_shutdown
    case '57P02': // crash_shutdown
    case '57P03': // cannot_connect_now (starting up)
      return 503;
    case 'P0001': // raise_exception
      return 400;
    case '53400': // configuration_limit_exceeded
      return 500;
  }
  const cls = sqlstate.slice(0, 2);
  switch (cls) {
    case '08': return 503; // connection exception
    case '09': return 500; // triggered action exception
    case '0L': case '0P': return 403; // invalid grantor / role specification
    case '22': return 400; // data exception
    case '23': return 400; // integrity constraint violation
    case '25': return 500;
    case '28': return 403; // invalid authorization specification
    case '2D': case '38': case '39': case '3B': return 500;
    case '40': return 500;
    case '42': return 400; // syntax error or access rule violation
    case '53': return 503; // insufficient resources
    case '54': return 400; // program limit exceeded: caused by the request's size (columns, array dimensions…)
    case '55': return 500;
    case '57': return 500;
    case '58': return 500;
    case 'F0': case 'HV': case 'P0': case 'XX': return 500;
  }
  return 400;
}
