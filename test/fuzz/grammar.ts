/**
 * fast-check arbitraries for plausible-but-hostile PostgREST requests against
 * the rest.sql + clients.sql fixtures. Most fragments are built from the real
 * columns and relationships of the target, so requests get past the parser
 * into the planner, the SQL builder and PostgreSQL; a minority are corrupted
 * (fake names, junk operators, special characters, unicode, long strings,
 * odd encodings) so the error paths of every stage are exercised too.
 */
import fc from 'fast-check';

export const SCRATCH = 'fuzz_scratch';
const SCRATCH_COLUMNS = ['id', 'label', 'n', 'price', 'tags', 'doc', 'at', 'flag', 'code'];
const FILM_COLUMNS = ['id', 'title', 'year', 'director_id', 'rating', 'tags', 'meta', 'mood', 'created_at', 'search'];

interface Target {
  readonly columns: readonly string[];
  readonly embeds: readonly string[];
  /** rpc: argument names, sent as query parameters on GET */
  readonly args?: readonly string[];
}

/** what each readable target has (salary on employees is not granted: a 42501 path) */
const TARGETS: Readonly<Record<string, Target>> = {
  films: { columns: FILM_COLUMNS, embeds: ['directors', 'actors', 'film_actors'] },
  directors: { columns: ['id', 'name', 'country'], embeds: ['films'] },
  actors: { columns: ['id', 'name'], embeds: ['films', 'film_actors'] },
  film_actors: { columns: ['film_id', 'actor_id', 'role_name'], embeds: ['films', 'actors'] },
  'Order Items': { columns: ['order id', 'line no', 'select', 'prénom'], embeds: [] },
  employees: { columns: ['id', 'name', 'manager_id', 'salary'], embeds: ['employees'] },
  notes: { columns: ['id', 'owner', 'body'], embeds: [] },
  ranges: { columns: ['id', 'r', 'nums'], embeds: [] },
  film_titles: { columns: ['id', 'title', 'year'], embeds: ['directors'] },
  director_counts: { columns: ['id', 'name', 'films'], embeds: ['films'] },
  client_items: { columns: ['id', 'sku', 'name', 'qty', 'note'], embeds: [] },
  ra_posts: { columns: ['id', 'title', 'author_id', 'views', 'rank', 'published'], embeds: ['ra_authors', 'ra_post_tags'] },
  ra_authors: { columns: ['id', 'name'], embeds: ['ra_posts'] },
  [SCRATCH]: { columns: SCRATCH_COLUMNS, embeds: [] },
  things: { columns: ['id', 'label'], embeds: [] },
  // functions that neither write nor run long, whatever their arguments
  'rpc/films_since': { columns: FILM_COLUMNS, embeds: ['directors', 'actors'], args: ['y'] },
  'rpc/add_them': { columns: [], embeds: [], args: ['a', 'b'] },
  'rpc/bump': { columns: [], embeds: [], args: ['x'] },
  'rpc/favourite_mood': { columns: [], embeds: [], args: [] },
  'rpc/whoami': { columns: [], embeds: [], args: [] },
  'rpc/nothing': { columns: [], embeds: [], args: [] },
};
export const RPC_NAMES = Object.keys(TARGETS).filter((k) => k.startsWith('rpc/')).map((k) => k.slice(4));

