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
import { rowAt, sameFields, type RowState } from './rowstate.js';

/**
 * Both states must have the same fields in the same order (an update merges
 * fields, it cannot remove one): when the column set changes, send a snapshot.
 */
export function diffStates(held: RowState, next: RowState): PatchOp[] {
  if (!sameFields(held, next)) {
    throw new Error('diffStates: the states have different fields (send a snapshot)');
  }
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

  next.keys.forEach((key, index) => {
    const old = heldIndex.get(key);
    if (old === undefined) {
      placed.push({ op: 'insert', key, index, row: rowAt(next, index) });
      return;
    }
    if (moves.has(index)) placed.push({ op: 'move', key, index });
    const fields = changedFields(held, old, next, index);
    if (fields !== null) updates.push({ op: 'update', key, fields });
  });

  return [...removes, ...placed, ...updates];
}

/** the fields of a kept row whose value changed, with their new values; null when none did */
function changedFields(held: RowState, i: number, next: RowState, j: number): Row | null {
  // equal fingerprints: the same row text (see rowstate.ts); equal value texts: the same values
  if (held.hashes[i * 2] === next.hashes[j * 2] && held.hashes[i * 2 + 1] === next.hashes[j * 2 + 1]) return null;
  if (held.values[i] === next.values[j]) return null;
  const a = JSON.parse(held.values[i]!) as unknown[];
  const b = JSON.parse(next.values[j]!) as unknown[];
  let out: Row | null = null;
  for (let f = 0; f < next.fields.length; f++) {
    if (JSON.stringify(a[f]) !== JSON.stringify(b[f])) (out ??= {})[next.fields[f]!] = b[f];
  }
  return out;
}
