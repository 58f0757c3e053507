/**
 * Who is calling, and as which database role their requests run.
 * Order: `Authorization: Bearer` (API token by its prefix, else JWT) wins over
 * the session cookie; with neither, the anonymous role if configured.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { fastifyCookie as cookies } from '@fastify/cookie';
import type { RoleContext } from '../db/tx.js';
import { PgliveError } from '../errors.js';
import { verifyJwt } from './jwt.js';
import type { Db, RoleChecker } from './roles.js';
import { validateSession } from './sessions.js';
import { isApiToken, validateApiToken } from './tokens.js';
import type { Clock, User } from './users.js';

export const SESSION_COOKIE = 'pglive_session';

export interface Principal {
  kind: 'session' | 'jwt' | 'token' | 'anonymous';
  /** database role to SET LOCAL ROLE to */
  role: string;
  /** for request.jwt.claims: JWT payload as-is; for sessions/tokens: { role, email, sub, pglive_user_id, is_admin } */
  claims: Record<string, unknown>;
  userId: string | null;
  email: string | null;
  displayName: string | null;
  isAdmin: boolean;
  /** sha256 of the session token (hex), sessions only: for logout / revocation tracking */
  sessionTokenHash?: string;
}

/** the parts of a request the principal depends on (a Fastify request or a raw upgrade request) */
export interface PrincipalRequest {
  readonly headers: IncomingHttpHeaders;
}

export interface PrincipalDeps {
  readonly sql: Db;
  readonly jwtSecret: string | null;
  readonly anonRole: string | null;
  readonly sessionIdleMs: number;
  readonly roleChecker: RoleChecker;
  readonly now: Clock;
}

function userPrincipal(kind: 'session' | 'token', user: User): Principal {
  return {
    kind,
    role: user.dbRole,
    claims: { role: user.dbRole, email: user.email, sub: user.id, pglive_user_id: user.id, is_admin: user.isAdmin },
    userId: user.id,
    email: user.email,
    displayName: user.displayName,
    isAdmin: user.isAdmin,
  };
}

/** The Bearer credential, null without one. Other schemes (e.g. Basic from a proxy) are ignored. */
export function bearerToken(headers: IncomingHttpHeaders): string | null {
  const h = headers.authorization;
  if (typeof h !== 'string') return null;
  const m = /^Bearer(?:\s+(.*))?$/i.exec(h.trim());
  if (!m) return null;
  const token = (m[1] ?? '').trim();
  if (token === '') throw new PgliveError('PGRST301', 'JWT invalid: empty Bearer token');
  return token;
}

export function sessionCookie(headers: IncomingHttpHeaders): string | null {
  const h = headers.cookie;
  if (typeof h !== 'string' || h === '') return null;
  const value = cookies.parse(h)[SESSION_COOKIE];
  return value ? value : null;
}

/** Set-Cookie value that deletes the session cookie. */
export function clearSessionCookie(secure: boolean): string {
  return cookies.serialize(SESSION_COOKIE, '', {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure,
    maxAge: 0,
    expires: new Date(0),
  });
}

async function assertAssumable(deps: PrincipalDeps, p: Principal): Promise<Principal> {
  const status = await deps.roleChecker(p.role);
  if (status !== 'ok') {
    throw new PgliveError('PGLIVE210', `The server cannot switch to role "${p.role}"`, {
      details: status === 'missing' ? `role "${p.role}" does not exist` : null,
      hint:
        status === 'missing'
          ? 'Use an existing role in the credential, or create the role.'
          : `Run: GRANT "${p.role}" TO <the server's login role>`,
    });
  }
  return p;
}

export async function resolvePrincipal(req: PrincipalRequest, deps: PrincipalDeps): Promise<Principal> {
  const bearer = bearerToken(req.headers);
  if (bearer !== null) {
    if (isApiToken(bearer)) {
      const { user } = await validateApiToken(deps.sql, bearer, deps.now);
      return assertAssumable(deps, userPrincipal('token', user));
    }
    const { role, claims } = await verifyJwt(bearer, deps.jwtSecret, deps.now);
    const email = typeof claims.email === 'string' ? claims.email : null;
    return assertAssumable(deps, {
      kind: 'jwt',
      role,
      claims,
      userId: null,
      email,
      displayName: null,
      isAdmin: false,
    });
  }

  const cookie = sessionCookie(req.headers);
  if (cookie !== null) {
    const found = await validateSession(deps.sql, cookie, { idleMs: deps.sessionIdleMs, now: deps.now });
    if (!found) {
      // a stale cookie is an error, not silently anonymous: the UI must learn to log in again
      throw new PgliveError('PGLIVE201', 'Session missing, expired or revoked: log in again', {
        // a cookie without Secure may replace a Secure one from an https page, so this clears both
        headers: { 'set-cookie': clearSessionCookie(false) },
      });
    }
    return assertAssumable(deps, { ...userPrincipal('session', found.user), sessionTokenHash: found.session.tokenHash });
  }

  if (deps.anonRole !== null) {
    return assertAssumable(deps, {
      kind: 'anonymous',
      role: deps.anonRole,
      claims: { role: deps.anonRole },
      userId: null,
      email: null,
      displayName: null,
      isAdmin: false,
    });
  }
  throw new PgliveError('PGRST302', 'Anonymous access is disabled: log in or send a Bearer token', {
    hint: 'Log in at /auth/login, or send Authorization: Bearer <JWT or API token>.',
  });
}

/** The RoleContext every REST request runs under (db/tx.ts withRole). */
export function toRoleContext(
  p: Principal,
  opts: { statementTimeoutMs: number; method?: string; path?: string },
): RoleContext {
  return {
    role: p.role,
    claims: p.claims,
    userId: p.userId,
    statementTimeoutMs: opts.statementTimeoutMs,
    ...(opts.method !== undefined ? { method: opts.method } : {}),
    ...(opts.path !== undefined ? { path: opts.path } : {}),
  };
}
