import { describe, expect, it } from 'vitest';
import { fieldsOf, hashRow, rowStateOf } from './rowstate.js';

describe('rowStateOf', () => {
  it('keeps keys in order and two hashes per field', () => {
    const s = rowStateOf(['[2]', '[1]'], [{ id: 2, v: 'b' }, { id: 1, v: 'a' }]);
    expect(s.keys).toEqual(['[2]', '[1]']);
    expect(s.fields).toEqual(['id', 'v']);
    expect(s.hashes).toHaveLength(8); // 2 rows × 2 fields × 2 hashes
    expect(s.index.get('[1]')).toBe(1);
    expect(Array.from(s.hashes.subarray(4, 8))).toEqual(Array.from(hashRow({ id: 1, v: 'a' }, ['id', 'v'])));
  });

  it('defaults the field list to the union in first-seen order', () => {
    expect(fieldsOf([{ a: 1 }, { b: 1, a: 2 }, { c: 3 }])).toEqual(['a', 'b', 'c']);
  });

  it('tells apart values that print alike, and absent from null', () => {
    const h = (v: unknown) => Array.from(hashRow(v === undefined ? {} : { f: v }, ['f']));
    const values = [undefined, null, 'null', 0, '0', 1, '1', true, 'true', [], {}, '', [1], ['1'], { a: 1 }, { a: '1' }];
    const seen = new Set(values.map((v) => h(v).join(',')));
    expect(seen.size).toBe(values.length);
    expect(h({ a: [1, 2] })).toEqual(h({ a: [1, 2] }));
  });

  it('has no collisions on a few thousand close strings', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) seen.add(Array.from(hashRow({ f: `row-${i}` }, ['f'])).join(','));
    expect(seen.size).toBe(5000);
  });

  it('refuses duplicate keys and mismatched lengths', () => {
    expect(() => rowStateOf(['a', 'a'], [{}, {}])).toThrow(/duplicate row key a/);
    expect(() => rowStateOf(['a'], [])).toThrow(/1 keys for 0 rows/);
  });
});
