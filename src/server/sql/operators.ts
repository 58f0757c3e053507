/**
 * The one table mapping PostgREST filter operators to SQL. Exhaustive over
 * FilterOperator (TypeScript checks it); values are always bind parameters.
 */
import type { FilterOperator } from '../request/types.js';

export type OperatorSpec =
  | { readonly kind: 'binary'; readonly sql: string; readonly quantifiable: boolean; readonly textual?: boolean; readonly pattern?: boolean }
  | { readonly kind: 'in' }
  | { readonly kind: 'is' }
  | { readonly kind: 'distinct' }
  | { readonly kind: 'fts'; readonly fn: 'to_tsquery' | 'plainto_tsquery' | 'phraseto_tsquery' | 'websearch_to_tsquery' };

export const OPERATORS: Readonly<Record<FilterOperator, OperatorSpec>> = {
  eq: { kind: 'binary', sql: '=', quantifiable: true },
  neq: { kind: 'binary', sql: '<>', quantifiable: true },
  gt: { kind: 'binary', sql: '>', quantifiable: true },
  gte: { kind: 'binary', sql: '>=', quantifiable: true },
  lt: { kind: 'binary', sql: '<', quantifiable: true },
  lte: { kind: 'binary', sql: '<=', quantifiable: true },
  like: { kind: 'binary', sql: 'like', quantifiable: true, textual: true, pattern: true },
  ilike: { kind: 'binary', sql: 'ilike', quantifiable: true, textual: true, pattern: true },
  match: { kind: 'binary', sql: '~', quantifiable: true, textual: true },
  imatch: { kind: 'binary', sql: '~*', quantifiable: true, textual: true },
  in: { kind: 'in' },
  is: { kind: 'is' },
  isdistinct: { kind: 'distinct' },
  fts: { kind: 'fts', fn: 'to_tsquery' },
  plfts: { kind: 'fts', fn: 'plainto_tsquery' },
  phfts: { kind: 'fts', fn: 'phraseto_tsquery' },
  wfts: { kind: 'fts', fn: 'websearch_to_tsquery' },
  cs: { kind: 'binary', sql: '@>', quantifiable: false },
  cd: { kind: 'binary', sql: '<@', quantifiable: false },
  ov: { kind: 'binary', sql: '&&', quantifiable: false },
  sl: { kind: 'binary', sql: '<<', quantifiable: false },
  sr: { kind: 'binary', sql: '>>', quantifiable: false },
  nxr: { kind: 'binary', sql: '&<', quantifiable: false },
  nxl: { kind: 'binary', sql: '&>', quantifiable: false },
  adj: { kind: 'binary', sql: '-|-', quantifiable: false },
};

/** PostgREST's like patterns use * as the wildcard (% is awkward in URLs). */
export function likePattern(v: string): string {
  return v.replaceAll('*', '%');
}
