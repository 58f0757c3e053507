/**
 * Matching changes to live views by row images: can this changed row affect
 * this view? Answered without a query, so a change wakes only the views it
 * can change instead of every view of its table.
 *
 * A row image (capture/sql.ts imageOf) holds, for every column of a changed
 * row (old and new versions), a token md5(secret ‖ column ‖ '=' ‖ value as
 * JSON text), truncated; `null` for SQL NULL; a "long" token for values too
 * long to hash. The server knows the secret, so for a filter `col=eq.v` it
 * computes the token the row WOULD carry if col were v. Absence of that token
 * proves col ≠ v. Presence proves nothing (truncated hashes collide), so it
 * only ever leads to "maybe".
 *
 * Each condition is evaluated to the SET of SQL truth values it may take for
 * the row (T, F, NULL), which keeps NOT, AND and OR exact in three-valued
 * logic: a view is skipped only when no image can make its WHERE true.
 *
 * Only filters whose equality is text identity of the JSON rendering are
 * used (integers, text/varchar under a deterministic collation, booleans,
 * uuid, enums, dates); anything else (ranges on numbers, patterns, JSON
 * paths, full-text, embedded resources) is "maybe". Row-level security needs
 * no care: a row outside the filter before and after cannot be in the view,
 * whatever the policy says.
 */
import { createHash } from 'node:crypto';
import type { Column } from '../catalog/types.js';
import type { PlannedCondition, ReadPlan } from '../plan/types.js';
import type { CaptureSecret } from './capture/install.js';
import { MAX_HASHED_VALUE_BYTES, TOKEN_HEX } from './capture/sql.js';

/** a set of SQL truth values, as bits */
type Truths = number;
const T = 1;
const F = 2;
const N = 4;
const ANY = T | F | N;

const not1 = (v: number): number => (v === T ? F : v === F ? T : N);
const and1 = (a: number, b: number): number => (a === F || b === F ? F : a === N || b === N ? N : T);
const or1 = (a: number, b: number): number => (a === T || b === T ? T : a === N || b === N ? N : F);

function each(bits: Truths): number[] {
  const out: number[] = [];
  for (const v of [T, F, N]) if (bits & v) out.push(v);
  return out;
}

function combine(a: Truths, b: Truths, op: (x: number, y: number) => number): Truths {
  let out = 0;
  for (const x of each(a)) for (const y of each(b)) out |= op(x, y);
  return out;
}

function negate(bits: Truths): Truths {
  let out = 0;
  for (const x of each(bits)) out |= not1(x);
  return out;
}

/** one row image: concatenated fixed-width tokens */
function hasToken(image: string, token: string): boolean {
  for (let i = image.indexOf(token); i >= 0; i = image.indexOf(token, i + 1)) {
    if (i % TOKEN_HEX === 0) return true;
  }
  return false;
}

type Test = (image: string) => Truths;

