/**
 * @supabase/postgrest-js, unmodified, against a listening pglive: reads.
 * Select (aliases, embeds, hints, !inner), every filter helper, ordering,
 * pagination, singular responses, counts and CSV. Expected values are what
 * PostgREST returns for the same fixture (test/fixtures/rest.sql).
 * Writes, RPC, schemas and errors: postgrest-js-writes.pg.test.ts.
 */
import { PostgrestClient } from '@supabase/postgrest-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jwtFor } from '../support/app.js';
import { loggingFetch, startClientServer, type ClientServer } from './server.js';

let server: ClientServer;
let db: PostgrestClient;

beforeAll(async () => {
  server = await startClientServer(['rest.sql', 'clients.sql']);
  const token = await jwtFor('rest_user', { email: 'alice@x.test' });
  db = new PostgrestClient(server.apiUrl, { headers: { Authorization: `Bearer ${token}` }, fetch: loggingFetch });
});
afterAll(async () => server?.close());

/** the ids of a films/directors result, for filters where only the row set matters */
async function ids(q: PromiseLike<{ data: unknown; error: unknown }>): Promise<number[]> {
  const { data, error } = await q;
  expect(error).toBeNull();
  return (data as { id: number }[]).map((r) => r.id);
}

describe('select', () => {
  it('columns and aliases', async () => {
    const { data, error, status } = await db.from('films').select('id, name:title, year').order('id').limit(2);
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(data).toEqual([
      { id: 1, name: 'Rashomon', year: 1950 },
      { id: 2, name: 'Seven Samurai', year: 1954 },
    ]);
  });

  it('casts and JSON paths', async () => {
    const { data, error } = await db.from('films').select('id::text, lang:meta->>lang, awards:meta->awards->count').eq('id', 1);
    expect(error).toBeNull();
    expect(data).toEqual([{ id: '1', lang: 'ja', awards: 3 }]);
  });

  it('embeds a to-one relation, aliased', async () => {
    const { data, error } = await db.from('films').select('title, director:directors(name, country)').eq('id', 4);
    expect(error).toBeNull();
    expect(data).toEqual([{ title: 'Cléo from 5 to 7', director: { name: 'Agnès Varda', country: 'FR' } }]);
  });

  it('embeds a to-many relation ordered and limited through referencedTable', async () => {
    const { data, error } = await db
      .from('directors')
      .select('name, films(title, year)')
      .order('id')
      .order('year', { referencedTable: 'films', ascending: false })
      .limit(1, { referencedTable: 'films' });
    expect(error).toBeNull();
    expect(data).toEqual([
      { name: 'Akira Kurosawa', films: [{ title: 'Ran', year: 1985 }] },
      { name: 'Agnès Varda', films: [{ title: 'Vagabond', year: 1985 }] },
      { name: 'Nobody', films: [] },
    ]);
  });

  it('embeds many-to-many through the join table (foreignTable option)', async () => {
    const { data, error } = await db.from('films').select('title, actors(name)').eq('id', 1).order('name', { foreignTable: 'actors' });
    expect(error).toBeNull();
    expect(data).toEqual([{ title: 'Rashomon', actors: [{ name: 'Takashi Shimura' }, { name: 'Toshiro Mifune' }] }]);
  });

  it('embeds the join table and its to-one target', async () => {
    const { data, error } = await db.from('films').select('id, film_actors(role_name, actors(name))').eq('id', 2).order('role_name', { referencedTable: 'film_actors' });
    expect(error).toBeNull();
    expect(data).toEqual([
      { id: 2, film_actors: [{ role_name: 'Kambei', actors: { name: 'Takashi Shimura' } }, { role_name: 'Kikuchiyo', actors: { name: 'Toshiro Mifune' } }] },
    ]);
  });

  it('!inner keeps only parents with matching embedded rows', async () => {
    const { data, error } = await db.from('directors').select('name, films!inner(title)').eq('films.year', 1985).order('id');
    expect(error).toBeNull();
    expect(data).toEqual([
      { name: 'Akira Kurosawa', films: [{ title: 'Ran' }] },
      { name: 'Agnès Varda', films: [{ title: 'Vagabond' }] },
    ]);
  });

  it('an embedded filter without !inner filters the children only', async () => {
    const { data, error } = await db.from('directors').select('name, films(title)').eq('films.year', 1985).order('id');
    expect(error).toBeNull();
    expect(data).toEqual([
      { name: 'Akira Kurosawa', films: [{ title: 'Ran' }] },
      { name: 'Agnès Varda', films: [{ title: 'Vagabond' }] },
      { name: 'Nobody', films: [] },
    ]);
  });

  it('disambiguates with a foreign-key hint and a column hint', async () => {
    const byFk = await db.from('films').select('title, directors!films_director_id_fkey(name)').eq('id', 5);
    expect(byFk.error).toBeNull();
    expect(byFk.data).toEqual([{ title: 'Vagabond', directors: { name: 'Agnès Varda' } }]);
    const byColumn = await db.from('films').select('title, d:directors!director_id(name)').eq('id', 5);
    expect(byColumn.error).toBeNull();
    expect(byColumn.data).toEqual([{ title: 'Vagabond', d: { name: 'Agnès Varda' } }]);
  });

  it('spreads a to-one relation into the parent', async () => {
    const { data, error } = await db.from('films').select('title, ...directors(director_name:name)').eq('id', 1);
    expect(error).toBeNull();
    expect(data).toEqual([{ title: 'Rashomon', director_name: 'Akira Kurosawa' }]);
  });

  it('reads a table with awkward identifiers', async () => {
    const { data, error } = await db.from('Order Items').select('"order id", "prénom"').eq('"line no"', 2);
    expect(error).toBeNull();
    expect(data).toEqual([{ 'order id': 1, prénom: 'Łukasz' }]);
  });
});

