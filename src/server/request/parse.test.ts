import { describe, expect, it } from 'vitest';
import type { Resource } from './types.js';
import { req, thrown } from './test-helpers.js';

describe('method', () => {
  it.each([
    ['get', 'GET'],
    ['Head', 'HEAD'],
    ['POST', 'POST'],
    ['patch', 'PATCH'],
    ['put', 'PUT'],
    ['delete', 'DELETE'],
  ])('%s → %s', (raw, method) => {
    expect(req({ method: raw }).method).toBe(method);
  });

  it.each(['OPTIONS', 'TRACE', '', 'G ET'])('refuses %j', (method) => {
    const e = thrown(() => req({ method }));
    expect(e.code).toBe('PGRST101');
    expect(e.message).toContain(JSON.stringify(method));
  });
});

describe('resource', () => {
  it.each<[string, Resource]>([
    ['/', { type: 'root' }],
    ['', { type: 'root' }],
    ['/films', { type: 'relation', name: 'films' }],
    ['films', { type: 'relation', name: 'films' }],
    ['/Order%20Items', { type: 'relation', name: 'Order Items' }],
    ['/%D9%85%D9%88%D8%A7%D8%B1%D8%AF', { type: 'relation', name: 'موارد' }],
    ['/a%2Fb', { type: 'relation', name: 'a/b' }],
    ['/rpc', { type: 'relation', name: 'rpc' }],
    ['/rpc/add', { type: 'rpc', name: 'add' }],
    ['/rpc/my%20fn', { type: 'rpc', name: 'my fn' }],
  ])('%j', (path, resource) => {
    expect(req({ path }).resource).toEqual(resource);
  });

  it.each(['/a/b', '/rpc/a/b', '//', '/a//', '/rpc/', '/films/', '/films/1/director'])('refuses %j with PGLIVE105', (path) => {
    const e = thrown(() => req({ path }));
    expect(e.code).toBe('PGLIVE105');
    expect(e.message).toContain(path);
  });

  it('refuses malformed percent-encoding', () => {
    const e = thrown(() => req({ path: '/bad%E0%A4%A' }));
    expect(e.code).toBe('PGLIVE105');
    expect(e.message).toMatch(/Malformed percent-encoding/);
  });
});

describe('GET /rpc/fn parameters', () => {
  const rpc = (query: string, method = 'GET') => req({ path: '/rpc/fn', query, method });

  it('passes every non-reserved param as an argument, and those that parse as filters also as conditions', () => {
    const r = rpc('a=1&b=Mr.%20X&c=eq.5&d=(x&e=foo.bar&a=2&select=x&order=x&limit=1&or=(x.eq.1)&f->>g=h&k(=v');
    expect(r.rpcParams).toEqual({ a: '1', b: 'Mr. X', c: 'eq.5', d: '(x', e: 'foo.bar', 'f->>g': 'h', 'k(': 'v' });
    expect(r.conditions.map((c) => c.condition)).toEqual([
      { type: 'filter', field: { name: 'c', json: [] }, negated: false, operator: 'eq', quantifier: null, language: null, value: { kind: 'scalar', value: '5' } },
      {
        type: 'or',
        negated: false,
        children: [
          { type: 'filter', field: { name: 'x', json: [] }, negated: false, operator: 'eq', quantifier: null, language: null, value: { kind: 'scalar', value: '1' } },
        ],
      },
    ]);
    expect(r.select).toEqual([{ type: 'column', field: { name: 'x', json: [] }, alias: null, cast: null }]);
    expect(rpc('x=1', 'HEAD').rpcParams).toEqual({ x: '1' });
  });

  it('still rejects malformed reserved params and size limits', () => {
    expect(thrown(() => rpc('or=(x')).code).toBe('PGRST100');
    expect(thrown(() => rpc('select=a(')).code).toBe('PGRST100');
    expect(rpc('a.b.c=1').rpcParams).toEqual({ 'a.b.c': '1' });
    const many = Array.from({ length: 4 }, (_, i) => `c${i}=eq.${i}`).join('&');
    expect(thrown(() => req({ path: '/rpc/fn', query: many }, { maxConditions: 3 })).code).toBe('PGLIVE107');
  });

  it('is strict for POST /rpc/fn and for relations', () => {
    expect(thrown(() => rpc('a=1', 'POST')).code).toBe('PGRST100');
    expect(rpc('a=eq.1', 'POST').rpcParams).toEqual({});
    expect(thrown(() => req({ query: 'a=1' })).code).toBe('PGRST100');
    expect(req({ query: 'a=eq.1' }).rpcParams).toEqual({});
  });
});

describe('a complete request', () => {
  it('parses everything together', () => {
    const r = req({
      method: 'post',
      path: '/films',
      query: 'select=id,director:directors!inner(name)&columns=title,"year"&on_conflict=id&id=gt.10&directors.name=like.A*&directors.order=name&limit=3',
      headers: {
        prefer: 'return=representation, resolution=merge-duplicates',
        accept: 'application/vnd.pgrst.object+json',
        'content-profile': 'cinema',
        range: '0-1',
      },
      body: [{ title: 'a', year: 1 }, { title: 'b', year: 2, extra: true }],
    });
    expect(r).toEqual({
      method: 'POST',
      resource: { type: 'relation', name: 'films' },
      profile: 'cinema',
      select: [
        { type: 'column', field: { name: 'id', json: [] }, alias: null, cast: null },
        {
          type: 'embed',
          name: 'directors',
          alias: 'director',
          hint: null,
          inner: true,
          spread: false,
          select: [{ type: 'column', field: { name: 'name', json: [] }, alias: null, cast: null }],
        },
      ],
      conditions: [
        {
          path: [],
          condition: { type: 'filter', field: { name: 'id', json: [] }, negated: false, operator: 'gt', quantifier: null, language: null, value: { kind: 'scalar', value: '10' } },
        },
        {
          path: ['directors'],
          condition: { type: 'filter', field: { name: 'name', json: [] }, negated: false, operator: 'like', quantifier: null, language: null, value: { kind: 'scalar', value: 'A*' } },
        },
      ],
      order: [{ path: ['directors'], terms: [{ relation: null, field: { name: 'name', json: [] }, direction: null, nulls: null }] }],
      ranges: [{ path: [], offset: 0, limit: 3 }],
      columns: ['title', 'year'],
      onConflict: ['id'],
      prefer: {
        return: 'representation',
        count: null,
        resolution: 'merge-duplicates',
        missing: null,
        handling: null,
        maxAffected: null,
        allowUnfiltered: false,
        applied: ['return=representation', 'resolution=merge-duplicates'],
      },
      accept: 'object',
      body: [{ title: 'a', year: 1 }, { title: 'b', year: 2, extra: true }],
      rpcParams: {},
    });
  });

  it.each([
    ['columns=', /^"columns" parameter: expected a column name/],
    ['columns=a,,b', /expected a column name/],
    ['on_conflict=a.b', /^"on_conflict" parameter: unexpected "\."/],
  ])('rejects %s', (query, message) => {
    const e = thrown(() => req({ query }));
    expect(e.code).toBe('PGRST100');
    expect(e.message).toMatch(message);
  });

  it('accepts quoted and spaced column lists', () => {
    expect(req({ query: 'columns=%20a%20,"b,c"&on_conflict="x y"' })).toMatchObject({ columns: ['a', 'b,c'], onConflict: ['x y'] });
  });
});
