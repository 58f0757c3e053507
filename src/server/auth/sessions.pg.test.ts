import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { fastifyCookie } from '@fastify/cookie';
import { ADMIN, createAuthHarness, login, OWN_HOST, whoamiRoute, type AuthHarness } from '../../../test/support/auth-harness.js';
import { registerAuth, type AuthService } from './plugin.js';
import { sha256 } from './secrets.js';

const MIN = 60_000;
let h: AuthHarness;
let app: FastifyInstance;
let auth: AuthService;
let adminCookie: string;
const own = { host: OWN_HOST, origin: `http://${OWN_HOST}` };

async function newUser(email: string, password = 'reader-password', dbRole = 'auth_reader'): Promise<string> {
  const u = await auth.createUser({ email, password, dbRole });
  return u.id;
}

async function me(cookie: string) {
  return app.inject({ method: 'GET', url: '/auth/me', headers: { cookie } });
}

beforeAll(async () => {
  h = await createAuthHarness();
  ({ app, auth } = await h.makeApp({}, {}, whoamiRoute(h.sql)));
  const r = await auth.ensureAdmin({ email: ADMIN.email, password: ADMIN.password });
  expect(r).toMatchObject({ created: true, generatedPassword: null });
  await newUser('reader@example.com');
});

// tests move the clock forward by hours: a fresh admin session each time
beforeEach(async () => {
  adminCookie = await login(app, ADMIN.email, ADMIN.password);
});

afterAll(async () => {
  await h?.close();
});

