/**
 * Column preferences in the web app: layering (shared with the server through
 * src/protocol/prefs.ts), editing one layer with a patch, and resolving the
 * columns a grid shows — order, visibility, labels, widths, pins, formats.
 */
import {
  EMPTY_PREFS,
  mergeLayers,
  mergePrefs,
  PREF_LAYERS,
  type ColumnPrefs,
  type PrefLayer,
  type PrefLayers,
  type PrefsResponse,
  type RelationPrefs,
} from '../../protocol/prefs.js';
import type { ColumnFormat } from './format.js';
import type { MetaColumn } from './meta.js';

export { EMPTY_PREFS, mergeLayers, mergePrefs, PREF_LAYERS };
export type { ColumnPrefs, PrefLayer, PrefLayers, PrefsResponse, RelationPrefs };

/** a change to one layer: a setting set to null is removed, a column set to null drops all its settings */
export type ColumnPatch = { [K in keyof ColumnPrefs]?: ColumnPrefs[K] | null };
export interface PrefsPatch {
  columns: Record<string, ColumnPatch | null>;
}

/**
 * The layer after `patch`, without empty column entries and without columns
 * the relation no longer has (`known`), so a dropped column never blocks a save.
 */
export function patchLayer(layer: RelationPrefs | null, patch: PrefsPatch, known?: readonly string[]): RelationPrefs {
  const columns: Record<string, ColumnPrefs> = { ...layer?.columns };
  for (const [name, p] of Object.entries(patch.columns)) {
    if (p === null) {
      delete columns[name];
      continue;
    }
    const next: Record<string, unknown> = { ...columns[name] };
    for (const [k, v] of Object.entries(p)) {
      if (v === null && k !== 'pinned') delete next[k];
      else if (v === null) next[k] = null;
      else if (v !== undefined) next[k] = v;
    }
    // pinned: null means "explicitly not pinned" (overrides a lower layer's pin)
    columns[name] = next as ColumnPrefs;
  }
  const allowed = known ? new Set(known) : null;
  for (const [name, c] of Object.entries(columns)) {
    if (Object.keys(c).length === 0 || (allowed && !allowed.has(name))) delete columns[name];
  }
  return { columns };
}

export interface ResolvedColumn {
  readonly name: string;
  readonly column: MetaColumn;
  /** the configured label, else the column name */
  readonly label: string;
  readonly visible: boolean;
  readonly width: number | undefined;
  readonly pinned: 'left' | 'right' | null;
  readonly format: ColumnFormat | undefined;
}

/**
 * The columns in display order: configured order first by value, the rest in
 * table order (their table position is their order when none is set).
 */
export function resolveColumns(columns: readonly MetaColumn[], prefs: RelationPrefs): ResolvedColumn[] {
  return columns
    .map((column, i) => ({ column, i, p: prefs.columns[column.name] ?? {} }))
    // on a tie an explicit order beats a table position
    .sort((a, b) => (a.p.order ?? a.i) - (b.p.order ?? b.i) || Number(a.p.order === undefined) - Number(b.p.order === undefined) || a.i - b.i)
    .map(({ column, p }) => ({
      name: column.name,
      column,
      label: p.label?.trim() ? p.label : column.name,
      visible: p.visible ?? !column.isTsvector,
      width: p.width,
      pinned: p.pinned ?? null,
      format: p.format,
    }));
}

/** a patch giving `names` the orders 0..n-1 (what the settings panel saves after a reorder) */
export function orderPatch(names: readonly string[]): PrefsPatch {
  return { columns: Object.fromEntries(names.map((n, i) => [n, { order: i }])) };
}

/** `names` with `name` moved by `delta` places (clamped) */
export function moveName(names: readonly string[], name: string, delta: number): string[] {
  const from = names.indexOf(name);
  if (from < 0) return [...names];
  const to = Math.max(0, Math.min(names.length - 1, from + delta));
  const next = [...names];
  next.splice(from, 1);
  next.splice(to, 0, name);
  return next;
}

/** which layer a setting of a column comes from (for "set by your admin" hints), nearest first */
export function settingSource(layers: PrefLayers, column: string, key: keyof ColumnPrefs): PrefLayer | null {
  for (const layer of [...PREF_LAYERS].reverse()) {
    if (layers[layer]?.columns[column]?.[key] !== undefined) return layer;
  }
  return null;
}

/**
 * The patch that turns what is shown (`merged`) into what the user arranged
 * (`draft`, `order`): only what changed, so saving for one layer never copies
 * another layer's settings into it. Clearing a setting a lower layer provides
 * writes an explicit neutral value (no pin, the column name, automatic format),
 * because a missing setting would let the lower layer show through.
 */
export function prefsDiff(
  merged: RelationPrefs,
  draft: Readonly<Record<string, ColumnPrefs>>,
  order: readonly string[],
  shownOrder: readonly string[],
): PrefsPatch {
  const columns: Record<string, ColumnPatch> = {};
  const put = (c: string, p: ColumnPatch) => (columns[c] = { ...columns[c], ...p });
  for (const c of shownOrder) {
    const before = merged.columns[c] ?? {};
    const after = draft[c] ?? {};
    for (const key of ['visible', 'width', 'pinned', 'label', 'format'] as const) {
      const a = before[key];
      const b = after[key];
      if (JSON.stringify(a) === JSON.stringify(b)) continue;
      if (b !== undefined) put(c, { [key]: b });
      else if (key === 'pinned') put(c, { pinned: null });
      else if (key === 'label') put(c, { label: c });
      else if (key === 'format') put(c, { format: { kind: 'auto' } });
      else if (key === 'visible') put(c, { visible: true });
      else put(c, { width: null });
    }
  }
  if (order.join('\u0000') !== shownOrder.join('\u0000')) {
    for (const [c, p] of Object.entries(orderPatch(order).columns)) put(c, p!);
  }
  return { columns };
}
