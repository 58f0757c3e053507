/**
 * Robustness: whatever arrives over HTTP, parseRequest returns an ApiRequest or
 * throws a PgliveError, never a TypeError / RangeError / stack overflow, and
 * stays fast on hostile input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPgliveError } from '../errors.js';
import { parseRequest, type RawRequest } from './parse.js';

/** characters that matter to the grammars, so random strings reach deep into the parsers */
const grammarChar = fc.constantFrom(
  ...'abcnotreqinslk_ 0123456789.,:;()!*"\\{}[]-><=&%+/?#\'\t\n\u00e9\u{1F600}'.split(''),
  '%22', '%2C', '%E0%A4%A', 'eq.', 'not.', 'in.(', 'is.', 'or=(', 'and(', 'select=', 'order=', '->>', '->', '::', '...', '!inner', 'limit=', 'offset=', '(any).{',
);
const grammarString = fc.string({ unit: grammarChar, maxLength: 40 });
const anyString = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 }), grammarString);

const keys = ['select', 'order', 'limit', 'offset', 'columns', 'on_conflict', 'or', 'and', 'not.or', 'a', 'c.order', 'c.limit', 'data->>x', 'c.or'];
const queryString = fc.oneof(
  anyString,
  fc.array(fc.tuple(fc.oneof(fc.constantFrom(...keys), grammarString), fc.oneof(grammarString, anyString)), { maxLength: 6 }).map((pairs) =>
    pairs.map(([k, v]) => `${k}=${v}`).join('&'),
  ),
);
const headerValue = fc.oneof(anyString, fc.array(anyString, { maxLength: 3 }));
const headers = fc.record(
  {
    prefer: headerValue,
    accept: headerValue,
    range: headerValue,
    'range-unit': headerValue,
    'content-type': fc.oneof(anyString, fc.constantFrom('application/json', 'text/csv', 'application/x-www-form-urlencoded')),
    'accept-profile': headerValue,
    'content-profile': headerValue,
  },
  { requiredKeys: [] },
);
const rawRequest: fc.Arbitrary<RawRequest> = fc.record({
  method: fc.oneof(fc.constantFrom('GET', 'head', 'POST', 'PATCH', 'PUT', 'DELETE'), anyString),
  path: fc.oneof(fc.constantFrom('/', '/t', '/rpc/f'), anyString, grammarString.map((s) => `/${s}`)),
  query: queryString,
  headers,
  body: fc.oneof(fc.constant(undefined), anyString, fc.jsonValue(), fc.array(fc.dictionary(fc.string({ maxLength: 3 }), fc.jsonValue()), { maxLength: 3 })),
});

function outcome(r: RawRequest): 'ok' | 'error' {
  try {
    parseRequest(r);
    return 'ok';
  } catch (e) {
    if (isPgliveError(e)) return 'error';
    throw e;
  }
}

describe('parseRequest on arbitrary input', () => {
  it('returns or throws a PgliveError, never anything else', () => {
    fc.assert(fc.property(rawRequest, (r) => void outcome(r)), { numRuns: 3000 });
  });

  it('parses the grammar-shaped strings of every param on GET and on /rpc', () => {
    fc.assert(
      fc.property(queryString, fc.constantFrom('/t', '/rpc/f'), (query, path) => void outcome({ method: 'GET', path, query, headers: {}, body: undefined })),
      { numRuns: 3000 },
    );
  });

  it('stays fast on large hostile inputs', () => {
    const big = 200_000;
    const hostile = [
      `select=${'a('.repeat(big)}`,
      `select=${'a,'.repeat(big)}a`,
      `or=(${'and('.repeat(big)}`,
      `or=(${'a.eq.{,'.repeat(big)}`,
      `a=in.(${'"x,'.repeat(big)})`,
      `a=eq(any).{${'"\\'.repeat(big)}`,
      `order=${'a->'.repeat(big)}`,
      `${'a.'.repeat(big)}b=eq.1`,
      `columns=${'"'.repeat(big)}`,
      `x=${'%'.repeat(big)}`,
    ];
    for (const query of hostile) {
      for (const path of ['/t', '/rpc/f']) {
        const start = performance.now();
        outcome({ method: 'GET', path, query, headers: { prefer: 'a,'.repeat(big), accept: 'x/y;q=0,'.repeat(1000), range: '1'.repeat(big) }, body: undefined });
        // a hang detector, not a benchmark: generous so a busy CI machine does not fail it
        expect(performance.now() - start, query.slice(0, 20)).toBeLessThan(10_000);
      }
    }
    const start = performance.now();
    outcome({ method: 'POST', path: '/t', query: '', headers: { 'content-type': 'text/csv' }, body: `a,b\n${'"x""y",1\n'.repeat(50_000)}` });
    expect(performance.now() - start).toBeLessThan(20_000);
  });
});
