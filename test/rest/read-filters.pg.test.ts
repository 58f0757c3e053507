/**
 * Horizontal filtering: every PostgREST operator, not., (any)/(all),
 * or/and trees (nested, negated), filters on embedded resources, JSON path
 * filters and filters on awkwardly named columns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectJson, restApp, type Rest } from './harness.js';

let api: Rest;
beforeAll(async () => {
  api = await restApp({}, ['rest.sql', 'rest-extra.sql']);
});
afterAll(async () => api?.close());

/** ids of `table` matching the query string, in id order */
async function ids(table: string, query: string): Promise<number[]> {
  const r = await api.req(`/api/${table}?select=id&order=id&${query}`);
  expect(r.status, `${table}?${query}: ${r.text}`).toBe(200);
  return r.json<{ id: number }[]>().map((x) => x.id);
}

const films = (q: string) => ids('films', q);

// films: 1 Rashomon 1950 8.2 {classic,japan} ja happy | 2 Seven Samurai 1954 8.6 {classic,action} ja ok
//        3 Ran 1985 8.2 {war} ja null | 4 Cléo from 5 to 7 1962 7.8 {paris} fr sad | 5 Vagabond 1985 null {} null sad
describe('comparison operators', () => {
  it.each([
    ['year=eq.1985', [3, 5]],
    ['year=neq.1985', [1, 2, 4]],
    ['year=gt.1962', [3, 5]],
    ['year=gte.1962', [3, 4, 5]],
    ['year=lt.1954', [1]],
    ['year=lte.1954', [1, 2]],
    ['rating=eq.8.2', [1, 3]],
    ['created_at=lt.2024-01-02', [1, 2, 3, 4, 5]],
    ['created_at=lt.infinity', [1, 2, 3, 4, 5]],
    ['created_at=gt.-infinity', [1, 2, 3, 4, 5]],
    ['created_at=gte.2024-01-01T05:00:00%2B05:00', [1, 2, 3, 4, 5]],
    ['title=eq.Cl%C3%A9o%20from%205%20to%207', [4]],
    ['mood=eq.sad', [4, 5]],
  ])('%s', async (q, expected) => {
    expect(await films(q)).toEqual(expected);
  });
});

describe('pattern operators', () => {
  it.each([
    ['title=like.*Sam*', [2]],
    ['title=like.*sam*', []],
    ['title=ilike.*SAM*', [2]],
    ['title=like.R*', [1, 3]],
    ['title=match.^R', [1, 3]],
    ['title=match.^r', []],
    ['title=imatch.^r', [1, 3]],
    ['title=imatch.bond$', [5]],
  ])('%s', async (q, expected) => {
    expect(await films(q)).toEqual(expected);
  });
});

describe('in, is, isdistinct', () => {
  it.each([
    ['id=in.(1,3,5)', [1, 3, 5]],
    ['title=in.(%22Cl%C3%A9o%20from%205%20to%207%22,Ran)', [3, 4]],
    ['id=in.()', []],
    ['rating=is.null', [5]],
    ['mood=is.null', [3]],
    ['rating=not.is.null', [1, 2, 3, 4]],
    ['mood=isdistinct.sad', [1, 2, 3]],
    ['mood=not.isdistinct.sad', [4, 5]],
    // enum arrays are bound as array literals: the driver cannot serialise arrays of types it does not know
    ['mood=in.(ok,happy)', [1, 2]],
    ['mood=not.in.(ok,happy)', [4, 5]],
    ['mood=eq(any).{sad,happy}', [1, 4, 5]],
    ['title=in.(%22a%5C%22b%22,Ran)', [3]], // a quoted item with an escaped quote, then Ran
  ])('%s', async (q, expected) => {
    expect(await films(q)).toEqual(expected);
  });

  it.each([
    ['flag=is.true', [1]],
    ['flag=is.false', [2]],
    ['flag=is.null', [3]],
    ['flag=is.unknown', [3]],
    ['flag=not.is.true', [2, 3]],
    ['flag=isdistinct.true', [2, 3]],
    ['flag=eq.true', [1]],
  ])('booleans: %s', async (q, expected) => {
    expect(await ids('flags', q)).toEqual(expected);
  });
});