describe('filters', () => {
  const films = () => db.from('films').select('id').order('id');

  it('comparison operators', async () => {
    expect(await ids(films().eq('year', 1985))).toEqual([3, 5]);
    expect(await ids(films().neq('year', 1985))).toEqual([1, 2, 4]);
    expect(await ids(films().gt('year', 1962))).toEqual([3, 5]);
    expect(await ids(films().gte('year', 1962))).toEqual([3, 4, 5]);
    expect(await ids(films().lt('year', 1954))).toEqual([1]);
    expect(await ids(films().lte('year', 1954))).toEqual([1, 2]);
    expect(await ids(films().gt('rating', 8.2))).toEqual([2]);
    expect(await ids(db.from('directors').select('id').neq('country', 'JP'))).toEqual([2]);
  });

  it('pattern operators', async () => {
    expect(await ids(films().like('title', '%Samurai'))).toEqual([2]);
    expect(await ids(films().like('title', 'R*'))).toEqual([1, 3]);
    expect(await ids(films().ilike('title', '%RAN%'))).toEqual([3]);
    expect(await ids(films().likeAnyOf('title', ['Ran', 'V%']))).toEqual([3, 5]);
    expect(await ids(films().likeAllOf('title', ['%a%', '%m%']))).toEqual([1, 2]);
    expect(await ids(films().ilikeAnyOf('title', ['ran', 'vaga%']))).toEqual([3, 5]);
    expect(await ids(films().ilikeAllOf('title', ['r%', '%N']))).toEqual([1, 3]);
    expect(await ids(films().regexMatch('title', '^R.*n$'))).toEqual([1, 3]);
    expect(await ids(films().regexIMatch('title', '^seven'))).toEqual([2]);
  });

  it('is, isDistinct, in, notIn', async () => {
    expect(await ids(films().is('rating', null))).toEqual([5]);
    expect(await ids(films().isDistinct('mood', 'sad'))).toEqual([1, 2, 3]);
    expect(await ids(films().in('id', [4, 1, 99]))).toEqual([1, 4]);
    expect(await ids(films().notIn('id', [1, 2, 3]))).toEqual([4, 5]);
    expect(await ids(films().in('title', ['Ran', 'Cléo from 5 to 7']))).toEqual([3, 4]);
    // reserved characters: the client double-quotes the value
    expect(await ids(db.from('client_items').select('id').in('name', ['Nuts, bolts', 'Anvil']).order('id'))).toEqual([1, 3]);
  });

  it('array, JSON and range containment', async () => {
    expect(await ids(films().contains('tags', ['classic']))).toEqual([1, 2]);
    expect(await ids(films().containedBy('tags', ['classic', 'japan', 'war']))).toEqual([1, 3, 5]);
    expect(await ids(films().overlaps('tags', ['war', 'paris']))).toEqual([3, 4]);
    expect(await ids(films().contains('meta', { lang: 'fr' }))).toEqual([4]);
    expect(await ids(films().containedBy('meta', { lang: 'ja', extra: true }))).toEqual([2, 3]);
    const ranges = () => db.from('ranges').select('id').order('id');
    expect(await ids(ranges().contains('r', '[2,3)'))).toEqual([1]);
    expect(await ids(ranges().containedBy('nums', [1, 2, 3, 4]))).toEqual([1]);
    expect(await ids(ranges().overlaps('r', '[5,25)'))).toEqual([1, 2]);
  });

  it('range operators', async () => {
    const ranges = () => db.from('ranges').select('id').order('id');
    expect(await ids(ranges().rangeGt('r', '[1,10)'))).toEqual([2]);
    expect(await ids(ranges().rangeGte('r', '[5,8)'))).toEqual([2]);
    expect(await ids(ranges().rangeLt('r', '[15,16)'))).toEqual([1]);
    expect(await ids(ranges().rangeLte('r', '[1,25)'))).toEqual([1]);
    expect(await ids(ranges().rangeAdjacent('r', '[10,15)'))).toEqual([1]);
  });

  it('textSearch: tsvector column, config, plain, phrase and websearch', async () => {
    expect(await ids(films().textSearch('search', 'samurai'))).toEqual([2]);
    expect(await ids(films().textSearch('search', "'seven' & 'samurai'"))).toEqual([2]);
    expect(await ids(films().textSearch('title', 'samurai', { config: 'english' }))).toEqual([2]);
    expect(await ids(films().textSearch('title', 'seven samurai', { type: 'plain', config: 'english' }))).toEqual([2]);
    expect(await ids(films().textSearch('title', 'seven samurai', { type: 'phrase' }))).toEqual([2]);
    expect(await ids(films().textSearch('title', 'samurai seven', { type: 'phrase' }))).toEqual([]);
    expect(await ids(films().textSearch('search', 'rashomon or ran', { type: 'websearch', config: 'english' }))).toEqual([1, 3]);
    expect(await ids(films().textSearch('title', '"seven samurai" -ran', { type: 'websearch' }))).toEqual([2]);
  });

  it('match, not, or with nested and, filter()', async () => {
    expect(await ids(films().match({ year: 1985, director_id: 2 }))).toEqual([5]);
    expect(await ids(films().not('rating', 'is', null))).toEqual([1, 2, 3, 4]);
    expect(await ids(films().not('tags', 'cs', '{classic}'))).toEqual([3, 4, 5]);
    expect(await ids(films().not('id', 'in', '(1,2)'))).toEqual([3, 4, 5]);
    expect(await ids(films().or('year.lt.1951,and(year.gt.1980,rating.not.is.null)'))).toEqual([1, 3]);
    expect(await ids(films().or('title.eq.Ran,title.eq."Cléo from 5 to 7"'))).toEqual([3, 4]);
    expect(await ids(films().filter('title', 'in', '("Ran","Vagabond")'))).toEqual([3, 5]);
    expect(await ids(films().filter('meta->>lang', 'eq', 'fr'))).toEqual([4]);
  });

  it('or on a referenced table filters the embedded rows', async () => {
    const { data, error } = await db
      .from('directors')
      .select('id, films(title)')
      .or('year.eq.1950,year.eq.1962', { referencedTable: 'films' })
      .order('id');
    expect(error).toBeNull();
    expect(data).toEqual([
      { id: 1, films: [{ title: 'Rashomon' }] },
      { id: 2, films: [{ title: 'Cléo from 5 to 7' }] },
      { id: 3, films: [] },
    ]);
  });
});