const FAKE_TARGETS = [
  'nope', 'rpc/nope', 'rpc/', 'rpc', 'films/1', 'public.films', 'rest_two.things', 'pg_catalog.pg_class', 'pglive.users',
  'films;drop table films', '"films"', 'FILMS', 'ＦＩＬＭＳ', '..', '%2e%2e', 'films%00', 'rpc/series/x',
];
const FAKE_COLUMNS = [
  'nope', '"', '""', 'id"', 'id;--', '*', 'x y', '🙂', 'a'.repeat(70), '1id', 'meta->', '->>a', 'order', 'limit',
  'or', 'and', 'not', 'id,title', '(id)', 'id::', 'ctid', 'xmin', 'oid', '\\', "'", '',
];
const SCALAR_OPERATORS = [
  'eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'match', 'imatch', 'isdistinct', 'fts', 'plfts', 'phfts', 'wfts',
  'cs', 'cd', 'ov', 'sl', 'sr', 'nxr', 'nxl', 'adj', 'fts(english)', 'wfts(simple)', 'not.eq', 'not.like', 'not.cs',
];
const QUANTIFIED_OPERATORS = ['eq(any)', 'like(all)', 'ilike(any)', 'gt(all)', 'not.eq(any)'];
const BAD_OPERATORS = ['bogus', '', 'in(any)', 'plfts(nope)', 'fts()', 'not.not.eq', 'EQ', 'eq(some)', 'not'];
/** values that fit some column of the fixtures, so filters match rows */
const PLAIN_VALUES = ['1', '2', '3', '5', '1950', '1985', '8.2', 'Ran', 'Rashomon', 'Ann', 'ja', 'fr', 'happy', 'sad', 'classic', 'a', '*a*', '%R%', 'samurai', 'true', 'false', 'null', '2024-01-01', '{classic}', '{"lang":"ja"}', '[1,10)', '(1,2,3)', '{1,2}', 'one', 'c1'];
const SPECIAL_VALUES = [
  'unknown', 'NULL', '', '{}', '{a,b}', '{"a":1}', '[1,2]', '("a,b",c)', '()', '(,)', 'empty', '1e400', '-1', '0',
  '9999999999999999999', '0.5', 'NaN', 'Infinity', '2024-13-45', 'now', 'epoch', "'", '"', '\\', '%', '%zz', '%E0%A4%A',
  '%00', '*', '(', ')', ',', '.', ':', '::', '->', '\u0000', '\u202e', '😀', 'ß', 'İ', "' or 1=1 --",
  '"; drop table films; --', '$1', '${x}', 'a & b', '!x', 'a <-> b', '"seven samurai"', '^R.*n$', '(((', ')))', '[', '\t', '{{{{{{{a}}}}}}}',
];
const CASTS = ['text', 'int', 'bigint', 'numeric', 'json', 'jsonb', 'date', 'boolean', 'nope', 'text[]', 'int;drop', ''];
const HINTS = ['', '', '', '!inner', '!left', '!films_director_id_fkey', '!director_id', '!nope', '!inner!inner', '!'];

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
/** mostly `good`, sometimes `bad`: plausible requests with a minority of corruptions */
const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>, badWeight = 1) =>
  fc.oneof({ weight: 12, arbitrary: good }, { weight: badWeight, arbitrary: bad });

const longString = fc.string({ minLength: 1000, maxLength: 4000 });
const junkValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: pick(SPECIAL_VALUES) },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 2, arbitrary: fc.string({ maxLength: 16 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.array(pick(SPECIAL_VALUES), { minLength: 2, maxLength: 4 }).map((xs) => xs.join('')) },
  { weight: 1, arbitrary: longString },
);
export const value = mostly(fc.oneof(pick(PLAIN_VALUES), fc.integer({ min: -5, max: 3000 }).map(String)), junkValue, 2);
const listOf = (v: fc.Arbitrary<string>, open: string, close: string) => fc.array(v, { maxLength: 3 }).map((xs) => `${open}${xs.join(',')}${close}`);
/** `op.value` with a value of the shape the operator takes, or (sometimes) any shape */
const opAndValue: fc.Arbitrary<string> = mostly(
  fc.oneof(
    { weight: 6, arbitrary: fc.tuple(pick(SCALAR_OPERATORS), value).map(([o, v]) => `${o}.${v}`) },
    { weight: 2, arbitrary: fc.tuple(pick(['in', 'not.in']), listOf(value, '(', ')')).map(([o, v]) => `${o}.${v}`) },
    { weight: 1, arbitrary: fc.tuple(pick(QUANTIFIED_OPERATORS), listOf(value, '{', '}')).map(([o, v]) => `${o}.${v}`) },
    { weight: 1, arbitrary: fc.tuple(pick(['is', 'not.is']), pick(['null', 'true', 'false', 'unknown'])).map(([o, v]) => `${o}.${v}`) },
  ),
  fc.tuple(fc.oneof(pick(BAD_OPERATORS), pick(SCALAR_OPERATORS), pick(QUANTIFIED_OPERATORS), fc.string({ maxLength: 6 })), fc.oneof(value, listOf(value, '(', ')'), listOf(value, '{', '}'))).map(([o, v]) => `${o}.${v}`),
);

