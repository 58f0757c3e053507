/**
 * Pure, table-driven: URL → ApiRequest → Plan → SQL text + params, with the
 * SchemaCache of test/fixtures/rest.sql loaded from its JSON dump (no database).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SchemaCache } from '../../src/server/catalog/types.js';
import { PgliveError } from '../../src/server/errors.js';
import { planRequest } from '../../src/server/plan/index.js';
import type { MutatePlan, ReadPlan } from '../../src/server/plan/types.js';
import { parseRequest } from '../../src/server/request/parse.js';
import { minimalStatements, returningStatement } from '../../src/server/sql/mutate.js';
import { readStatement } from '../../src/server/sql/read.js';

const cache = JSON.parse(readFileSync(new URL('../fixtures/rest-cache.json', import.meta.url), 'utf8')) as SchemaCache;

function plan(method: string, url: string, body?: unknown, headers: Record<string, string> = {}, role = 'rest_user') {
  const [path, query = ''] = url.split('?') as [string, string?];
  const req = parseRequest({ method, path, query, headers, body });
  return planRequest(req, cache, { role, maxRows: null });
}

function readSql(url: string, headers: Record<string, string> = {}, role = 'rest_user') {
  return readStatement(plan('GET', url, undefined, headers, role) as ReadPlan);
}

const ROWS = `'[' || coalesce(string_agg(row_to_json(_r)::text, ','), '') || ']'`;

describe('reads: URL → SQL + params', () => {
  it.each([
    [
      '/films?select=id,title&id=eq.1',
      `select null::bigint as total, count(*) as page_total, ${ROWS} as body from (select t0."id" as "id", t0."title" as "title" from "public"."films" as t0 where t0."id" = $1) as _r`,
      ['1'],
    ],
    [
      '/films?select=t:title&year=gte.1950&year=lt.1960&order=year.desc.nullslast,id&limit=2&offset=1',
      `select null::bigint as total, count(*) as page_total, ${ROWS} as body from (select t0."title" as "t" from "public"."films" as t0 where t0."year" >= $1 and t0."year" < $2 order by t0."year" desc nulls last, t0."id" limit $3 offset $4) as _r`,
      ['1950', '1960', 2, 1],
    ],
    [
      '/films?select=lang:meta->>lang,n:meta->awards->count::int&meta->>lang=in.(ja,fr)',
      `select null::bigint as total, count(*) as page_total, ${ROWS} as body from (select t0."meta"->>$1::text as "lang", t0."meta"->$2::text->$3::text::"int4" as "n" from "public"."films" as t0 where t0."meta"->>$4::text = any($5)) as _r`,
      ['lang', 'awards', 'count', 'lang', '{"ja","fr"}'],
    ],
    [
      '/Order%20Items?select=%22select%22,pr%C3%A9nom&%22order%20id%22=eq.1',
      `select null::bigint as total, count(*) as page_total, ${ROWS} as body from (select t0."select" as "select", t0."prénom" as "prénom" from "public"."Order Items" as t0 where t0."order id" = $1) as _r`,
      ['1'],
    ],
    [
      '/films?select=id&title=like.*Sam*&or=(year.is.null,not.and(rating.gt.8,mood.eq.ok))',
      `select null::bigint as total, count(*) as page_total, ${ROWS} as body from (select t0."id" as "id" from "public"."films" as t0 where t0."title" like $1 and ((t0."year" is null) or (not ((t0."rating" > $2) and (t0."mood" = $3))))) as _r`,
      ['%Sam%', '8', 'ok'],
    ],
  ])('%s', (url, text, values) => {
    const s = readSql(url);
    expect(s.text).toBe(text);
    expect(s.values).toEqual(values);
  });

  it('embeds a to-one and a to-many relation with their own filter and limit', () => {
    const s = readSql('/directors?select=name,films(title)&films.year=gt.1960&films.limit=1');
    expect(s.text).toContain(`coalesce((select ('[' || string_agg(row_to_json(_t1)::text, ',') || ']')::json from (select t1."title" as "title" from "public"."films" as t1 where t1."director_id" = t0."id" and t1."year" > $1 limit $2) as _t1), '[]'::json) as "films"`);
    expect(s.values).toEqual(['1960', 1]);
    const one = readSql('/films?select=title,director:directors(name)');
    expect(one.text).toContain(`(select row_to_json(_t1) from (select t1."name" as "name" from "public"."directors" as t1 where t1."id" = t0."director_id") as _t1) as "director"`);
  });

  it('embeds many-to-many through the junction and filters parents with !inner', () => {
    const s = readSql('/films?select=title,actors!inner(name)&actors.name=eq.Toshiro%20Mifune');
    expect(s.text).toContain(`exists (select 1 from "public"."film_actors" as j_t1 where j_t1."film_id" = t0."id" and j_t1."actor_id" = t1."id")`);
    expect(s.text).toMatch(/from "public"\."films" as t0 where exists \(select 1 from "public"\."actors" as t1 where exists/);
    expect(s.values).toEqual(['Toshiro Mifune', 'Toshiro Mifune']);
  });

  it('counts exactly with the same conditions when asked', () => {
    const s = readSql('/films?select=id&year=gt.1960&limit=1', { prefer: 'count=exact' });
    expect(s.text).toMatch(/^select \(select count\(\*\) from "public"\."films" as t0 where t0\."year" > \$3\) as total/);
    expect(s.text).toContain('where t0."year" > $1 limit $2) as _r');
    expect(s.values).toEqual(['1960', 1, '1960']);
  });

  it('expands * to the columns the role may read', () => {
    const s = readSql('/films', {}, 'rest_limited');
    expect(s.text).toContain('select t0."id" as "id", t0."title" as "title" from "public"."films"');
  });

  it('calls functions with named arguments bound as parameters', () => {
    const s = readStatement(plan('GET', '/rpc/films_since?y=1980&select=title&order=title') as ReadPlan);
    expect(s.text).toContain(`from "public"."films_since"("y" => $1) as t0 order by t0."title"`);
    expect(s.values).toEqual(['1980']);
    const scalar = readStatement(plan('POST', '/rpc/add_them', { a: 1, b: 2 }) as ReadPlan);
    expect(scalar.text).toBe(`select null::bigint as total, 1 as page_total, to_json("public"."add_them"("a" => $1, "b" => $2))::text as body`);
    expect(scalar.values).toEqual(['1', '2']);
  });
});

describe('writes: URL + body → SQL + params', () => {
  it('inserts through json_populate_recordset with the body as one parameter', () => {
    const p = plan('POST', '/films', [{ title: 'A', year: 2000 }, { title: 'B', year: 2001 }]) as MutatePlan;
    const [s] = minimalStatements(p);
    expect(s!.text).toBe(`insert into "public"."films" ("title", "year") select "title", "year" from json_populate_recordset(null::"public"."films", $1::json)`);
    expect(s!.values).toEqual([[{ title: 'A', year: 2000 }, { title: 'B', year: 2001 }]]);
  });

  it('upserts with on_conflict and merge-duplicates', () => {
    const p = plan('POST', '/actors?on_conflict=name', { name: 'X' }, { prefer: 'resolution=merge-duplicates' }) as MutatePlan;
    expect(minimalStatements(p)[0]!.text).toContain('on conflict ("name") do update set "name" = excluded."name"');
    const ign = plan('POST', '/actors', { id: 1, name: 'X' }, { prefer: 'resolution=ignore-duplicates' }) as MutatePlan;
    expect(minimalStatements(ign)[0]!.text).toContain('on conflict ("id") do nothing');
  });

  it('updates with filters and returns the representation through a CTE', () => {
    const p = plan('PATCH', '/films?id=eq.1&select=id,title', { year: 1951 }, { prefer: 'return=representation' }) as MutatePlan;
    const s = returningStatement(p, 'rest_user');
    expect(s.text).toMatch(/^with _mut as \(update "public"\."films" as t1 set "year" = _b\."year" from json_populate_record\(null::"public"\."films", \$2::json\) as _b where t1\."id" = \$1 returning t1\."id", t1\."title"/);
    expect(s.text).toContain('from (select t0."id" as "id", t0."title" as "title" from _mut as t0) as _r');
    expect(s.values).toEqual(['1', { year: 1951 }]);
  });

  it('deletes with filters', () => {
    const p = plan('DELETE', '/films?id=in.(4,5)') as MutatePlan;
    expect(minimalStatements(p)[0]).toEqual({ text: 'delete from "public"."films" as t1 where t1."id" = any($1)', values: ['{"4","5"}'] });
  });
});

describe('planning errors name the bad part', () => {
  it.each([
    ['GET', '/nope', 'PGRST205', /nope/],
    ['GET', '/films?select=nme', 'PGRST204', /"nme"/],
    ['GET', '/films?select=title,studios(*)', 'PGRST200', /studios/],
    ['GET', '/films?select=title::widget', 'PGLIVE106', /widget/],
    ['GET', '/films?order=actors(name)&select=actors(name)', 'PGRST118', /to-many/],
    ['GET', '/films?actors.name=eq.x', 'PGRST108', /actors/],
    ['DELETE', '/films', 'PGLIVE100', /without a filter/],
    ['PATCH', '/director_counts?id=eq.1', 'PGLIVE104', /not updatable/],
    ['GET', '/rpc/bump?x=1', 'PGRST101', /volatile/],
    ['GET', '/rpc/nope', 'PGRST202', /nope/],
    ['PUT', '/films?title=eq.x', 'PGRST105', /primary key/],
  ])('%s %s → %s', (method, url, code, message) => {
    let err: unknown;
    try {
      plan(method, url, method === 'PATCH' || method === 'PUT' ? { title: 'x' } : undefined);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PgliveError);
    expect((err as PgliveError).code).toBe(code);
    expect((err as PgliveError).message).toMatch(message);
  });
});