describe('order and pagination', () => {
  it('orders by several columns with nulls placement', async () => {
    const { data, error } = await db.from('films').select('id, rating').order('rating', { ascending: false, nullsFirst: true }).order('id', { ascending: false });
    expect(error).toBeNull();
    expect(data).toEqual([
      { id: 5, rating: null },
      { id: 2, rating: 8.6 },
      { id: 3, rating: 8.2 },
      { id: 1, rating: 8.2 },
      { id: 4, rating: 7.8 },
    ]);
    expect(await ids(db.from('films').select('id').order('rating', { nullsFirst: false }).order('id'))).toEqual([4, 1, 3, 2, 5]);
  });

  it('orders the parent by a to-one embedded column', async () => {
    expect(await ids(db.from('films').select('id, directors(name)').order('directors(name)').order('id'))).toEqual([4, 5, 1, 2, 3]);
  });

  it('limit and range', async () => {
    expect(await ids(db.from('films').select('id').order('id').limit(2))).toEqual([1, 2]);
    expect(await ids(db.from('films').select('id').order('id').range(1, 3))).toEqual([2, 3, 4]);
    expect(await ids(db.from('films').select('id').order('id').range(4, 10))).toEqual([5]);
  });
});

describe('single and maybeSingle', () => {
  it('single() returns one object', async () => {
    const { data, error, status } = await db.from('films').select('id, title').eq('id', 3).single();
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(data).toEqual({ id: 3, title: 'Ran' });
  });

  it('single() with several or no rows is PGRST116 / 406', async () => {
    const many = await db.from('films').select('id').eq('year', 1985).single();
    expect(many.status).toBe(406);
    expect(many.data).toBeNull();
    expect(many.error?.code).toBe('PGRST116');
    const none = await db.from('films').select('id').eq('id', 99).single();
    expect(none.status).toBe(406);
    expect(none.error?.code).toBe('PGRST116');
  });

  it('maybeSingle() returns null for no rows and the object for one', async () => {
    const none = await db.from('films').select('id').eq('id', 99).maybeSingle();
    expect(none.error).toBeNull();
    expect(none.data).toBeNull();
    const one = await db.from('films').select('title').eq('id', 2).maybeSingle();
    expect(one.error).toBeNull();
    expect(one.data).toEqual({ title: 'Seven Samurai' });
  });
});

