/**
 * Security: SQL injection through every identifier and value position is
 * refused or stored as data; roles, column privileges and RLS decide what a
 * caller sees (401/403, never data); bad credentials are 401.
 */
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_JWT_SECRET, jwtFor } from '../support/app.js';
import { ALICE, BOB, expectError, expectJson, restApp, type Rest } from './harness.js';

let api: Rest;
let anon: Rest;
let snapshot: string;

const DROP = ';drop table films;--';
const TABLES = ['films', 'directors', 'actors', 'film_actors', 'Order Items', 'employees', 'notes', 'ranges'];

async function dbState(): Promise<string> {
  const sql = api.t.db.sql;
  const parts: unknown[] = [];
  for (const t of TABLES) {
    const rows = await sql.unsafe<{ n: string }[]>(`select count(*) as n from "${t.replace(/"/g, '""')}"`);
    parts.push([t, rows[0]?.n]);
  }
  parts.push(await sql`select id, title, year, rating, tags, meta, mood from films order by id`);
  parts.push(await sql`select * from employees order by id`);
  return JSON.stringify(parts);
}

beforeAll(async () => {
  api = await restApp();
  anon = await restApp({ anonRole: 'rest_anon' });
  snapshot = await dbState();
});
afterAll(async () => {
  await api?.close();
  await anon?.close();
});

/** refused with a 4xx catalogue error, or answered 2xx; never 5xx */
async function harmless(url: string, opts: Parameters<Rest['req']>[1] = {}): Promise<void> {
  const r = await api.req(url, opts);
  expect(r.status, `${url}: ${r.text}`).toBeLessThan(500);
  if (r.status >= 400) expectError(r, r.status, r.json<{ code: string }>().code);
}

