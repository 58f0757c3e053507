import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { diffStates } from './diff.js';
import { longestIncreasingSubsequence } from './lis.js';
import { applyPatch } from './patch.js';
import { fieldsOf, rowStateFromTexts, rowStateOf } from './rowstate.js';
import { PatchOp, type Row } from './live.js';

type Table = [key: string, row: Row][];

/** both tables' rows have the fields of their first rows (one SELECT gives every row the same fields) */
function diff(a: Table, b: Table): PatchOp[] {
  const fields = fieldsOf([...a, ...b].map(([, r]) => r));
  const ops = diffStates(
    rowStateOf(a.map(([k]) => k), a.map(([, r]) => r), fields),
    rowStateOf(b.map(([k]) => k), b.map(([, r]) => r), fields),
  );
  return PatchOp.array().parse(ops); // every op is a valid wire op
}

function apply(a: Table, ops: PatchOp[]): Table {
  const out = applyPatch(a.map(([k]) => k), new Map(a), ops);
  expect(out.rows.size).toBe(out.keys.length);
  return out.keys.map((k) => [k, out.rows.get(k)!]);
}

/** rows whose only field is their key, so only order and membership differ */
const t = (...keys: string[]): Table => keys.map((k) => [k, { k }]);

describe('diffStates', () => {
  const cases: { name: string; a: Table; b: Table; ops: PatchOp[] }[] = [
    { name: 'empty → empty', a: [], b: [], ops: [] },
    { name: 'unchanged', a: t('a', 'b'), b: t('a', 'b'), ops: [] },
    {
      name: 'empty → rows',
      a: [],
      b: t('a', 'b'),
      ops: [
        { op: 'insert', key: 'a', index: 0, row: { k: 'a' } },
        { op: 'insert', key: 'b', index: 1, row: { k: 'b' } },
      ],
    },
    { name: 'rows → empty', a: t('a', 'b'), b: [], ops: [{ op: 'remove', key: 'a' }, { op: 'remove', key: 'b' }] },
    { name: 'insert at front', a: t('b', 'c'), b: t('a', 'b', 'c'), ops: [{ op: 'insert', key: 'a', index: 0, row: { k: 'a' } }] },
    { name: 'insert in the middle', a: t('a', 'c'), b: t('a', 'b', 'c'), ops: [{ op: 'insert', key: 'b', index: 1, row: { k: 'b' } }] },
    { name: 'insert at end', a: t('a', 'b'), b: t('a', 'b', 'c'), ops: [{ op: 'insert', key: 'c', index: 2, row: { k: 'c' } }] },
    { name: 'remove', a: t('a', 'b', 'c'), b: t('a', 'c'), ops: [{ op: 'remove', key: 'b' }] },
    { name: 'swap', a: t('a', 'b'), b: t('b', 'a'), ops: [{ op: 'move', key: 'b', index: 0 }] },
    {
      name: 'reverse',
      a: t('a', 'b', 'c', 'd'),
      b: t('d', 'c', 'b', 'a'),
      ops: [
        { op: 'move', key: 'd', index: 0 },
        { op: 'move', key: 'c', index: 1 },
        { op: 'move', key: 'b', index: 2 },
      ],
    },
    { name: 'rotate left', a: t('a', 'b', 'c', 'd'), b: t('b', 'c', 'd', 'a'), ops: [{ op: 'move', key: 'a', index: 3 }] },
    { name: 'rotate right', a: t('a', 'b', 'c', 'd'), b: t('d', 'a', 'b', 'c'), ops: [{ op: 'move', key: 'd', index: 0 }] },
    {
      name: 'update sends only the changed fields',
      a: [['1', { id: 1, name: 'x', n: 1, tags: ['a'] }]],
      b: [['1', { id: 1, name: 'x', n: 2, tags: ['a', 'b'] }]],
      ops: [{ op: 'update', key: '1', fields: { n: 2, tags: ['a', 'b'] } }],
    },
    {
      name: 'null ≠ missing ≠ "null"',
      a: [['1', { v: null }], ['2', { v: 'null' }]],
      b: [['1', { v: 'null' }], ['2', { v: null }]],
      ops: [
        { op: 'update', key: '1', fields: { v: 'null' } },
        { op: 'update', key: '2', fields: { v: null } },
      ],
    },
    {
      name: 'primary key change = remove + insert',
      a: [['[1]', { id: 1, v: 'a' }], ['[2]', { id: 2, v: 'b' }]],
      b: [['[3]', { id: 3, v: 'a' }], ['[2]', { id: 2, v: 'b' }]],
      ops: [
        { op: 'remove', key: '[1]' },
        { op: 'insert', key: '[3]', index: 0, row: { id: 3, v: 'a' } },
      ],
    },
    {
      name: 'moved and updated row',
      a: [['a', { v: 1 }], ['b', { v: 1 }], ['c', { v: 1 }]],
      b: [['b', { v: 1 }], ['c', { v: 1 }], ['a', { v: 2 }]],
      ops: [
        { op: 'move', key: 'a', index: 2 },
        { op: 'update', key: 'a', fields: { v: 2 } },
      ],
    },
    {
      name: 'a new field is sent, unchanged ones are not',
      a: [['1', { id: 1, v: 1 }]],
      b: [['1', { id: 1, w: 0, v: 1 }]],
      ops: [{ op: 'update', key: '1', fields: { w: 0 } }],
    },
    {
      name: 'everything at once',
      a: t('a', 'b', 'c', 'd', 'e'),
      b: [['e', { k: 'e' }], ['b', { k: 'B' }], ['x', { k: 'x' }], ['c', { k: 'c' }], ['a', { k: 'a' }]],
      ops: [
        { op: 'remove', key: 'd' },
        { op: 'move', key: 'e', index: 0 },
        { op: 'insert', key: 'x', index: 2, row: { k: 'x' } },
        { op: 'move', key: 'a', index: 4 },
        { op: 'update', key: 'b', fields: { k: 'B' } },
      ],
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const ops = diff(c.a, c.b);
      expect(ops).toEqual(c.ops);
      expect(apply(c.a, ops)).toEqual(c.b);
    });
  }

  it('refuses states with different fields (the engine sends a snapshot instead)', () => {
    const held = rowStateOf(['1'], [{ a: 1, b: 2 }], ['a', 'b']);
    const next = rowStateOf(['1'], [{ a: 1, b: 3 }], ['b', 'a']);
    expect(() => diffStates(held, next)).toThrow(/different fields/);
  });

  it('compares values, not texts: a row rendered differently but equal is not updated', () => {
    const held = rowStateFromTexts(['1'], ['{"a":1.50,"b":[1, 2]}'], null);
    const next = rowStateFromTexts(['1'], ['{"a":1.5,"b":[1,2]}'], held);
    expect(diffStates(held, next)).toEqual([]);
    const changed = rowStateFromTexts(['1'], ['{"a":1.5,"b":[2,1]}'], next);
    expect(diffStates(next, changed)).toEqual([{ op: 'update', key: '1', fields: { b: [2, 1] } }]);
  });
});