/** the arbitraries for one target: its own columns mostly, anything sometimes */
function fragments(t: Target) {
  const own = t.columns.length > 0 ? pick(t.columns) : pick(['id', 'x']);
  const jsonPath = fc.tuple(pick(['meta', 'doc', 'title', 'nope']), pick(['->', '->>']), pick(['lang', 'awards', '0', 'k', "'"])).map((xs) => xs.join(''));
  const column = mostly(own, fc.oneof(pick(FAKE_COLUMNS), jsonPath, fc.string({ maxLength: 10 })));
  const embedName = t.embeds.length > 0 ? mostly(pick(t.embeds), pick(['nope', 'films', 'rpc', 'directors'])) : pick(['nope', 'films', 'directors']);

  const leaf = fc.tuple(column, opAndValue).map(([c, ov]) => `${c}.${ov}`);
  const { tree } = fc.letrec<{ tree: string; node: string }>((tie) => ({
    tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('node')),
    node: fc.tuple(mostly(pick(['or', 'and', 'not.or', 'not.and']), pick(['xor', 'OR', ''])), fc.array(tie('tree'), { minLength: 1, maxLength: 2 })).map(([k, xs]) => `${k}(${xs.join(',')})`),
  }));
  const logic = fc.array(tree, { minLength: 1, maxLength: 2 }).map((xs) => `(${xs.join(',')})`);

  // embedded selects use the columns of any fixture table: correct ones often enough
  const embedColumn = mostly(pick(['id', 'name', 'title', 'year', 'role_name', 'country', '*']), pick(FAKE_COLUMNS));
  const field = fc.oneof(
    { weight: 6, arbitrary: column },
    { weight: 1, arbitrary: fc.tuple(pick(['alias', 'x y', '"q"', 'a1']), column).map(([a, c]) => `${a}:${c}`) },
    { weight: 1, arbitrary: fc.tuple(column, pick(CASTS)).map(([c, ty]) => `${c}::${ty}`) },
    { weight: 1, arbitrary: mostly(pick(['*', 'count()', 'id.count()']), pick(['...', '()', ',', ''])) },
  );
  const embed = fc
    .tuple(pick(['', '', 'alias:', '...']), embedName, pick(HINTS), fc.array(embedColumn, { minLength: 1, maxLength: 3 }))
    .map(([p, e, h, cols]) => `${p}${e}${h}(${cols.join(',')})`);
  const select = fc.array(fc.oneof({ weight: 3, arbitrary: field }, { weight: 1, arbitrary: embed }), { minLength: 1, maxLength: 4 }).map((xs) => xs.join(','));

  const direction = mostly(pick(['', '.asc', '.desc', '.asc.nullsfirst', '.desc.nullslast', '.nullsfirst']), pick(['.bogus', '.x.y', '.']));
  const orderTerm = fc.tuple(fc.oneof({ weight: 5, arbitrary: column }, { weight: 1, arbitrary: embedName.map((e) => `${e}(name)`) }), direction).map(([c, d]) => c + d);
  const order = fc.array(orderTerm, { minLength: 1, maxLength: 3 }).map((xs) => xs.join(','));
  const count = mostly(fc.integer({ min: 0, max: 10 }).map(String), fc.oneof(fc.integer({ min: -3, max: 1_000_000 }).map(String), pick(['', 'abc', '1.5', '1e3', '-0', '99999999999999999999', ' 1'])));
  const embedded = (key: string) => embedName.map((e) => `${e}.${key}`);

  const param = fc.oneof(
    { weight: 6, arbitrary: kv(column, opAndValue) },
    { weight: 4, arbitrary: kv(fc.constant('select'), select) },
    { weight: 2, arbitrary: kv(pick(['or', 'and', 'not.or', 'not.and']), logic) },
    { weight: 3, arbitrary: kv(fc.constant('order'), order) },
    { weight: 2, arbitrary: kv(pick(['limit', 'offset']), count) },
    { weight: 1, arbitrary: kv(fc.oneof(embedded('order'), embedded('limit')), fc.oneof(order, count)) },
    { weight: 1, arbitrary: kv(fc.tuple(embedName, embedColumn).map(([e, c]) => `${e}.${c}`), opAndValue) },
    { weight: 1, arbitrary: kv(pick(['columns', 'on_conflict']), fc.array(column, { minLength: 1, maxLength: 3 }).map((xs) => xs.join(','))) },
    { weight: t.args && t.args.length > 0 ? 3 : 0, arbitrary: kv(pick(t.args && t.args.length > 0 ? t.args : ['a']), value) },
    { weight: 1, arbitrary: fc.oneof(pick(['', '&', '=', '==', 'select', 'a=b=c', '%', '%zz=1', 'id=eq.1&id=eq.2', 'select=id&select=title']), fc.string({ maxLength: 20 })) },
  );
  return { param, query: fc.array(param, { maxLength: 4 }).map((xs) => xs.join('&')) };
}

