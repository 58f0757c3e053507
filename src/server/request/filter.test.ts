import { describe, expect, it } from 'vitest';
import type { Condition, EmbedPath, Filter, FilterValue, JsonStep } from './types.js';
import { get, thrown } from './test-helpers.js';

const scalar = (value: string): FilterValue => ({ kind: 'scalar', value });
const list = (...values: string[]): FilterValue => ({ kind: 'list', values });
const f = (name: string, operator: Filter['operator'], value: FilterValue, extra: Partial<Filter> = {}): Filter => ({
  type: 'filter',
  field: { name, json: [] },
  negated: false,
  operator,
  quantifier: null,
  language: null,
  value,
  ...extra,
});
const json = (name: string, ...steps: JsonStep[]): Filter['field'] => ({ name, json: steps });

/** the single condition of `?<query>` */
function one(query: string): { path: EmbedPath; condition: Condition } {
  const { conditions } = get(query);
  expect(conditions).toHaveLength(1);
  return conditions[0]!;
}

describe('filters', () => {
  it.each<[string, Filter]>([
    ['age=lt.13', f('age', 'lt', scalar('13'))],
    ['age=not.gt.13', f('age', 'gt', scalar('13'), { negated: true })],
    ['name=eq.', f('name', 'eq', scalar(''))],
    ['name=eq.Mr.%20Smith', f('name', 'eq', scalar('Mr. Smith'))],
    ['name=eq.a+b', f('name', 'eq', scalar('a b'))],
    ['name=eq.a%2Bb', f('name', 'eq', scalar('a+b'))],
    ['name=eq.100%', f('name', 'eq', scalar('100%'))],
    ['name=like.*son', f('name', 'like', scalar('*son'))],
    ['name=ilike.*SON*', f('name', 'ilike', scalar('*SON*'))],
    ['name=match.^J', f('name', 'match', scalar('^J'))],
    ['name=imatch.^j', f('name', 'imatch', scalar('^j'))],
    ['a=neq.1', f('a', 'neq', scalar('1'))],
    ['a=gte.1', f('a', 'gte', scalar('1'))],
    ['a=lte.1', f('a', 'lte', scalar('1'))],
    ['a=isdistinct.1', f('a', 'isdistinct', scalar('1'))],
    ['tags=cs.{a,b}', f('tags', 'cs', scalar('{a,b}'))],
    ['tags=cd.{a,b}', f('tags', 'cd', scalar('{a,b}'))],
    ['r=ov.[1,5)', f('r', 'ov', scalar('[1,5)'))],
    ['r=sl.(1,10)', f('r', 'sl', scalar('(1,10)'))],
    ['r=sr.(1,10)', f('r', 'sr', scalar('(1,10)'))],
    ['r=nxr.(1,10)', f('r', 'nxr', scalar('(1,10)'))],
    ['r=nxl.(1,10)', f('r', 'nxl', scalar('(1,10)'))],
    ['r=adj.(1,10)', f('r', 'adj', scalar('(1,10)'))],
    ['t=fts.cat', f('t', 'fts', scalar('cat'))],
    ['t=plfts.fat%20cat', f('t', 'plfts', scalar('fat cat'))],
    ['t=phfts(english).fat%20cat', f('t', 'phfts', scalar('fat cat'), { language: 'english' })],
    ['t=not.wfts(french).chat', f('t', 'wfts', scalar('chat'), { language: 'french', negated: true })],
    ['id=in.(1,2,3)', f('id', 'in', list('1', '2', '3'))],
    ['id=in.()', f('id', 'in', list())],
    ['id=in.(1,%202)', f('id', 'in', list('1', ' 2'))],
    ['n=in.("Hebdon,John","Williams,Mary")', f('n', 'in', list('Hebdon,John', 'Williams,Mary'))],
    ['n=in.("a\\"b","c\\\\d",")")', f('n', 'in', list('a"b', 'c\\d', ')'))],
    ['n=in.("a"b,c)', f('n', 'in', list('"a"b', 'c'))],
    ['n=not.in.(a)', f('n', 'in', list('a'), { negated: true })],
    ['a=is.null', f('a', 'is', { kind: 'is', value: 'null' })],
    ['a=is.NULL', f('a', 'is', { kind: 'is', value: 'null' })],
    ['a=is.True', f('a', 'is', { kind: 'is', value: 'true' })],
    ['a=is.false', f('a', 'is', { kind: 'is', value: 'false' })],
    ['a=not.is.unknown', f('a', 'is', { kind: 'is', value: 'unknown' }, { negated: true })],
    ['a=eq(any).{1,2}', f('a', 'eq', list('1', '2'), { quantifier: 'any' })],
    ['a=like(all).{a*, "b,c" ,*d}', f('a', 'like', list('a*', 'b,c', '*d'), { quantifier: 'all' })],
    ['a=not.gt(any).{}', f('a', 'gt', list(), { quantifier: 'any', negated: true })],
    ['data->>name=eq.x', { ...f('data', 'eq', scalar('x')), field: json('data', { arrow: '->>', key: 'name' }) }],
    ['data->a->0=eq.1', { ...f('data', 'eq', scalar('1')), field: json('data', { arrow: '->', key: 'a' }, { arrow: '->', key: 0 }) }],
    ['"information.cpe"=like.*MS*', f('information.cpe', 'like', scalar('*MS*'))],
    ['Unit%20Price=lt.200', f('Unit Price', 'lt', scalar('200'))],
    ['"order"=eq.1', f('order', 'eq', scalar('1'))],
    ['android=eq.1', f('android', 'eq', scalar('1'))],
  ])('%s', (query, expected) => {
    expect(one(query)).toEqual({ path: [], condition: expected });
  });

  it('puts embedded filters on their embed path', () => {
    expect(get('clients.name=eq.x&clients.projects.data->>a=eq.1&c."a.b".x=eq.2').conditions).toEqual([
      { path: ['clients'], condition: f('name', 'eq', scalar('x')) },
      { path: ['clients', 'projects'], condition: { ...f('data', 'eq', scalar('1')), field: json('data', { arrow: '->>', key: 'a' }) } },
      { path: ['c', 'a.b'], condition: f('x', 'eq', scalar('2')) },
    ]);
  });

  it('keeps repeated filters, in order', () => {
    expect(get('a=gt.1&a=lt.5&b=eq.x').conditions.map((c) => c.condition)).toEqual([
      f('a', 'gt', scalar('1')),
      f('a', 'lt', scalar('5')),
      f('b', 'eq', scalar('x')),
    ]);
  });

  it.each([
    ['a=foo.1', 'PGLIVE101', /^"a" parameter: unknown operator "foo"/],
    ['a=not.foo.1', 'PGLIVE101', /unknown operator "foo"/],
    ['a=EQ.1', 'PGLIVE101', /unknown operator "EQ"/],
    ['a=John', 'PGRST100', /expected "operator.value" \(e.g. eq.John\), got "John"/],
    ['a=', 'PGRST100', /expected an operator/],
    ['a=eq', 'PGRST100', /expected "." after the operator "eq"/],
    ['a=not.not.eq.1', 'PGLIVE101', /unknown operator "not"/],
    ['a=in.1,2', 'PGRST100', /expected a list "\(a,b,…\)" after "in."/],
    ['a=in.(1,2', 'PGRST100', /expected "," or "\)" in the list/],
    ['a=in.(1,2)x', 'PGRST100', /unexpected "x"/],
    ['a=is.maybe', 'PGRST100', /"is" takes null, true, false or unknown, got "maybe"/],
    ['a=is.', 'PGRST100', /"is" takes null/],
    ['a=eq(some).{1}', 'PGRST100', /expected \(any\) or \(all\) after "eq", got "\(some\)"/],
    ['a=in(any).(1)', 'PGRST100', /the operator "in" takes no "\(…\)" modifier/],
    ['a=fts(a b).x', 'PGRST100', /invalid text search language "a b"/],
    ['a=eq(any.{1}', 'PGRST100', /expected "\)"/],
    ['a=eq(any).1', 'PGRST100', /expected an array "\{a,b,…\}"/],
    ['a=eq(any).{1,{2}}', 'PGRST100', /nested arrays are not supported/],
    ['a=eq(any).{"x}', 'PGRST100', /unterminated double quote in the array/],
    ['a=eq(any).{1}x', 'PGRST100', /unexpected "x"/],
    ['a.b->x.c=eq.1', 'PGRST100', /a JSON path is only allowed on the last segment, not on "b"/],
    ['a..b=eq.1', 'PGRST100', /expected a column name/],
    ['=eq.1', 'PGRST100', /expected a column name/],
    ['a(b)=eq.1', 'PGRST100', /unexpected "\("/],
  ])('rejects %s with %s', (query, code, message) => {
    const e = thrown(() => get(query));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });

  it('limits the number of conditions', () => {
    const many = (n: number): string => Array.from({ length: n }, (_, i) => `c${i}=eq.${i}`).join('&');
    expect(get(many(200)).conditions).toHaveLength(200);
    expect(thrown(() => get(many(201))).code).toBe('PGLIVE107');
    expect(thrown(() => get(many(4), { maxConditions: 3 })).message).toMatch(/more than 3 filter conditions/);
  });

  it('limits embed paths to maxDepth', () => {
    expect(get('a.b.c=eq.1', { maxDepth: 2 }).conditions).toHaveLength(1);
    expect(thrown(() => get('a.b.c.d=eq.1', { maxDepth: 2 })).code).toBe('PGLIVE107');
  });
});