/** O(n²) oracle for the LIS length */
function lisLength(seq: readonly number[]): number {
  const best = seq.map(() => 1);
  for (let i = 0; i < seq.length; i++)
    for (let j = 0; j < i; j++) if (seq[j]! < seq[i]!) best[i] = Math.max(best[i]!, best[j]! + 1);
  return Math.max(0, ...best);
}

describe('longestIncreasingSubsequence', () => {
  it('returns a strictly increasing subsequence of maximal length', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 40 }), (seq) => {
        const idx = longestIncreasingSubsequence(seq);
        expect(idx.length).toBe(lisLength(seq));
        for (let i = 1; i < idx.length; i++) {
          expect(idx[i]!).toBeGreaterThan(idx[i - 1]!);
          expect(seq[idx[i]!]!).toBeGreaterThan(seq[idx[i - 1]!]!);
        }
      }),
    );
  });
});

describe('diffStates ∘ applyPatch (property)', () => {
  // a small key space and few values, so keys overlap and fields often stay equal
  const row = fc.record({
    n: fc.integer({ min: 0, max: 2 }),
    s: fc.constantFrom('x', 'y', null),
    j: fc.constantFrom<unknown>({ a: 1 }, { a: 2 }, [1, 2], null),
  });
  const table = fc
    .uniqueArray(fc.integer({ min: 0, max: 14 }), { maxLength: 14 })
    .chain((ids) => fc.tuple(...ids.map((id) => row.map((r): [string, Row] => [`[${id}]`, r]))))
    .map((entries): Table => entries);

  it('turns A into B exactly, with the minimum number of moves and no no-op updates', () => {
    fc.assert(
      fc.property(table, table, (a, b) => {
        const ops = diff(a, b);
        expect(apply(a, ops)).toEqual(b);

        const heldPos = new Map(a.map(([k], i) => [k, i]));
        const kept = b.filter(([k]) => heldPos.has(k)).map(([k]) => heldPos.get(k)!);
        const count = (kind: PatchOp['op']) => ops.filter((op) => op.op === kind).length;
        expect(count('move')).toBe(kept.length - lisLength(kept));
        expect(count('remove')).toBe(a.length - kept.length);
        expect(count('insert')).toBe(b.length - kept.length);

        const held = new Map(a);
        for (const op of ops) {
          if (op.op !== 'update') continue;
          expect(Object.keys(op.fields).length).toBeGreaterThan(0);
          for (const [name, value] of Object.entries(op.fields))
            expect(JSON.stringify(value)).not.toBe(JSON.stringify(held.get(op.key)![name]));
        }
      }),
      { numRuns: 500 },
    );
  });
});
