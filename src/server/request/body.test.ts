import { describe, expect, it } from 'vitest';
import { readCsv } from './csv.js';
import { req, thrown } from './test-helpers.js';

const post = (body: unknown, headers: Record<string, string> = {}, extra: { path?: string; query?: string; method?: string } = {}) =>
  req({ method: 'POST', body, headers, ...extra }).body;

describe('JSON bodies', () => {
  it.each<[string, unknown]>([
    ['an object', { a: 1 }],
    ['an array of objects', [{ a: 1 }, { a: 2 }]],
    ['an empty array', []],
    ['nested values', [{ a: { b: [1] }, c: null }]],
  ])('POST accepts %s', (_, body) => {
    expect(post(body)).toEqual(body);
    expect(post(body, { 'content-type': 'application/json; charset=utf-8' })).toEqual(body);
  });

  it('parses JSON text and bytes', () => {
    expect(post('{"a":1}')).toEqual({ a: 1 });
    expect(post(new TextEncoder().encode('[{"a":1}]'))).toEqual([{ a: 1 }]);
    expect(thrown(() => post('{a:1}')).code).toBe('PGRST102');
  });

  it('has no body when absent, and ignores bodies on GET/HEAD/DELETE', () => {
    expect(post(undefined)).toBeNull();
    expect(post(null)).toBeNull();
    for (const method of ['GET', 'HEAD', 'DELETE']) expect(req({ method, body: { a: 1 } }).body).toBeNull();
  });

  it.each<[string, unknown, string, RegExp]>([
    ['a number', 5, 'POST', /JSON object or an array of objects/],
    ['a JSON string', '"x"', 'POST', /JSON object or an array of objects/],
    ['an array of non-objects', [{ a: 1 }, 2], 'POST', /element 1 is not a JSON object/],
    ['nested arrays', [[{ a: 1 }]], 'PUT', /element 0 is not a JSON object/],
    ['an array on PATCH', [{ a: 1 }], 'PATCH', /PATCH body must be a JSON object/],
  ])('refuses %s on %s', (_, body, method, message) => {
    const e = thrown(() => req({ method, body }));
    expect(e.code).toBe('PGRST102');
    expect(e.message).toMatch(message);
  });

  it('requires the same keys in every row of a bulk insert, unless columns= or missing=default', () => {
    const rows = [{ a: 1, b: 2 }, { b: 3, a: 4 }, { a: 5 }];
    const e = thrown(() => post(rows));
    expect(e.code).toBe('PGRST102');
    expect(e.message).toMatch(/All object keys must match: element 2/);
    expect(thrown(() => post([{ a: 1 }, { b: 1 }])).code).toBe('PGRST102');
    expect(post(rows.slice(0, 2))).toEqual(rows.slice(0, 2));
    expect(post(rows, {}, { query: 'columns=a,b' })).toEqual(rows);
    expect(post(rows, { prefer: 'missing=default' })).toEqual(rows);
  });

  it('takes any object as RPC arguments, and nothing else', () => {
    expect(post({ a: 1, b: [2] }, {}, { path: '/rpc/f' })).toEqual({ a: 1, b: [2] });
    expect(post({}, {}, { path: '/rpc/f' })).toEqual({});
    expect(post(undefined, {}, { path: '/rpc/f' })).toBeNull();
    const e = thrown(() => post([{ a: 1 }], {}, { path: '/rpc/f' }));
    expect(e.code).toBe('PGRST102');
    expect(e.message).toMatch(/Function arguments must be a JSON object/);
  });
});

describe('other content types', () => {
  it('parses CSV into rows of strings, NULL as null', () => {
    const csv = 'id,name,note\r\n1,"Doe, John",NULL\n2,"say ""hi""",""\n3,,"NULL"\n';
    expect(post(csv, { 'content-type': 'text/csv' })).toEqual([
      { id: '1', name: 'Doe, John', note: null },
      { id: '2', name: 'say "hi"', note: '' },
      { id: '3', name: '', note: 'NULL' },
    ]);
    expect(post('a,b', { 'content-type': 'text/csv' })).toEqual([]);
    expect(post('', { 'content-type': 'text/csv' })).toEqual([]);
    expect(post('a\n"x\ny"\n\n', { 'content-type': 'text/csv; charset=utf-8' })).toEqual([{ a: 'x\ny' }]);
  });

  it.each([
    ['a,b\n1', /data row 1 has 1 fields, the header has 2/],
    ['a,b\n1,2,3', /data row 1 has 3 fields/],
    ['a,a\n1,2', /duplicate column name/],
    [',b\n1,2', /empty column name/],
    ['a\n"open', /unterminated quoted field/],
    ['a\n"x"y', /unexpected "y" after a quoted field/],
    ['a\nx"y', /stray double quote/],
  ])('refuses the CSV %j', (csv, message) => {
    const e = thrown(() => post(csv, { 'content-type': 'text/csv' }));
    expect(e.code).toBe('PGRST102');
    expect(e.message).toMatch(message);
  });

  it('refuses a CSV body that is not text', () => {
    expect(thrown(() => post({ a: 1 }, { 'content-type': 'text/csv' })).code).toBe('PGRST102');
  });

  it('reads the CSV grammar', () => {
    expect(readCsv('a,"b,c"\r\n,')).toEqual([
      [{ text: 'a', quoted: false }, { text: 'b,c', quoted: true }],
      [{ text: '', quoted: false }, { text: '', quoted: false }],
    ]);
  });

  it('parses urlencoded forms into an object (first value wins)', () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect(post('a=1&b=x+y&a=2&c=%C3%A9', form)).toEqual({ a: '1', b: 'x y', c: 'é' });
    expect(post({ a: '1' }, form)).toEqual({ a: '1' });
    const proto = post('__proto__=x', form) as Record<string, unknown>;
    expect(Object.keys(proto)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(post('a=1', form, { path: '/rpc/f' })).toEqual({ a: '1' });
  });

  it.each(['text/plain', 'application/xml', 'application/octet-stream'])('refuses %s with PGRST107', (type) => {
    const e = thrown(() => post('x', { 'content-type': type }));
    expect(e.code).toBe('PGRST107');
    expect(e.message).toContain(type);
  });
});