type Encoding = 'raw' | 'component' | 'every-byte';
function encode(s: string, how: Encoding): string {
  if (how === 'raw') return s;
  if (how === 'component') return encodeURIComponent(s);
  return [...new TextEncoder().encode(s)].map((b) => '%' + b.toString(16).padStart(2, '0').toUpperCase()).join('');
}
const encoding = fc.constantFrom<Encoding>('raw', 'raw', 'raw', 'component', 'component', 'every-byte');
function kv(key: fc.Arbitrary<string>, val: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(key, val, encoding, encoding).map(([k, v, ek, ev]) => `${encode(k, ek)}=${encode(v, ev)}`);
}

const FRAGMENTS = new Map(Object.entries(TARGETS).map(([name, t]) => [name, fragments(t)]));
const anyTarget = fragments({ columns: [...FILM_COLUMNS, ...SCRATCH_COLUMNS, 'name'], embeds: ['directors', 'films'] });

/** a path under /api/ and a query string that fits it (mostly) */
export const readTarget: fc.Arbitrary<{ path: string; query: string }> = fc
  .oneof(
    { weight: 10, arbitrary: pick([...FRAGMENTS.keys()]) },
    { weight: 1, arbitrary: pick(FAKE_TARGETS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  )
  .chain((name) =>
    fc.tuple(fc.constant(name), encoding, (FRAGMENTS.get(name) ?? anyTarget).query).map(([n, how, query]) => ({
      path: `/api/${how === 'raw' ? encodeURI(n) : encode(n, how)}`,
      query,
    })),
  );

/** query parameters for writes to the scratch table */
export const scratchParams = fc.array(FRAGMENTS.get(SCRATCH)!.param, { maxLength: 3 });
export const rpcParams = (fn: string) => fc.array((FRAGMENTS.get(`rpc/${fn}`) ?? anyTarget).param, { maxLength: 3 });

const PREFERENCES = [
  'count=exact', 'count=planned', 'count=estimated', 'return=representation', 'return=minimal', 'return=headers-only',
  'resolution=merge-duplicates', 'resolution=ignore-duplicates', 'missing=default', 'handling=lenient', 'tx=rollback',
  'max-affected=1', 'timezone=UTC',
];
const BAD_PREFERENCES = ['count=bogus', 'missing=null', 'handling=strict', 'max-affected=-1', 'params=single-object', 'allow-unfiltered', 'return', '=', ';'];
const MEDIA = ['application/json', 'text/csv', 'application/vnd.pgrst.object+json', '*/*', 'application/json;q=0.5, text/csv'];
const BAD_MEDIA = [
  'application/vnd.pgrst.object+json;nulls=stripped', 'application/vnd.pgrst.array+json;nulls=stripped', 'application/geo+json',
  'application/openapi+json', 'text/*', 'text/html', 'application/vnd.pgrst.plan+text', 'application/octet-stream', '',
];
const PROFILES = ['public', 'rest_two'];
const BAD_PROFILES = ['pglive', 'pg_catalog', 'nope', '', 'public,rest_two'];
const RANGES = ['0-9', '5-', '0-0', '1-2'];
const BAD_RANGES = ['-5', '10-1', 'items=0-2', '0-999999999999', 'abc', '1-1-1', ''];
const printable = fc.string({ maxLength: 24 });
const header = (good: readonly string[], bad: readonly string[]) => mostly(pick(good), fc.oneof(pick(bad), printable), 2);

export const headers: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    prefer: fc.array(header(PREFERENCES, BAD_PREFERENCES), { minLength: 1, maxLength: 3 }).map((xs) => xs.join(', ')),
    accept: header(MEDIA, BAD_MEDIA),
    range: header(RANGES, BAD_RANGES),
    'range-unit': pick(['items', 'bytes', 'nope']),
    'accept-profile': header(PROFILES, BAD_PROFILES),
    'content-profile': header(PROFILES, BAD_PROFILES),
  },
).chain((h: Record<string, string>) => fc.subarray(Object.keys(h), { maxLength: 2 }).map((keep) => Object.fromEntries(keep.map((k) => [k, h[k]!]))));

