import { describe, expect, it } from 'vitest';
import type { OrderTerm } from './types.js';
import { get, req, thrown } from './test-helpers.js';

const term = (name: string, extra: Partial<OrderTerm> = {}): OrderTerm => ({
  relation: null,
  field: { name, json: [] },
  direction: null,
  nulls: null,
  ...extra,
});

describe('order', () => {
  it.each<[string, OrderTerm[]]>([
    ['a', [term('a')]],
    ['a.asc', [term('a', { direction: 'asc' })]],
    ['a.desc.nullslast,b,c.asc.nullsfirst', [term('a', { direction: 'desc', nulls: 'last' }), term('b'), term('c', { direction: 'asc', nulls: 'first' })]],
    ['a.nullsfirst', [term('a', { nulls: 'first' })]],
    [' a.desc , b ', [term('a', { direction: 'desc' }), term('b')]],
    ['"my.col".desc', [term('my.col', { direction: 'desc' })]],
    ['clients(name).desc', [term('name', { relation: 'clients', direction: 'desc' })]],
    ['clients(data->>a)', [{ ...term('data', { relation: 'clients' }), field: { name: 'data', json: [{ arrow: '->>', key: 'a' }] } }]],
    ['data->a->>b.desc', [{ ...term('data', { direction: 'desc' }), field: { name: 'data', json: [{ arrow: '->', key: 'a' }, { arrow: '->>', key: 'b' }] } }]],
  ])('order=%s', (value, terms) => {
    expect(get(`order=${encodeURIComponent(value)}`).order).toEqual([{ path: [], terms }]);
  });

  it('supports embed.order and keeps the first order per path', () => {
    expect(get('order=a&clients.projects.order=b.desc&order=z&clients.order=c').order).toEqual([
      { path: [], terms: [term('a')] },
      { path: ['clients', 'projects'], terms: [term('b', { direction: 'desc' })] },
      { path: ['clients'], terms: [term('c')] },
    ]);
  });

  it.each([
    ['order=name.up', /^"order" parameter: unknown direction "up" in "name.up"/],
    ['order=a,name.up.nullsfirst,b', /unknown direction "up" in "name.up.nullsfirst"/],
    ['order=a.desc.nullsmiddle', /unknown nulls option "nullsmiddle" in "a.desc.nullsmiddle"/],
    ['order=a.nullsfirst.desc', /unexpected "\."/],
    ['order=a.', /unknown direction "" in "a."/],
    ['order=', /expected a column to order by/],
    ['order=a,', /expected a column to order by/],
    ['order=c(name', /expected "\)" after the column of "c"/],
    ['clients.order=x.sideways', /^"clients.order" parameter: unknown direction "sideways"/],
  ])('rejects %s', (query, message) => {
    const e = thrown(() => get(query));
    expect(e.code).toBe('PGRST100');
    expect(e.message).toMatch(message);
  });
});

describe('limit, offset and Range', () => {
  const root = (query: string, headers: Record<string, string> = {}, method = 'GET') => req({ query, headers, method }).ranges[0];

  it.each<[string, Record<string, string>, { offset: number; limit: number | null }]>([
    ['', {}, { offset: 0, limit: null }],
    ['limit=10', {}, { offset: 0, limit: 10 }],
    ['limit=0', {}, { offset: 0, limit: 0 }],
    ['offset=5', {}, { offset: 5, limit: null }],
    ['limit=10&offset=5', {}, { offset: 5, limit: 10 }],
    ['limit=10&limit=99', {}, { offset: 0, limit: 10 }],
    ['', { range: '0-24' }, { offset: 0, limit: 25 }],
    ['', { range: '10-', 'range-unit': 'items' }, { offset: 10, limit: null }],
    ['', { range: 'items=5-9' }, { offset: 5, limit: 5 }],
    ['', { range: '' }, { offset: 0, limit: null }],
    // intersection, as PostgREST: rows 0-24 ∩ rows 10-14
    ['limit=5&offset=10', { range: '0-24' }, { offset: 10, limit: 5 }],
    ['limit=100', { range: '10-19' }, { offset: 10, limit: 10 }],
    ['offset=30', { range: '0-24' }, { offset: 30, limit: 0 }],
  ])('?%s %j', (query, headers, expected) => {
    expect(root(query, headers)).toEqual({ path: [], ...expected });
  });

  it('ignores the Range header on writes', () => {
    expect(root('limit=2', { range: '5-9' }, 'DELETE')).toEqual({ path: [], offset: 0, limit: 2 });
    expect(root('', { range: 'garbage' }, 'PATCH')).toEqual({ path: [], offset: 0, limit: null });
  });

  it('collects embedded ranges', () => {
    expect(get('clients.limit=2&clients.offset=1&clients.projects.offset=3&limit=1').ranges).toEqual([
      { path: [], offset: 0, limit: 1 },
      { path: ['clients'], offset: 1, limit: 2 },
      { path: ['clients', 'projects'], offset: 3, limit: null },
    ]);
  });

  it.each([
    ['limit=abc', {}, 'PGRST100', /^"limit" parameter: expected a non-negative integer, got "abc"/],
    ['offset=1.5', {}, 'PGRST100', /"offset" parameter/],
    ['limit=', {}, 'PGRST100', /"limit" parameter/],
    ['limit=-1', {}, 'PGRST103', /must not be negative/],
    ['clients.offset=-3', {}, 'PGRST103', /^"clients.offset" parameter: must not be negative/],
    ['limit=99999999999999999999', {}, 'PGRST103', /too large/],
    ['', { range: '5-2' }, 'PGRST103', /the last row precedes the first/],
    ['', { range: 'bytes=0-10' }, 'PGRST103', /^"Range" header: expected "first-last"/],
    ['', { range: '-5' }, 'PGRST103', /"Range" header/],
  ])('rejects ?%s %j', (query, headers, code, message) => {
    const e = thrown(() => root(query, headers));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });
});
