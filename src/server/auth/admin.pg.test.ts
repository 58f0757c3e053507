import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createAuthHarness, login, OWN_HOST, whoamiRoute, type AuthHarness } from '../../../test/support/auth-harness.js';
import type { AuthService } from './plugin.js';

let h: AuthHarness;
let app: FastifyInstance;
let auth: AuthService;
let adminPassword: string;
let adminId: string;
let adminCookie: string;
let readerCookie: string;
const own = { host: OWN_HOST, origin: `http://${OWN_HOST}` };

function as(cookie: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) {
  return app.inject({ method, url, headers: { cookie, ...own }, ...(payload !== undefined ? { payload: payload as object } : {}) });
}

beforeAll(async () => {
  h = await createAuthHarness();
  ({ app, auth } = await h.makeApp({}, {}, whoamiRoute(h.sql)));
  const first = await auth.ensureAdmin({ email: null, password: null });
  expect(first.created).toBe(true);
  expect(first.generatedPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
  adminPassword = first.generatedPassword!;
  adminId = first.user!.id;
  await auth.createUser({ email: 'reader@example.com', password: 'reader-password', dbRole: 'auth_reader' });
});

beforeEach(async () => {
  adminCookie = await login(app, 'admin@localhost', adminPassword);
  readerCookie = await login(app, 'reader@example.com', 'reader-password');
});

afterAll(async () => {
  await h?.close();
});

describe('ensureAdmin', () => {
  it('created admin@localhost with the server login role and a generated password, once', async () => {
    const res = await as(adminCookie, 'GET', '/whoami');
    expect(res.json()).toMatchObject({ role: 'auth_server' });
    expect((await as(adminCookie, 'GET', '/auth/me')).json()).toMatchObject({ email: 'admin@localhost', isAdmin: true });
    const again = await auth.ensureAdmin({ email: 'other@example.com', password: 'whatever-password' });
    expect(again).toEqual({ created: false, generatedPassword: null, user: null });
    const [row] = await h.sql`select password_hash from pglive.users where id = ${adminId}`;
    expect(row!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });
});

describe('admin-only routes', () => {
  it('refuse a non-admin user with PGLIVE204', async () => {
    const [someone] = await h.sql<{ id: string }[]>`select id from pglive.users where email = 'reader@example.com'`;
    const attempts: [ 'GET' | 'POST' | 'PATCH' | 'DELETE', string, unknown?][] = [
      ['GET', '/auth/users'],
      ['POST', '/auth/users', { email: 'x@example.com', password: 'x-password', dbRole: 'auth_reader' }],
      ['PATCH', `/auth/users/${someone!.id}`, { isAdmin: true }],
      ['DELETE', `/auth/users/${adminId}`],
      ['GET', `/auth/users/${adminId}/tokens`],
      ['POST', `/auth/users/${someone!.id}/tokens`, { name: 'mine' }],
      ['DELETE', `/auth/tokens/${adminId}`],
    ];
    for (const [method, url, body] of attempts) {
      const res = await as(readerCookie, method, url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json().code).toBe('PGLIVE204');
    }
    const [after] = await h.sql`select is_admin from pglive.users where id = ${someone!.id}`;
    expect(after!.is_admin).toBe(false);
  });

  it('refuse a request without credentials with 401', async () => {
    const res = await app.inject({ method: 'GET', url: '/auth/users' });
    expect(res.statusCode).toBe(401);
  });

  it('list users without password hashes', async () => {
    const res = await as(adminCookie, 'GET', '/auth/users');
    expect(res.statusCode).toBe(200);
    const emails = res.json().map((u: { email: string }) => u.email) as string[];
    expect(emails).toEqual(expect.arrayContaining(['admin@localhost', 'reader@example.com']));
    expect(emails).toEqual([...emails].sort());
    expect(res.body).not.toMatch(/argon2|password/i);
  });
});

describe('creating users', () => {
  const create = (payload: unknown) => as(adminCookie, 'POST', '/auth/users', payload);
  const valid = { email: 'new@example.com', password: 'new-password', dbRole: 'auth_reader' };

  it('validates the body and names the field', async () => {
    const cases: [unknown, RegExp][] = [
      [{ ...valid, email: 'not-an-email' }, /^email:/],
      [{ ...valid, password: 'short' }, /^password:/],
      [{ ...valid, dbRole: undefined }, /^dbRole:/],
      [{ ...valid, isAdmin: 'yes' }, /^isAdmin:/],
      [{ ...valid, superpowers: true }, /^superpowers: unknown field/],
      [{ ...valid, dbRole: 'auth_no_such_role' }, /^dbRole: role "auth_no_such_role" does not exist/],
    ];
    for (const [body, message] of cases) {
      const res = await create(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json()).toMatchObject({ code: 'PGLIVE207', message: expect.stringMatching(message) });
      expect(res.body).not.toContain('new-password');
    }
  });

  it('refuses a role the server login role is not a member of (PGLIVE210)', async () => {
    const res = await create({ ...valid, dbRole: 'auth_outsider' });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'PGLIVE210', hint: expect.stringContaining('GRANT') });
  });

  it('refuses a duplicate e-mail regardless of case (PGLIVE208)', async () => {
    expect((await create({ ...valid, email: 'dup@example.com' })).statusCode).toBe(201);
    const res = await create({ ...valid, email: 'DUP@Example.com' });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('PGLIVE208');
  });
});

