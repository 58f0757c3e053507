/**
 * Ordering, paging and response shapes of reads: order (asc/desc, nulls,
 * several terms, JSON paths, embedded to-one), limit/offset, the Range header,
 * Prefer: count=… with Content-Range and 206/416, singular objects, CSV, HEAD.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectJson, restApp, type Rest } from './harness.js';

let api: Rest;
beforeAll(async () => {
  api = await restApp({}, ['rest.sql', 'rest-extra.sql']);
});
afterAll(async () => api?.close());

async function ids(query: string): Promise<number[]> {
  const r = await api.req(`/api/films?select=id&${query}`);
  expect(r.status, `${query}: ${r.text}`).toBe(200);
  return r.json<{ id: number }[]>().map((x) => x.id);
}

// films: 1 1950 8.2 happy ja | 2 1954 8.6 ok ja | 3 1985 8.2 null ja | 4 1962 7.8 sad fr | 5 1985 null sad null
describe('order', () => {
  it.each([
    ['order=id.desc', [5, 4, 3, 2, 1]],
    ['order=year.desc,id.asc', [3, 5, 4, 2, 1]],
    ['order=year,id.desc', [1, 2, 4, 5, 3]],
    ['order=rating.desc.nullslast,id', [2, 1, 3, 4, 5]],
    // PostgreSQL's default: nulls sort as the largest value
    ['order=rating.desc,id', [5, 2, 1, 3, 4]],
    ['order=rating.asc,id', [4, 1, 3, 2, 5]],
    ['order=rating.nullsfirst,id', [5, 4, 1, 3, 2]],
    ['order=rating.asc.nullsfirst,id.desc', [5, 4, 3, 1, 2]],
    // enums sort in label order: sad < ok < happy
    ['order=mood,id', [4, 5, 2, 1, 3]],
    ['order=meta->>lang.asc.nullsfirst,id', [5, 4, 1, 2, 3]],
    ['order=meta->>lang.desc.nullslast,id.desc', [3, 2, 1, 4, 5]],
  ])('%s', async (q, expected) => {
    expect(await ids(q)).toEqual(expected);
  });

  it('orders by a column of an embedded to-one resource', async () => {
    const r = await api.req('/api/films?select=id,directors(name)&order=directors(name).asc,id.desc');
    expect(r.json<{ id: number }[]>().map((x) => x.id)).toEqual([5, 4, 3, 2, 1]);
    const d = await api.req('/api/films?select=id,director:directors(name)&order=director(name).desc,id');
    expect(d.json<{ id: number }[]>().map((x) => x.id)).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses to order by a to-many embed (PGRST118)', async () => {
    expectError(await api.req('/api/directors?select=id,films(title)&order=films(title)'), 400, 'PGRST118');
  });

  it('orders quoted identifiers', async () => {
    const r = await api.req('/api/Order%20Items?select=%22select%22&order=%22line%20no%22.desc,%22order%20id%22.desc');
    expectJson(r, 200, [{ select: 'b' }, { select: 'c' }, { select: 'a' }]);
  });
});

describe('limit, offset and Range', () => {
  it('limit and offset select a window; Content-Range shows it with an unknown total', async () => {
    const r = await api.req('/api/films?select=id&order=id&limit=2&offset=1');
    expectJson(r, 200, [{ id: 2 }, { id: 3 }]);
    expect(r.headers['content-range']).toBe('1-2/*');
  });

  it('a window past an offset with embedded resources holds the same rows as the unpaged result', async () => {
    // the window is read before the embeds are computed (sql/read.ts windowedQuery): same rows, same order
    for (const q of [
      'select=id,title,directors(name),actors(name)&order=year.desc,id',
      'select=title,director:directors(name),...directors(country)&order=directors(name).desc.nullsfirst,id',
      'select=id,rating,year,actors(name)&order=rating.asc.nullslast,year.desc,id',
      'select=*,directors(*)&order=id.desc',
    ]) {
      const all = await api.req(`/api/films?${q}`);
      expect(all.status, `${q}: ${all.text}`).toBe(200);
      const page = await api.req(`/api/films?${q}&offset=1&limit=3`);
      expect(page.status, `${q}: ${page.text}`).toBe(200);
      expect(page.json<unknown[]>(), q).toEqual(all.json<unknown[]>().slice(1, 4));
      const tail = await api.req(`/api/films?${q}&offset=3`);
      expect(tail.json<unknown[]>(), q).toEqual(all.json<unknown[]>().slice(3));
    }
  });

  it('no paging: Content-Range 0-(n-1)/*', async () => {
    const r = await api.req('/api/films?select=id');
    expect(r.status).toBe(200);
    expect(r.headers['content-range']).toBe('0-4/*');
  });

  it('the Range header selects rows (200 without a count)', async () => {
    const r = await api.req('/api/films?select=id&order=id', { headers: { range: '1-2' } });
    expectJson(r, 200, [{ id: 2 }, { id: 3 }]);
    expect(r.headers['content-range']).toBe('1-2/*');
  });

  it('an open Range and its intersection with limit', async () => {
    const open = await api.req('/api/films?select=id&order=id', { headers: { range: '3-' } });
    expectJson(open, 200, [{ id: 4 }, { id: 5 }]);
    expect(open.headers['content-range']).toBe('3-4/*');
    const both = await api.req('/api/films?select=id&order=id&limit=1', { headers: { range: '0-3' } });
    expectJson(both, 200, [{ id: 1 }]);
  });

  it('offset past the end without a count is an empty 200', async () => {
    const r = await api.req('/api/films?select=id&offset=10');
    expectJson(r, 200, []);
    expect(r.headers['content-range']).toBe('*/*');
  });

  it('bad limit/Range values are refused, not 500', async () => {
    expectError(await api.req('/api/films?limit=abc'), 400, 'PGRST100');
    expectError(await api.req('/api/films?limit=-1'), 416, 'PGRST103');
    expectError(await api.req('/api/films', { headers: { range: '5-2' } }), 416, 'PGRST103');
  });
});

