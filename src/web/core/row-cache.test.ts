import { describe, expect, it } from 'vitest';
import { PatchError } from '../../protocol/patch.js';
import { EMPTY_CACHE, FLASH_MS, GHOST_MS, applyOps, applySnapshot, beginMove, expire, flashOf, nextExpiry, rowView, windowRows } from './row-cache.js';

const row = (id: number, name = `n${id}`) => ({ id, name });
const key = (id: number) => `[${id}]`;

function snap(offset: number, ids: number[], total = 1000) {
  return applySnapshot(EMPTY_CACHE, offset, ids.map(key), ids.map((i) => row(i)), total);
}

describe('row cache', () => {
  it('maps absolute indices into the live window', () => {
    const c = snap(100, [1, 2, 3]);
    const v = rowView(c);
    expect(v.at(99)).toBeUndefined();
    expect(v.at(100)?.row).toEqual(row(1));
    expect(v.at(102)?.key).toBe('[3]');
    expect(v.at(103)).toBeUndefined();
    expect(v.indexOfKey('[2]')).toBe(101);
    expect(v.indexOfKey('[9]')).toBe(-1);
  });

  it('applies inserts, moves, removes and updates in protocol order', () => {
    const c = snap(0, [1, 2, 3]);
    const next = applyOps(c, [
      { op: 'remove', key: key(2) },
      { op: 'insert', key: key(9), index: 0, row: row(9) },
      { op: 'move', key: key(1), index: 2 },
      { op: 'update', key: key(1), fields: { name: 'renamed' } },
    ], 1001, 0);
    expect(next.live!.keys).toEqual(['[9]', '[3]', '[1]']);
    expect(next.live!.rows.get('[1]')).toEqual({ id: 1, name: 'renamed' });
    expect(next.total).toBe(1001);
    // the input is untouched (pure)
    expect(c.live!.keys).toEqual(['[1]', '[2]', '[3]']);
    expect(c.live!.rows.get('[1]')).toEqual(row(1));
  });

  it('flashes updated fields and inserted rows until FLASH_MS has passed', () => {
    const c = applyOps(snap(0, [1, 2]), [{ op: 'update', key: key(1), fields: { name: 'x' } }, { op: 'insert', key: key(5), index: 2, row: row(5) }], 3, 1000);
    expect(flashOf(c, key(1), 'name', 1001)).toBe(true);
    expect(flashOf(c, key(1), 'id', 1001)).toBe(false);
    expect(flashOf(c, key(5), '*', 1001)).toBe(true);
    expect(flashOf(c, key(5), 'id', 1001)).toBe(false);
    expect(flashOf(c, key(2), 'name', 1001)).toBe(false);
    expect(nextExpiry(c)).toBe(1000 + FLASH_MS);
    const later = expire(c, 1000 + FLASH_MS);
    expect(flashOf(later, key(1), 'name', 1000)).toBe(false);
    expect(later.flashes.size).toBe(0);
    expect(expire(later, 99999)).toBe(later);
  });

  it('keeps a removed row as a fading ghost at its old place, then drops it', () => {
    const c = applyOps(snap(10, [1, 2, 3]), [{ op: 'remove', key: key(2) }], 2, 0);
    expect(windowRows(c).map((r) => [r.key, r.ghost])).toEqual([['[1]', false], ['[2]', true], ['[3]', false]]);
    expect(rowView(c).at(11)?.ghost).toBe(true);
    const gone = expire(c, GHOST_MS);
    expect(windowRows(gone).map((r) => r.key)).toEqual(['[1]', '[3]']);
  });

  it('a ghost whose row comes back is no longer a ghost', () => {
    const removed = applyOps(snap(0, [1, 2]), [{ op: 'remove', key: key(2) }], 1, 0);
    const back = applyOps(removed, [{ op: 'insert', key: key(2), index: 1, row: row(2, 'again') }], 2, 10);
    expect(windowRows(back).map((r) => [r.key, r.ghost])).toEqual([['[1]', false], ['[2]', false]]);
  });

  it('shows the previous window while a moved one loads, then replaces it', () => {
    const moving = beginMove(snap(0, [1, 2, 3]));
    expect(moving.live).toBeNull();
    const v = rowView(moving);
    expect(v.at(1)?.stale).toBe(true);
    expect(v.at(1)?.row).toEqual(row(2));
    const arrived = applySnapshot(moving, 50, [key(51)], [row(51)], 1000);
    expect(rowView(arrived).at(1)).toBeUndefined();
    expect(rowView(arrived).at(50)?.key).toBe('[51]');
  });

  it('refuses a patch that does not fit (the subscription resyncs)', () => {
    expect(() => applyOps(snap(0, [1]), [{ op: 'remove', key: key(7) }], 0, 0)).toThrow(PatchError);
    expect(applyOps(EMPTY_CACHE, [{ op: 'remove', key: key(7) }], 0, 0)).toBe(EMPTY_CACHE);
  });
});
