import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, jwtFor, type TestApp } from '../../../test/support/app.js';
import type { SavedView } from '../../protocol/prefs.js';

let t: TestApp;
const cookies: Record<'admin' | 'clerk' | 'clerk2' | 'viewer', string> = { admin: '', clerk: '', clerk2: '', viewer: '' };
type Who = keyof typeof cookies;

beforeAll(async () => {
  t = await createTestApp(['records.sql']);
  const pw = 'correct horse battery staple';
  await t.app.pglive.auth.createUser({ email: 'admin@rec.test', password: pw, dbRole: 'rec_clerk', isAdmin: true });
  await t.app.pglive.auth.createUser({ email: 'clerk@rec.test', password: pw, dbRole: 'rec_clerk' });
  await t.app.pglive.auth.createUser({ email: 'clerk2@rec.test', password: pw, dbRole: 'rec_clerk' });
  await t.app.pglive.auth.createUser({ email: 'viewer@rec.test', password: pw, dbRole: 'rec_viewer' });
  for (const who of Object.keys(cookies) as Who[]) {
    const res = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { email: `${who}@rec.test`, password: pw } });
    cookies[who] = `pglive_session=${res.cookies.find((c) => c.name === 'pglive_session')!.value}`;
  }
});
afterAll(async () => t?.close());

const req = (who: Who, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
  t.app.inject({
    method, url,
    ...(payload !== undefined ? { payload: payload as object } : {}),
    headers: { cookie: cookies[who], origin: 'http://localhost' },
  });

describe('saved views', () => {
  let mine: SavedView;
  let shared: SavedView;

  it('creates views owned by the caller', async () => {
    const r = await req('clerk', 'POST', '/meta/views', {
      name: '  Unpaid orders ', schema: 'public', relation: 'orders', query: 'status=eq.new&order=id.desc',
      columns: { columns: { meta: { visible: false } } },
    });
    expect(r.statusCode).toBe(201);
    mine = r.json<SavedView>();
    expect(mine).toMatchObject({ name: 'Unpaid orders', query: 'status=eq.new&order=id.desc', shared: false, mine: true, ownerEmail: 'clerk@rec.test' });
    shared = (await req('clerk', 'POST', '/meta/views', { name: 'Big orders', schema: 'public', relation: 'orders', query: 'total=gt.100', shared: true })).json<SavedView>();
    expect(shared.columns).toBeNull();
  });

  it('lists own and shared views, not other users’ private ones', async () => {
    const own = (await req('clerk', 'GET', '/meta/views?schema=public&relation=orders')).json<SavedView[]>();
    expect(own.map((v) => v.name)).toEqual(['Big orders', 'Unpaid orders']);
    const other = (await req('clerk2', 'GET', '/meta/views')).json<SavedView[]>();
    expect(other.map((v) => [v.name, v.mine])).toEqual([['Big orders', false]]);
    expect((await req('clerk2', 'GET', `/meta/views/${mine.id}`)).statusCode).toBe(404);
    expect((await req('clerk2', 'GET', `/meta/views/${shared.id}`)).json()).toMatchObject({ name: 'Big orders' });
    expect((await req('clerk', 'GET', '/meta/views?relation=customers')).json()).toEqual([]);
  });

  it('only the owner or an admin changes or deletes a view', async () => {
    expect((await req('clerk2', 'PATCH', `/meta/views/${shared.id}`, { name: 'Hijacked' })).statusCode).toBe(404);
    expect((await req('clerk2', 'DELETE', `/meta/views/${shared.id}`)).statusCode).toBe(404);
    const renamed = await req('clerk', 'PATCH', `/meta/views/${mine.id}`, { name: 'New orders', shared: true, columns: null });
    expect(renamed.json()).toMatchObject({ name: 'New orders', shared: true, columns: null, query: 'status=eq.new&order=id.desc' });
    const byAdmin = await req('admin', 'PATCH', `/meta/views/${shared.id}`, { query: 'total=gt.200' });
    expect(byAdmin.json()).toMatchObject({ query: 'total=gt.200', mine: true });
    expect((await req('clerk', 'DELETE', `/meta/views/${mine.id}`)).statusCode).toBe(204);
    expect((await req('clerk', 'GET', `/meta/views/${mine.id}`)).statusCode).toBe(404);
  });

  it('validates bodies, ids and relations', async () => {
    const bad = await req('clerk', 'POST', '/meta/views', { name: '', schema: 'public', relation: 'orders' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details).toContain('name');
    expect((await req('clerk', 'POST', '/meta/views', { name: 'x', schema: 'public', relation: 'nope' })).statusCode).toBe(404);
    expect((await req('viewer', 'POST', '/meta/views', { name: 'x', schema: 'public', relation: 'secrets' })).statusCode).toBe(404);
    expect((await req('clerk', 'POST', '/meta/views', { name: 'x', schema: 'public', relation: 'orders', columns: { columns: { nope: {} } } })).json()).toMatchObject({ code: 'PGRST204' });
    expect((await req('clerk', 'GET', '/meta/views/not-a-uuid')).statusCode).toBe(404);
  });

  it('hides shared views of relations the caller cannot read', async () => {
    await req('clerk', 'POST', '/meta/views', { name: 'Secret list', schema: 'public', relation: 'secrets', shared: true });
    expect((await req('clerk2', 'GET', '/meta/views')).json<SavedView[]>().map((v) => v.name)).toContain('Secret list');
    expect((await req('viewer', 'GET', '/meta/views')).json<SavedView[]>().map((v) => v.name)).not.toContain('Secret list');
  });

  it('needs a pglive user', async () => {
    const jwt = await jwtFor('rec_clerk');
    const r = await t.app.inject({ method: 'POST', url: '/meta/views', payload: { name: 'x', schema: 'public', relation: 'orders' }, headers: { authorization: `Bearer ${jwt}` } });
    expect(r.statusCode).toBe(403);
  });
});