describe('full-text search', () => {
  it.each([
    ['title=fts.samurai', [2]],
    ['title=fts(english).samurais', [2]],
    ['title=fts(english).seven%20%26%20samurai', [2]],
    ['search=fts.seven', [2]],
    ['title=plfts(english).seven%20samurai', [2]],
    ['title=phfts(english).seven%20samurai', [2]],
    ['title=phfts(english).samurai%20seven', []],
    ['title=wfts(english).ran%20or%20vagabond', [3, 5]],
    ['title=wfts(english).seven%20-rashomon', [2]],
    ['title=not.fts(english).samurai', [1, 3, 4, 5]],
  ])('%s', async (q, expected) => {
    expect(await films(q)).toEqual(expected);
  });
});

describe('array, jsonb and range operators', () => {
  it.each([
    ['tags=cs.{classic}', [1, 2]],
    ['tags=cs.{classic,japan}', [1]],
    ['tags=cd.{classic,japan,war}', [1, 3, 5]],
    ['tags=ov.{war,paris}', [3, 4]],
    ['meta=cs.%7B%22lang%22:%22fr%22%7D', [4]],
    ['meta=cd.%7B%22lang%22:%22ja%22,%22x%22:1%7D', [2, 3]],
  ])('films %s', async (q, expected) => {
    expect(await films(q)).toEqual(expected);
  });

  // ranges: 1 [1,10) {1,2,3} | 2 [20,30) {4,5}
  it.each([
    ['r=sl.[10,20)', [1]],
    ['r=sr.[10,20)', [2]],
    ['r=nxr.[5,15)', [1]],
    ['r=nxl.[5,15)', [2]],
    ['r=adj.[10,15)', [1]],
    ['r=adj.[10,20)', [1, 2]],
    ['r=cs.[2,3)', [1]],
    ['r=cd.[0,100)', [1, 2]],
    ['r=ov.[25,40)', [2]],
    ['r=not.ov.[25,40)', [1]],
    ['nums=cs.{4}', [2]],
    ['nums=ov.{3,4}', [1, 2]],
    ['nums=cd.{1,2,3,9}', [1]],
  ])('ranges %s', async (q, expected) => {
    expect(await ids('ranges', q)).toEqual(expected);
  });
});

describe('not. and quantifiers', () => {
  it.each([
    ['year=not.eq.1985', [1, 2, 4]],
    ['title=not.like.R*', [2, 4, 5]],
    ['id=not.in.(1,2)', [3, 4, 5]],
    ['title=like(any).{R*,V*}', [1, 3, 5]],
    ['title=like(all).{*a*,*o*}', [1, 5]],
    ['title=ilike(any).{*SAMURAI*,*BOND}', [2, 5]],
    ['year=eq(any).{1950,1985}', [1, 3, 5]],
    ['year=gt(all).{1950,1960}', [3, 4, 5]],
    ['year=not.eq(any).{1950,1985}', [2, 4]],
    ['title=match(any).{^Ran$,^Vag}', [3, 5]],
  ])('%s', async (q, expected) => {
    expect(await films(q)).toEqual(expected);
  });
});