// --- bodies for writes to the scratch table and for rpc ---------------------

const bodyKey = mostly(pick([...SCRATCH_COLUMNS, 'a', 'b', 'x', 'y']), fc.oneof(pick(FAKE_COLUMNS), fc.string({ maxLength: 8 })));
const bodyValue = fc.oneof(
  { weight: 3, arbitrary: value },
  { weight: 2, arbitrary: fc.integer({ min: -2_000_000, max: 2_000_000 }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, ['a', 'b'], { k: 1 }, 1e300, -0, 0.125) },
);
const row = fc.dictionary(bodyKey, bodyValue, { maxKeys: 5 });
const jsonBody = fc.oneof(
  { weight: 5, arbitrary: row },
  { weight: 3, arbitrary: fc.array(row, { minLength: 1, maxLength: 4 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);
const csvBody = fc
  .tuple(fc.array(bodyKey, { minLength: 1, maxLength: 3 }), fc.array(fc.array(value, { maxLength: 3 }), { maxLength: 3 }))
  .map(([head, rows]) => [head.join(','), ...rows.map((r) => r.join(','))].join('\n'));
const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8'];
const BAD_CONTENT_TYPES = ['application/vnd.pgrst.object+json', 'application/x-www-form-urlencoded', 'text/plain', 'application/octet-stream', 'multipart/form-data', 'text/csv', ''];

export interface WriteBody {
  readonly contentType: string;
  readonly payload: string;
}
export const body: fc.Arbitrary<WriteBody> = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(pick(CONTENT_TYPES), jsonBody).map(([contentType, b]) => ({ contentType, payload: JSON.stringify(b) })) },
  { weight: 1, arbitrary: fc.tuple(pick(['text/csv', 'text/csv; charset=utf-8']), csvBody).map(([contentType, payload]) => ({ contentType, payload })) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(pick([...CONTENT_TYPES, ...BAD_CONTENT_TYPES]), fc.oneof(fc.string({ maxLength: 40 }), pick(['{', '[', '{"a":', 'null', '""', '[]', '{}', '[{}]', '[1,2]', '{"label": "\\ud800"}', '{"label": "\\u0000"}'])))
      .map(([contentType, payload]) => ({ contentType, payload })),
  },
  { weight: 1, arbitrary: fc.tuple(pick(CONTENT_TYPES), longString).map(([contentType, s]) => ({ contentType, payload: JSON.stringify({ label: s, code: s }) })) },
);
