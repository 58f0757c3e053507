import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeChange } from './decode.js';

describe('decodeChange', () => {
  it.each([
    ['{"r":16384,"o":"I","x":"731","k":[[1],[2]]}', { relOid: 16384, op: 'insert', txid: '731', keys: [[1], [2]], images: null, changed: null }],
    ['{"r":16384,"o":"U","x":"732","k":[[7,"a \\"b\\""]]}', { relOid: 16384, op: 'update', txid: '732', keys: [[7, 'a "b"']], images: null, changed: null }],
    ['{"r":16384,"o":"D","x":"733","k":[[null]]}', { relOid: 16384, op: 'delete', txid: '733', keys: [[null]], images: null, changed: null }],
    ['{"r":16384,"o":"I","x":"734"}', { relOid: 16384, op: 'insert', txid: '734', keys: null, images: null, changed: null }],
    ['{"r":16384,"o":"T","x":"735"}', { relOid: 16384, op: 'truncate', txid: '735', keys: null, images: null, changed: null }],
    ['{"r":4294967295,"o":"R","x":"18446744073709551615"}', { relOid: 4294967295, op: 'refresh', txid: '18446744073709551615', keys: null, images: null, changed: null }],
    // keys are whatever to_json renders: objects, arrays, strings of timestamps
    ['{"r":1,"o":"I","x":"1","k":[[{"a":1},[1,2],"2024-01-01T00:00:00+00:00"]]}', { relOid: 1, op: 'insert', txid: '1', keys: [[{ a: 1 }, [1, 2], '2024-01-01T00:00:00+00:00']], images: null, changed: null }],
  ])('%s', (payload, expected) => {
    expect(decodeChange(payload)).toEqual(expected);
  });

  it.each([
    ['empty', ''],
    ['not JSON', 'reload schema'],
    ['truncated', '{"r":1,"o":"I","x":"1","k":[[1]'],
    ['an array', '[1,"I","1"]'],
    ['null', 'null'],
    ['no table', '{"o":"I","x":"1"}'],
    ['table as string', '{"r":"1","o":"I","x":"1"}'],
    ['table not an integer', '{"r":1.5,"o":"I","x":"1"}'],
    ['table zero', '{"r":0,"o":"I","x":"1"}'],
    ['table beyond oid range', '{"r":4294967296,"o":"I","x":"1"}'],
    ['unknown op', '{"r":1,"o":"X","x":"1"}'],
    ['op from the prototype', '{"r":1,"o":"toString","x":"1"}'],
    ['txid as number', '{"r":1,"o":"I","x":1}'],
    ['txid not digits', '{"r":1,"o":"I","x":"1a"}'],
    ['keys not an array', '{"r":1,"o":"I","x":"1","k":{"0":[1]}}'],
    ['empty keys', '{"r":1,"o":"I","x":"1","k":[]}'],
    ['a key not an array', '{"r":1,"o":"I","x":"1","k":[1]}'],
    ['an empty key', '{"r":1,"o":"I","x":"1","k":[[]]}'],
    ['images without a key id', '{"r":1,"o":"I","x":"1","k":[[1]],"h":["00112233"]}'],
    ['a key id without images', '{"r":1,"o":"I","x":"1","k":[[1]],"s":"00112233"}'],
    ['no images', '{"r":1,"o":"I","x":"1","k":[[1]],"s":"00112233","h":[]}'],
    ['an image of a partial token', '{"r":1,"o":"I","x":"1","k":[[1]],"s":"00112233","h":["0011223"]}'],
    ['an image not hex', '{"r":1,"o":"I","x":"1","k":[[1]],"s":"00112233","h":["0011223g"]}'],
    ['an empty image', '{"r":1,"o":"I","x":"1","k":[[1]],"s":"00112233","h":[""]}'],
    ['changed columns on an insert', '{"r":1,"o":"I","x":"1","k":[[1]],"c":["a"]}'],
    ['changed columns not strings', '{"r":1,"o":"U","x":"1","k":[[1]],"c":[1]}'],
    ['a short key id', '{"r":1,"o":"I","x":"1","k":[[1]],"s":"0011","h":["00112233"]}'],
  ])('%s → null', (_name, payload) => {
    expect(decodeChange(payload)).toBeNull();
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify(v))), (payload) => {
        decodeChange(payload);
      }),
    );
  });

  it('reads back what the trigger writes', () => {
    const op = fc.constantFrom(['I', 'insert'], ['U', 'update'], ['D', 'delete']);
    const key = fc.array(fc.oneof(fc.integer(), fc.string()), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 32 - 1 }), op, fc.bigInt({ min: 0n, max: 2n ** 63n }), fc.array(key, { minLength: 1 }), (r, [o, name], x, k) => {
        const payload = `{"r":${r},"o":"${o}","x":"${x}","k":${JSON.stringify(k)}}`;
        expect(decodeChange(payload)).toEqual({ relOid: r, op: name, txid: String(x), keys: k, images: null, changed: null });
      }),
    );
  });
});
