/**
 * decodeChange: a `pglive_changes` payload → a ChangeEvent (see sql.ts and
 * docs/change-capture.md for the format). Runs for every notification the
 * listener receives, so it validates by hand rather than through a schema
 * library, and it never throws: a payload it cannot read yields null (the
 * caller treats that as "something changed somewhere").
 */

import { TOKEN_HEX } from './sql.js';

export type ChangeOp = 'insert' | 'update' | 'delete' | 'truncate' | 'refresh';

export interface ChangeEvent {
  /** pg_class oid of the table (or materialized view for 'refresh') */
  readonly relOid: number;
  readonly op: ChangeOp;
  /** txid_current() of the writing transaction, as text (an int8) */
  readonly txid: string;
  /**
   * The primary keys of the changed rows, each in key-column order, values as
   * to_json renders them; for 'update' both the old and the new key of each
   * row. null: unknown (too many rows, no primary key, truncate, refresh), so
   * everything that reads the table must be re-evaluated.
   */
  readonly keys: unknown[][] | null;
  /**
   * Row images (old and new rows), each a string of one token per column (see
   * sql.ts imageOf), with the id of the secret that made them; null when the
   * payload has none (large statements, no key, too big to fit).
   */
  readonly images: { readonly keyId: string; readonly rows: readonly string[] } | null;
  /**
   * For an update: the columns whose value changed in some row (exact); null
   * when unknown (a key changed, a large statement, not an update).
   */
  readonly changed: readonly string[] | null;
}

const OPS: Readonly<Record<string, ChangeOp>> = { I: 'insert', U: 'update', D: 'delete', T: 'truncate', R: 'refresh' };
const MAX_OID = 0xffffffff;
const HEX = /^[0-9a-f]+$/;
const HEX_TOKEN = new RegExp(`^[0-9a-f]{${TOKEN_HEX}}$`);

export function decodeChange(payload: string): ChangeEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { r, o, x, k, s, h, c } = value as Record<string, unknown>;
  if (typeof r !== 'number' || !Number.isInteger(r) || r <= 0 || r > MAX_OID) return null;
  const op = typeof o === 'string' && Object.hasOwn(OPS, o) ? OPS[o] : undefined;
  if (op === undefined) return null;
  if (typeof x !== 'string' || !/^[0-9]{1,20}$/.test(x)) return null;
  if (k === undefined) return { relOid: r, op, txid: x, keys: null, images: null, changed: null };
  if (!Array.isArray(k) || k.length === 0 || !k.every((key) => Array.isArray(key) && key.length > 0)) return null;
  let images: ChangeEvent['images'] = null;
  if (h !== undefined || s !== undefined) {
    if (typeof s !== 'string' || !HEX_TOKEN.test(s) || !Array.isArray(h) || h.length === 0) return null;
    if (!h.every((img) => typeof img === 'string' && img.length > 0 && img.length % TOKEN_HEX === 0 && HEX.test(img))) return null;
    images = { keyId: s, rows: h as string[] };
  }
  let changed: string[] | null = null;
  if (c !== undefined) {
    if (op !== 'update' || !Array.isArray(c) || !c.every((name) => typeof name === 'string')) return null;
    changed = c as string[];
  }
  return { relOid: r, op, txid: x, keys: k as unknown[][], images, changed };
}
