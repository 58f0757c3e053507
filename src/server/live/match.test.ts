/**
 * The image matcher's logic on hand-built plans and images made the way the
 * capture trigger makes them (md5 of secret ‖ column ‖ '=' ‖ JSON text).
 * match.pg.test.ts checks the same against real trigger payloads and SQL.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Column, Relation } from '../catalog/types.js';
import type { PlannedCondition, ReadPlan } from '../plan/types.js';
import type { FilterOperator, FilterValue } from '../request/types.js';
import { canonicalJson, compileMatcher } from './match.js';

const secret = { secret: 'test-secret', keyId: '00000000' };

const col = (name: string, baseTypeName: string, extra: Partial<Column> = {}): Column =>
  ({
    name,
    baseTypeName,
    baseTypeSchema: 'pg_catalog',
    category: baseTypeName.startsWith('int') ? 'N' : baseTypeName === 'bool' ? 'B' : 'S',
    arrayDims: 0,
    enumLabels: null,
    ...extra,
  }) as Column;

const COLUMNS = {
  id: col('id', 'int4'),
  kind: col('kind', 'text'),
  flag: col('flag', 'bool'),
  mood: col('mood', 'mood', { category: 'E', baseTypeSchema: 'public', enumLabels: ['sad', 'ok', 'happy'] }),
  ci: col('ci', 'text', { nondeterministic: true }),
  amount: col('amount', 'numeric'),
};
type Name = keyof typeof COLUMNS;

/** an image as the trigger renders it; undefined values are left out (as if the column did not exist) */
function image(row: Partial<Record<Name, unknown>>): string {
  return Object.entries(row)
    .map(([k, v]) => {
      const json = JSON.stringify(v);
      const tail = json.length > 200 ? '*' : '=' + json;
      return createHash('md5').update(secret.secret + k + tail).digest('hex').slice(0, 8);
    })
    .join('');
}

function filter(name: Name, operator: FilterOperator, value: string | string[] | FilterValue, negated = false, quantifier: 'any' | 'all' | null = null): PlannedCondition {
  const v: FilterValue =
    typeof value === 'string' ? { kind: 'scalar', value } : Array.isArray(value) ? { kind: 'list', values: value } : value;
  return { kind: 'filter', ref: { column: COLUMNS[name], json: [] }, operator, negated, quantifier, language: null, value: v };
}
const is = (name: Name, value: 'null' | 'true' | 'false' | 'unknown', negated = false) => filter(name, 'is', { kind: 'is', value }, negated);
const and = (...children: PlannedCondition[]): PlannedCondition => ({ kind: 'and', negated: false, children });
const or = (...children: PlannedCondition[]): PlannedCondition => ({ kind: 'or', negated: false, children });
const not = (c: PlannedCondition): PlannedCondition =>
  c.kind === 'embed-exists' ? c : ({ ...c, negated: !c.negated } as PlannedCondition);

const relation = { oid: 42, kind: 'table', schema: 'public', name: 't' } as unknown as Relation;

function plan(conditions: PlannedCondition[], extra: { inner?: boolean; kind?: string } = {}): ReadPlan {
  return {
    kind: 'read',
    node: {
      source: { kind: 'relation', relation: extra.kind ? ({ ...relation, kind: extra.kind } as Relation) : relation },
      alias: 't0',
      select: [],
      embeds: extra.inner ? [{ inner: true } as never] : [],
      conditions,
      order: [],
      limit: 50,
      offset: 0,
    },
  } as unknown as ReadPlan;
}

const may = (conditions: PlannedCondition[], ...rows: Partial<Record<Name, unknown>>[]) =>
  compileMatcher(plan(conditions), secret)!.mayMatch(rows.map(image));