describe('SQL injection', () => {
  it.each([
    ['table name', `/api/films${encodeURIComponent(DROP)}`],
    ['quoted table name', `/api/${encodeURIComponent(`films"${DROP}`)}`],
    ['function name', `/api/rpc/add_them${encodeURIComponent(DROP)}?a=1&b=2`],
    ['column name', `/api/films?select=${encodeURIComponent(`id,"title\\"${DROP}"`)}`],
    ['unquoted column name', `/api/films?select=${encodeURIComponent(`id,title${DROP}`)}`],
    ['alias', `/api/films?select=${encodeURIComponent(`"x\\"${DROP}":id`)}`],
    ['cast', `/api/films?select=${encodeURIComponent(`id::int${DROP}`)}`],
    ['quoted cast', `/api/films?select=${encodeURIComponent(`id::"int${DROP}"`)}`],
    ['JSON key in select', `/api/films?select=${encodeURIComponent(`meta->>"lang'${DROP}"`)}`],
    ['JSON key in a filter', `/api/films?${encodeURIComponent(`meta->>"a')${DROP}"`)}=eq.x`],
    ['order field', `/api/films?order=${encodeURIComponent(`"title\\"${DROP}"`)}`],
    ['order direction', `/api/films?order=${encodeURIComponent(`id.desc${DROP}`)}`],
    ['embed name', `/api/films?select=${encodeURIComponent(`"directors\\"${DROP}"(name)`)}`],
    ['embed hint', `/api/films?select=${encodeURIComponent(`directors!"fk${DROP}"(name)`)}`],
    ['embedded filter path', `/api/films?select=id,directors(name)&${encodeURIComponent(`directors${DROP}.name`)}=eq.x`],
    ['filter value', `/api/films?title=eq.${encodeURIComponent(`'${DROP}`)}`],
    ['like value', `/api/films?title=like.${encodeURIComponent(`*'${DROP}`)}`],
    ['in-list', `/api/films?title=in.(${encodeURIComponent(`"')${DROP}",x`)})`],
    ['quantified list', `/api/films?title=eq(any).${encodeURIComponent(`{"'${DROP}"}`)}`],
    ['fts language', `/api/films?title=fts(${encodeURIComponent(`english'${DROP}`)}).x`],
    ['or tree value', `/api/films?or=(title.eq.${encodeURIComponent(`"'${DROP}"`)},id.eq.1)`],
    ['is value', `/api/films?rating=is.${encodeURIComponent(`null${DROP}`)}`],
    ['limit', `/api/films?limit=${encodeURIComponent(`1${DROP}`)}`],
    ['offset', `/api/films?offset=${encodeURIComponent(`1${DROP}`)}`],
    ['GET rpc argument value', `/api/rpc/add_them?a=1&b=${encodeURIComponent(`2)${DROP}`)}`],
    ['GET rpc argument name', `/api/rpc/add_them?a=1&b=2&${encodeURIComponent(`b)${DROP}`)}=3`],
  ])('%s', async (_position, url) => {
    await harmless(url);
  });

  it('quoted aliases and JSON keys come back as data, unchanged', async () => {
    const alias = `x"${DROP}`;
    const r = await api.req(`/api/films?select=${encodeURIComponent(`"x\\"${DROP}":id,k:meta->>"lang'${DROP}"`)}&id=eq.1`);
    expect(r.status).toBe(200);
    expect(r.json()).toEqual([{ [alias]: 1, k: null }]);
  });

  it.each([
    ['header Prefer', { prefer: `return=representation${DROP}, count=exact"${DROP}` }],
    ['header Range', { range: `0-1${DROP}` }],
    ['header Accept', { accept: `application/json${DROP}` }],
    ['header Accept-Profile', { 'accept-profile': `public"${DROP}` }],
  ])('%s', async (_position, headers) => {
    await harmless('/api/films?select=id', { headers });
  });

  it.each([
    ['on_conflict', `/api/actors?on_conflict=${encodeURIComponent(`"name)${DROP}"`)}`, { name: 'inj1' }, { prefer: 'resolution=merge-duplicates' }],
    ['unquoted on_conflict', `/api/actors?on_conflict=${encodeURIComponent(`name)${DROP}`)}`, { name: 'inj2' }, { prefer: 'resolution=merge-duplicates' }],
    ['columns=', `/api/actors?columns=${encodeURIComponent(`"name)${DROP}"`)}`, { name: 'inj3' }, {}],
    ['body key', '/api/actors', { [`name")${DROP}`]: 'inj4' }, {}],
    ['Content-Profile', '/api/actors', { name: 'inj5' }, { 'content-profile': `public"${DROP}` }],
    ['POST rpc argument name', '/api/rpc/add_them', { a: 1, [`b)${DROP}`]: 2 }, {}],
    ['POST rpc argument value', '/api/rpc/add_them', { a: 1, b: `2)${DROP}` }, {}],
  ] as [string, string, unknown, Record<string, string>][])('%s', async (_position, url, body, headers) => {
    const r = await api.req(url, { method: 'POST', body, headers });
    expect(r.status, r.text).toBeGreaterThanOrEqual(400);
    expect(r.status, r.text).toBeLessThan(500);
    expectError(r, r.status, r.json<{ code: string }>().code);
  });

  it('values in bodies and filters are stored and matched as plain data', async () => {
    const nasty = [`'); ${DROP}`, `"${DROP}`, `\\'${DROP}`, `$1${DROP}`, `$$${DROP}$$`, `E'\\x27'${DROP}`];
    for (const name of nasty) {
      const ins = await api.req('/api/actors?select=name', { method: 'POST', headers: { prefer: 'return=representation' }, body: { name } });
      expectJson(ins, 201, [{ name }]);
      expectJson(await api.req(`/api/actors?select=name&name=eq.${encodeURIComponent(name)}`), 200, [{ name }]);
      expectJson(await api.req(`/api/actors?select=name&name=in.(${encodeURIComponent(`"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)})`), 200, [{ name }]);
      const patched = await api.req(`/api/actors?name=eq.${encodeURIComponent(name)}&select=name`, { method: 'PATCH', headers: { prefer: 'return=representation' }, body: { name: `${name}!` } });
      expectJson(patched, 200, [{ name: `${name}!` }]);
      expect((await api.req(`/api/actors?name=eq.${encodeURIComponent(`${name}!`)}`, { method: 'DELETE' })).status).toBe(204);
    }
  });

  it('afterwards every table still exists with the same rows', async () => {
    expect(await dbState()).toBe(snapshot);
  });
});

describe('credentials', () => {
  it('no credentials and no anonymous role → 401', async () => {
    expectError(await api.req('/api/films', { anonymous: true }), 401, 'PGRST302');
    expectError(await api.req('/api/rpc/add_them?a=1&b=2', { anonymous: true }), 401, 'PGRST302');
  });

  it('an expired JWT → 401 PGRST303', async () => {
    const token = await jwtFor('rest_user', { email: ALICE, exp: Math.floor(Date.now() / 1000) - 3600 });
    expectError(await api.req('/api/films', { token }), 401, 'PGRST303');
  });

  it('a bad signature, another secret, alg none or garbage → 401 PGRST301', async () => {
    const good = await jwtFor('rest_user', { email: ALICE });
    const [h, p] = good.split('.');
    const tampered = `${h}.${p}.${'A'.repeat(43)}`;
    const other = await jwtFor('rest_user', {}, 'another-secret-another-secret-another-1234');
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${p}.`;
    const payloadSwap = `${h}.${Buffer.from(JSON.stringify({ role: 'postgres' })).toString('base64url')}.${good.split('.')[2]}`;
    for (const token of [tampered, other, none, payloadSwap, 'garbage', 'a.b.c']) {
      expectError(await api.req('/api/films', { token }), 401, 'PGRST301');
    }
  });

  it('a JWT without a role claim is refused', async () => {
    const token = await new SignJWT({ email: ALICE }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(new TextEncoder().encode(TEST_JWT_SECRET));
    const r = await api.req('/api/films', { token });
    expect(r.status).toBe(401);
  });

  it('a role claim the server cannot assume → 401/403, not data', async () => {
    for (const role of ['no_such_role_xyz', `rest_user${DROP}`, 'rest_user"; set role postgres; --']) {
      const r = await api.req('/api/films', { token: await jwtFor(role) });
      expect([401, 403], r.text).toContain(r.status);
      expectError(r, r.status, r.json<{ code: string }>().code);
    }
  });
});

describe('anonymous role', () => {
  it('reads what rest_anon may read', async () => {
    const r = await anon.req('/api/films?select=id&order=id&limit=2', { anonymous: true });
    expectJson(r, 200, [{ id: 1 }, { id: 2 }]);
  });

  it('writes and ungranted tables are 401 (42501 for the anonymous role)', async () => {
    expectError(await anon.req('/api/films', { anonymous: true, method: 'POST', body: { title: 'anon' } }), 401, '42501');
    expectError(await anon.req('/api/films?id=eq.1', { anonymous: true, method: 'PATCH', body: { title: 'anon' } }), 401, '42501');
    expectError(await anon.req('/api/films?id=eq.1', { anonymous: true, method: 'DELETE' }), 401, '42501');
    expectError(await anon.req('/api/actors', { anonymous: true }), 401, '42501');
    expect((await anon.req('/api/films?select=title&id=eq.1', { anonymous: true })).json()).toEqual([{ title: 'Rashomon' }]);
  });

  it('a valid JWT still wins over the anonymous role', async () => {
    expect((await anon.req('/api/actors?select=id&limit=1')).status).toBe(200);
  });
});

describe('column privileges', () => {
  let limited: string;
  beforeAll(async () => {
    limited = await jwtFor('rest_limited');
  });

  it('rest_limited selecting a column it lacks → 403 42501', async () => {
    expectError(await api.req('/api/films?select=id,year', { token: limited }), 403, '42501');
    expectError(await api.req('/api/films?select=id&year=gt.1900', { token: limited }), 403, '42501');
    expectError(await api.req('/api/films?select=id&order=rating', { token: limited }), 403, '42501');
  });

  it('rest_limited select=* returns only its permitted columns (id, title)', async () => {
    const r = await api.req('/api/films?order=id&limit=1', { token: limited });
    expectJson(r, 200, [{ id: 1, title: 'Rashomon' }]);
    expectJson(await api.req('/api/films?select=*&id=eq.2', { token: limited }), 200, [{ id: 2, title: 'Seven Samurai' }]);
  });

  it('rest_limited cannot write or read other tables', async () => {
    expectError(await api.req('/api/films', { token: limited, method: 'POST', body: { title: 'x' } }), 403, '42501');
    expectError(await api.req('/api/directors', { token: limited }), 403, '42501');
    expectError(await api.req('/api/films?select=id,directors(name)', { token: limited }), 403, '42501');
  });

  it('rest_user reading employees.salary → 403; select=* leaves salary out', async () => {
    expectError(await api.req('/api/employees?select=name,salary'), 403, '42501');
    expectError(await api.req('/api/employees?salary=gt.50000'), 403, '42501');
    expectError(await api.req('/api/employees?select=id&order=salary'), 403, '42501');
    expectError(await api.req('/api/employees?or=(salary.gt.0,id.eq.1)'), 403, '42501');
    expectJson(await api.req('/api/employees?id=eq.1'), 200, [{ id: 1, name: 'Boss', manager_id: null }]);
  });

  it('rest_user cannot write employees (select-only column grant)', async () => {
    expectError(await api.req('/api/employees?id=eq.1', { method: 'PATCH', body: { salary: 1 } }), 403, '42501');
    expectError(await api.req('/api/employees', { method: 'POST', body: { id: 9, name: 'x' } }), 403, '42501');
  });
});

describe('row-level security', () => {
  const as = async (email: string | null) => jwtFor('rest_user', email === null ? {} : { email });

  it('alice sees 2 notes, bob 1, another email 0, no email 0', async () => {
    expect((await api.req('/api/notes?select=body&order=id', { token: await as(ALICE) })).json()).toEqual([{ body: 'alice note 1' }, { body: 'alice note 2' }]);
    expect((await api.req('/api/notes?select=body', { token: await as(BOB) })).json()).toEqual([{ body: 'bob note' }]);
    expectJson(await api.req('/api/notes', { token: await as('carol@x.test') }), 200, []);
    expectJson(await api.req('/api/notes', { token: await as(null) }), 200, []);
  });

  it('counts respect RLS', async () => {
    const r = await api.req('/api/notes?select=id', { token: await as(ALICE), headers: { prefer: 'count=exact' } });
    expect(r.headers['content-range']).toBe('0-1/2');
  });

  it('bob cannot PATCH or DELETE alice\'s notes (0 rows affected)', async () => {
    const bob = await as(BOB);
    const p = await api.req('/api/notes?id=in.(1,2)', { token: bob, method: 'PATCH', body: { body: 'hacked' } });
    expect(p.status).toBe(204);
    expectJson(await api.req('/api/notes?id=in.(1,2)', { token: bob, method: 'PATCH', headers: { prefer: 'return=representation' }, body: { body: 'hacked' } }), 200, []);
    expect((await api.req('/api/notes?owner=eq.alice@x.test', { token: bob, method: 'DELETE' })).status).toBe(204);
    expect((await api.req('/api/notes', { token: bob, method: 'PATCH', headers: { prefer: 'allow-unfiltered' }, body: { body: 'bob was here' } })).status).toBe(204);
    const rows = await api.t.db.sql<{ id: number; body: string }[]>`select id, body from notes order by id`;
    expect(rows.map((r) => r.body)).toEqual(['alice note 1', 'alice note 2', 'bob was here']);
  });

  it('bob cannot insert a note owned by alice; his own notes default to his email', async () => {
    expectError(await api.req('/api/notes', { token: await as(BOB), method: 'POST', body: { owner: ALICE, body: 'forged' } }), 403, '42501');
    const r = await api.req('/api/notes?select=owner,body', { token: await as(BOB), method: 'POST', headers: { prefer: 'return=representation' }, body: { body: 'mine' } });
    expectJson(r, 201, [{ owner: BOB, body: 'mine' }]);
  });

  it('embedding and RPC do not bypass RLS or privileges', async () => {
    expectError(await api.req('/api/employees?select=name,manager:manager_id(salary)'), 403, '42501');
    const r = await api.req('/api/rpc/claim_email', { token: await as(BOB) });
    expectJson(r, 200, BOB);
  });
});
