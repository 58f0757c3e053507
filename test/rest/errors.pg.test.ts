/**
 * Error responses: each bad part of a request maps to a stable code and a
 * 4xx status, the body is exactly {code, message, details, hint}, and none
 * of these is ever a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, restApp, type Method, type Rest } from './harness.js';

let api: Rest;
let small: Rest;
beforeAll(async () => {
  api = await restApp();
  small = await restApp({ bodyLimit: 1024 });
});
afterAll(async () => {
  await api?.close();
  await small?.close();
});

describe('unknown names', () => {
  it('unknown table → 404 PGRST205 naming it, for every method', async () => {
    for (const method of ['GET', 'POST', 'PATCH', 'DELETE'] as Method[]) {
      const body = method === 'POST' || method === 'PATCH' ? { a: 1 } : undefined;
      const e = expectError(await api.req('/api/no_such_table?id=eq.1', { method, body }), 404, 'PGRST205');
      expect(e.message).toContain('no_such_table');
    }
  });

  it('table names are case-sensitive; the hint suggests the right one', async () => {
    const e = expectError(await api.req('/api/Films'), 404, 'PGRST205');
    expect(e.hint).toContain('films');
  });

  it.each([
    ['select', '/api/films?select=id,nope'],
    ['filter', '/api/films?nope=eq.1'],
    ['order', '/api/films?order=nope.desc'],
    ['embedded select', '/api/films?select=title,directors(nope)'],
    ['or tree', '/api/films?or=(id.eq.1,nope.eq.2)'],
    ['JSON path base', '/api/films?select=nope->>a'],
  ])('unknown column in %s → 400 PGRST204 naming it', async (_where, url) => {
    const e = expectError(await api.req(url), 400, 'PGRST204');
    expect(e.message).toContain('nope');
  });

  it('unknown column in a body, columns= or on_conflict= → 400 PGRST204', async () => {
    expectError(await api.req('/api/films', { method: 'POST', body: { title: 'x', nope: 1 } }), 400, 'PGRST204');
    expectError(await api.req('/api/films?columns=title,nope', { method: 'POST', body: { title: 'x' } }), 400, 'PGRST204');
    expectError(await api.req('/api/films?on_conflict=nope', { method: 'POST', headers: { prefer: 'resolution=merge-duplicates' }, body: { title: 'x' } }), 400, 'PGRST204');
    expectError(await api.req('/api/films?id=eq.1', { method: 'PATCH', body: { nope: 1 } }), 400, 'PGRST204');
  });

  it('unknown embed → 400 PGRST200 naming it', async () => {
    const e = expectError(await api.req('/api/films?select=title,nope(*)'), 400, 'PGRST200');
    expect(e.message).toContain('nope');
  });

  it('a filter on an embed that is not selected → 400 PGRST108', async () => {
    expectError(await api.req('/api/films?select=id&directors.name=eq.x'), 400, 'PGRST108');
  });

  it('unknown function → 404 PGRST202', async () => {
    expectError(await api.req('/api/rpc/nope'), 404, 'PGRST202');
  });
});

describe('malformed queries', () => {
  it('unknown operator → 400 naming it', async () => {
    const e = expectError(await api.req('/api/films?id=foo.1'), 400, 'PGLIVE101');
    expect(e.message).toContain('foo');
    expectError(await api.req('/api/films?or=(id.foo.1)'), 400, 'PGLIVE101');
  });

  it.each([
    ['/api/films?select=id,', 'trailing comma'],
    ['/api/films?select=id)', 'stray paren'],
    ['/api/films?select=directors(name', 'unclosed embed'],
    ['/api/films?id=eq', 'operator without value'],
    ['/api/films?id=', 'empty filter'],
    ['/api/films?or=id.eq.1', 'or without parens'],
    ['/api/films?or=(id.eq.1', 'unclosed or'],
    ['/api/films?order=id.sideways', 'bad direction'],
    ['/api/films?order=id.asc.nullssometimes', 'bad nulls option'],
    ['/api/films?limit=abc', 'non-numeric limit'],
    ['/api/films?id=in.(1,2', 'unclosed in-list'],
    ['/api/films?id=eq(some).{1}', 'bad quantifier'],
  ])('%s (%s) → 400 PGRST100', async (url) => {
    expectError(await api.req(url), 400, 'PGRST100');
  });

  it('a quantifier on an operator that takes none → 400', async () => {
    const r = await api.req('/api/films?tags=cs(any).{a}');
    expect(r.status).toBe(400);
    expectError(r, 400, r.json<{ code: string }>().code);
  });

  it('an unsupported cast → 400 PGLIVE106', async () => {
    expectError(await api.req('/api/films?select=id::regclass'), 400, 'PGLIVE106');
  });
});

describe('malformed values keep their SQLSTATE and are 400', () => {
  it.each([
    ['/api/films?id=eq.abc', '22P02'],
    ['/api/films?id=in.(1,x)', '22P02'],
    ['/api/films?year=eq.99999999999', '22003'],
    ['/api/films?mood=eq.angry', '22P02'],
    ['/api/films?tags=cs.notarray', '22P02'],
    ['/api/ranges?r=sl.notarange', '22P02'],
    ['/api/films?rating=gt.x', '22P02'],
    ['/api/films?meta=cs.%7Bbad', '22P02'],
    ['/api/films?created_at=eq.garbage', '22007'],
    ['/api/films?created_at=lt.2024-13-45', '22008'],
    ['/api/films?title=match.((', '2201B'],
  ])('%s → 400 %s', async (url, code) => {
    const e = expectError(await api.req(url), 400, code);
    expect(e.message.length).toBeGreaterThan(0);
  });

  it('a malformed value in a body → 400 22P02', async () => {
    expectError(await api.req('/api/films', { method: 'POST', body: { title: 'x', year: 'nineteen' } }), 400, '22P02');
    expectError(await api.req('/api/films', { method: 'POST', body: { title: 'x', created_at: 'never' } }), 400, '22007');
  });
});

describe('bodies', () => {
  it('invalid JSON → 400 PGRST102', async () => {
    expectError(await api.req('/api/films', { method: 'POST', body: '{"title":' }), 400, 'PGRST102');
    expectError(await api.req('/api/films?id=eq.1', { method: 'PATCH', body: 'not json' }), 400, 'PGRST102');
  });

  it('a JSON body of the wrong shape → 400 PGRST102', async () => {
    expectError(await api.req('/api/films', { method: 'POST', body: '"a string"' }), 400, 'PGRST102');
    expectError(await api.req('/api/films', { method: 'POST', body: [1, 2] }), 400, 'PGRST102');
    expectError(await api.req('/api/films?id=eq.1', { method: 'PATCH', body: [] }), 400, 'PGRST102');
    expectError(await api.req('/api/films', { method: 'POST', body: '' }), 400, 'PGRST102');
  });

  it('an unsupported Content-Type → 415 PGRST107', async () => {
    expectError(await api.req('/api/films', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<x/>' }), 415, 'PGRST107');
  });

  it('a body over the configured limit → 413 PGLIVE103', async () => {
    const big = { title: 'x'.repeat(2000) };
    expectError(await small.req('/api/films', { method: 'POST', body: big }), 413, 'PGLIVE103');
    expectError(await small.req('/api/rpc/add_them', { method: 'POST', body: { a: 1, b: 2, pad: 'y'.repeat(2000) } }), 413, 'PGLIVE103');
    expect((await small.req('/api/films', { method: 'POST', body: { title: 'small enough' } })).status).toBe(201);
  });
});

describe('routes and negotiation', () => {
  it.each(['/nope', '/api/a/b/c', '/api/rpc/', '/apifilms'])('unknown route %s → 404', async (url) => {
    expectError(await api.req(url), 404, 'PGLIVE105');
  });

  it('a malformed percent-encoding in the path → 400 with the error body shape', async () => {
    const r = await api.req('/api/%ZZ');
    expect(r.status).toBe(400);
    expectError(r, 400, r.json<{ code: string }>().code);
  });

  it('a method the root does not take → 405', async () => {
    expectError(await api.req('/api/', { method: 'POST', body: {} }), 405, 'PGRST101');
  });

  it('an unsupported Accept → 406', async () => {
    expectError(await api.req('/api/films', { headers: { accept: 'application/xml' } }), 406, 'PGLIVE108');
  });

  it('a singular response with several rows → 406 PGRST116', async () => {
    expectError(await api.req('/api/films', { headers: { accept: 'application/vnd.pgrst.object+json' } }), 406, 'PGRST116');
  });
});

describe('never a 500', () => {
  const nasty = [
    '/api/films?select=*,*', '/api/films?select=id::', '/api/films?select=:id', '/api/films?select=a:b:c',
    '/api/films?select=directors!(name)', '/api/films?select=directors!inner!inner(name)', '/api/films?select=...films(*)',
    '/api/films?select=meta->', '/api/films?select=meta->>', '/api/films?meta->=eq.1', '/api/films?id=eq.1&id=eq.2',
    '/api/films?id=in.()', '/api/films?id=in.', '/api/films?id=is.maybe', '/api/films?id=not.', '/api/films?not.or=()',
    '/api/films?or=()', '/api/films?and=(or())', '/api/films?or=(((((((((((id.eq.1)))))))))))',
    '/api/films?order=', '/api/films?order=,', '/api/films?order=directors(name)', '/api/films?offset=-1',
    '/api/films?limit=99999999999999999999', '/api/films?select=id&title=fts(nolang).x', '/api/films?title=like.%',
    '/api/films?title=imatch.[', '/api/films?meta->>lang=cs.x', '/api/films?tags=sl.{a}', '/api/films?year=adj.[1,2)',
    '/api/films?created_at=lt.infinity', '/api/films?created_at=gt.now', '/api/films?flag=is.true',
    '/api/films?columns=', '/api/films?on_conflict=', '/api/rpc/add_them?a=&b=', '/api/rpc/series?n=-1',
    '/api/rpc/series?n=99999999999', '/api/rpc/add_them?a=1&b=2&select=x', '/api/films?select=id&limit=0',
  ];
  it.each(nasty)('%s', async (url) => {
    const r = await api.req(url);
    expect(r.status, r.text).toBeLessThan(500);
    if (r.status >= 400) expectError(r, r.status, r.json<{ code: string }>().code);
  });

  it.each([
    ['POST', '/api/films', { title: { nested: true } }],
    ['POST', '/api/films', { tags: 'notarray', title: 'x' }],
    ['POST', '/api/films', { meta: '{broken', title: 'x' }],
    ['POST', '/api/films', { id: 'x', title: 'x' }],
    ['POST', '/api/films', [{}]],
    ['POST', '/api/films', {}],
    ['PATCH', '/api/films?id=eq.1', { tags: [[1, 2], [3]] }],
    ['PATCH', '/api/films?id=eq.1', {}],
    ['POST', '/api/rpc/add_them', { a: { x: 1 }, b: [1] }],
    ['POST', '/api/rpc/add_them', { a: null, b: null }],
    ['PUT', '/api/films?id=eq.1', {}],
    ['PUT', '/api/films?id=eq.1', { title: null }],
  ] as [Method, string, unknown][])('%s %s %j', async (method, url, body) => {
    const r = await api.req(url, { method, body });
    expect(r.status, r.text).toBeLessThan(500);
    if (r.status >= 400) expectError(r, r.status, r.json<{ code: string }>().code);
  });
});