describe('canonicalJson: how PostgreSQL renders to_jsonb(value::type)', () => {
  it.each([
    ['int4', '5', '5'],
    ['int4', '-0', '0'],
    ['int4', '0', '0'],
    ['int4', '05', null],
    ['int4', '+5', null],
    ['int4', ' 5', null],
    ['int4', '2147483647', '2147483647'],
    ['int4', '2147483648', null],
    ['int2', '-32768', '-32768'],
    ['int2', '32768', null],
    ['int8', '9007199254740993', '9007199254740993'],
    ['int8', '9223372036854775808', null],
    ['text', 'a "b" \\ é', '"a \\"b\\" \\\\ é"'],
    ['text', 'tab\there', null],
    ['text', '', '""'],
    ['varchar', 'abc ', '"abc "'],
    ['bool', 'TRUE', 'true'],
    ['bool', 'off', 'false'],
    ['bool', 'tr', null],
    ['uuid', '{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}', '"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"'],
    ['uuid', 'a0eebc999c0b4ef8bb6d6bb9bd380a11', '"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"'],
    ['uuid', 'a0eebc99', null],
    ['date', '2024-02-29', '"2024-02-29"'],
    ['date', '2023-02-29', null],
    ['date', '2024-2-1', null],
    ['numeric', '1', null],
    ['timestamptz', '2024-01-01', null],
  ])('%s %j → %j', (type, value, expected) => {
    expect(canonicalJson(col('c', type), value)).toBe(expected);
  });

  it('enums: only their labels; nondeterministic collations and arrays: never', () => {
    expect(canonicalJson(COLUMNS.mood, 'ok')).toBe('"ok"');
    expect(canonicalJson(COLUMNS.mood, 'meh')).toBeNull();
    expect(canonicalJson(COLUMNS.ci, 'abc')).toBeNull();
    expect(canonicalJson(col('c', 'int4', { arrayDims: 1 }), '1')).toBeNull();
  });
});

