/**
 * The rows the grid shows: the live window (offset + ordered keys + rows)
 * kept current by the subscription's patches (applyPatch from the protocol),
 * plus what makes changes visible — cells that just changed flash, rows just
 * inserted glow, rows just removed linger briefly as fading ghosts — and the
 * previous window's rows, shown while a moved window loads. Pure values.
 */
import { applyPatch } from '../../protocol/patch.js';
import type { PatchOp, Row } from '../../protocol/live.js';

/** how long a change stays highlighted */
export const FLASH_MS = 1600;
/** how long a removed row stays visible, fading */
export const GHOST_MS = 900;

export interface Ghost {
  readonly key: string;
  readonly row: Row;
  /** position in the window when it was removed */
  readonly index: number;
  readonly until: number;
}

export interface Slice {
  readonly offset: number;
  readonly keys: readonly string[];
  readonly rows: ReadonlyMap<string, Row>;
}

export interface RowCache {
  /** the live window; null before the first snapshot */
  readonly live: Slice | null;
  /** a window being replaced: shown where the live one has no rows yet */
  readonly stale: Slice | null;
  readonly total: number | null;
  /** key → field → flash end time; the field '*' means the whole row (inserted) */
  readonly flashes: ReadonlyMap<string, ReadonlyMap<string, number>>;
  readonly ghosts: readonly Ghost[];
}

export const EMPTY_CACHE: RowCache = { live: null, stale: null, total: null, flashes: new Map(), ghosts: [] };

export interface DisplayRow {
  readonly key: string;
  readonly row: Row;
  /** from the previous window: may be out of date until the new one arrives */
  readonly stale: boolean;
  readonly ghost: boolean;
}

/** A snapshot replaces the live window (the old one stays as `stale` only if it was elsewhere). */
export function applySnapshot(cache: RowCache, offset: number, keys: readonly string[], rows: readonly Row[], total: number | null): RowCache {
  const map = new Map<string, Row>();
  keys.forEach((k, i) => map.set(k, rows[i]!));
  return { live: { offset, keys: [...keys], rows: map }, stale: null, total, flashes: new Map(), ghosts: [] };
}

/** The window is moving: keep showing its rows until the new snapshot arrives. */
export function beginMove(cache: RowCache): RowCache {
  return cache.live ? { ...cache, stale: cache.live, live: null, ghosts: [] } : cache;
}

/**
 * Apply a patch to the live window. Throws PatchError when it does not fit
 * (the caller's LiveQuery resyncs in that case; the cache keeps what it has).
 */
export function applyOps(cache: RowCache, ops: readonly PatchOp[], total: number | null, now: number): RowCache {
  const live = cache.live;
  if (!live) return cache;
  const next = applyPatch(live.keys, live.rows, ops);
  const flashes = new Map(cache.flashes);
  const until = now + FLASH_MS;
  const ghosts = cache.ghosts.filter((g) => g.until > now);
  for (const op of ops) {
    if (op.op === 'update') {
      const fields = new Map(flashes.get(op.key) ?? []);
      for (const f of Object.keys(op.fields)) fields.set(f, until);
      flashes.set(op.key, fields);
    } else if (op.op === 'insert') {
      flashes.set(op.key, new Map([['*', until]]));
    } else if (op.op === 'remove') {
      const index = live.keys.indexOf(op.key);
      const row = live.rows.get(op.key);
      flashes.delete(op.key);
      if (row && index >= 0) ghosts.push({ key: op.key, row, index, until: now + GHOST_MS });
    }
  }
  // a ghost whose key came back (re-inserted, or a primary key round trip) is no longer gone
  const present = new Set(next.keys);
  return {
    ...cache,
    live: { offset: live.offset, keys: next.keys, rows: next.rows },
    total,
    flashes,
    ghosts: ghosts.filter((g) => !present.has(g.key)),
  };
}

/** Drop highlights and ghosts whose time is over (returns the same object when nothing expired). */
export function expire(cache: RowCache, now: number): RowCache {
  let changed = false;
  const flashes = new Map<string, ReadonlyMap<string, number>>();
  for (const [key, fields] of cache.flashes) {
    const kept = new Map([...fields].filter(([, t]) => t > now));
    if (kept.size !== fields.size) changed = true;
    if (kept.size > 0) flashes.set(key, kept);
  }
  const ghosts = cache.ghosts.filter((g) => g.until > now);
  if (ghosts.length !== cache.ghosts.length) changed = true;
  return changed ? { ...cache, flashes, ghosts } : cache;
}

/** the earliest moment something expires, or null */
export function nextExpiry(cache: RowCache): number | null {
  let t = Infinity;
  for (const fields of cache.flashes.values()) for (const u of fields.values()) t = Math.min(t, u);
  for (const g of cache.ghosts) t = Math.min(t, g.until);
  return t === Infinity ? null : t;
}

/** The live window's rows in display order, ghosts spliced back in at the place they left. */
export function windowRows(cache: RowCache): DisplayRow[] {
  const live = cache.live;
  if (!live) return [];
  const out: DisplayRow[] = live.keys.map((key) => ({ key, row: live.rows.get(key)!, stale: false, ghost: false }));
  const ghosts = [...cache.ghosts].sort((a, b) => a.index - b.index);
  for (const g of ghosts) out.splice(Math.min(g.index, out.length), 0, { key: g.key, row: g.row, stale: false, ghost: true });
  return out;
}

/**
 * A view for rendering: row at absolute index i, from the live window or else
 * from the stale one; undefined where nothing is loaded (a placeholder).
 */
export interface RowView {
  readonly offset: number;
  readonly rows: readonly DisplayRow[];
  /** rows laid out: live rows + ghosts; an estimate until the end is seen */
  at(index: number): DisplayRow | undefined;
  indexOfKey(key: string): number;
}

export function rowView(cache: RowCache): RowView {
  const rows = windowRows(cache);
  const offset = cache.live?.offset ?? 0;
  const stale = cache.stale;
  return {
    offset,
    rows,
    at(index) {
      if (cache.live && index >= offset && index < offset + rows.length) return rows[index - offset];
      if (stale && index >= stale.offset && index < stale.offset + stale.keys.length) {
        const key = stale.keys[index - stale.offset]!;
        return { key, row: stale.rows.get(key)!, stale: true, ghost: false };
      }
      return undefined;
    },
    indexOfKey(key) {
      const i = rows.findIndex((r) => r.key === key);
      return i < 0 ? -1 : offset + i;
    },
  };
}

/** is this field of this row still highlighted? ('*': the row was just inserted) */
export function flashOf(cache: RowCache, key: string, field: string, now: number): boolean {
  return (cache.flashes.get(key)?.get(field) ?? 0) > now;
}
