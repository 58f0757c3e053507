import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import { ADMIN, createAuthHarness, JWT_SECRET, login, OWN_HOST, whoamiRoute, type AuthHarness } from '../../../test/support/auth-harness.js';
import type { AuthService } from './plugin.js';
import { sha256 } from './secrets.js';

let h: AuthHarness;
let app: FastifyInstance;
let auth: AuthService;
let adminCookie: string;
let readerId: string;
const own = { host: OWN_HOST, origin: `http://${OWN_HOST}` };

function jwt(claims: Record<string, unknown>, opts: { secret?: string; alg?: string; expSeconds?: number } = {}) {
  const nowS = Math.floor(h.clock.t / 1000);
  let b = new SignJWT(claims).setProtectedHeader({ alg: opts.alg ?? 'HS256' }).setIssuedAt(nowS);
  if (opts.expSeconds !== undefined) b = b.setExpirationTime(nowS + opts.expSeconds);
  return b.sign(new TextEncoder().encode(opts.secret ?? JWT_SECRET));
}

function b64(o: unknown): string {
  return Buffer.from(JSON.stringify(o)).toString('base64url');
}

const whoami = (bearer: string, extra: Record<string, string> = {}, method: 'GET' | 'POST' = 'GET') =>
  app.inject({ method, url: '/whoami', headers: { authorization: `Bearer ${bearer}`, ...extra } });

beforeAll(async () => {
  h = await createAuthHarness();
  ({ app, auth } = await h.makeApp({}, {}, whoamiRoute(h.sql)));
  await auth.ensureAdmin({ email: ADMIN.email, password: ADMIN.password });
  readerId = (await auth.createUser({ email: 'reader@example.com', password: 'reader-password', dbRole: 'auth_reader' })).id;
});

beforeEach(async () => {
  adminCookie = await login(app, ADMIN.email, ADMIN.password);
});

afterAll(async () => {
  await h?.close();
});

describe('JWT', () => {
  it('runs as the role claim and passes the payload through as request.jwt.claims', async () => {
    const res = await whoami(await jwt({ role: 'auth_reader', sub: 'ext-42', tenant: 7 }, { expSeconds: 600 }));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ kind: 'jwt', role: 'auth_reader', userId: '' });
    expect(res.json().claims).toMatchObject({ role: 'auth_reader', sub: 'ext-42', tenant: 7 });
  });

  it('accepts a JWT without exp', async () => {
    expect((await whoami(await jwt({ role: 'auth_reader' }))).statusCode).toBe(200);
  });

  it('refuses an expired JWT with PGRST303 (judged by the injected clock)', async () => {
    const token = await jwt({ role: 'auth_reader' }, { expSeconds: 600 });
    expect((await whoami(token)).statusCode).toBe(200);
    h.clock.advance(3600_000);
    const res = await whoami(token);
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('PGRST303');
  });

  it('refuses a bad signature, another algorithm, alg none and garbage with PGRST301', async () => {
    const bad = [
      await jwt({ role: 'auth_reader' }, { secret: 'another-secret-of-at-least-32-characters' }),
      await jwt({ role: 'auth_reader' }, { alg: 'HS512' }),
      `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ role: 'auth_reader' })}.`,
      'not.a.jwt',
    ];
    for (const token of bad) {
      const res = await whoami(token);
      expect(res.statusCode, token).toBe(401);
      expect(res.json().code).toBe('PGRST301');
      expect(res.body).not.toContain(token);
    }
  });

  it('requires the role claim', async () => {
    const res = await whoami(await jwt({ sub: 'x' }));
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'PGRST301', message: expect.stringContaining('role') });
  });

  it('refuses a role the server cannot switch to (PGLIVE210), existing or not', async () => {
    for (const role of ['auth_outsider', 'auth_no_such_role', 'postgres']) {
      const res = await whoami(await jwt({ role }));
      expect(res.statusCode, role).toBe(403);
      expect(res.json().code).toBe('PGLIVE210');
    }
  });

  it('without a configured secret, refuses JWTs and says how to enable them', async () => {
    const { app: noJwt } = await h.makeApp({ jwtSecret: null });
    const res = await noJwt.inject({
      method: 'GET', url: '/auth/me', headers: { authorization: `Bearer ${await jwt({ role: 'auth_reader' })}` },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'PGRST301', hint: expect.stringContaining('PGLIVE_JWT_SECRET') });
  });

  it('Bearer wins over the session cookie', async () => {
    const cookie = await login(app, 'reader@example.com', 'reader-password');
    const res = await whoami(await jwt({ role: 'auth_writer' }), { cookie });
    expect(res.json()).toMatchObject({ kind: 'jwt', role: 'auth_writer' });
  });

  it('is exempt from the Origin check and never admin', async () => {
    const post = await whoami(await jwt({ role: 'auth_reader' }), {}, 'POST');
    expect(post.statusCode).toBe(200);
    const users = await app.inject({
      method: 'GET', url: '/auth/users', headers: { authorization: `Bearer ${await jwt({ role: 'auth_server' })}` },
    });
    expect(users.statusCode).toBe(403);
    expect(users.json().code).toBe('PGLIVE204');
  });
});

