import { describe, expect, it } from 'vitest';
import type { SelectItem } from './types.js';
import { get, thrown } from './test-helpers.js';

const col = (name: string, extra: Partial<Extract<SelectItem, { type: 'column' }>> = {}): SelectItem => ({
  type: 'column',
  field: { name, json: [] },
  alias: null,
  cast: null,
  ...extra,
});
const embed = (name: string, select: SelectItem[], extra: Partial<Extract<SelectItem, { type: 'embed' }>> = {}): SelectItem => ({
  type: 'embed',
  name,
  alias: null,
  hint: null,
  inner: false,
  spread: false,
  select,
  ...extra,
});
const star: SelectItem = { type: 'star' };
const sel = (value: string): readonly SelectItem[] => get(`select=${encodeURIComponent(value)}`).select;

describe('select', () => {
  it('defaults to * when absent, and is empty when blank', () => {
    expect(get('').select).toEqual([star]);
    expect(sel('')).toEqual([]);
  });

  it.each<[string, SelectItem[]]>([
    ['*', [star]],
    ['id,name', [col('id'), col('name')]],
    [' id , name ', [col('id'), col('name')]],
    ['first name', [col('first name')]],
    ['my-col', [col('my-col')]],
    ['$x,ünï', [col('$x'), col('ünï')]],
    ['fullName:full_name', [col('full_name', { alias: 'fullName' })]],
    ['salary::text', [col('salary', { cast: 'text' })]],
    ['n:salary::double precision', [col('salary', { alias: 'n', cast: 'double precision' })]],
    ['tags::text[]', [col('tags', { cast: 'text[]' })]],
    ['"my col","a.b:c","x\\"y"', [col('my col'), col('a.b:c'), col('x"y')]],
    ['"a":"b"', [col('b', { alias: 'a' })]],
    [
      'data->a->>b',
      [col('data', { field: { name: 'data', json: [{ arrow: '->', key: 'a' }, { arrow: '->>', key: 'b' }] } })],
    ],
    [
      'data->0->-1->"a.b"',
      [
        col('data', {
          field: {
            name: 'data',
            json: [
              { arrow: '->', key: 0 },
              { arrow: '->', key: -1 },
              { arrow: '->', key: 'a.b' },
            ],
          },
        }),
      ],
    ],
    [
      'x:data->a::int',
      [col('data', { alias: 'x', cast: 'int', field: { name: 'data', json: [{ arrow: '->', key: 'a' }] } })],
    ],
    ['clients(*)', [embed('clients', [star])]],
    ['clients()', [embed('clients', [])]],
    ['c:clients(id)', [embed('clients', [col('id')], { alias: 'c' })]],
    ['clients!client_fk(id)', [embed('clients', [col('id')], { hint: 'client_fk' })]],
    ['clients!inner(id)', [embed('clients', [col('id')], { inner: true })]],
    ['clients!left(id)', [embed('clients', [col('id')])]],
    ['clients!fk!inner(id)', [embed('clients', [col('id')], { hint: 'fk', inner: true })]],
    ['c:clients!fk!left(id)', [embed('clients', [col('id')], { alias: 'c', hint: 'fk' })]],
    ['clients!"fk.x"(id)', [embed('clients', [col('id')], { hint: 'fk.x' })]],
    ['...clients(name)', [embed('clients', [col('name')], { spread: true })]],
    ['...clients!fk!inner(n:name)', [embed('clients', [col('name', { alias: 'n' })], { spread: true, hint: 'fk', inner: true })]],
    ['"Order Items"(id)', [embed('Order Items', [col('id')])]],
    [
      'id, clients ( name , projects ( * , tasks(id) ) )',
      [col('id'), embed('clients', [col('name'), embed('projects', [star, embed('tasks', [col('id')])])])],
    ],
  ])('%s', (input, expected) => {
    expect(sel(input)).toEqual(expected);
  });

  it.each([
    ['id,', /expected a column or relation name at the end/],
    ['id,,name', /expected a column or relation name/],
    ['clients(id', /expected "\)" at the end of "clients\(id"/],
    ['clients(id))', /unexpected "\)"/],
    ['clients!(id)', /expected a hint or join type/],
    ['clients!fk!outer(id)', /unknown join type "outer"/],
    ['clients!inner!fk(id)', /expected "\(" after the embedded relation "clients"/],
    ['...clients', /expected "\(" after the embedded relation/],
    ['...c:clients(id)', /expected "\(" after the embedded relation "c"/],
    ['id::', /expected a type name after "::"/],
    ['"unterminated', /unterminated double quote/],
    ['""', /empty quoted name/],
    ['data->', /expected a JSON key or index after "->"/],
    ['a:*', /expected a column or relation name after the alias "a"/],
    ['sum(x).y', /unexpected "\."/],
    ['clients(id)::int', /unexpected ":"/],
  ])('rejects %s', (input, message) => {
    const e = thrown(() => sel(input));
    expect(e.code).toBe('PGRST100');
    expect(e.message).toMatch(/^"select" parameter: /);
    expect(e.message).toMatch(message);
  });

  it('limits embed depth', () => {
    const nested = (n: number): string => (n === 0 ? 'id' : `r${n}(${nested(n - 1)})`);
    expect(() => get(`select=${nested(8)}`)).not.toThrow();
    const e = thrown(() => get(`select=${nested(9)}`));
    expect(e.code).toBe('PGLIVE107');
    expect(e.message).toMatch(/deeper than 8/);
    expect(thrown(() => get(`select=${nested(3)}`, { maxDepth: 2 })).code).toBe('PGLIVE107');
    // a hostile depth fails fast on the limit, never on the stack
    expect(thrown(() => get(`select=${'a('.repeat(50_000)}`)).code).toBe('PGLIVE107');
  });

  it('keeps the first of repeated select params', () => {
    expect(get('select=a&select=b').select).toEqual([col('a')]);
  });
});