describe('login', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie and returns the user without secrets', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: 'reader@example.com', password: 'reader-password' },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user).toMatchObject({ email: 'reader@example.com', dbRole: 'auth_reader', isAdmin: false });
    expect(JSON.stringify(body)).not.toMatch(/argon2|password/i);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^pglive_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).toMatch(/Max-Age=28800/);
    expect(setCookie).not.toMatch(/Secure/);
  });

  it('marks the cookie Secure when the request is https', async () => {
    const { app: proxied } = await h.makeApp({}, { trustProxy: true });
    const res = await proxied.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { 'x-forwarded-proto': 'https' },
      payload: { email: 'reader@example.com', password: 'reader-password' },
    });
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['set-cookie'])).toMatch(/; Secure/);
  });

  it('matches the e-mail case-insensitively', async () => {
    await expect(login(app, 'READER@Example.com', 'reader-password')).resolves.toMatch(/^pglive_session=/);
  });

  it('answers a wrong password and an unknown e-mail identically', async () => {
    const wrong = await app.inject({
      method: 'POST', url: '/auth/login', payload: { email: 'reader@example.com', password: 'not-the-password' },
    });
    const unknown = await app.inject({
      method: 'POST', url: '/auth/login', payload: { email: 'nobody@example.com', password: 'not-the-password' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json().code).toBe('PGLIVE200');
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a malformed body naming the field', async () => {
    const res = await app.inject({ method: 'POST', url: '/auth/login', payload: { email: 'reader@example.com' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'PGLIVE207', message: expect.stringMatching(/^password:/) });
  });
});

describe('session lifecycle', () => {
  it('/auth/me describes the session principal; without credentials it is 401', async () => {
    const cookie = await login(app, 'reader@example.com', 'reader-password');
    const res = await me(cookie);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ email: 'reader@example.com', role: 'auth_reader', isAdmin: false, kind: 'session' });
    const anon = await app.inject({ method: 'GET', url: '/auth/me' });
    expect(anon.statusCode).toBe(401);
    expect(anon.json().code).toBe('PGRST302');
  });

  it('runs withRole as the user role, with PostgREST-style claims', async () => {
    const cookie = await login(app, 'reader@example.com', 'reader-password');
    const res = await app.inject({ method: 'GET', url: '/whoami', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.role).toBe('auth_reader');
    expect(body.claims).toMatchObject({ role: 'auth_reader', email: 'reader@example.com', is_admin: false });
    expect(body.claims.sub).toBe(body.userId);
    expect(body.claims.pglive_user_id).toBe(body.userId);
  });

  it('logout revokes the session and clears the cookie', async () => {
    const cookie = await login(app, 'reader@example.com', 'reader-password');
    const out = await app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie, ...own } });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^pglive_session=;.*Max-Age=0/);
    const after = await me(cookie);
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('PGLIVE201');
    const [row] = await h.sql`select count(*)::int as n from pglive.sessions where revoked_at is not null`;
    expect(row!.n).toBeGreaterThan(0);
  });

  it('expires after the idle time, and activity extends it', async () => {
    const cookie = await login(app, 'reader@example.com', 'reader-password');
    h.clock.advance(20 * MIN);
    expect((await me(cookie)).statusCode).toBe(200);
    h.clock.advance(20 * MIN); // 40 min since login, 20 since last use
    expect((await me(cookie)).statusCode).toBe(200);
    h.clock.advance(31 * MIN); // idle limit is 30 min
    const res = await me(cookie);
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('PGLIVE201');
    expect(String(res.headers['set-cookie'])).toMatch(/Max-Age=0/);
  });

  it('touches last_seen_at at most once a minute', async () => {
    const cookie = await login(app, 'reader@example.com', 'reader-password');
    const hash = sha256(cookie.slice('pglive_session='.length));
    const lastSeen = async () =>
      (await h.sql`select last_seen_at from pglive.sessions where token_hash = ${hash}`)[0]!.last_seen_at as Date;
    const t0 = await lastSeen();
    h.clock.advance(30_000);
    await me(cookie);
    expect((await lastSeen()).getTime()).toBe(t0.getTime());
    h.clock.advance(31_000);
    await me(cookie);
    expect((await lastSeen()).getTime()).toBe(h.clock.t);
  });

  it('expires at the absolute limit even when active', async () => {
    const { app: short } = await h.makeApp({ sessionAbsoluteMs: 60 * MIN, sessionIdleMs: 30 * MIN });
    const cookie = await login(short, 'reader@example.com', 'reader-password');
    const get = () => short.inject({ method: 'GET', url: '/auth/me', headers: { cookie } });
    h.clock.advance(25 * MIN);
    expect((await get()).statusCode).toBe(200);
    h.clock.advance(25 * MIN);
    expect((await get()).statusCode).toBe(200);
    h.clock.advance(25 * MIN);
    expect((await get()).statusCode).toBe(401);
  });

  it('disabling a user revokes their live session and refuses new logins', async () => {
    const id = await newUser('leaver@example.com', 'leaver-password');
    const cookie = await login(app, 'leaver@example.com', 'leaver-password');
    expect((await me(cookie)).statusCode).toBe(200);
    const patch = await app.inject({
      method: 'PATCH', url: `/auth/users/${id}`, headers: { cookie: adminCookie, ...own }, payload: { disabled: true },
    });
    expect(patch.statusCode).toBe(200);
    expect(patch.json().disabled).toBe(true);
    expect((await me(cookie)).json().code).toBe('PGLIVE201');
    const [row] = await h.sql`select count(*)::int as n from pglive.sessions where user_id = ${id} and revoked_at is null`;
    expect(row!.n).toBe(0);
    const again = await app.inject({
      method: 'POST', url: '/auth/login', payload: { email: 'leaver@example.com', password: 'leaver-password' },
    });
    expect(again.statusCode).toBe(403);
    expect(again.json().code).toBe('PGLIVE202');
    // a wrong password does not reveal that the account is disabled
    const wrong = await app.inject({
      method: 'POST', url: '/auth/login', payload: { email: 'leaver@example.com', password: 'wrong-password' },
    });
    expect(wrong.json().code).toBe('PGLIVE200');
  });

  it('a password change revokes existing sessions', async () => {
    const id = await newUser('changer@example.com', 'old-password');
    const cookie = await login(app, 'changer@example.com', 'old-password');
    const patch = await app.inject({
      method: 'PATCH', url: `/auth/users/${id}`, headers: { cookie: adminCookie, ...own }, payload: { password: 'new-password' },
    });
    expect(patch.statusCode).toBe(200);
    expect((await me(cookie)).statusCode).toBe(401);
    await expect(login(app, 'changer@example.com', 'old-password')).rejects.toThrow(/401/);
    await expect(login(app, 'changer@example.com', 'new-password')).resolves.toMatch(/^pglive_session=/);
  });

  it('refuses a session whose password changed after it was created, even if not revoked', async () => {
    const id = await newUser('sqlchange@example.com', 'sqlchange-password');
    const cookie = await login(app, 'sqlchange@example.com', 'sqlchange-password');
    h.clock.advance(1000);
    await h.sql`update pglive.users set password_changed_at = ${new Date(h.clock.t)} where id = ${id}`;
    expect((await me(cookie)).statusCode).toBe(401);
  });
});