describe('Prefer: count', () => {
  it('count=exact on a full result: 200, 0-4/5, Preference-Applied', async () => {
    const r = await api.req('/api/films?select=id', { headers: { prefer: 'count=exact' } });
    expect(r.status).toBe(200);
    expect(r.headers['content-range']).toBe('0-4/5');
    expect(r.headers['preference-applied']).toBe('count=exact');
  });

  it('count=exact on a partial result: 206 Partial Content', async () => {
    const r = await api.req('/api/films?select=id&order=id&year=eq.1985&limit=1', { headers: { prefer: 'count=exact' } });
    expectJson(r, 206, [{ id: 3 }]);
    expect(r.headers['content-range']).toBe('0-0/2');
    const ranged = await api.req('/api/films?select=id&order=id', { headers: { prefer: 'count=exact', range: '1-2' } });
    expectJson(ranged, 206, [{ id: 2 }, { id: 3 }]);
    expect(ranged.headers['content-range']).toBe('1-2/5');
  });

  it('count=exact with no rows: */0', async () => {
    const r = await api.req('/api/films?select=id&year=eq.1', { headers: { prefer: 'count=exact' } });
    expectJson(r, 200, []);
    expect(r.headers['content-range']).toBe('*/0');
  });

  it('count=exact with an offset past the end: 416 PGRST103 and Content-Range */total', async () => {
    const r = await api.req('/api/films?select=id&offset=10', { headers: { prefer: 'count=exact' } });
    const e = expectError(r, 416, 'PGRST103');
    expect(e.details).toContain('10');
    expect(r.headers['content-range']).toBe('*/5');
  });

  it('count=planned gives the planner estimate', async () => {
    const r = await api.req('/api/films?select=id', { headers: { prefer: 'count=planned' } });
    expect([200, 206]).toContain(r.status);
    expect(String(r.headers['content-range'])).toMatch(/^0-4\/\d+$/);
    expect(r.headers['preference-applied']).toBe('count=planned');
  });

  it('count=estimated is exact on a small table', async () => {
    const r = await api.req('/api/films?select=id&limit=2', { headers: { prefer: 'count=estimated' } });
    expect(r.status).toBe(206);
    expect(r.headers['content-range']).toBe('0-1/5');
    expect(r.headers['preference-applied']).toBe('count=estimated');
  });
});

describe('singular objects', () => {
  const object = { accept: 'application/vnd.pgrst.object+json' };

  it('one row → the bare object with the vendor media type', async () => {
    const r = await api.req('/api/films?select=id,title&id=eq.1', { headers: object });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.pgrst.object+json; charset=utf-8');
    expect(r.json()).toEqual({ id: 1, title: 'Rashomon' });
  });

  it('zero rows → 406 PGRST116', async () => {
    const e = expectError(await api.req('/api/films?id=eq.99', { headers: object }), 406, 'PGRST116');
    expect(e.details).toBe('The result contains 0 rows');
  });

  it('several rows → 406 PGRST116', async () => {
    const e = expectError(await api.req('/api/films?select=id', { headers: object }), 406, 'PGRST116');
    expect(e.details).toBe('The result contains 5 rows');
  });

  it('application/vnd.pgrst.object without +json is accepted too', async () => {
    const r = await api.req('/api/films?select=id&id=eq.2', { headers: { accept: 'application/vnd.pgrst.object' } });
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ id: 2 });
  });

  it('an unsupported Accept is 406', async () => {
    expectError(await api.req('/api/films', { headers: { accept: 'image/png' } }), 406, 'PGLIVE108');
  });
});

describe('CSV', () => {
  it('text/csv: a header row, RFC 4180 quoting, null as an empty field', async () => {
    const r = await api.req('/api/csv_rows?order=id', { headers: { accept: 'text/csv' } });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['content-range']).toBe('0-5/*');
    const lines = r.text.replace(/\r\n/g, '\n').replace(/\n$/, '');
    // PostgREST renders '' as "" and null as nothing, so the two stay apart
    expect(lines).toBe(['id,label', '1,plain', '2,"a,b"', '3,"say ""hi"""', '4,""', '5,', '6,"two\nlines"'].join('\n'));
  });

  it('the header follows select and aliases, even for zero rows', async () => {
    const r = await api.req('/api/films?select=id,name:title&id=eq.1', { headers: { accept: 'text/csv' } });
    expect(r.text.trimEnd()).toBe('id,name\n1,Rashomon');
    const empty = await api.req('/api/films?select=id,name:title&id=eq.99', { headers: { accept: 'text/csv' } });
    expect(empty.status).toBe(200);
    expect(empty.text.trimEnd()).toBe('id,name');
  });
});

describe('HEAD', () => {
  it('same status and headers as GET, no body', async () => {
    const r = await api.req('/api/films?select=id', { method: 'HEAD', headers: { prefer: 'count=exact', range: '0-1' } });
    expect(r.status).toBe(206);
    expect(r.headers['content-range']).toBe('0-1/5');
    expect(String(r.headers['content-type'])).toMatch(/^application\/json/);
    expect(r.text).toBe('');
  });

  it('HEAD on an unknown table is still 404', async () => {
    const r = await api.req('/api/nope', { method: 'HEAD' });
    expect(r.status).toBe(404);
    expect(r.text).toBe('');
  });
});
