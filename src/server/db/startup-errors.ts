/**
 * Startup failures → one line that says what to do. Pure: main.ts prints the
 * result on stderr. Passwords are never printed: every URL is masked and the
 * password of the configured URL is scrubbed from any text we echo.
 */

export interface StartupContext {
  /** the database URL being connected to (null/undefined = embedded) */
  readonly databaseUrl?: string | null;
  /** the HTTP listen address, for "port in use" */
  readonly host?: string;
  readonly port?: number;
  /** what was being done: 'migrate' turns 42501 into the GRANT CREATE advice */
  readonly stage?: 'connect' | 'migrate' | 'listen' | 'embedded' | 'uninstall';
}

/** A startup failure with what was being done, so the message can say what to fix. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
  constructor(
    override readonly cause: unknown,
    readonly context: StartupContext,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'CONNECT_TIMEOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
]);

/** `postgres://user:secret@host/db?password=x` → `postgres://user:***@host/db?password=***` */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    for (const k of [...u.searchParams.keys()]) if (/pass/i.test(k)) u.searchParams.set(k, '***');
    return u.toString();
  } catch {
    return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
  }
}

interface Target {
  readonly host: string;
  readonly port: string;
  readonly user: string;
  readonly database: string;
  readonly password: string;
}

function target(url: string | null | undefined): Target {
  const t = { host: 'localhost', port: '5432', user: 'postgres', database: 'postgres', password: '' };
  if (!url) return t;
  try {
    const u = new URL(url);
    const user = decodeURIComponent(u.username) || t.user;
    return {
      host: decodeURIComponent(u.hostname) || u.searchParams.get('host') || t.host,
      port: u.port || t.port,
      user,
      database: decodeURIComponent(u.pathname.replace(/^\//, '')) || user,
      password: decodeURIComponent(u.password),
    };
  } catch {
    return t;
  }
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; errors?: unknown[] };
  if (typeof e.code === 'string') return e.code;
  // net's autoSelectFamily reports one failure per address in an AggregateError
  if (Array.isArray(e.errors) && e.errors.length > 0) return errorCode(e.errors[0]);
  return undefined;
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Remove anything that could be the password from a message we are about to print. */
function scrub(text: string, t: Target): string {
  let out = text.replace(/postgres(ql)?:\/\/[^\s'"]+/g, (u) => maskUrl(u));
  if (t.password.length >= 3) out = out.split(t.password).join('***');
  return out.replace(/\s+/g, ' ').trim();
}

export function describeStartupError(err: unknown, context: StartupContext = {}): string {
  if (err instanceof StartupError) return describeStartupError(err.cause, { ...context, ...err.context });
  const t = target(context.databaseUrl);
  const code = errorCode(err);
  const where = `${t.host}:${t.port}`;
  const flag = context.databaseUrl ? ' in --db / DATABASE_URL' : '';

  if (code === 'EADDRINUSE' || code === 'EACCES') {
    const e = err as { port?: number; address?: string };
    const port = context.port ?? e.port ?? '?';
    const host = context.host ?? e.address ?? '?';
    if (code === 'EACCES') {
      return `Not allowed to listen on port ${port} on ${host} (ports below 1024 need privileges) — choose another with --port or PORT`;
    }
    return `Port ${port} on ${host} is in use — choose another with --port or PORT`;
  }
  if (code !== undefined && UNREACHABLE.has(code)) {
    return `Cannot reach PostgreSQL at ${where} (${code}) — is it running? Check --db / DATABASE_URL.`;
  }
  switch (code) {
    case '28P01':
      return `PostgreSQL refused the credentials for user ${t.user} — check the password${flag || ' in --db'}`;
    case '28000':
      return `PostgreSQL refused the credentials for user ${t.user} (${scrub(messageOf(err), t)}) — check the user and password${flag || ' in --db'}`;
    case '3D000':
      return `Database ${t.database} does not exist — create it with createdb ${t.database}`;
    case '42501':
      if (context.stage === 'migrate') {
        return (
          `The login role ${t.user} lacks CREATE on database ${t.database}: ` +
          `GRANT CREATE ON DATABASE ${t.database} TO ${t.user} (or run \`pglive\` once as the owner)`
        );
      }
      return `The login role ${t.user} lacks a privilege: ${scrub(messageOf(err), t)}`;
    case '57P03':
      return `PostgreSQL at ${where} is starting up or shutting down — try again in a moment`;
    case '53300':
      return `PostgreSQL at ${where} has too many connections — lower --pool-size or raise max_connections`;
    case 'SASL_SIGNATURE_MISMATCH':
      return `PostgreSQL refused the credentials for user ${t.user} — check the password${flag || ' in --db'}`;
  }
  const base = scrub(messageOf(err), t) || 'unknown error';
  return code !== undefined && /^[0-9A-Z]{5}$/.test(code) ? `PostgreSQL error ${code}: ${base}` : base;
}
