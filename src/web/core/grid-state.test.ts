import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  FILTER_OPS,
  gridSearch,
  INITIAL_GRID_STATE,
  gridReducer,
  gridStateFromParams,
  gridStateToParams,
  mergeGridParams,
  missingColumns,
  type Filter,
  type FilterOp,
  type GridState,
} from './grid-state.js';

const s0 = INITIAL_GRID_STATE;
const run = (state: GridState, ...actions: Parameters<typeof gridReducer>[1][]) => actions.reduce(gridReducer, state);

describe('sort', () => {
  it('cycles a column asc → desc → none on plain clicks', () => {
    const a = run(s0, { type: 'toggleSort', column: 'name', multi: false });
    expect(a.sort).toEqual([{ column: 'name', dir: 'asc' }]);
    const b = gridReducer(a, { type: 'toggleSort', column: 'name', multi: false });
    expect(b.sort).toEqual([{ column: 'name', dir: 'desc' }]);
    expect(gridReducer(b, { type: 'toggleSort', column: 'name', multi: false }).sort).toEqual([]);
  });

  it('a plain click on another column replaces the sort', () => {
    const s = run(s0, { type: 'toggleSort', column: 'a', multi: false }, { type: 'toggleSort', column: 'b', multi: true }, { type: 'toggleSort', column: 'c', multi: false });
    expect(s.sort).toEqual([{ column: 'c', dir: 'asc' }]);
  });

  it('shift-click adds keys in order, flips in place and removes', () => {
    let s = run(s0, { type: 'toggleSort', column: 'a', multi: false }, { type: 'toggleSort', column: 'b', multi: true }, { type: 'toggleSort', column: 'c', multi: true });
    expect(s.sort.map((k) => k.column)).toEqual(['a', 'b', 'c']);
    s = gridReducer(s, { type: 'toggleSort', column: 'b', multi: true });
    expect(s.sort).toEqual([{ column: 'a', dir: 'asc' }, { column: 'b', dir: 'desc' }, { column: 'c', dir: 'asc' }]);
    s = gridReducer(s, { type: 'toggleSort', column: 'b', multi: true });
    expect(s.sort.map((k) => k.column)).toEqual(['a', 'c']);
  });

  it('a new sort scrolls back to the top', () => {
    const s = run(s0, { type: 'scroll', at: 500 }, { type: 'toggleSort', column: 'a', multi: false });
    expect(s.at).toBe(0);
  });
});

describe('filters and search', () => {
  const f1: Filter = { column: 'status', op: 'in', args: ['open', 'paid'] };
  const f2: Filter = { column: 'total', op: 'between', args: ['10', '20'] };

  it('adds, updates and removes filters by index', () => {
    let s = run(s0, { type: 'addFilter', filter: f1 }, { type: 'addFilter', filter: f2 });
    expect(s.filters).toEqual([f1, f2]);
    s = gridReducer(s, { type: 'updateFilter', index: 1, filter: { ...f2, args: ['1', '2'] } });
    expect(s.filters[1]!.args).toEqual(['1', '2']);
    s = gridReducer(s, { type: 'removeFilter', index: 0 });
    expect(s.filters).toEqual([{ ...f2, args: ['1', '2'] }]);
    expect(gridReducer(s, { type: 'removeFilter', index: 7 })).toBe(s);
  });

  it('clearFilters drops filters and the search; unchanged state stays the same object', () => {
    const s = run(s0, { type: 'addFilter', filter: f1 }, { type: 'search', text: 'x' }, { type: 'clearFilters' });
    expect(s.filters).toEqual([]);
    expect(s.search).toBe('');
    expect(gridReducer(s, { type: 'clearFilters' })).toBe(s);
    expect(gridReducer(s, { type: 'search', text: '' })).toBe(s);
  });

  it('setFilters replaces the draft at once, and is a no-op when nothing changed', () => {
    const s = run(s0, { type: 'scroll', at: 9 }, { type: 'setFilters', filters: [f1, f2], join: 'or' });
    expect(s).toMatchObject({ filters: [f1, f2], join: 'or', at: 0 });
    expect(gridReducer(s, { type: 'setFilters', filters: [{ ...f1 }, { ...f2 }], join: 'or' })).toBe(s);
  });

  it('retainColumns forgets columns that no longer exist', () => {
    const s = run(s0, { type: 'addFilter', filter: f1 }, { type: 'addFilter', filter: f2 }, { type: 'toggleSort', column: 'gone', multi: false }, { type: 'toggleSort', column: 'total', multi: true });
    const r = gridReducer(s, { type: 'retainColumns', columns: ['total', 'id'] });
    expect(r.filters).toEqual([f2]);
    expect(r.sort).toEqual([{ column: 'total', dir: 'asc' }]);
    expect(gridReducer(r, { type: 'retainColumns', columns: ['total', 'id'] })).toBe(r);
  });

  it('missingColumns names each sorted or filtered column the relation lacks, once, in order', () => {
    const s = run(s0, { type: 'addFilter', filter: f1 }, { type: 'addFilter', filter: f2 }, { type: 'toggleSort', column: 'gone', multi: false }, { type: 'toggleSort', column: f1.column, multi: true });
    expect(missingColumns(s, ['total', 'id'])).toEqual(['gone', 'status']);
    expect(missingColumns(s, ['gone', f1.column, f2.column])).toEqual([]);
    expect(missingColumns(s0, [])).toEqual([]);
  });

  it('scroll keeps filters and clamps at 0', () => {
    const s = run(s0, { type: 'addFilter', filter: f1 }, { type: 'scroll', at: -5 });
    expect(s.at).toBe(0);
    expect(gridReducer(s, { type: 'scroll', at: 41.7 }).at).toBe(41);
  });
});