const INT_RANGE: Readonly<Record<string, bigint>> = { int2: 2n ** 15n, int4: 2n ** 31n, int8: 2n ** 63n };
const TRUE_WORDS = new Set(['t', 'true', 'y', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['f', 'false', 'n', 'no', 'off', '0']);

/**
 * How PostgreSQL renders `to_jsonb(v::type)::text` for a filter value, or null
 * when this cannot be known here for sure (then the filter is "maybe").
 */
export function canonicalJson(col: Partial<Column>, v: string): string | null {
  if (col.arrayDims !== 0 || col.baseTypeName === undefined) return null;
  if (col.category === 'E' && col.enumLabels) {
    return col.enumLabels.includes(v) ? jsonString(v) : null;
  }
  if (col.baseTypeSchema !== 'pg_catalog') return null;
  switch (col.baseTypeName) {
    case 'int2':
    case 'int4':
    case 'int8': {
      if (!/^-?(0|[1-9][0-9]{0,18})$/.test(v)) return null;
      const n = BigInt(v);
      const limit = INT_RANGE[col.baseTypeName]!;
      return n >= -limit && n < limit ? n.toString() : null;
    }
    case 'text':
    case 'varchar':
      return col.nondeterministic ? null : jsonString(v);
    case 'bool': {
      const w = v.toLowerCase();
      return TRUE_WORDS.has(w) ? 'true' : FALSE_WORDS.has(w) ? 'false' : null;
    }
    case 'uuid': {
      const hex = v.replace(/^\{(.*)\}$/, '$1').replaceAll('-', '').toLowerCase();
      if (!/^[0-9a-f]{32}$/.test(hex)) return null;
      return `"${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}"`;
    }
    case 'date': {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
      if (!m) return null;
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const probe = new Date(Date.UTC(2000, mo - 1, d));
      probe.setUTCFullYear(y);
      if (y < 1 || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return null;
      return `"${v}"`;
    }
    default:
      return null;
  }
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** JSON string as PostgreSQL's escape_json writes it; null for text it might write differently */
function jsonString(v: string): string | null {
  // control characters: both escape them, but the spelling is not worth betting on; lone surrogates cannot be text
  if (/[\u0000-\u001f]/.test(v) || LONE_SURROGATE.test(v)) return null;
  return JSON.stringify(v);
}

export interface ViewMatcher {
  /** the table whose images this matcher reads */
  readonly relOid: number;
  /** false only when no image can satisfy the view's conditions */
  mayMatch(images: readonly string[]): boolean;
  /**
   * true when an update that changed only these columns cannot move any row
   * in or out of the view (so its total stands): none of them is read by the
   * view's conditions or by the table's row-level security policies
   */
  keepsMembership(changed: readonly string[]): boolean;
}

/**
 * A matcher for a planned read, or null when the view's rows depend on more
 * than its table's own row (a SQL view, a function, an inner-joined embed).
 */
export function compileMatcher(plan: ReadPlan, secret: CaptureSecret): ViewMatcher | null {
  const node = plan.node;
  const rel = node.source.kind === 'relation' ? node.source.relation : null;
  if (!rel || (rel.kind !== 'table' && rel.kind !== 'partitioned_table')) return null;
  if (node.embeds.some((e) => e.inner)) return null;
  const token = (name: string, json: string | null): string =>
    createHash('md5')
      .update(secret.secret + name + (json === null ? '*' : '=' + json))
      .digest('hex')
      .slice(0, TOKEN_HEX);
  const tests = node.conditions.map((c) => compile(c, token));
  // what decides membership: the columns the conditions read, and the policies' columns;
  // unknown when a condition looks at embedded rows or a policy reads the whole row
  const read = new Set<string>();
  const known = node.conditions.every((c) => conditionColumns(c, read)) && Array.isArray(rel.policyColumns);
  for (const c of rel.policyColumns ?? []) read.add(c);
  const keepsMembership = (changed: readonly string[]) => known && !changed.some((c) => read.has(c));
  if (tests.length === 0) return { relOid: rel.oid, mayMatch: () => true, keepsMembership };
  return {
    relOid: rel.oid,
    keepsMembership,
    mayMatch(images) {
      return images.some((img) => {
        let bits: Truths = T;
        for (const t of tests) {
          bits = combine(bits, t(img), and1);
          if (!(bits & T)) return false;
        }
        return true;
      });
    },
  };
}

/** adds the root columns a condition reads; false when it also depends on other rows (embeds) */
function conditionColumns(c: PlannedCondition, out: Set<string>): boolean {
  switch (c.kind) {
    case 'embed-exists':
      return false;
    case 'and':
    case 'or':
      return c.children.every((ch) => conditionColumns(ch, out));
    case 'filter':
      out.add(c.ref.column.name);
      return true;
  }
}

function compile(c: PlannedCondition, token: (name: string, json: string | null) => string): Test {
  switch (c.kind) {
    case 'embed-exists':
      return () => ANY;
    case 'and':
    case 'or': {
      const parts = c.children.map((ch) => compile(ch, token));
      const op = c.kind === 'and' ? and1 : or1;
      const empty = c.kind === 'and' ? T : F;
      return (img) => {
        let bits: Truths = empty;
        for (const p of parts) bits = combine(bits, p(img), op);
        return c.negated ? negate(bits) : bits;
      };
    }
    case 'filter': {
      const leaf = compileFilter(c, token);
      return c.negated ? (img) => negate(leaf(img)) : leaf;
    }
  }
}

function compileFilter(c: Extract<PlannedCondition, { kind: 'filter' }>, token: (name: string, json: string | null) => string): Test {
  if (c.ref.json.length > 0) return () => ANY;
  const col = c.ref.column;
  const name = col.name;
  const nullTok = token(name, 'null');
  const longTok = token(name, null);
  /** tokens of the values, or null when one of them cannot be rendered for sure */
  const tokensOf = (values: readonly string[]): string[] | null => {
    const out: string[] = [];
    for (const v of values) {
      const json = canonicalJson(col, v);
      if (json === null) return null;
      // a value too long to hash shows only as the "long" token, which is checked anyway
      if (Buffer.byteLength(json) <= MAX_HASHED_VALUE_BYTES) out.push(token(name, json));
    }
    return out;
  };
  /** true when the row's value is certainly none of these (nor long) */
  const certainlyNone = (img: string, toks: readonly string[]) => !hasToken(img, longTok) && !toks.some((t) => hasToken(img, t));
  const isNull = (img: string) => hasToken(img, nullTok);

  const v = c.value;
  const equalsAny = (values: readonly string[]): Test => {
    const toks = tokensOf(values);
    if (toks === null) return () => ANY;
    return (img) => (certainlyNone(img, toks) ? (isNull(img) ? F | N : F) : ANY);
  };
  switch (c.operator) {
    case 'eq':
      if (c.quantifier === null && v.kind === 'scalar') return equalsAny([v.value]);
      if (c.quantifier === 'any' && v.kind === 'list') return equalsAny(v.values);
      return () => ANY;
    case 'in':
      return v.kind === 'list' ? equalsAny(v.values) : v.kind === 'scalar' ? equalsAny([v.value]) : () => ANY;
    case 'neq': {
      if (c.quantifier !== null || v.kind !== 'scalar') return () => ANY;
      const toks = tokensOf([v.value]);
      if (toks === null) return () => ANY;
      return (img) => (certainlyNone(img, toks) ? (isNull(img) ? T | N : T) : ANY);
    }
    case 'isdistinct': {
      if (v.kind !== 'scalar') return () => ANY;
      const toks = tokensOf([v.value]);
      if (toks === null) return () => ANY;
      return (img) => (certainlyNone(img, toks) ? T : T | F);
    }
    case 'is': {
      if (v.kind !== 'is') return () => ANY;
      if (v.value === 'null' || (v.value === 'unknown' && col.baseTypeName === 'bool')) {
        return (img) => (isNull(img) ? T | F : F);
      }
      if (col.baseTypeName !== 'bool' || col.arrayDims !== 0) return () => ANY;
      const tok = token(name, v.value);
      return (img) => (hasToken(img, tok) ? T | F : F);
    }
    default:
      return () => ANY;
  }
}
