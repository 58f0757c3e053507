import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestApp, jwtFor, type TestApp } from '../../../test/support/app.js';
import type { PrefsResponse } from '../../protocol/prefs.js';
import type { ServerMessage } from '../../protocol/live.js';

let t: TestApp;
const cookies: Record<'admin' | 'clerk' | 'viewer' | 'clerk2', string> = { admin: '', clerk: '', viewer: '', clerk2: '' };
const ORIGIN = 'http://localhost';

async function login(email: string, password: string): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login ${email}: ${res.statusCode} ${res.body}`);
  return `pglive_session=${res.cookies.find((c) => c.name === 'pglive_session')!.value}`;
}

beforeAll(async () => {
  t = await createTestApp(['records.sql'], {}, { live: { coalesceMs: 2 } });
  const pw = 'correct horse battery staple';
  await t.app.pglive.auth.createUser({ email: 'admin@rec.test', password: pw, dbRole: 'rec_clerk', isAdmin: true });
  await t.app.pglive.auth.createUser({ email: 'clerk@rec.test', password: pw, dbRole: 'rec_clerk' });
  await t.app.pglive.auth.createUser({ email: 'clerk2@rec.test', password: pw, dbRole: 'rec_clerk' });
  await t.app.pglive.auth.createUser({ email: 'viewer@rec.test', password: pw, dbRole: 'rec_viewer' });
  for (const who of ['admin', 'clerk', 'clerk2', 'viewer'] as const) cookies[who] = await login(`${who}@rec.test`, pw);
});
afterAll(async () => t?.close());

type Who = keyof typeof cookies;
const get = (who: Who, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: cookies[who] } });
const put = (who: Who, url: string, payload: unknown) =>
  t.app.inject({ method: 'PUT', url, payload: payload as object, headers: { cookie: cookies[who], origin: ORIGIN } });
const del = (who: Who, url: string) => t.app.inject({ method: 'DELETE', url, headers: { cookie: cookies[who], origin: ORIGIN } });
const prefsOf = async (who: Who, rel = 'orders') => (await get(who, `/meta/prefs/public/${rel}`)).json<PrefsResponse>();

describe('column preferences', () => {
  it('starts empty, and a user without layers gets an empty merge', async () => {
    const p = await prefsOf('clerk', 'customers');
    expect(p).toEqual({
      merged: { columns: {} },
      layers: { global: null, role: null, user: null },
      role: 'rec_clerk',
      canAdmin: false,
      canPersonal: true,
    });
  });

  it('layers: the nearest layer wins per column and per setting', async () => {
    expect((await put('admin', '/meta/prefs/public/orders/global', {
      columns: { total: { format: { kind: 'currency', currency: 'EUR' }, width: 120, label: 'Total' }, meta: { visible: false } },
    })).statusCode).toBe(200);
    expect((await put('admin', '/meta/prefs/public/orders/role', {
      columns: { total: { width: 150 }, status: { pinned: 'left' } },
    })).statusCode).toBe(200);
    expect((await put('clerk', '/meta/prefs/public/orders/user', {
      columns: { total: { label: 'My total' }, meta: { visible: true } },
    })).statusCode).toBe(200);

    const p = await prefsOf('clerk');
    expect(p.merged.columns).toEqual({
      total: { format: { kind: 'currency', currency: 'EUR' }, width: 150, label: 'My total' },
      meta: { visible: true },
      status: { pinned: 'left' },
    });
    expect(p.layers.user).toEqual({ columns: { total: { label: 'My total' }, meta: { visible: true } } });

    // another user of the same role: global + role, not clerk's personal layer
    expect((await prefsOf('clerk2')).merged.columns).toEqual({
      total: { format: { kind: 'currency', currency: 'EUR' }, width: 150, label: 'Total' },
      meta: { visible: false },
      status: { pinned: 'left' },
    });
    // another role: global only
    expect((await prefsOf('viewer')).merged.columns).toEqual({
      total: { format: { kind: 'currency', currency: 'EUR' }, width: 120, label: 'Total' },
      meta: { visible: false },
    });
  });

  it('reset to default: deleting a layer falls back to the layers below', async () => {
    expect((await del('clerk', '/meta/prefs/public/orders/user')).statusCode).toBe(204);
    const p = await prefsOf('clerk');
    expect(p.layers.user).toBeNull();
    expect(p.merged.columns.total?.label).toBe('Total');
    // deleting an absent layer is not an error
    expect((await del('clerk', '/meta/prefs/public/orders/user')).statusCode).toBe(204);
  });

  it('permissions: global and role layers need an admin; admins may write another role', async () => {
    const g = await put('clerk', '/meta/prefs/public/orders/global', { columns: {} });
    expect(g.statusCode).toBe(403);
    expect(g.json()).toMatchObject({ code: 'PGLIVE204' });
    expect((await put('clerk', '/meta/prefs/public/orders/role', { columns: {} })).json()).toMatchObject({ code: 'PGLIVE204' });
    expect((await del('viewer', '/meta/prefs/public/orders/global')).statusCode).toBe(403);

    expect((await put('admin', '/meta/prefs/public/orders/role?role=rec_viewer', { columns: { website: { format: { kind: 'link' } } } })).statusCode).toBe(200);
    expect((await prefsOf('viewer')).merged.columns.website).toEqual({ format: { kind: 'link' } });
    // an admin can look at that role's layer; a non-admin's ?role= is ignored
    const seen = (await get('admin', '/meta/prefs/public/orders?role=rec_viewer')).json<PrefsResponse>();
    expect(seen).toMatchObject({ role: 'rec_viewer', canAdmin: true, layers: { role: { columns: { website: { format: { kind: 'link' } } } } } });
    expect((await get('clerk', '/meta/prefs/public/orders?role=rec_viewer')).json<PrefsResponse>().role).toBe('rec_clerk');
    expect((await del('admin', '/meta/prefs/public/orders/role?role=rec_viewer')).statusCode).toBe(204);
  });

  it('JWT callers read the shared layers but have no personal layer', async () => {
    const jwt = await jwtFor('rec_clerk');
    const r = await t.app.inject({ method: 'GET', url: '/meta/prefs/public/orders', headers: { authorization: `Bearer ${jwt}` } });
    expect(r.json<PrefsResponse>()).toMatchObject({ canPersonal: false, canAdmin: false, layers: { user: null } });
    const w = await t.app.inject({ method: 'PUT', url: '/meta/prefs/public/orders/user', payload: { columns: {} }, headers: { authorization: `Bearer ${jwt}` } });
    expect(w.statusCode).toBe(403);
  });

  it('cookie writes are CSRF-checked', async () => {
    const r = await t.app.inject({ method: 'PUT', url: '/meta/prefs/public/orders/user', payload: { columns: {} }, headers: { cookie: cookies.clerk, origin: 'https://evil.example' } });
    expect(r.statusCode).toBe(403);
    expect(r.json()).toMatchObject({ code: 'PGLIVE205' });
  });

  it('validation: bad bodies, unknown columns, layers and relations', async () => {
    const bad = await put('clerk', '/meta/prefs/public/orders/user', { columns: { total: { width: 5, format: { kind: 'sparkles' } } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'PGRST102' });
    expect(bad.json().details).toContain('columns.total.width');
    expect(bad.json().details).toContain('columns.total.format.kind');

    const extra = await put('clerk', '/meta/prefs/public/orders/user', { columns: { total: { colour: 'red' } } });
    expect(extra.json()).toMatchObject({ code: 'PGRST102' });

    const cur = await put('clerk', '/meta/prefs/public/orders/user', { columns: { total: { format: { kind: 'currency', currency: 'euro' } } } });
    expect(cur.json().details).toContain('currency');

    const col = await put('clerk', '/meta/prefs/public/orders/user', { columns: { nope: { visible: false } } });
    expect(col.statusCode).toBe(400);
    expect(col.json()).toMatchObject({ code: 'PGRST204' });

    expect((await put('clerk', '/meta/prefs/public/orders/team', { columns: {} })).statusCode).toBe(404);
    expect((await get('clerk', '/meta/prefs/public/nope')).json()).toMatchObject({ code: 'PGRST205' });
    // a relation the role cannot read does not exist for it
    expect((await get('viewer', '/meta/prefs/public/secrets')).statusCode).toBe(404);
    expect((await get('clerk', '/meta/prefs/public/secrets')).statusCode).toBe(200);
  });

  it('is metadata only: the user schema is untouched', async () => {
    const [r] = await t.db.sql<{ n: number }[]>`
      select count(*)::int as n from information_schema.columns where table_schema = 'public' and table_name = 'orders'`;
    expect(r!.n).toBe(15);
  });

  it('exposes check constraints with their columns', async () => {
    const r = (await get('clerk', '/meta/constraints/public/orders')).json<{ checks: { name: string; columns: string[] }[] }>();
    expect(r.checks).toContainEqual(expect.objectContaining({ name: 'orders_discount_check', columns: ['discount'] }));
  });
});

describe('live: a prefs write reaches open sockets', () => {
  it('sends prefs-changed to every authenticated socket after a write and after a reset', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = t.app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/live`, { headers: { authorization: `Bearer ${await jwtFor('rec_viewer')}` } });
    const got: ServerMessage[] = [];
    ws.on('message', (d) => got.push(JSON.parse(String(d)) as ServerMessage));
    const waitFor = async (pred: (m: ServerMessage) => boolean) => {
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline) {
        const i = got.findIndex(pred);
        if (i >= 0) return got.splice(i, 1)[0]!;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`no matching message; got ${JSON.stringify(got)}`);
    };
    try {
      const ready = await waitFor((m) => m.type === 'ready');
      expect(ready).toMatchObject({ protocol: 2 });
      expect((await put('admin', '/meta/prefs/public/customers/global', { columns: { balance: { format: { kind: 'currency', currency: 'EUR' } } } })).statusCode).toBe(200);
      expect(await waitFor((m) => m.type === 'prefs-changed')).toEqual({ type: 'prefs-changed', schema: 'public', relation: 'customers' });
      expect((await del('admin', '/meta/prefs/public/customers/global')).statusCode).toBe(204);
      expect(await waitFor((m) => m.type === 'prefs-changed')).toEqual({ type: 'prefs-changed', schema: 'public', relation: 'customers' });
    } finally {
      ws.close();
    }
  });
});
