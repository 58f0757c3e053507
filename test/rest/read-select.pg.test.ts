/**
 * GET /api/<relation>?select=… — vertical filtering, aliases, casts, JSON
 * paths and resource embedding (to-one, to-many, many-to-many, nested,
 * !inner, FK hints, spread, per-embed filters/order/limit, self-reference).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectJson, restApp, type Rest } from './harness.js';

let api: Rest;
beforeAll(async () => {
  api = await restApp();
});
afterAll(async () => api?.close());

describe('columns, aliases, casts', () => {
  it('returns only the selected columns, in select order', async () => {
    const r = await api.req('/api/films?select=id,title&id=eq.1');
    expectJson(r, 200, [{ id: 1, title: 'Rashomon' }]);
    expect(r.text).toBe('[{"id":1,"title":"Rashomon"}]');
  });

  it('select=* (and no select) returns every column with its JSON type', async () => {
    for (const url of ['/api/films?id=eq.2', '/api/films?select=*&id=eq.2']) {
      const [row] = (await api.req(url)).json<Record<string, unknown>[]>();
      expect(row).toEqual({
        id: 2, title: 'Seven Samurai', year: 1954, director_id: 1, rating: 8.6, tags: ['classic', 'action'],
        meta: { lang: 'ja' }, mood: 'ok', created_at: '2024-01-01T00:00:00+00:00', search: "'samurai':2 'seven':1",
      });
    }
  });

  it('renames with alias:column', async () => {
    expectJson(await api.req('/api/films?select=film_id:id,name:title&id=eq.1'), 200, [{ film_id: 1, name: 'Rashomon' }]);
  });

  it('casts with column::type, also under an alias', async () => {
    expectJson(await api.req('/api/films?select=year::text,r:rating::int,tags::text&id=eq.1'), 200, [
      { year: '1950', r: 8, tags: '{classic,japan}' },
    ]);
  });

  it('refuses a cast to an unknown type', async () => {
    const e = expectError(await api.req('/api/films?select=year::bogus'), 400, 'PGLIVE106');
    expect(e.message).toContain('bogus');
  });

  it('reads quoted identifiers with spaces, unicode and reserved words', async () => {
    const r = await api.req('/api/Order%20Items?select=%22order%20id%22,%22line%20no%22,%22select%22,pr%C3%A9nom&order=%22order%20id%22,%22line%20no%22');
    expectJson(r, 200, [
      { 'order id': 1, 'line no': 1, select: 'a', prénom: 'Zoé' },
      { 'order id': 1, 'line no': 2, select: 'b', prénom: 'Łukasz' },
      { 'order id': 2, 'line no': 1, select: 'c', prénom: null },
    ]);
  });
});

describe('JSON paths', () => {
  it('-> keeps JSON, ->> gives text; the output key is the last path step', async () => {
    expectJson(await api.req('/api/films?select=id,meta->lang,meta->awards->count,meta->awards->>count&id=eq.1'), 200, [
      { id: 1, lang: 'ja', count: '3' },
    ]);
  });

  it('aliases a JSON path and yields null for missing keys', async () => {
    expectJson(await api.req('/api/films?select=id,n:meta->awards->count,l:meta->>lang&order=id&id=lte.2'), 200, [
      { id: 1, n: 3, l: 'ja' },
      { id: 2, n: null, l: 'ja' },
    ]);
  });

  it('-> on an object returns the nested JSON value', async () => {
    expectJson(await api.req('/api/films?select=id,a:meta->awards&id=eq.1'), 200, [{ id: 1, a: { count: 3 } }]);
  });
});

describe('embedding', () => {
  it('to-one (many-to-one through films.director_id) as an object', async () => {
    expectJson(await api.req('/api/films?select=title,directors(name,country)&id=in.(1,4)&order=id'), 200, [
      { title: 'Rashomon', directors: { name: 'Akira Kurosawa', country: 'JP' } },
      { title: 'Cléo from 5 to 7', directors: { name: 'Agnès Varda', country: 'FR' } },
    ]);
  });

  it('to-one under an alias', async () => {
    expectJson(await api.req('/api/films?select=title,director:directors(name)&id=eq.1'), 200, [
      { title: 'Rashomon', director: { name: 'Akira Kurosawa' } },
    ]);
  });

  it('by FK column name is ambiguous here (the director_counts view is a second target): 300 PGRST201', async () => {
    // PostgREST infers relationships through views too, so it answers the same
    const e = expectError(await api.req('/api/films?select=title,director:director_id(name)&id=eq.1'), 300, 'PGRST201');
    expect(e.details).toContain('director_counts');
  });

  it('to-many as an array, empty when there are no children', async () => {
    expectJson(await api.req('/api/directors?select=name,films(title)&order=id&films.order=id'), 200, [
      { name: 'Akira Kurosawa', films: [{ title: 'Rashomon' }, { title: 'Seven Samurai' }, { title: 'Ran' }] },
      { name: 'Agnès Varda', films: [{ title: 'Cléo from 5 to 7' }, { title: 'Vagabond' }] },
      { name: 'Nobody', films: [] },
    ]);
  });

  it('many-to-many through the junction table, both directions', async () => {
    expectJson(await api.req('/api/films?select=title,actors(name)&id=in.(1,3)&order=id&actors.order=name'), 200, [
      { title: 'Rashomon', actors: [{ name: 'Takashi Shimura' }, { name: 'Toshiro Mifune' }] },
      { title: 'Ran', actors: [] },
    ]);
    expectJson(await api.req('/api/actors?select=name,films(title)&id=eq.3'), 200, [
      { name: 'Corinne Marchand', films: [{ title: 'Cléo from 5 to 7' }] },
    ]);
  });

  it('nests embeds (film → junction → actor) with star inside', async () => {
    expectJson(await api.req('/api/films?select=title,film_actors(role_name,actors(*))&id=eq.4'), 200, [
      { title: 'Cléo from 5 to 7', film_actors: [{ role_name: 'Cléo', actors: { id: 3, name: 'Corinne Marchand' } }] },
    ]);
  });

  it('an embedded filter without !inner filters the embed only', async () => {
    expectJson(await api.req('/api/films?select=id,directors(name)&directors.country=eq.FR&id=in.(1,4)&order=id'), 200, [
      { id: 1, directors: null },
      { id: 4, directors: { name: 'Agnès Varda' } },
    ]);
  });

  it('!inner drops parents whose embed does not match (to-one and to-many)', async () => {
    expectJson(await api.req('/api/films?select=title,directors!inner(name)&directors.country=eq.FR&order=id'), 200, [
      { title: 'Cléo from 5 to 7', directors: { name: 'Agnès Varda' } },
      { title: 'Vagabond', directors: { name: 'Agnès Varda' } },
    ]);
    expectJson(await api.req('/api/directors?select=name,films!inner(title)&films.year=gt.1980&order=id&films.order=id'), 200, [
      { name: 'Akira Kurosawa', films: [{ title: 'Ran' }] },
      { name: 'Agnès Varda', films: [{ title: 'Vagabond' }] },
    ]);
  });

  it('embed=is.null / not.is.null keep parents without / with children', async () => {
    expectJson(await api.req('/api/directors?select=name,films(id)&films=is.null'), 200, [{ name: 'Nobody', films: [] }]);
    const r = await api.req('/api/directors?select=name,films(id)&films=not.is.null&order=id');
    expect(r.json<{ name: string }[]>().map((d) => d.name)).toEqual(['Akira Kurosawa', 'Agnès Varda']);
  });

  it('FK constraint and column hints pick the relationship', async () => {
    for (const hint of ['films_director_id_fkey', 'director_id']) {
      expectJson(await api.req(`/api/films?select=title,directors!${hint}(name)&id=eq.2`), 200, [
        { title: 'Seven Samurai', directors: { name: 'Akira Kurosawa' } },
      ]);
    }
  });

  it('a hint that matches nothing is PGRST200', async () => {
    expectError(await api.req('/api/films?select=title,directors!no_such_fk(name)'), 400, 'PGRST200');
  });

  it('spreads a to-one embed into the parent (...rel), with aliases', async () => {
    expectJson(await api.req('/api/films?select=title,...directors(director:name,country)&id=eq.4'), 200, [
      { title: 'Cléo from 5 to 7', director: 'Agnès Varda', country: 'FR' },
    ]);
  });

  it('refuses to spread a to-many embed', async () => {
    expectError(await api.req('/api/directors?select=name,...films(title)'), 400, 'PGRST100');
  });

  it('applies order, limit and offset per embed', async () => {
    expectJson(
      await api.req('/api/directors?select=name,films(title,year)&films.order=year.desc,id&films.limit=2&films.offset=1&id=lte.2&order=id'),
      200,
      [
        { name: 'Akira Kurosawa', films: [{ title: 'Seven Samurai', year: 1954 }, { title: 'Rashomon', year: 1950 }] },
        { name: 'Agnès Varda', films: [{ title: 'Cléo from 5 to 7', year: 1962 }] },
      ],
    );
  });

  it('filters on a nested embed path (actors inside film_actors)', async () => {
    expectJson(
      await api.req('/api/films?select=id,film_actors(role_name,actors(name))&film_actors.role_name=like.K*&id=eq.2&film_actors.order=role_name'),
      200,
      [{ id: 2, film_actors: [{ role_name: 'Kambei', actors: { name: 'Takashi Shimura' } }, { role_name: 'Kikuchiyo', actors: { name: 'Toshiro Mifune' } }] }],
    );
  });

  it('self-reference: the FK column as target is the parent (many-to-one)', async () => {
    expectJson(await api.req('/api/employees?select=name,manager:manager_id(name)&order=id'), 200, [
      { name: 'Boss', manager: null },
      { name: 'Mid', manager: { name: 'Boss' } },
      { name: 'Junior', manager: { name: 'Mid' } },
    ]);
  });

  it('self-reference: table!fk_column hint gives the children (one-to-many), as PostgREST does', async () => {
    // PostgREST: /family_tree?select=id,children:family_tree!parent(id)
    expectJson(await api.req('/api/employees?select=name,reports:employees!manager_id(name)&order=id'), 200, [
      { name: 'Boss', reports: [{ name: 'Mid' }] },
      { name: 'Mid', reports: [{ name: 'Junior' }] },
      { name: 'Junior', reports: [] },
    ]);
  });
});
