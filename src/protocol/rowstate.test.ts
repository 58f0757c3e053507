import { describe, expect, it } from 'vitest';
import type { Row } from './live.js';
import { fieldsOf, hashRow, rowStateFromTexts, rowStateOf } from './rowstate.js';

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

describe('rowStateFromTexts', () => {
  const rows: Row[] = [{ id: 1, v: 'a' }, { id: 2, v: 'b' }, { id: 3, v: 'c' }];
  const keys = (rs: Row[]) => rs.map((r) => `[${String(r['id'])}]`);
  const texts = (rs: Row[]) => rs.map((r) => JSON.stringify(r));
  const same = (a: ReturnType<typeof rowStateOf>, b: ReturnType<typeof rowStateOf>) => {
    expect(a.keys).toEqual(b.keys);
    expect(a.fields).toEqual(b.fields);
    expect([...a.index]).toEqual([...b.index]);
    expect(Array.from(a.hashes)).toEqual(Array.from(b.hashes));
  };

  it('equals rowStateOf, and parses only new and changed rows', () => {
    const prev = { state: rowStateOf(keys(rows), rows), texts: texts(rows) };
    // row 2 changed, row 3 left, row 4 arrived, row 1 moved down
    const next: Row[] = [{ id: 4, v: 'd' }, { id: 2, v: 'B' }, { id: 1, v: 'a' }];
    const parsed = new Map<number, Row>();
    same(rowStateFromTexts(keys(next), texts(next), prev, parsed), rowStateOf(keys(next), next));
    expect([...parsed.keys()].sort()).toEqual([0, 1]);
    expect(parsed.get(1)).toEqual({ id: 2, v: 'B' });
  });

  it('starts afresh when the fields changed or there is no previous state', () => {
    const prev = { state: rowStateOf(keys(rows), rows), texts: texts(rows) };
    const wider: Row[] = [{ id: 1, v: 'a', w: 0 }, { id: 2, v: 'b', w: 0 }];
    const parsed = new Map<number, Row>();
    const s = rowStateFromTexts(keys(wider), texts(wider), prev, parsed);
    same(s, rowStateOf(keys(wider), wider));
    expect(s.fields).toEqual(['id', 'v', 'w']);
    expect(parsed.size).toBe(2);
    same(rowStateFromTexts(keys(rows), texts(rows), null), rowStateOf(keys(rows), rows));
  });

  it('refuses duplicate keys and mismatched lengths', () => {
    expect(() => rowStateFromTexts(['a', 'a'], ['{}', '{}'], null)).toThrow(/duplicate row key a/);
    expect(() => rowStateFromTexts(['a'], [], null)).toThrow(/1 keys for 0 texts/);
  });
});
