/**
 * /auth routes: login/logout/me for everyone, user and token management for
 * admins. Handlers are glue; the rules live in users/sessions/tokens.
 * Passwords and tokens never reach logs or error messages.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PgliveError } from '../errors.js';
import { assertSameOrigin } from './csrf.js';
import { checkPasswordPolicy, dummyVerify, verifyPassword } from './passwords.js';
import type { AuthContext } from './plugin.js';
import { clearSessionCookie, SESSION_COOKIE, sessionCookie, type Principal } from './principal.js';
import { createTokenBody, createUserBody, loginBody, parseBody, parseId, patchUserBody } from './schemas.js';
import { createSession, revokeSession } from './sessions.js';
import { createApiToken, listApiTokens, revokeApiToken, type ApiToken } from './tokens.js';
import { deleteUser, findLogin, getUser, listUsers, setPassword, updateUser, type User } from './users.js';

/** the user as the API shows it (no password hash, ever) */
export function publicUser(u: User) {
  return {
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    dbRole: u.dbRole,
    isAdmin: u.isAdmin,
    disabled: u.disabled,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  };
}

function publicToken(t: ApiToken) {
  return {
    id: t.id,
    userId: t.userId,
    name: t.name,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    expiresAt: t.expiresAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}

function isHttps(req: FastifyRequest): boolean {
  return req.protocol === 'https';
}

function badCredentials(): PgliveError {
  return new PgliveError('PGLIVE200', 'Invalid e-mail or password');
}

export async function registerAuthRoutes(app: FastifyInstance, ctx: AuthContext): Promise<void> {
  const { sql, sessionAbsoluteMs, allowedOrigins } = ctx.deps;
  const { now, limiter, service } = ctx;

  async function requireAdmin(req: FastifyRequest): Promise<Principal> {
    const p = await service.principal(req);
    if (!p.isAdmin) throw new PgliveError('PGLIVE204', 'Admin privilege required');
    return p;
  }

  async function userOr404(id: string): Promise<User> {
    const u = await getUser(sql, id);
    if (!u) throw new PgliveError('PGLIVE209', 'User not found');
    return u;
  }

  app.post('/auth/login', async (req: FastifyRequest, reply: FastifyReply) => {
    // login CSRF (logging a victim into the attacker's account): browsers always send Origin cross-site
    if (typeof req.headers.origin === 'string') assertSameOrigin(req, allowedOrigins);
    const body = parseBody(loginBody, req.body);
    await limiter.check(body.email, req.ip);
    const found = await findLogin(sql, body.email);
    const ok = found ? await verifyPassword(found.passwordHash, body.password) : await dummyVerify(body.password);
    if (!found || !ok) {
      await limiter.recordFailure(body.email, req.ip);
      throw badCredentials();
    }
    if (found.user.disabled) throw new PgliveError('PGLIVE202', 'Account disabled: ask an admin to enable it');
    await limiter.recordSuccess(body.email);
    const { token } = await createSession(sql, found.user.id, {
      absoluteMs: sessionAbsoluteMs,
      now,
      userAgent: req.headers['user-agent'] ?? null,
      ip: req.ip,
    });
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: isHttps(req),
      maxAge: Math.floor(sessionAbsoluteMs / 1000),
    });
    return { user: publicUser(found.user) };
  });

  app.post('/auth/logout', async (req: FastifyRequest, reply: FastifyReply) => {
    const token = sessionCookie(req.headers);
    if (token !== null) {
      assertSameOrigin(req, allowedOrigins);
      await revokeSession(sql, token, now);
    }
    reply.header('set-cookie', clearSessionCookie(isHttps(req)));
    return reply.code(204).send();
  });

  app.get('/auth/me', async (req: FastifyRequest) => {
    const p = await service.principal(req);
    return { id: p.userId, email: p.email, displayName: p.displayName, role: p.role, isAdmin: p.isAdmin, kind: p.kind };
  });

  app.get('/auth/users', async (req: FastifyRequest) => {
    await requireAdmin(req);
    return (await listUsers(sql)).map(publicUser);
  });

  app.post('/auth/users', async (req: FastifyRequest, reply: FastifyReply) => {
    await requireAdmin(req);
    const body = parseBody(createUserBody, req.body);
    const user = await service.createUser(body);
    return reply.code(201).send(publicUser(user));
  });

  app.patch('/auth/users/:id', async (req: FastifyRequest) => {
    await requireAdmin(req);
    const id = parseId((req.params as { id?: unknown }).id, 'User');
    const { password, ...patch } = parseBody(patchUserBody, req.body);
    if (password !== undefined) checkPasswordPolicy(password); // before any change: all or nothing
    if (Object.values(patch).some((v) => v !== undefined)) await updateUser(sql, id, patch, { now });
    if (password !== undefined) await setPassword(sql, id, password, { now });
    return publicUser(await userOr404(id));
  });

  app.delete('/auth/users/:id', async (req: FastifyRequest, reply: FastifyReply) => {
    await requireAdmin(req);
    await deleteUser(sql, parseId((req.params as { id?: unknown }).id, 'User'));
    return reply.code(204).send();
  });

  app.get('/auth/users/:id/tokens', async (req: FastifyRequest) => {
    await requireAdmin(req);
    const user = await userOr404(parseId((req.params as { id?: unknown }).id, 'User'));
    return (await listApiTokens(sql, user.id)).map(publicToken);
  });

  app.post('/auth/users/:id/tokens', async (req: FastifyRequest, reply: FastifyReply) => {
    await requireAdmin(req);
    const userId = parseId((req.params as { id?: unknown }).id, 'User');
    const body = parseBody(createTokenBody, req.body);
    const expiresAt = body.expiresAt ? new Date(body.expiresAt) : null;
    if (expiresAt && expiresAt.getTime() <= now()) {
      throw new PgliveError('PGLIVE207', 'expiresAt: must be in the future');
    }
    const { token, apiToken } = await createApiToken(sql, userId, body.name, expiresAt, now);
    // the only time the token is ever shown
    return reply.code(201).send({ ...publicToken(apiToken), token });
  });

  app.delete('/auth/tokens/:id', async (req: FastifyRequest, reply: FastifyReply) => {
    await requireAdmin(req);
    await revokeApiToken(sql, parseId((req.params as { id?: unknown }).id, 'API token'), now);
    return reply.code(204).send();
  });
}