describe('login rate limit', () => {
  const limits = { perAccount: 3, perAddress: 5, windowSeconds: 60 };
  const attempt = (a: FastifyInstance, email: string, password: string, ip: string) =>
    a.inject({ method: 'POST', url: '/auth/login', remoteAddress: ip, payload: { email, password } });

  it('locks an account after repeated failures with 429 and Retry-After', async () => {
    const { app: limited } = await h.makeApp({ loginLimits: limits });
    for (let i = 0; i < 3; i++) expect((await attempt(limited, 'reader@example.com', 'bad-guess', '10.0.0.1')).statusCode).toBe(401);
    // even the right password is refused while locked, and from another address
    const res = await attempt(limited, 'reader@example.com', 'reader-password', '10.0.0.2');
    expect(res.statusCode).toBe(429);
    expect(res.json().code).toBe('PGLIVE203');
    const retry = Number(res.headers['retry-after']);
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
  });

  it('a successful login resets the account counter', async () => {
    const { app: limited } = await h.makeApp({ loginLimits: limits });
    for (let i = 0; i < 2; i++) await attempt(limited, 'reader@example.com', 'bad-guess', '10.0.1.1');
    expect((await attempt(limited, 'reader@example.com', 'reader-password', '10.0.1.1')).statusCode).toBe(200);
    for (let i = 0; i < 2; i++) expect((await attempt(limited, 'reader@example.com', 'bad-guess', '10.0.1.1')).statusCode).toBe(401);
  });

  it('limits one address spraying many accounts', async () => {
    const { app: limited } = await h.makeApp({ loginLimits: limits });
    for (let i = 0; i < 5; i++) {
      expect((await attempt(limited, `victim${i}@example.com`, 'bad-guess', '10.0.2.1')).statusCode).toBe(401);
    }
    expect((await attempt(limited, 'victim9@example.com', 'bad-guess', '10.0.2.1')).statusCode).toBe(429);
    expect((await attempt(limited, 'victim9@example.com', 'bad-guess', '10.0.2.2')).statusCode).toBe(401);
  });
});

describe('CSRF on cookie-authenticated writes', () => {
  let n = 0;
  const create = (headers: Record<string, string>) =>
    app.inject({
      method: 'POST',
      url: '/auth/users',
      headers: { host: OWN_HOST, ...headers },
      payload: { email: `csrf${n++}@example.com`, password: 'csrf-password', dbRole: 'auth_reader' },
    });

  it('refuses a cookie POST without Origin or Referer', async () => {
    const res = await create({ cookie: adminCookie });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('PGLIVE205');
  });

  it('refuses a foreign Origin', async () => {
    const res = await create({ cookie: adminCookie, origin: 'https://evil.example' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('PGLIVE205');
  });

  it('accepts the own origin, an allowed origin, and a same-origin Referer', async () => {
    expect((await create({ cookie: adminCookie, origin: `http://${OWN_HOST}` })).statusCode).toBe(201);
    expect((await create({ cookie: adminCookie, origin: 'https://admin.example.com' })).statusCode).toBe(201);
    expect((await create({ cookie: adminCookie, referer: `http://${OWN_HOST}/admin/users` })).statusCode).toBe(201);
  });

  it('does not apply to safe methods', async () => {
    const res = await app.inject({ method: 'GET', url: '/auth/users', headers: { cookie: adminCookie } });
    expect(res.statusCode).toBe(200);
  });

  it('refuses a cross-site login attempt', async () => {
    const res = await app.inject({
      method: 'POST', url: '/auth/login', headers: { origin: 'https://evil.example' },
      payload: { email: 'reader@example.com', password: 'reader-password' },
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('registerAuth', () => {
  it.each(['before', 'after'] as const)('works with an @fastify/cookie the app registers %s it', async (when) => {
    const a = Fastify({ logger: false });
    if (when === 'before') await a.register(fastifyCookie);
    registerAuth(a, {
      sql: h.sql, jwtSecret: null, anonRole: null, sessionIdleMs: 60_000, sessionAbsoluteMs: 3600_000, allowedOrigins: [],
    });
    if (when === 'after') await a.register(fastifyCookie);
    a.get('/echo-cookies', async (req) => req.cookies);
    try {
      await a.ready();
      const cookie = await login(a, 'reader@example.com', 'reader-password');
      expect((await a.inject({ method: 'GET', url: '/auth/me', headers: { cookie } })).statusCode).toBe(200);
      const echo = await a.inject({ method: 'GET', url: '/echo-cookies', headers: { cookie: 'a=1' } });
      expect(echo.json()).toEqual({ a: '1' });
    } finally {
      await a.close();
    }
  });
});