describe('updating and deleting users', () => {
  it("changes a user's role, effective on their next request", async () => {
    const u = await auth.createUser({ email: 'mover@example.com', password: 'mover-password', dbRole: 'auth_reader' });
    const cookie = await login(app, 'mover@example.com', 'mover-password');
    expect((await as(cookie, 'GET', '/whoami')).json().role).toBe('auth_reader');
    const refused = await as(adminCookie, 'PATCH', `/auth/users/${u.id}`, { dbRole: 'auth_outsider' });
    expect(refused.json().code).toBe('PGLIVE210');
    const ok = await as(adminCookie, 'PATCH', `/auth/users/${u.id}`, { dbRole: 'auth_writer', displayName: 'Mover' });
    expect(ok.json()).toMatchObject({ dbRole: 'auth_writer', displayName: 'Mover' });
    expect((await as(cookie, 'GET', '/whoami')).json().role).toBe('auth_writer');
  });

  it('applies nothing when the new password breaks the policy', async () => {
    const u = await auth.createUser({ email: 'partial@example.com', password: 'partial-password', dbRole: 'auth_reader' });
    const res = await as(adminCookie, 'PATCH', `/auth/users/${u.id}`, { displayName: 'Changed', password: 'short' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/^password:/);
    const [row] = await h.sql`select display_name from pglive.users where id = ${u.id}`;
    expect(row!.display_name).toBe('');
  });

  it('refuses to remove the last enabled admin', async () => {
    for (const payload of [{ isAdmin: false }, { disabled: true }]) {
      const res = await as(adminCookie, 'PATCH', `/auth/users/${adminId}`, payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('PGLIVE207');
    }
    const del = await as(adminCookie, 'DELETE', `/auth/users/${adminId}`);
    expect(del.statusCode).toBe(400);
    const [row] = await h.sql`select is_admin, disabled from pglive.users where id = ${adminId}`;
    expect(row).toEqual({ is_admin: true, disabled: false });
  });

  it('deletes a user, ending their session', async () => {
    const u = await auth.createUser({ email: 'gone@example.com', password: 'gone-password', dbRole: 'auth_reader' });
    const cookie = await login(app, 'gone@example.com', 'gone-password');
    expect((await as(adminCookie, 'DELETE', `/auth/users/${u.id}`)).statusCode).toBe(204);
    expect((await as(cookie, 'GET', '/auth/me')).statusCode).toBe(401);
    const again = await as(adminCookie, 'PATCH', `/auth/users/${u.id}`, { displayName: 'x' });
    expect(again.statusCode).toBe(404);
    expect(again.json().code).toBe('PGLIVE209');
    expect((await as(adminCookie, 'DELETE', '/auth/users/not-a-uuid')).statusCode).toBe(404);
  });
});

describe('anonymous access', () => {
  it('uses the anon role when configured', async () => {
    const { app: open } = await h.makeApp({ anonRole: 'auth_anon' }, {}, whoamiRoute(h.sql));
    const res = await open.inject({ method: 'GET', url: '/whoami' });
    expect(res.json()).toMatchObject({ kind: 'anonymous', role: 'auth_anon', claims: { role: 'auth_anon' } });
    // anonymous writes carry no ambient credential: no Origin needed
    expect((await open.inject({ method: 'POST', url: '/whoami' })).statusCode).toBe(200);
  });

  it('a stale cookie is 401 and cleared, not silently anonymous', async () => {
    const { app: open } = await h.makeApp({ anonRole: 'auth_anon' });
    const res = await open.inject({ method: 'GET', url: '/auth/me', headers: { cookie: 'pglive_session=' + 'x'.repeat(43) } });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('PGLIVE201');
    expect(String(res.headers['set-cookie'])).toMatch(/^pglive_session=;.*Max-Age=0/);
  });
});