describe('logic trees', () => {
  const or = (children: Condition[], negated = false): Condition => ({ type: 'or', negated, children });
  const and = (children: Condition[], negated = false): Condition => ({ type: 'and', negated, children });

  it.each<[string, EmbedPath, Condition]>([
    ['or=(a.eq.1,b.gt.2)', [], or([f('a', 'eq', scalar('1')), f('b', 'gt', scalar('2'))])],
    ['and=(a.eq.1)', [], and([f('a', 'eq', scalar('1'))])],
    ['not.or=(a.eq.1,b.eq.2)', [], or([f('a', 'eq', scalar('1')), f('b', 'eq', scalar('2'))], true)],
    ['not.and=(a.eq.1)', [], and([f('a', 'eq', scalar('1'))], true)],
    [
      'or=(a.eq.1,and(b.gt.2,c.lt.3),not.and(d.eq.4,or(e.eq.5)))',
      [],
      or([
        f('a', 'eq', scalar('1')),
        and([f('b', 'gt', scalar('2')), f('c', 'lt', scalar('3'))]),
        and([f('d', 'eq', scalar('4')), or([f('e', 'eq', scalar('5'))])], true),
      ]),
    ],
    ['or=( a.eq.1 , b.eq.2 )', [], or([f('a', 'eq', scalar('1 ')), f('b', 'eq', scalar('2 '))])],
    ['or=(a.not.eq.1,b.not.is.null)', [], or([f('a', 'eq', scalar('1'), { negated: true }), f('b', 'is', { kind: 'is', value: 'null' }, { negated: true })])],
    ['or=(n.eq."a,b",n.eq."x)y",n.eq."q\\"")', [], or([f('n', 'eq', scalar('a,b')), f('n', 'eq', scalar('x)y')), f('n', 'eq', scalar('q"'))])],
    ['or=(n.eq."a"b)', [], or([f('n', 'eq', scalar('"a"b'))])],
    ['or=(id.in.(1,"2,3"),id.not.in.())', [], or([f('id', 'in', list('1', '2,3')), f('id', 'in', list(), { negated: true })])],
    ['or=(tags.cs.{a,b},tags.cd.{})', [], or([f('tags', 'cs', scalar('{a,b}')), f('tags', 'cd', scalar('{}'))])],
    ['or=(a.eq(any).{1,2},b.like(all).{x*})', [], or([f('a', 'eq', list('1', '2'), { quantifier: 'any' }), f('b', 'like', list('x*'), { quantifier: 'all' })])],
    ['or=(t.fts(english).cat,t.is.TRUE)', [], or([f('t', 'fts', scalar('cat'), { language: 'english' }), f('t', 'is', { kind: 'is', value: 'true' })])],
    ['or=(data->>a.eq.1,"x.y".eq.2)', [], or([{ ...f('data', 'eq', scalar('1')), field: json('data', { arrow: '->>', key: 'a' }) }, f('x.y', 'eq', scalar('2'))])],
    ['or=(and.eq.1,not.eq.2,or.gt.3)', [], or([f('and', 'eq', scalar('1')), f('not', 'eq', scalar('2')), f('or', 'gt', scalar('3'))])],
    ['or=(a.eq.)', [], or([f('a', 'eq', scalar(''))])],
    ['clients.or=(a.eq.1)', ['clients'], or([f('a', 'eq', scalar('1'))])],
    ['clients.projects.not.and=(a.eq.1)', ['clients', 'projects'], and([f('a', 'eq', scalar('1'))], true)],
  ])('%s', (query, path, condition) => {
    expect(one(query)).toEqual({ path, condition });
  });

  it.each([
    ['or=a.eq.1', 'PGRST100', /^"or" parameter: expected "\(" to open a list of conditions/],
    ['or=()', 'PGRST100', /expected a column name/],
    ['or=(a.eq.1', 'PGRST100', /expected "," or "\)"/],
    ['or=(a.eq.1))', 'PGRST100', /unexpected "\)"/],
    ['or=(a.eq.1,)', 'PGRST100', /expected a column name/],
    ['or=(a)', 'PGRST100', /expected "." between the column and the operator/],
    ['or=(a.zz.1)', 'PGLIVE101', /unknown operator "zz"/],
    ['or=(a.b.eq.1)', 'PGLIVE101', /unknown operator "b"/],
    ['or=(a.is.maybe)', 'PGRST100', /"is" takes null/],
    ['or=(a.in.1)', 'PGRST100', /expected a list/],
    ['not.or=(and(a.eq.1)', 'PGRST100', /expected "," or "\)"/],
    ['clients.and=x', 'PGRST100', /^"clients.and" parameter: expected "\("/],
  ])('rejects %s', (query, code, message) => {
    const e = thrown(() => get(query));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });

  it('counts leaves against maxConditions and nesting against maxDepth', () => {
    const leaves = (n: number): string => Array.from({ length: n }, (_, i) => `c.eq.${i}`).join(',');
    expect(thrown(() => get(`or=(${leaves(201)})`)).code).toBe('PGLIVE107');
    expect(thrown(() => get(`or=(${leaves(2)})&a=eq.1`, { maxConditions: 2 })).code).toBe('PGLIVE107');
    const nest = (n: number): string => (n === 0 ? 'a.eq.1' : `and(${nest(n - 1)})`);
    expect(() => get(`or=(${nest(7)})`)).not.toThrow();
    expect(thrown(() => get(`or=(${nest(8)})`)).message).toMatch(/nested deeper than 8/);
    expect(thrown(() => get(`or=(${'and('.repeat(50_000)}`)).code).toBe('PGLIVE107');
  });
});
