/**
 * What a client holds for one live view, without copies of the rows: the ordered
 * keys and, per row, a fingerprint of every field. The server keeps one RowState
 * per client view and diffs it against the next evaluation (src/protocol/diff.ts).
 *
 * Pure and isomorphic (no Node APIs): the web app may use it too.
 *
 * Fingerprints: two independent 32-bit hashes (FNV-1a and a multiply-xorshift
 * hash) of each field's JSON text, computed in one pass. A collision of both
 * for the old and new value of the same field means that field's update is
 * missed until the next change of that field or a resync; with 64 bits that is
 * about 1 in 1.8e19 per changed field. Keeping 8 bytes per field keeps a
 * 50-row × 10-column view at ~4 KB, within the 16 KB per-view budget.
 */
import type { Row } from './live.js';

export interface RowState {
  /** row keys in result order, unique */
  readonly keys: readonly string[];
  /** key → its position in `keys` */
  readonly index: ReadonlyMap<string, number>;
  /**
   * 2 hashes per field per row, rows in `keys` order, fields in `fields` order:
   * row i, field f at [(i × fields.length + f) × 2] and the next slot. One
   * array per state, not one per row: a typed array costs ~200 bytes of
   * overhead, more than a row's hashes.
   */
  readonly hashes: Uint32Array;
  /** field names, in the order their hashes are stored */
  readonly fields: readonly string[];
}

/** where a row's hashes start in RowState.hashes (in array slots) */
export function hashOffset(state: RowState, position: number): number {
  return position * state.fields.length * HASHES_PER_FIELD;
}

/** hashes stored per field */
export const HASHES_PER_FIELD = 2;

/** JSON text for a missing field: differs from every real JSON text, so "absent" ≠ null. */
const ABSENT = '\u0000absent';

/**
 * Build the state of an evaluated result. `fields` defaults to the union of the
 * rows' own field names in first-seen order. Throws on duplicate keys or a
 * keys/rows length mismatch: both would make every later patch wrong.
 */
export function rowStateOf(keys: readonly string[], rows: readonly Row[], fields?: readonly string[]): RowState {
  if (keys.length !== rows.length) throw new Error(`rowStateOf: ${keys.length} keys for ${rows.length} rows`);
  const names = fields ?? fieldsOf(rows);
  const index = new Map<string, number>();
  const hashes = new Uint32Array(keys.length * names.length * HASHES_PER_FIELD);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (index.has(key)) throw new Error(`rowStateOf: duplicate row key ${key}`);
    index.set(key, i);
    hashRowInto(rows[i]!, names, hashes, i * names.length * HASHES_PER_FIELD);
  }
  return { keys: [...keys], index, hashes, fields: [...names] };
}

/**
 * The state of the next evaluation of a view from its rows' JSON texts, reusing
 * the previous state's fingerprints for every row whose text is unchanged: only
 * new and changed rows are parsed and hashed (a live page usually changes by a
 * row or two). Every row of one evaluation has the same fields (one SELECT);
 * when a parsed row's fields differ from the previous state's, or there is no
 * previous state, every row is parsed and hashed afresh. `parsed` receives each
 * row that was parsed, by position, so the caller need not parse it again.
 */
export function rowStateFromTexts(
  keys: readonly string[],
  texts: readonly string[],
  prev: { readonly state: RowState; readonly texts: readonly string[] } | null,
  parsed: Map<number, Row> = new Map(),
): RowState {
  if (keys.length !== texts.length) throw new Error(`rowStateFromTexts: ${keys.length} keys for ${texts.length} texts`);
  const parse = (i: number): Row => {
    let row = parsed.get(i);
    if (row === undefined) parsed.set(i, (row = JSON.parse(texts[i]!) as Row));
    return row;
  };
  const full = () => rowStateOf(keys, keys.map((_, i) => parse(i)));
  if (prev === null) return full();
  const names = prev.state.fields;
  const width = names.length * HASHES_PER_FIELD;
  const index = new Map<string, number>();
  const hashes = new Uint32Array(keys.length * width);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (index.has(key)) throw new Error(`rowStateFromTexts: duplicate row key ${key}`);
    index.set(key, i);
    const old = prev.state.index.get(key);
    if (old !== undefined && prev.texts[old] === texts[i]) {
      hashes.set(prev.state.hashes.subarray(old * width, (old + 1) * width), i * width);
      continue;
    }
    const row = parse(i);
    const own = Object.keys(row);
    if (own.length !== names.length || own.some((n, f) => n !== names[f])) return full();
    hashRowInto(row, names, hashes, i * width);
  }
  return { keys: [...keys], index, hashes, fields: names };
}

/** union of field names in first-seen order */
export function fieldsOf(rows: readonly Row[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row)) seen.add(name);
  return [...seen];
}

/** The fingerprints of one row's fields, in `fields` order. */
export function hashRow(row: Row, fields: readonly string[]): Uint32Array {
  const out = new Uint32Array(fields.length * HASHES_PER_FIELD);
  hashRowInto(row, fields, out, 0);
  return out;
}

function hashRowInto(row: Row, fields: readonly string[], out: Uint32Array, at: number): void {
  for (let f = 0; f < fields.length; f++) {
    const name = fields[f]!;
    const text = Object.prototype.hasOwnProperty.call(row, name) ? jsonText(row[name]) : ABSENT;
    hashText(text, out, at + f * HASHES_PER_FIELD);
  }
}

function jsonText(value: unknown): string {
  // JSON.stringify(undefined) is undefined: treat an explicit undefined like a missing field
  return value === undefined ? ABSENT : JSON.stringify(value);
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
