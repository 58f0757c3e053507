/**
 * held RowState × next RowState → the minimal PatchOp list that turns the
 * client's result into the next one (semantics on PatchOp in ./live.ts).
 *
 * Minimal means: a remove per key that left, an insert per key that arrived,
 * moves only for kept rows outside one longest increasing subsequence of their
 * old positions (so `moves = kept − LIS(kept)`), and an update only for a kept
 * row with at least one changed field, carrying only the changed fields.
 *
 * Pure and isomorphic. Ops come out grouped and sorted: removes (held order),
 * inserts and moves (ascending index), updates (result order).
 */
import type { PatchOp, Row } from './live.js';
import { longestIncreasingSubsequence } from './lis.js';
import { HASHES_PER_FIELD, hashOffset, type RowState } from './rowstate.js';

/**
 * `rowsByKey` returns the next evaluation's row for a key of `next`; it is only
 * called for inserted and updated rows.
 *
 * A field present in `held.fields` but not in `next.fields` cannot be removed
 * by an update (a merge): when the column set shrinks, send a snapshot instead.
 */
export function diffStates(held: RowState, next: RowState, rowsByKey: (key: string) => Row): PatchOp[] {
  const removes: PatchOp[] = [];
  const placed: PatchOp[] = [];
  const updates: PatchOp[] = [];

  const heldIndex = held.index;
  for (const key of held.keys) if (!next.index.has(key)) removes.push({ op: 'remove', key });

  // kept keys in next order, with their old positions; the LIS of those positions stays put
  const keptNextIndex: number[] = [];
  const keptOldIndex: number[] = [];
  next.keys.forEach((key, i) => {
    const old = heldIndex.get(key);
    if (old === undefined) return;
    keptNextIndex.push(i);
    keptOldIndex.push(old);
  });
  const stays = new Uint8Array(keptNextIndex.length);
  for (const k of longestIncreasingSubsequence(keptOldIndex)) stays[k] = 1;
  const moves = new Set<number>();
  keptNextIndex.forEach((i, k) => {
    if (!stays[k]) moves.add(i);
  });

  const changed = changedFields(held, next);
  next.keys.forEach((key, index) => {
    if (!heldIndex.has(key)) {
      placed.push({ op: 'insert', key, index, row: rowsByKey(key) });
      return;
    }
    if (moves.has(index)) placed.push({ op: 'move', key, index });
    const names = changed(key);
    if (names.length > 0) {
      const row = rowsByKey(key);
      const fields: Row = {};
      for (const name of names) fields[name] = row[name];
      updates.push({ op: 'update', key, fields });
    }
  });

  return [...removes, ...placed, ...updates];
}

/** key → names of the next fields whose fingerprint differs from the held one (or that are new). */
function changedFields(held: RowState, next: RowState): (key: string) => string[] {
  const sameFields =
    held.fields.length === next.fields.length && held.fields.every((name, i) => name === next.fields[i]);
  // next field position → held field position (-1: the field is new)
  const heldPos = sameFields
    ? next.fields.map((_, i) => i)
    : next.fields.map((name) => held.fields.indexOf(name));
  const a = held.hashes;
  const b = next.hashes;
  return (key) => {
    const i = held.index.get(key);
    const j = next.index.get(key);
    if (i === undefined || j === undefined) throw new Error(`diffStates: no hashes for row ${key}`);
    const heldBase = hashOffset(held, i);
    const nextBase = hashOffset(next, j);
    const out: string[] = [];
    for (let f = 0; f < next.fields.length; f++) {
      const h = heldPos[f]!;
      const at = nextBase + f * HASHES_PER_FIELD;
      const from = heldBase + h * HASHES_PER_FIELD;
      if (h < 0 || a[from] !== b[at] || a[from + 1] !== b[at + 1]) out.push(next.fields[f]!);
    }
    return out;
  };
}