describe('logic trees', () => {
  it.each([
    ['or=(year.lt.1951,year.gt.1980)', [1, 3, 5]],
    ['or=(and(year.gte.1950,year.lte.1954),mood.eq.sad)', [1, 2, 4, 5]],
    ['not.or=(year.eq.1985,mood.eq.sad)', [1, 2]],
    ['and=(year.gt.1950,rating.gte.8.2)', [2, 3]],
    // SQL three-valued logic: row 5 has a null rating, so not(true and null) is null and the row is out
    ['not.and=(year.gt.1950,rating.gte.8.2)', [1, 4]],
    ['or=(title.not.like.*a*,id.eq.1)', [1, 4]],
    ['or=(id.in.(1,2),title.eq.Ran)', [1, 2, 3]],
    ['or=(rating.is.null,mood.is.null)', [3, 5]],
    ['or=(tags.cs.{war},meta->>lang.eq.fr)', [3, 4]],
    ['or=(and(year.eq.1985,not.or(mood.eq.sad,rating.gt.9)),id.eq.2)', [2]],
    ['or=(and(year.gte.1950,not.or(mood.eq.sad,rating.gt.8.5)),id.eq.5)', [1, 5]],
    ['or=(title.fts(english).samurai,title.like(any).{Ran,Vag*})', [2, 3, 5]],
    ['or=(title.eq.%22Cl%C3%A9o%20from%205%20to%207%22,id.eq.1)', [1, 4]],
    // several params AND together
    ['year=gte.1954&or=(mood.eq.ok,mood.is.null)&rating=not.is.null', [2, 3]],
  ])('%s', async (q, expected) => {
    expect(await films(q)).toEqual(expected);
  });
});

describe('JSON path filters', () => {
  it.each([
    ['meta->>lang=eq.fr', [4]],
    ['meta->>lang=in.(fr,xx)', [4]],
    ['meta->>lang=is.null', [5]],
    ['meta->awards->>count=eq.3', [1]],
    ['meta->awards->count=eq.3', [1]],
    ['meta->>lang=like.j*', [1, 2, 3]],
    ['meta->awards->>count=gt.2', [1]],
  ])('%s', async (q, expected) => {
    expect(await films(q)).toEqual(expected);
  });
});

describe('filters on embedded resources', () => {
  it('filter, or-tree and negation inside an embed', async () => {
    expectJson(
      await api.req('/api/directors?select=name,films(title)&films.or=(year.lt.1951,year.gt.1984)&films.title=not.eq.Ran&order=id&films.order=id'),
      200,
      [
        { name: 'Akira Kurosawa', films: [{ title: 'Rashomon' }] },
        { name: 'Agnès Varda', films: [{ title: 'Vagabond' }] },
        { name: 'Nobody', films: [] },
      ],
    );
  });

  it('JSON path and m2m embed filters', async () => {
    expectJson(await api.req('/api/directors?select=name,films(title)&films.meta->>lang=eq.fr&id=eq.2'), 200, [
      { name: 'Agnès Varda', films: [{ title: 'Cléo from 5 to 7' }] },
    ]);
    expectJson(await api.req('/api/films?select=id,actors(name)&actors.name=like.T*&id=eq.1&actors.order=name'), 200, [
      { id: 1, actors: [{ name: 'Takashi Shimura' }, { name: 'Toshiro Mifune' }] },
    ]);
    expectJson(await api.req('/api/films?select=id,actors!inner(name)&actors.name=eq.Corinne%20Marchand'), 200, [
      { id: 4, actors: [{ name: 'Corinne Marchand' }] },
    ]);
  });
});

describe('awkward identifiers', () => {
  it('filters on quoted names with spaces, unicode and reserved words', async () => {
    const base = '/api/Order%20Items?select=%22select%22';
    expectJson(await api.req(`${base}&%22order%20id%22=eq.1&%22line%20no%22=eq.2`), 200, [{ select: 'b' }]);
    expectJson(await api.req(`${base}&pr%C3%A9nom=like.Z*`), 200, [{ select: 'a' }]);
    expectJson(await api.req(`${base}&%22select%22=eq.c`), 200, [{ select: 'c' }]);
    expectJson(await api.req(`${base}&or=(%22select%22.eq.a,pr%C3%A9nom.is.null)&order=%22select%22`), 200, [{ select: 'a' }, { select: 'c' }]);
  });
});