describe('URL', () => {
  it('writes a readable URL', () => {
    const s: GridState = {
      sort: [{ column: 'created_at', dir: 'desc' }, { column: 'name', dir: 'asc' }],
      filters: [{ column: 'status', op: 'in', args: ['open', 'paid'] }, { column: 'note', op: 'isNull', args: [] }],
      join: 'or',
      search: 'copper',
      at: 120,
    };
    expect(gridStateToParams(s).toString()).toBe('sort=created_at.desc%7Ename.asc&f=status%7Ein%7Eopen%7Epaid&f=note%7EisNull&join=or&q=copper&at=120');
    expect(gridStateToParams(s0).toString()).toBe('');
  });

  it('round-trips awkward names and values (dots, tildes, percent signs, unicode)', () => {
    const s: GridState = {
      sort: [{ column: 'a.b~c', dir: 'desc' }],
      filters: [{ column: 'x~y', op: 'contains', args: ['50% ~off~ %7E'] }, { column: 'j', op: 'jsonKey', args: ['k.e~y', ''] }],
      join: 'and',
      search: 'ünï ~ code',
      at: 0,
    };
    expect(gridStateFromParams(new URLSearchParams(gridStateToParams(s).toString()))).toEqual(s);
  });

  it('round-trips any state (property)', () => {
    const ops = Object.keys(FILTER_OPS) as FilterOp[];
    const text = fc.string({ maxLength: 12 });
    const filter = fc.constantFrom(...ops).chain((op) => {
      const n: number = FILTER_OPS[op];
      return fc.record({
        column: fc.string({ minLength: 1, maxLength: 10 }),
        op: fc.constant(op),
        args: n >= 0 ? fc.array(text, { minLength: n, maxLength: n }) : fc.array(text, { maxLength: 4 }),
      });
    });
    const state = fc.record({
      sort: fc.uniqueArray(fc.record({ column: fc.string({ minLength: 1, maxLength: 10 }), dir: fc.constantFrom('asc' as const, 'desc' as const) }), { selector: (k) => k.column, maxLength: 3 }),
      filters: fc.array(filter, { maxLength: 4 }),
      join: fc.constantFrom('and' as const, 'or' as const),
      search: text,
      at: fc.nat({ max: 1e7 }),
    });
    fc.assert(fc.property(state, (s) => {
      expect(gridStateFromParams(new URLSearchParams(gridStateToParams(s).toString()))).toEqual(s);
    }), { numRuns: 300 });
  });

  it('skips what makes no sense in a hand-edited link', () => {
    const s = gridStateFromParams(new URLSearchParams('sort=a.sideways~b~b.desc&f=x~nope~1&f=y~between~1&f=z~isNull&join=xor&at=-3'));
    expect(s.sort).toEqual([{ column: 'b', dir: 'asc' }]); // a bad direction drops the key; a repeated column counts once
    expect(s.filters).toEqual([{ column: 'z', op: 'isNull', args: [] }]);
    expect(s.join).toBe('and');
    expect(s.at).toBe(0);
  });

  it('writes ~ and , readably in the address bar, and reads it back', () => {
    const s: GridState = { ...s0, sort: [{ column: 'a', dir: 'desc' }, { column: 'b', dir: 'asc' }], filters: [{ column: 'x~y', op: 'in', args: ['p,q', 'r'] }] };
    const search = gridSearch(new URLSearchParams('tab=1'), s);
    expect(search).toBe('?tab=1&sort=a.desc~b.asc&f=x%257Ey~in~p,q~r');
    expect(gridStateFromParams(new URLSearchParams(search))).toEqual(s);
    expect(gridSearch(new URLSearchParams(), s0)).toBe('');
  });

  it('mergeGridParams keeps parameters that are not the grid’s', () => {
    const merged = mergeGridParams(new URLSearchParams('tab=2&q=old&f=a~isNull'), { ...s0, search: 'new' });
    expect(merged.toString()).toBe('tab=2&q=new');
  });
});
