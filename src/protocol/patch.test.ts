import { describe, expect, it } from 'vitest';
import { applyPatch, PatchError } from './patch.js';
import type { PatchOp, Row } from './live.js';

const rowsOf = (...keys: string[]) => new Map<string, Row>(keys.map((k) => [k, { k }]));

describe('applyPatch', () => {
  it('applies removes, then detaches moves, then places by ascending index, then updates', () => {
    const keys = ['a', 'b', 'c', 'd'];
    // deliberately out of order on the wire: the order of application is fixed by the op kind and index
    const ops: PatchOp[] = [
      { op: 'update', key: 'x', fields: { v: 1 } },
      { op: 'move', key: 'a', index: 3 },
      { op: 'insert', key: 'x', index: 0, row: { k: 'x' } },
      { op: 'update', key: 'a', fields: { k: 'A' } },
      { op: 'remove', key: 'b' },
    ];
    const out = applyPatch(keys, rowsOf(...keys), ops);
    expect(out.keys).toEqual(['x', 'c', 'd', 'a']);
    expect(out.rows.get('x')).toEqual({ k: 'x', v: 1 });
    expect(out.rows.get('a')).toEqual({ k: 'A' });
    expect(out.rows.has('b')).toBe(false);
  });

  it('is pure: inputs are untouched, unchanged rows are shared', () => {
    const keys = ['a', 'b'];
    const rows = rowsOf('a', 'b');
    const a = rows.get('a');
    const out = applyPatch(keys, rows, [
      { op: 'update', key: 'a', fields: { k: 'A' } },
      { op: 'move', key: 'b', index: 0 },
    ]);
    expect(keys).toEqual(['a', 'b']);
    expect(rows.get('a')).toEqual({ k: 'a' });
    expect(rows.get('a')).toBe(a);
    expect(out.rows.get('b')).toBe(rows.get('b'));
    expect(out.keys).toEqual(['b', 'a']);
  });

  it('allows a key to be removed and inserted again in one patch', () => {
    const out = applyPatch(['a'], rowsOf('a'), [
      { op: 'remove', key: 'a' },
      { op: 'insert', key: 'a', index: 0, row: { k: 'new' } },
    ]);
    expect(out.rows.get('a')).toEqual({ k: 'new' });
  });

  const bad: { name: string; keys: string[]; ops: PatchOp[]; message: RegExp }[] = [
    { name: 'remove of an unknown key', keys: ['a'], ops: [{ op: 'remove', key: 'z' }], message: /remove of unknown row z/ },
    { name: 'remove twice', keys: ['a'], ops: [{ op: 'remove', key: 'a' }, { op: 'remove', key: 'a' }], message: /remove of unknown row a/ },
    { name: 'move of an unknown key', keys: ['a'], ops: [{ op: 'move', key: 'z', index: 0 }], message: /move of unknown row z/ },
    { name: 'move of a removed key', keys: ['a', 'b'], ops: [{ op: 'remove', key: 'a' }, { op: 'move', key: 'a', index: 0 }], message: /move of unknown row a/ },
    { name: 'move twice', keys: ['a', 'b'], ops: [{ op: 'move', key: 'a', index: 1 }, { op: 'move', key: 'a', index: 0 }], message: /moved twice/ },
    { name: 'update of an unknown key', keys: ['a'], ops: [{ op: 'update', key: 'z', fields: {} }], message: /update of unknown row z/ },
    { name: 'update of a removed key', keys: ['a'], ops: [{ op: 'remove', key: 'a' }, { op: 'update', key: 'a', fields: {} }], message: /update of unknown row a/ },
    { name: 'insert of a present key', keys: ['a'], ops: [{ op: 'insert', key: 'a', index: 0, row: {} }], message: /already present/ },
    { name: 'insert of a moved key', keys: ['a', 'b'], ops: [{ op: 'move', key: 'a', index: 1 }, { op: 'insert', key: 'a', index: 0, row: {} }], message: /already present/ },
    { name: 'duplicate insert', keys: [], ops: [{ op: 'insert', key: 'x', index: 0, row: {} }, { op: 'insert', key: 'x', index: 1, row: {} }], message: /already present/ },
    { name: 'index past the end', keys: ['a'], ops: [{ op: 'insert', key: 'x', index: 2, row: {} }], message: /out of range/ },
    { name: 'move past the end', keys: ['a', 'b'], ops: [{ op: 'move', key: 'a', index: 2 }], message: /out of range/ },
    { name: 'two rows at one index', keys: [], ops: [{ op: 'insert', key: 'x', index: 0, row: {} }, { op: 'insert', key: 'y', index: 0, row: {} }], message: /two rows placed at index 0/ },
  ];
  for (const c of bad) {
    it(`throws PatchError on ${c.name}`, () => {
      const run = () => applyPatch(c.keys, rowsOf(...c.keys), c.ops);
      expect(run).toThrow(PatchError);
      expect(run).toThrow(c.message);
    });
  }

  it('names the offending op', () => {
    const op: PatchOp = { op: 'remove', key: 'z' };
    try {
      applyPatch([], new Map(), [op]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PatchError);
      expect((e as PatchError).op).toBe(op);
    }
  });

  it('refuses held state that is itself inconsistent', () => {
    expect(() => applyPatch(['a', 'a'], rowsOf('a'), [])).toThrow(/duplicates/);
    expect(() => applyPatch(['a'], new Map(), [])).toThrow(/no row held for key a/);
  });
});
