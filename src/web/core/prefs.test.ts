import { describe, expect, it } from 'vitest';
import { mergeLayers, mergePrefs, moveName, orderPatch, patchLayer, resolveColumns, settingSource } from './prefs.js';
import type { MetaColumn } from './meta.js';

const col = (name: string, over: Partial<MetaColumn> = {}): MetaColumn => ({
  name, type: 'text', baseTypeName: 'text', category: 'S', arrayDims: 0, enumLabels: null, domain: null, nullable: true,
  default: null, identity: null, generated: false, maxLength: null, precision: null, scale: null, comment: null, checks: [],
  isTsvector: false, ...over,
});

describe('layering', () => {
  it('nearest layer wins per column and per setting', () => {
    const merged = mergeLayers({
      global: { columns: { a: { width: 100, label: 'A', format: { kind: 'currency', currency: 'EUR' } }, b: { visible: false } } },
      role: { columns: { a: { width: 150 } } },
      user: { columns: { a: { label: 'Mine' }, c: { pinned: 'left' } } },
    });
    expect(merged.columns).toEqual({
      a: { width: 150, label: 'Mine', format: { kind: 'currency', currency: 'EUR' } },
      b: { visible: false },
      c: { pinned: 'left' },
    });
  });

  it('a format is one setting: a nearer format replaces the whole format', () => {
    const merged = mergePrefs(
      { columns: { a: { format: { kind: 'currency', currency: 'EUR', decimals: 0 } } } },
      { columns: { a: { format: { kind: 'number' } } } },
    );
    expect(merged.columns.a).toEqual({ format: { kind: 'number' } });
  });

  it('missing layers are skipped; an explicit unpin overrides a lower pin', () => {
    expect(mergeLayers({ global: null, role: null, user: null })).toEqual({ columns: {} });
    expect(mergePrefs({ columns: { a: { pinned: 'left' } } }, { columns: { a: { pinned: null } } }).columns.a).toEqual({ pinned: null });
  });

  it('does not mutate its inputs', () => {
    const g = { columns: { a: { width: 100 } } };
    mergePrefs(g, { columns: { a: { width: 200 } } });
    expect(g.columns.a.width).toBe(100);
  });

  it('says which layer a setting comes from', () => {
    const layers = { global: { columns: { a: { width: 1 } } }, role: null, user: { columns: { a: { label: 'x' } } } };
    expect(settingSource(layers, 'a', 'width')).toBe('global');
    expect(settingSource(layers, 'a', 'label')).toBe('user');
    expect(settingSource(layers, 'a', 'visible')).toBeNull();
  });
});

describe('patching one layer', () => {
  it('sets, removes settings and columns, drops empty entries and unknown columns', () => {
    const layer = { columns: { a: { width: 100, label: 'A' }, b: { visible: false }, gone: { width: 50 } } };
    const next = patchLayer(layer, { columns: { a: { label: null, width: 120 }, b: null, c: { pinned: 'right' }, d: { label: null } } }, ['a', 'b', 'c', 'd']);
    expect(next).toEqual({ columns: { a: { width: 120 }, c: { pinned: 'right' } } });
    expect(layer.columns.a).toEqual({ width: 100, label: 'A' });
  });

  it('starts from nothing', () => {
    expect(patchLayer(null, { columns: { a: { visible: false } } })).toEqual({ columns: { a: { visible: false } } });
  });
});

describe('resolving the displayed columns', () => {
  const columns = [col('id'), col('name'), col('email'), col('search', { isTsvector: true })];

  it('orders by configured order, then table order; applies labels, visibility, pins', () => {
    const r = resolveColumns(columns, { columns: { email: { order: 0, label: 'E-mail' }, name: { visible: false, pinned: 'left', width: 200 } } });
    expect(r.map((c) => c.name)).toEqual(['email', 'id', 'name', 'search']);
    expect(r[0]).toMatchObject({ label: 'E-mail', visible: true });
    expect(r[2]).toMatchObject({ label: 'name', visible: false, pinned: 'left', width: 200 });
    // tsvector columns are hidden unless asked for
    expect(r[3]!.visible).toBe(false);
  });

  it('reorders with up/down and saves orders 0..n-1', () => {
    expect(moveName(['a', 'b', 'c'], 'c', -1)).toEqual(['a', 'c', 'b']);
    expect(moveName(['a', 'b', 'c'], 'a', -1)).toEqual(['a', 'b', 'c']);
    expect(moveName(['a', 'b', 'c'], 'a', 5)).toEqual(['b', 'c', 'a']);
    expect(orderPatch(['b', 'a'])).toEqual({ columns: { b: { order: 0 }, a: { order: 1 } } });
  });
});

describe('the settings panel diff', () => {
  it('patches only what changed, with neutral values where a lower layer would show through', async () => {
    const { prefsDiff } = await import('./prefs.js');
    const merged = { columns: { a: { label: 'A', width: 100, pinned: 'left' as const, format: { kind: 'number' as const } }, b: { visible: false } } };
    const draft = { a: { width: 100 }, b: { visible: false, label: 'Bee' } };
    expect(prefsDiff(merged, draft, ['a', 'b'], ['a', 'b'])).toEqual({
      columns: { a: { label: 'a', pinned: null, format: { kind: 'auto' } }, b: { label: 'Bee' } },
    });
    expect(prefsDiff(merged, merged.columns, ['b', 'a'], ['a', 'b'])).toEqual({ columns: { b: { order: 0 }, a: { order: 1 } } });
    expect(prefsDiff(merged, merged.columns, ['a', 'b'], ['a', 'b'])).toEqual({ columns: {} });
  });
});
