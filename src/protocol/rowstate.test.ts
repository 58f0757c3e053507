import { describe, expect, it } from 'vitest';
import type { Row } from './live.js';
import { fieldsOf, rowAt, rowStateFromTexts, rowStateOf } from './rowstate.js';

describe('rowStateOf', () => {
  it('keeps keys in order, the fields once, values per row and two hashes per row', () => {
    const s = rowStateOf(['[2]', '[1]'], [{ id: 2, v: 'b' }, { id: 1, v: 'a' }]);
    expect(s.keys).toEqual(['[2]', '[1]']);
    expect(s.fields).toEqual(['id', 'v']);
    expect(s.values).toEqual(['[2,"b"]', '[1,"a"]']);
    expect(s.hashes).toHaveLength(4);
    expect(s.index.get('[1]')).toBe(1);
    expect(rowAt(s, 1)).toEqual({ id: 1, v: 'a' });
  });

  it('defaults the field list to the union in first-seen order', () => {
    expect(fieldsOf([{ a: 1 }, { b: 1, a: 2 }, { c: 3 }])).toEqual(['a', 'b', 'c']);
  });

  it('gives different rows different fingerprints, equal rows equal ones', () => {
    const fp = (row: Row) => Array.from(rowStateOf(['k'], [row]).hashes).join(',');
    const values = [null, 'null', 0, '0', 1, '1', true, 'true', [], {}, '', [1], ['1'], { a: 1 }, { a: '1' }];
    expect(new Set(values.map((v) => fp({ f: v }))).size).toBe(values.length);
    expect(fp({ f: { a: [1, 2] } })).toBe(fp({ f: { a: [1, 2] } }));
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) seen.add(fp({ f: `row-${i}` }));
    expect(seen.size).toBe(5000);
  });

  it('refuses duplicate keys and mismatched lengths', () => {
    expect(() => rowStateOf(['a', 'a'], [{}, {}])).toThrow(/duplicate row key a/);
    expect(() => rowStateOf(['a'], [])).toThrow(/1 keys for 0 rows/);
  });
});

describe('rowStateFromTexts', () => {
  const rows: Row[] = [{ id: 1, v: 'a' }, { id: 2, v: 'b' }, { id: 3, v: 'c' }];
  const keys = (rs: Row[]) => rs.map((r) => `[${String(r['id'])}]`);
  const texts = (rs: Row[]) => rs.map((r) => JSON.stringify(r));

  it('holds what rowStateOf holds, and reuses the values of unchanged rows', () => {
    const prev = rowStateFromTexts(keys(rows), texts(rows), null);
    expect(prev.values).toEqual(rowStateOf(keys(rows), rows).values);
    // row 2 changed, row 3 left, row 4 arrived, row 1 moved down
    const next: Row[] = [{ id: 4, v: 'd' }, { id: 2, v: 'B' }, { id: 1, v: 'a' }];
    const s = rowStateFromTexts(keys(next), texts(next), prev);
    expect(s.keys).toEqual(['[4]', '[2]', '[1]']);
    expect(s.fields).toBe(prev.fields);
    expect(s.values).toEqual(['[4,"d"]', '[2,"B"]', '[1,"a"]']);
    expect(s.values[2]).toBe(prev.values[0]); // the same string: not parsed again
    expect([0, 1, 2].map((i) => rowAt(s, i))).toEqual(next);
  });

  it('starts afresh when the fields changed', () => {
    const prev = rowStateFromTexts(keys(rows), texts(rows), null);
    const wider: Row[] = [{ id: 1, v: 'a', w: 0 }, { id: 2, v: 'b', w: 0 }];
    const s = rowStateFromTexts(keys(wider), texts(wider), prev);
    expect(s.fields).toEqual(['id', 'v', 'w']);
    expect(s.values).toEqual(['[1,"a",0]', '[2,"b",0]']);
  });

  it('refuses duplicate keys and mismatched lengths', () => {
    expect(() => rowStateFromTexts(['a', 'a'], ['{}', '{}'], null)).toThrow(/duplicate row key a/);
    expect(() => rowStateFromTexts(['a'], [], null)).toThrow(/1 keys for 0 texts/);
  });
});
