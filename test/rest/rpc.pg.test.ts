/**
 * /api/rpc/<fn>: POST with named JSON arguments, GET for stable/immutable
 * functions, scalar / set-returning / void results, table-like results with
 * the same select/filter/order/limit as tables, and the error cases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectJson, restApp, titles, type Rest } from './harness.js';

let api: Rest;
beforeAll(async () => {
  api = await restApp();
});
afterAll(async () => api?.close());

const post = (fn: string, body: unknown, headers: Record<string, string> = {}) =>
  api.req(`/api/rpc/${fn}`, { method: 'POST', body, headers });

describe('scalar functions', () => {
  it('POST with named arguments returns the bare JSON value', async () => {
    const r = await post('add_them', { a: 1, b: 2 });
    expectJson(r, 200, 3);
    expect(r.text).toBe('3');
  });

  it('GET passes arguments as query parameters', async () => {
    expectJson(await api.req('/api/rpc/add_them?a=40&b=2'), 200, 42);
  });

  it('an enum result is a JSON string', async () => {
    expectJson(await api.req('/api/rpc/favourite_mood'), 200, 'happy');
  });

  it('runs as the caller role with the JWT claims visible', async () => {
    expectJson(await api.req('/api/rpc/whoami'), 200, 'rest_user');
    expectJson(await api.req('/api/rpc/claim_email'), 200, 'alice@x.test');
  });

  it('a volatile function runs with POST', async () => {
    expectJson(await post('bump', { x: 41 }), 200, 42);
  });

  it('HEAD gives the status without a body', async () => {
    const r = await api.req('/api/rpc/add_them?a=1&b=2', { method: 'HEAD' });
    expect(r.status).toBe(200);
    expect(r.text).toBe('');
  });
});

describe('set-returning functions', () => {
  it('setof a table: select, filters, order and limit apply like on a table', async () => {
    expect(titles(await api.req('/api/rpc/films_since?y=1960&select=title&order=year.desc,id'))).toEqual(['Ran', 'Vagabond', 'Cléo from 5 to 7']);
    expect(titles(await api.req('/api/rpc/films_since?y=1960&select=title&order=id&mood=eq.sad'))).toEqual(['Cléo from 5 to 7', 'Vagabond']);
    expect(titles(await api.req('/api/rpc/films_since?y=1960&select=title&order=id&limit=1&offset=1'))).toEqual(['Cléo from 5 to 7']);
    expect(titles(await api.req('/api/rpc/films_since?y=1960&select=title&year=lt.1980'))).toEqual(['Cléo from 5 to 7']);
  });

  it('setof a table: POST body arguments with query-string filters, embeds and counts', async () => {
    const r = await api.req('/api/rpc/films_since?select=title,directors(name)&order=id&or=(mood.is.null,rating.is.null)', {
      method: 'POST', body: { y: 1960 }, headers: { prefer: 'count=exact' },
    });
    expectJson(r, 200, [
      { title: 'Ran', directors: { name: 'Akira Kurosawa' } },
      { title: 'Vagabond', directors: { name: 'Agnès Varda' } },
    ]);
    expect(r.headers['content-range']).toBe('0-1/2');
  });

  it('setof a table with count=exact and a limit: 206', async () => {
    const r = await api.req('/api/rpc/films_since?y=1960&select=id&order=id&limit=1', { headers: { prefer: 'count=exact' } });
    expectJson(r, 206, [{ id: 3 }]);
    expect(r.headers['content-range']).toBe('0-0/3');
  });

  it('setof a table with a singular Accept: one row → object, several → 406', async () => {
    const one = await api.req('/api/rpc/films_since?y=1986&select=id', { headers: { accept: 'application/vnd.pgrst.object+json' } });
    expectError(one, 406, 'PGRST116');
    const obj = await api.req('/api/rpc/films_since?y=1960&select=id&id=eq.4', { headers: { accept: 'application/vnd.pgrst.object+json' } });
    expect(obj.status).toBe(200);
    expect(obj.json()).toEqual({ id: 4 });
  });

  it('setof a scalar: a JSON array of values', async () => {
    expectJson(await api.req('/api/rpc/series?n=3'), 200, [1, 2, 3]);
    expectJson(await post('series', { n: 0 }), 200, []);
  });

  it('setof a scalar honours limit and offset', async () => {
    expectJson(await api.req('/api/rpc/series?n=5&limit=2'), 200, [1, 2]);
    expectJson(await api.req('/api/rpc/series?n=5&limit=2&offset=3'), 200, [4, 5]);
  });
});

describe('void functions', () => {
  it('POST → 204 No Content', async () => {
    const r = await post('nothing', {});
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
  });

  it('POST without a body works for a function without arguments', async () => {
    const r = await api.req('/api/rpc/nothing', { method: 'POST' });
    expect(r.status).toBe(204);
  });
});

describe('errors', () => {
  it('GET on a volatile function is refused with 405 PGRST101', async () => {
    expectError(await api.req('/api/rpc/bump?x=1'), 405, 'PGRST101');
    expectError(await api.req('/api/rpc/nothing'), 405, 'PGRST101');
  });

  it('methods other than GET/HEAD/POST are 405', async () => {
    expectError(await api.req('/api/rpc/add_them', { method: 'PATCH', body: { a: 1 } }), 405, 'PGRST101');
    expectError(await api.req('/api/rpc/add_them', { method: 'DELETE' }), 405, 'PGRST101');
  });

  it('an unknown function is 404 PGRST202', async () => {
    const e = expectError(await api.req('/api/rpc/no_such_fn'), 404, 'PGRST202');
    expect(e.message).toContain('no_such_fn');
    expectError(await post('no_such_fn', {}), 404, 'PGRST202');
  });

  it('missing or unknown argument names are 404 PGRST202', async () => {
    expectError(await api.req('/api/rpc/add_them?a=1'), 404, 'PGRST202');
    expectError(await post('add_them', { a: 1 }), 404, 'PGRST202');
    expectError(await post('add_them', { a: 1, b: 2, c: 3 }), 404, 'PGRST202');
  });

  it('an argument of the wrong type is 400 22P02', async () => {
    expectError(await api.req('/api/rpc/add_them?a=1&b=x'), 400, '22P02');
    expectError(await post('add_them', { a: 1, b: 'x' }), 400, '22P02');
  });

  it('a body that is not an object is 400 PGRST102', async () => {
    expectError(await post('add_them', [1, 2]), 400, 'PGRST102');
    expectError(await api.req('/api/rpc/add_them', { method: 'POST', body: '{"a":' }), 400, 'PGRST102');
  });

  it('a filter on a scalar function is refused, not ignored', async () => {
    const r = await api.req('/api/rpc/add_them?a=1&b=2&c=eq.3');
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
  });
});