describe('counts', () => {
  it.each(['exact', 'planned', 'estimated'] as const)('count=%s with head: true', async (count) => {
    const r = await db.from('films').select('*', { count, head: true });
    expect(r.error).toBeNull();
    expect(r.status).toBe(200);
    expect(r.data).toBeNull();
    expect(r.count).toBe(5);
  });

  it('exact count with a filter and a page', async () => {
    const r = await db.from('films').select('id', { count: 'exact' }).gte('year', 1954).order('id').range(0, 1);
    expect(r.error).toBeNull();
    expect(r.status).toBe(206);
    expect(r.data).toEqual([{ id: 2 }, { id: 3 }]);
    expect(r.count).toBe(4);
  });

  it('estimated count under the threshold is exact, with filters', async () => {
    const r = await db.from('films').select('id', { count: 'estimated', head: true }).eq('year', 1985);
    expect(r.error).toBeNull();
    expect(r.count).toBe(2);
  });
});

describe('csv', () => {
  it('returns text/csv with a header line', async () => {
    const { data, error } = await db.from('films').select('id, title, year').in('id', [1, 3]).order('id').csv();
    expect(error).toBeNull();
    expect(typeof data).toBe('string');
    expect((data as string).trimEnd()).toBe('id,title,year\n1,Rashomon,1950\n3,Ran,1985');
  });
});