describe('compileMatcher', () => {
  it('skips a row whose filtered column holds another value, in its old and its new version', () => {
    const eq = [filter('kind', 'eq', 'a')];
    expect(may(eq, { id: 1, kind: 'b' })).toBe(false);
    expect(may(eq, { id: 1, kind: 'b' }, { id: 1, kind: 'c' })).toBe(false);
    expect(may(eq, { id: 1, kind: 'b' }, { id: 1, kind: 'a' })).toBe(true); // enters the view
    expect(may(eq, { id: 1, kind: 'a' }, { id: 1, kind: 'b' })).toBe(true); // leaves it
  });

  it('treats NULL as SQL does, also under NOT', () => {
    expect(may([filter('kind', 'eq', 'a')], { kind: null })).toBe(false);
    expect(may([filter('kind', 'neq', 'a')], { kind: null })).toBe(true); // null <> 'a' is null, but see below
    // not (null = 'a') is null, but a null token could also be a (truncated-hash) collision with a
    // value other than 'a', for which not (x = 'a') is true: maybe
    expect(may([filter('kind', 'eq', 'a', true)], { kind: null })).toBe(true);
    expect(may([filter('kind', 'neq', 'a')], { kind: 'b' })).toBe(true);
    expect(may([filter('kind', 'neq', 'a')], { kind: 'a' })).toBe(true); // equal tokens only ever mean "maybe"
    expect(may([is('kind', 'null')], { kind: 'x' })).toBe(false);
    expect(may([is('kind', 'null')], { kind: null })).toBe(true);
    expect(may([is('kind', 'null', true)], { kind: null })).toBe(true); // presence of a token proves nothing
    expect(may([is('kind', 'null', true)], { kind: 'x' })).toBe(true);
    expect(may([filter('kind', 'isdistinct', 'a')], { kind: null })).toBe(true);
    expect(may([filter('kind', 'isdistinct', 'a', true)], { kind: 'b' })).toBe(false); // 'b' is not distinct from 'a': false
  });

  it('combines conditions in three-valued logic', () => {
    const k = filter('kind', 'eq', 'a');
    const f = filter('id', 'eq', '1');
    expect(may([and(k, f)], { kind: 'a', id: 2 })).toBe(false);
    expect(may([or(k, f)], { kind: 'b', id: 2 })).toBe(false);
    expect(may([or(k, f)], { kind: 'b', id: 1 })).toBe(true);
    // not (kind = 'a' and id = 1): certainly true when kind is another value
    expect(may([not(and(k, f))], { kind: 'b', id: 1 })).toBe(true);
    // not (kind = 'a' or id = 1) with kind 'a': certainly false
    expect(may([not(or(k, f))], { kind: 'a', id: 2 })).toBe(true); // 'a' is only "maybe 'a'" (tokens collide)
    expect(may([not(or(f, filter('kind', 'neq', 'b')))], { kind: 'c', id: 2 })).toBe(false); // not (false or true)
    // not (kind = 'a' or id = 1) with kind 'b', id 2: true
    expect(may([not(or(k, f))], { kind: 'b', id: 2 })).toBe(true);
    // top-level conditions are ANDed; one maybe and one certain false → skip
    expect(may([filter('amount', 'gte', '0'), k], { kind: 'b', amount: 5 })).toBe(false);
    expect(may([filter('amount', 'gte', '0'), k], { kind: 'a', amount: 5 })).toBe(true);
  });

  it('in, eq(any), booleans and enums', () => {
    expect(may([filter('id', 'in', ['1', '2'])], { id: 3 })).toBe(false);
    expect(may([filter('id', 'in', ['1', '2'])], { id: 2 })).toBe(true);
    expect(may([filter('id', 'in', [])], { id: 2 })).toBe(false);
    expect(may([filter('id', 'in', ['1', '2'], true)], { id: 3 })).toBe(true);
    expect(may([filter('id', 'eq', ['1', '2'], false, 'any')], { id: 3 })).toBe(false);
    expect(may([filter('id', 'eq', ['1', '2'], false, 'all')], { id: 3 })).toBe(true); // not analysed: maybe
    expect(may([is('flag', 'true')], { flag: false })).toBe(false);
    expect(may([is('flag', 'true')], { flag: null })).toBe(false);
    expect(may([is('flag', 'false', true)], { flag: true })).toBe(true);
    expect(may([filter('flag', 'eq', 'yes')], { flag: true })).toBe(true);
    expect(may([filter('mood', 'eq', 'ok')], { mood: 'sad' })).toBe(false);
    expect(may([filter('mood', 'eq', 'meh')], { mood: 'sad' })).toBe(true); // not a label: maybe (PostgreSQL will answer)
  });

  it('says maybe for what it cannot decide', () => {
    expect(may([filter('ci', 'eq', 'ABC')], { ci: 'abc' })).toBe(true); // nondeterministic collation
    expect(may([filter('amount', 'eq', '1')], { amount: 2 })).toBe(true); // numeric: 1.0 = 1.00
    expect(may([filter('kind', 'like', 'a*')], { kind: 'b' })).toBe(true);
    expect(may([filter('kind', 'eq', 'x'.repeat(300))], { kind: 'y'.repeat(300) })).toBe(true); // long values are not hashed
    // an image without the column: the table changed shape after the view was planned; the schema
    // reload that DDL triggers re-evaluates every view, so the image is taken at its word
    expect(may([filter('kind', 'eq', 'a')], { id: 1 })).toBe(false);
  });

  it('keepsMembership: only updates of columns no condition and no policy reads keep the total', () => {
    const withPolicy = (policyColumns: readonly string[] | null | undefined, conditions: PlannedCondition[]) => {
      const p = plan(conditions);
      (p.node.source as { relation: Relation }).relation = { ...relation, policyColumns } as Relation;
      return compileMatcher(p, secret)!;
    };
    const m = withPolicy(['flag'], [filter('kind', 'eq', 'a'), or(filter('id', 'gt', '3'), is('mood', 'null'))]);
    expect(m.keepsMembership(['amount'])).toBe(true);
    expect(m.keepsMembership([])).toBe(true);
    expect(m.keepsMembership(['amount', 'kind'])).toBe(false);
    expect(m.keepsMembership(['mood'])).toBe(false); // nested in or()
    expect(m.keepsMembership(['flag'])).toBe(false); // read by a policy
    expect(withPolicy(null, [filter('kind', 'eq', 'a')]).keepsMembership(['amount'])).toBe(false); // a policy reads whole rows
    expect(withPolicy(undefined, []).keepsMembership(['amount'])).toBe(false); // unknown (an old cache)
    expect(withPolicy([], []).keepsMembership(['amount'])).toBe(true);
    const embed = { kind: 'embed-exists', embed: {} as never, exists: true } as PlannedCondition;
    expect(withPolicy([], [embed]).keepsMembership(['amount'])).toBe(false); // depends on other rows
  });

  it('matches everything without conditions, and nothing it cannot see through', () => {
    expect(may([], { id: 1 })).toBe(true);
    expect(compileMatcher(plan([], { inner: true }), secret)).toBeNull();
    expect(compileMatcher(plan([], { kind: 'view' }), secret)).toBeNull();
  });

  it('is sound: whenever the row satisfies the filter, the matcher says maybe (random rows and filters)', () => {
    const kinds = fc.constantFrom('a', 'b', 'c', null);
    const ids = fc.constantFrom(1, 2, 3, null);
    const leaf = fc.oneof(
      fc.record({ op: fc.constantFrom('eq', 'neq', 'isdistinct') as fc.Arbitrary<FilterOperator>, v: fc.constantFrom('a', 'b', 'c'), neg: fc.boolean() }).map((x) => ({
        cond: filter('kind', x.op, x.v, x.neg),
        sql: (r: { kind: string | null }) => sqlNot(x.neg, cmp(x.op, r.kind, x.v)),
      })),
      fc.record({ vs: fc.subarray(['1', '2', '3']), neg: fc.boolean() }).map((x) => ({
        cond: filter('id', 'in', x.vs, x.neg),
        sql: (r: { id: number | null }) => sqlNot(x.neg, r.id === null ? null : x.vs.includes(String(r.id))),
      })),
      fc.boolean().map((neg) => ({ cond: is('kind', 'null', neg), sql: (r: { kind: string | null }) => sqlNot(neg, r.kind === null) })),
    );
    type Leaf = { cond: PlannedCondition; sql: (r: { kind: string | null; id: number | null }) => boolean | null };
    const tree: fc.Arbitrary<Leaf> = fc.letrec<{ node: Leaf }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf as fc.Arbitrary<Leaf>,
        fc.record({ kind: fc.constantFrom('and', 'or'), kids: fc.array(tie('node'), { maxLength: 3 }), neg: fc.boolean() }).map(({ kind, kids, neg }) => ({
          cond: { kind, negated: neg, children: kids.map((k) => k.cond) } as PlannedCondition,
          sql: (r: { kind: string | null; id: number | null }) =>
            sqlNot(neg, kids.reduce<boolean | null>((acc, k) => (kind === 'and' ? and3(acc, k.sql(r)) : or3(acc, k.sql(r))), kind === 'and')),
        })),
      ),
    })).node;
    fc.assert(
      fc.property(tree, fc.array(fc.record({ kind: kinds, id: ids }), { minLength: 1, maxLength: 3 }), (t, rows) => {
        const truth = rows.some((r) => t.sql(r) === true);
        if (truth) expect(may([t.cond], ...rows)).toBe(true);
      }),
      { seed: 20261128, numRuns: 2000 },
    );
  });
});

function cmp(op: FilterOperator, a: string | null, b: string): boolean | null {
  if (op === 'isdistinct') return a !== b;
  if (a === null) return null;
  return op === 'eq' ? a === b : a !== b;
}
function sqlNot(neg: boolean, v: boolean | null): boolean | null {
  return !neg || v === null ? v : !v;
}
function and3(a: boolean | null, b: boolean | null): boolean | null {
  return a === false || b === false ? false : a === null || b === null ? null : true;
}
function or3(a: boolean | null, b: boolean | null): boolean | null {
  return a === true || b === true ? true : a === null || b === null ? null : false;
}