describe('API tokens', () => {
  async function createToken(userId: string, body: Record<string, unknown> = { name: 'ci' }) {
    const res = await app.inject({
      method: 'POST', url: `/auth/users/${userId}/tokens`, headers: { cookie: adminCookie, ...own }, payload: body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; token: string; name: string; expiresAt: string | null };
  }

  it('creates a token shown once, lists it without the secret, and authenticates with it', async () => {
    const created = await createToken(readerId, { name: 'reporting' });
    expect(created.token).toMatch(/^pglive_[A-Za-z0-9_-]{43}$/);
    const list = await app.inject({ method: 'GET', url: `/auth/users/${readerId}/tokens`, headers: { cookie: adminCookie } });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual(expect.arrayContaining([expect.objectContaining({ id: created.id, name: 'reporting' })]));
    expect(list.body).not.toContain(created.token);
    const [stored] = await h.sql`select token_hash from pglive.api_tokens where id = ${created.id}`;
    expect(Buffer.compare(stored!.token_hash as Buffer, sha256(created.token))).toBe(0);

    const res = await whoami(created.token);
    expect(res.json()).toMatchObject({ kind: 'token', role: 'auth_reader', userId: readerId });
    expect(res.json().claims).toMatchObject({ role: 'auth_reader', email: 'reader@example.com', sub: readerId });
    // Bearer writes need no Origin
    expect((await whoami(created.token, {}, 'POST')).statusCode).toBe(200);
  });

  it('refuses a revoked token with PGLIVE206', async () => {
    const created = await createToken(readerId);
    const del = await app.inject({ method: 'DELETE', url: `/auth/tokens/${created.id}`, headers: { cookie: adminCookie, ...own } });
    expect(del.statusCode).toBe(204);
    const res = await whoami(created.token);
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('PGLIVE206');
    const again = await app.inject({ method: 'DELETE', url: `/auth/tokens/${created.id}`, headers: { cookie: adminCookie, ...own } });
    expect(again.statusCode).toBe(404);
  });

  it('refuses an expired token', async () => {
    const created = await createToken(readerId, { name: 'short', expiresAt: new Date(h.clock.t + 3600_000).toISOString() });
    expect((await whoami(created.token)).statusCode).toBe(200);
    h.clock.advance(2 * 3600_000);
    expect((await whoami(created.token)).json().code).toBe('PGLIVE206');
  });

  it('refuses an expiry in the past', async () => {
    const res = await app.inject({
      method: 'POST', url: `/auth/users/${readerId}/tokens`, headers: { cookie: adminCookie, ...own },
      payload: { name: 'past', expiresAt: new Date(h.clock.t - 1000).toISOString() },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/^expiresAt:/);
  });

  it('refuses tokens of a disabled user, and accepts them again once re-enabled', async () => {
    const u = await auth.createUser({ email: 'bot@example.com', password: 'bot-password', dbRole: 'auth_writer' });
    const created = await createToken(u.id);
    const setDisabled = (disabled: boolean) =>
      app.inject({ method: 'PATCH', url: `/auth/users/${u.id}`, headers: { cookie: adminCookie, ...own }, payload: { disabled } });
    expect((await setDisabled(true)).statusCode).toBe(200);
    expect((await whoami(created.token)).json().code).toBe('PGLIVE206');
    expect((await setDisabled(false)).statusCode).toBe(200);
    expect((await whoami(created.token)).json()).toMatchObject({ role: 'auth_writer' });
  });

  it('refuses unknown and malformed tokens alike', async () => {
    for (const t of ['pglive_' + 'A'.repeat(43), 'pglive_short']) {
      const res = await whoami(t);
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('PGLIVE206');
    }
  });

  it("an admin's token reaches the admin routes", async () => {
    const [admin] = await h.sql<{ id: string }[]>`select id from pglive.users where email = ${ADMIN.email}`;
    const created = await createToken(admin!.id);
    const res = await app.inject({
      method: 'POST', url: '/auth/users', headers: { authorization: `Bearer ${created.token}` },
      payload: { email: 'viatoken@example.com', password: 'viatoken-password', dbRole: 'auth_reader' },
    });
    expect(res.statusCode).toBe(201);
  });
});
