/**
 * Row identities in REST filters. A live key is the JSON text of the primary
 * key values, e.g. '[42]' or '[7,"a"]' (docs/protocol.md); record keys for
 * URLs are core/record.ts's.
 */
import type { MetaRelation } from './meta.js';

/** PostgREST value quoting for filters: reserved characters force double quotes */
export function quoteValue(v: string): string {
  return /[,.:()"\\\s]/.test(v) || v === '' ? `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"` : v;
}

/** 'or=(and(id.eq.1),and(id.eq.2))' for a set of live keys — used for bulk delete */
export function keysFilter(rel: MetaRelation, liveKeys: readonly string[]): string | null {
  if (rel.primaryKey.length === 0 || liveKeys.length === 0) return null;
  const terms: string[] = [];
  for (const k of liveKeys) {
    const values = JSON.parse(k) as unknown[];
    if (!Array.isArray(values) || values.length !== rel.primaryKey.length) return null;
    const conds = rel.primaryKey.map((col, i) => `${quoteValue(col)}.eq.${quoteValue(String(values[i]))}`);
    terms.push(conds.length === 1 ? conds[0]! : `and(${conds.join(',')})`);
  }
  return `or=(${encodeURIComponent(terms.join(','))})`;
}
