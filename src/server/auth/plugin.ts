/**
 * The auth service (principal resolution for every request) and its wiring
 * into Fastify: registerAuth adds the /auth routes to an app and returns the
 * service the REST and websocket layers call.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import type { Sql } from '../db/pool.js';
import { assertSameOrigin, checkOrigin, isUnsafeMethod, type HeaderSource } from './csrf.js';
import { createLoginRateLimiter, DEFAULT_LOGIN_LIMITS, type LoginLimits, type LoginRateLimiter } from './ratelimit.js';
import { cachedRoleChecker } from './roles.js';
import { resolvePrincipal, type Principal, type PrincipalDeps, type PrincipalRequest } from './principal.js';
import { registerAuthRoutes } from './routes.js';
import {
  createUser,
  ensureAdmin,
  type Clock,
  type EnsureAdminOptions,
  type EnsureAdminResult,
  type NewUser,
  type User,
} from './users.js';

export interface AuthDeps {
  sql: Sql;
  jwtSecret: string | null;
  anonRole: string | null;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  allowedOrigins: readonly string[];
  now?: () => number;
  /** default 5 failures per account, 20 per address, per 15 minutes */
  loginLimits?: LoginLimits;
}

export interface AuthService {
  /**
   * The caller of an HTTP request, memoised per request. For cookie sessions
   * and unsafe methods it also enforces the Origin check (PGLIVE205).
   */
  principal(req: FastifyRequest): Promise<Principal>;
  /** The caller from headers alone, without the CSRF check: for the websocket upgrade (pair with checkOrigin). */
  resolve(req: PrincipalRequest): Promise<Principal>;
  /** Is `origin` this server's own origin or an allowed one? */
  checkOrigin(origin: string | undefined | null, req: HeaderSource): boolean;
  ensureAdmin(opts?: EnsureAdminOptions): Promise<EnsureAdminResult>;
  createUser(input: NewUser): Promise<User>;
}

/** what the routes need beyond the public service */
export interface AuthContext {
  readonly deps: Required<Omit<AuthDeps, 'loginLimits'>>;
  readonly now: Clock;
  readonly limiter: LoginRateLimiter;
  readonly service: AuthService;
}

export function createAuthContext(deps: AuthDeps): AuthContext {
  const now = deps.now ?? Date.now;
  const principalDeps: PrincipalDeps = {
    sql: deps.sql,
    jwtSecret: deps.jwtSecret,
    anonRole: deps.anonRole,
    sessionIdleMs: deps.sessionIdleMs,
    roleChecker: cachedRoleChecker(deps.sql, 10_000, now),
    now,
  };
  const memo = new WeakMap<FastifyRequest, Promise<Principal>>();

  async function principalOf(req: FastifyRequest): Promise<Principal> {
    const p = await resolvePrincipal(req, principalDeps);
    if (p.kind === 'session' && isUnsafeMethod(req.method)) assertSameOrigin(req, deps.allowedOrigins);
    return p;
  }

  const service: AuthService = {
    principal(req) {
      let p = memo.get(req);
      if (!p) {
        p = principalOf(req);
        memo.set(req, p);
      }
      return p;
    },
    resolve: (req) => resolvePrincipal(req, principalDeps),
    checkOrigin: (origin, req) => checkOrigin(origin, req, deps.allowedOrigins),
    ensureAdmin: (opts = {}) => ensureAdmin(deps.sql, opts, { now }),
    createUser: (input) => createUser(deps.sql, input, { now }),
  };
  return {
    deps: { ...deps, now },
    now,
    limiter: createLoginRateLimiter(deps.loginLimits ?? DEFAULT_LOGIN_LIMITS),
    service,
  };
}

/**
 * Adds the /auth routes to `app` (in an encapsulated child context, with
 * @fastify/cookie registered there unless the app already has it) and returns
 * the service. The check runs when the child loads, i.e. after every plugin
 * registered on `app` before this call, so a cookie plugin the app registered
 * first is reused rather than registered twice.
 */
export function registerAuth(app: FastifyInstance, deps: AuthDeps): AuthService {
  const ctx = createAuthContext(deps);
  void app.register(async (scope) => {
    if (!scope.hasDecorator('parseCookie')) await scope.register(fastifyCookie);
    await registerAuthRoutes(scope, ctx);
  });
  return ctx.service;
}
