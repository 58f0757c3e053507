/**
 * What the server holds of one live view's result, small enough to keep per
 * view: the ordered keys, the field names once, each row's values as one JSON
 * array text, and a fingerprint of each row's text as evaluated. The engine
 * diffs a held state against the next evaluation (src/protocol/diff.ts); a
 * subscriber that lags holds an older state, which keeps its own values.
 *
 * Pure and isomorphic (no Node APIs).
 *
 * Fingerprints: two independent 32-bit hashes (FNV-1a and a multiply-xorshift
 * hash) of a row's JSON text, computed in one pass. An equal fingerprint means
 * an unchanged row, so the next evaluation parses only new and changed rows. A
 * collision of both hashes for the old and new text of the same row means that
 * update is missed until the row changes again or a resync; with 64 bits that
 * is about 1 in 1.8e19 per changed row. Field-level differences are computed
 * exactly, from the values, and only for rows whose fingerprint changed.
 */
import type { Row } from './live.js';

export interface RowState {
  /** row keys in result order, unique */
  readonly keys: readonly string[];
  /** key → its position in `keys` */
  readonly index: ReadonlyMap<string, number>;
  /** field names, in the order of every row's values */
  readonly fields: readonly string[];
  /** per row, in `keys` order: its values in `fields` order, as a JSON array text */
  readonly values: readonly string[];
  /** per row, 2 hashes of the row's JSON text: row i at [2i] and [2i + 1] */
  readonly hashes: Uint32Array;
}

/** the row at a position, as an object */
export function rowAt(state: RowState, position: number): Row {
  const values = JSON.parse(state.values[position]!) as unknown[];
  const row: Row = {};
  state.fields.forEach((name, f) => {
    row[name] = values[f];
  });
  return row;
}

/**
 * Build a state from row objects (tests, and callers without JSON text).
 * `fields` defaults to the union of the rows' own field names in first-seen
 * order; a row without a field holds null for it. Throws on duplicate keys or
 * a keys/rows length mismatch: both would make every later patch wrong.
 */
export function rowStateOf(keys: readonly string[], rows: readonly Row[], fields?: readonly string[]): RowState {
  if (keys.length !== rows.length) throw new Error(`rowStateOf: ${keys.length} keys for ${rows.length} rows`);
  return buildState(keys, rows, fields ?? fieldsOf(rows), (i) => JSON.stringify(rows[i]), 'rowStateOf');
}

/** a state from parsed rows; `text(i)` is the JSON text row i's fingerprint is taken of */
function buildState(keys: readonly string[], rows: readonly Row[], names: readonly string[], text: (i: number) => string, caller: string): RowState {
  const index = indexKeys(keys, caller);
  const hashes = new Uint32Array(keys.length * 2);
  const values = rows.map((row, i) => {
    hashText(text(i), hashes, i * 2);
    return valuesText(row, names);
  });
  return { keys: [...keys], index, fields: [...names], values, hashes };
}

/** whether two states hold the same fields in the same order (else only a snapshot can replace one by the other) */
export function sameFields(a: RowState, b: RowState): boolean {
  return a.fields.length === b.fields.length && a.fields.every((name, f) => name === b.fields[f]);
}

/**
 * The state of the next evaluation of a view from its rows' JSON texts (one
 * SELECT: every row has the same fields), reusing the previous state's values
 * for every row whose text is unchanged: only new and changed rows are parsed
 * (a live page usually changes by a row or two). When a parsed row's fields
 * differ from the previous state's, or there is no previous state, every row
 * is parsed afresh.
 */
export function rowStateFromTexts(keys: readonly string[], texts: readonly string[], prev: RowState | null): RowState {
  if (keys.length !== texts.length) throw new Error(`rowStateFromTexts: ${keys.length} keys for ${texts.length} texts`);
  // fingerprints of the texts as given: the next evaluation compares texts as PostgreSQL renders them
  const full = () => {
    const rows = texts.map((t) => JSON.parse(t) as Row);
    return buildState(keys, rows, fieldsOf(rows), (i) => texts[i]!, 'rowStateFromTexts');
  };
  if (prev === null) return full();
  const names = prev.fields;
  const index = indexKeys(keys, 'rowStateFromTexts');
  const values: string[] = [];
  const hashes = new Uint32Array(keys.length * 2);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    hashText(texts[i]!, hashes, i * 2);
    const old = prev.index.get(key);
    if (old !== undefined && prev.hashes[old * 2] === hashes[i * 2] && prev.hashes[old * 2 + 1] === hashes[i * 2 + 1]) {
      values.push(prev.values[old]!);
      continue;
    }
    const row = JSON.parse(texts[i]!) as Row;
    const own = Object.keys(row);
    if (own.length !== names.length || own.some((n, f) => n !== names[f])) return full();
    values.push(valuesText(row, names));
  }
  return { keys: [...keys], index, fields: names, values, hashes };
}

/** key → position; duplicate keys would make every later patch wrong */
function indexKeys(keys: readonly string[], caller: string): Map<string, number> {
  const index = new Map<string, number>();
  keys.forEach((key, i) => {
    if (index.has(key)) throw new Error(`${caller}: duplicate row key ${key}`);
    index.set(key, i);
  });
  return index;
}

/** union of field names in first-seen order */
export function fieldsOf(rows: readonly Row[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row)) seen.add(name);
  return [...seen];
}

function valuesText(row: Row, fields: readonly string[]): string {
  return JSON.stringify(fields.map((name) => (Object.prototype.hasOwnProperty.call(row, name) ? row[name] : null) ?? null));
}

/** Write two 32-bit hashes of `text` into out[at], out[at + 1]. */
export function hashText(text: string, out: Uint32Array, at: number): void {
  let h1 = 0x811c9dc5; // FNV-1a offset basis
  let h2 = 0x9e3779b9 ^ text.length; // golden-ratio seed, length-salted
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193); // FNV prime
    h2 = Math.imul(h2 ^ c, 0x5bd1e995); // MurmurHash2 multiplier
    h2 ^= h2 >>> 15;
  }
  out[at] = h1 >>> 0;
  out[at + 1] = h2 >>> 0;
}
