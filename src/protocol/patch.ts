/**
 * Apply a patch to a client's ordered result, exactly in the 4-step order
 * documented on PatchOp (./live.ts). Pure: inputs are not mutated; unchanged
 * rows are shared between the old and new maps, updated rows are new objects.
 *
 * An inconsistent patch (it does not fit what the client holds) throws
 * PatchError; a client answers that with a `resync`.
 */
import type { PatchOp, Row } from './live.js';

export class PatchError extends Error {
  override readonly name = 'PatchError';
  constructor(
    message: string,
    /** the offending op, when one is to blame */
    readonly op?: PatchOp,
  ) {
    super(message);
  }
}

export interface RowSet {
  keys: string[];
  rows: Map<string, Row>;
}

type Placed = Extract<PatchOp, { op: 'insert' | 'move' }>;

export function applyPatch(
  keys: readonly string[],
  rows: ReadonlyMap<string, Row>,
  ops: readonly PatchOp[],
): RowSet {
  const present = new Set(keys);
  if (present.size !== keys.length) throw new PatchError('the held keys contain duplicates');

  // 1. removes
  const removed = new Set<string>();
  for (const op of ops) {
    if (op.op !== 'remove') continue;
    if (!present.has(op.key) || removed.has(op.key)) throw new PatchError(`remove of unknown row ${op.key}`, op);
    removed.add(op.key);
  }

  // 2. detach moved rows
  const detached = new Set<string>();
  for (const op of ops) {
    if (op.op !== 'move') continue;
    if (!present.has(op.key) || removed.has(op.key)) throw new PatchError(`move of unknown row ${op.key}`, op);
    if (detached.has(op.key)) throw new PatchError(`row ${op.key} moved twice`, op);
    detached.add(op.key);
  }
  const stable = keys.filter((key) => !removed.has(key) && !detached.has(key));

  // 3. inserts and moves at their final indices. Placing them in ascending index
  // order with splice is the same as filling their slots of the final list and
  // the remaining slots with the stable rows in order — done here in O(n).
  const placed = ops.filter((op): op is Placed => op.op === 'insert' || op.op === 'move');
  const length = stable.length + placed.length;
  const slots = new Array<string | undefined>(length);
  const next = new Map<string, Row>();
  for (const op of placed) {
    if (op.index >= length) throw new PatchError(`${op.op} of row ${op.key} at index ${op.index}: out of range (result has ${length} rows)`, op);
    if (slots[op.index] !== undefined) throw new PatchError(`two rows placed at index ${op.index}`, op);
    if (op.op === 'insert') {
      if ((present.has(op.key) && !removed.has(op.key)) || next.has(op.key)) throw new PatchError(`insert of row ${op.key}, which is already present`, op);
      next.set(op.key, op.row);
    }
    slots[op.index] = op.key;
  }
  let s = 0;
  for (let i = 0; i < length; i++) if (slots[i] === undefined) slots[i] = stable[s++];
  const finalKeys = slots as string[];
  for (const key of finalKeys) {
    if (next.has(key)) continue;
    const row = rows.get(key);
    if (row === undefined) throw new PatchError(`no row held for key ${key}`);
    next.set(key, row);
  }

  // 4. updates merge into the (possibly moved or just inserted) row
  for (const op of ops) {
    if (op.op !== 'update') continue;
    const row = next.get(op.key);
    if (row === undefined) throw new PatchError(`update of unknown row ${op.key}`, op);
    next.set(op.key, { ...row, ...op.fields });
  }
  return { keys: finalKeys, rows: next };
}
