/**
 * Writes: POST (one, many, columns=, missing=default, return=…), upserts,
 * PATCH / DELETE with filters (and the filterless guard), PUT, views,
 * max-affected, typed values and constraint violations → PostgREST statuses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectJson, restApp, type Rest } from './harness.js';

let api: Rest;
beforeAll(async () => {
  api = await restApp();
});
afterAll(async () => api?.close());

const repr = { prefer: 'return=representation' };

async function film(id: number): Promise<Record<string, unknown> | undefined> {
  return (await api.req(`/api/films?id=eq.${id}`)).json<Record<string, unknown>[]>()[0];
}

async function count(table: string, query = ''): Promise<number> {
  const r = await api.req(`/api/${table}?select=*&limit=0&${query}`, { headers: { prefer: 'count=exact' } });
  return Number(String(r.headers['content-range']).split('/')[1]);
}

describe('POST', () => {
  it('inserts one row; the default return=minimal gives 201 and no body', async () => {
    const r = await api.req('/api/films', { method: 'POST', body: { title: 'Minimal', year: 2001 } });
    expect(r.status).toBe(201);
    expect(r.text).toBe('');
    expectJson(await api.req('/api/films?select=title,year&title=eq.Minimal'), 200, [{ title: 'Minimal', year: 2001 }]);
  });

  it('return=headers-only: 201 with a Location that reads the row back', async () => {
    const r = await api.req('/api/films', { method: 'POST', body: { title: 'Headers', year: 2002 }, headers: { prefer: 'return=headers-only' } });
    expect(r.status).toBe(201);
    expect(r.text).toBe('');
    expect(r.headers['preference-applied']).toBe('return=headers-only');
    const location = String(r.headers.location);
    expect(location).toMatch(/^\/films\?id=eq\.\d+$/);
    expectJson(await api.req(`/api${location}&select=title`), 200, [{ title: 'Headers' }]);
  });

  it('Location for a composite, awkwardly named key', async () => {
    const r = await api.req('/api/Order%20Items', {
      method: 'POST', body: { 'order id': 5, 'line no': 1, select: 'loc' }, headers: { prefer: 'return=headers-only' },
    });
    expect(r.status).toBe(201);
    const location = String(r.headers.location);
    expect(location).toContain('?');
    expectJson(await api.req(`/api${location.replace(/ /g, '%20')}&select=%22select%22`), 200, [{ select: 'loc' }]);
  });

  it('return=representation: 201 with the inserted rows shaped by select', async () => {
    const r = await api.req('/api/films?select=title,year,directors(name)', {
      method: 'POST', headers: repr, body: [{ title: 'Rep 1', year: 2003, director_id: 2 }, { title: 'Rep 2', year: 2004, director_id: 1 }],
    });
    expectJson(r, 201, [
      { title: 'Rep 1', year: 2003, directors: { name: 'Agnès Varda' } },
      { title: 'Rep 2', year: 2004, directors: { name: 'Akira Kurosawa' } },
    ]);
    expect(r.headers['preference-applied']).toBe('return=representation');
  });

  it('a single-object Accept returns the inserted row as an object', async () => {
    const r = await api.req('/api/films?select=title', { method: 'POST', headers: { ...repr, accept: 'application/vnd.pgrst.object+json' }, body: { title: 'Obj' } });
    expect(r.status).toBe(201);
    expect(r.headers['content-type']).toBe('application/vnd.pgrst.object+json; charset=utf-8');
    expect(r.json()).toEqual({ title: 'Obj' });
  });

  it('bulk rows must share their keys (PGRST102)', async () => {
    expectError(await api.req('/api/films', { method: 'POST', body: [{ title: 'a', year: 2000 }, { title: 'b' }] }), 400, 'PGRST102');
    expect(await count('films', 'title=in.(a,b)')).toBe(0);
  });

  it('columns= picks the body keys to insert and ignores the others', async () => {
    const r = await api.req('/api/films?columns=title,year&select=title,year,rating', {
      method: 'POST', headers: repr, body: [{ title: 'Cols 1', year: 2005, rating: 9.9, junk: true }, { title: 'Cols 2' }],
    });
    expectJson(r, 201, [
      { title: 'Cols 1', year: 2005, rating: null },
      { title: 'Cols 2', year: null, rating: null },
    ]);
  });

  it('a key missing under columns= is NULL, unless Prefer: missing=default', async () => {
    // tags is NOT NULL DEFAULT '{}'
    const nul = await api.req('/api/films?columns=title,tags', { method: 'POST', body: [{ title: 'No tags' }] });
    expectError(nul, 400, '23502');
    const def = await api.req('/api/films?columns=title,tags&select=title,tags', {
      method: 'POST', headers: { prefer: 'return=representation, missing=default' }, body: [{ title: 'Default tags' }, { title: 'Own tags', tags: ['x'] }],
    });
    expectJson(def, 201, [{ title: 'Default tags', tags: [] }, { title: 'Own tags', tags: ['x'] }]);
    expect(String(def.headers['preference-applied'])).toContain('missing=default');
  });

  it('accepts a CSV body', async () => {
    const r = await api.req('/api/films?select=title,year', {
      method: 'POST', headers: { ...repr, 'content-type': 'text/csv' }, body: 'title,year\n"Csv, one",2006\nCsv two,NULL\n',
    });
    expectJson(r, 201, [{ title: 'Csv, one', year: 2006 }, { title: 'Csv two', year: null }]);
  });

  it('stores enum, array and jsonb values exactly', async () => {
    const body = { title: 'Typed', mood: 'happy', tags: ['b c', 'd,e', '{x}', 'q"uote', 'back\\slash', ''], meta: { k: [1, { z: null }], s: 'é', n: 1.5, t: true } };
    const r = await api.req('/api/films?select=title,mood,tags,meta', { method: 'POST', headers: repr, body });
    expectJson(r, 201, [body]);
    expectJson(await api.req('/api/films?select=title,mood,tags,meta&title=eq.Typed'), 200, [body]);
  });

  it('an unknown column in the body is PGRST204', async () => {
    const e = expectError(await api.req('/api/films', { method: 'POST', body: { title: 'x', nope: 1 } }), 400, 'PGRST204');
    expect(e.message).toContain('nope');
  });

  it('an invalid enum label is 400 22P02', async () => {
    expectError(await api.req('/api/films', { method: 'POST', body: { title: 'x', mood: 'angry' } }), 400, '22P02');
  });

  it('writing a generated column is refused with a 4xx (428C9)', async () => {
    const r = await api.req('/api/films', { method: 'POST', body: { title: 'Gen', search: 'x' } });
    expectError(r, 400, '428C9');
  });
});

describe('constraint violations', () => {
  it('unique → 409 23505', async () => {
    const e = expectError(await api.req('/api/actors', { method: 'POST', body: { name: 'Toshiro Mifune' } }), 409, '23505');
    expect(e.details).toBe('Key (name)=(Toshiro Mifune) already exists.');
  });

  it('foreign key → 409 23503', async () => {
    expectError(await api.req('/api/films', { method: 'POST', body: { title: 'FK', director_id: 999 } }), 409, '23503');
  });

  it('check → 400 23514', async () => {
    expectError(await api.req('/api/films', { method: 'POST', body: { title: 'Old', year: 1800 } }), 400, '23514');
  });

  it('not-null → 400 23502', async () => {
    expectError(await api.req('/api/films', { method: 'POST', body: { year: 2000 } }), 400, '23502');
  });

  it('a failed bulk insert inserts nothing', async () => {
    const before = await count('actors');
    expectError(await api.req('/api/actors', { method: 'POST', body: [{ name: 'Fresh one' }, { name: 'Toshiro Mifune' }] }), 409, '23505');
    expect(await count('actors')).toBe(before);
  });
});

describe('upsert', () => {
  it('resolution=merge-duplicates updates existing keys and inserts new ones', async () => {
    const r = await api.req('/api/actors?select=id,name', {
      method: 'POST', headers: { prefer: 'return=representation, resolution=merge-duplicates' },
      body: [{ id: 1, name: 'Toshiro Mifune (upd)' }, { id: 100, name: 'Upserted' }],
    });
    expectJson(r, 201, [{ id: 1, name: 'Toshiro Mifune (upd)' }, { id: 100, name: 'Upserted' }]);
    expect(String(r.headers['preference-applied'])).toContain('resolution=merge-duplicates');
    expectJson(await api.req('/api/actors?select=name&id=eq.1'), 200, [{ name: 'Toshiro Mifune (upd)' }]);
  });

  it('a merge that only updates answers 200, not 201 (PostgREST)', async () => {
    const r = await api.req('/api/actors?select=id,name', {
      method: 'POST', headers: { prefer: 'return=representation, resolution=merge-duplicates' }, body: [{ id: 1, name: 'Toshiro Mifune' }],
    });
    expectJson(r, 200, [{ id: 1, name: 'Toshiro Mifune' }]);
  });

  it('resolution=ignore-duplicates keeps existing rows and returns only the inserted ones', async () => {
    const r = await api.req('/api/actors?select=id,name', {
      method: 'POST', headers: { prefer: 'return=representation, resolution=ignore-duplicates' },
      body: [{ id: 2, name: 'Ignored' }, { id: 101, name: 'Inserted' }],
    });
    expectJson(r, 201, [{ id: 101, name: 'Inserted' }]);
    expectJson(await api.req('/api/actors?select=name&id=eq.2'), 200, [{ name: 'Takashi Shimura' }]);
  });

  it('on_conflict= upserts on a unique column', async () => {
    const r = await api.req('/api/actors?on_conflict=name&select=id,name', {
      method: 'POST', headers: { prefer: 'return=representation, resolution=merge-duplicates' }, body: { name: 'Corinne Marchand' },
    });
    expect([200, 201]).toContain(r.status);
    expect(r.json()).toEqual([{ id: 3, name: 'Corinne Marchand' }]);
    expect(await count('actors', 'name=eq.Corinne%20Marchand')).toBe(1);
  });

  it('upserts on a composite key with awkward names', async () => {
    const r = await api.req('/api/Order%20Items?select=%22select%22', {
      method: 'POST', headers: { prefer: 'return=representation, resolution=merge-duplicates' },
      body: { 'order id': 1, 'line no': 1, select: 'upserted', prénom: 'Zoé' },
    });
    expect([200, 201]).toContain(r.status);
    expect(r.json()).toEqual([{ select: 'upserted' }]);
    expect(await count('Order%20Items', '%22order%20id%22=eq.1')).toBe(2);
  });

  it('on_conflict on a column without a unique constraint is a 400, not a 500', async () => {
    const r = await api.req('/api/films?on_conflict=title', { method: 'POST', headers: { prefer: 'resolution=merge-duplicates' }, body: { title: 'x' } });
    expectError(r, 400, '42P10');
  });
});

describe('PATCH and DELETE', () => {
  it('PATCH with a filter: 204, only matching rows change', async () => {
    const r = await api.req('/api/films?id=eq.3', { method: 'PATCH', body: { rating: 8.3 } });
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
    expect((await film(3))?.rating).toBe(8.3);
    expect((await film(1))?.rating).toBe(8.2);
  });

  it('PATCH return=representation: 200 with the updated rows and embeds', async () => {
    const r = await api.req('/api/films?id=eq.3&select=title,rating,directors(name)', { method: 'PATCH', headers: repr, body: { rating: 8.4 } });
    expectJson(r, 200, [{ title: 'Ran', rating: 8.4, directors: { name: 'Akira Kurosawa' } }]);
  });

  it('PATCH matching nothing: 204 / 200 []', async () => {
    expect((await api.req('/api/films?id=eq.999', { method: 'PATCH', body: { rating: 1 } })).status).toBe(204);
    expectJson(await api.req('/api/films?id=eq.999', { method: 'PATCH', headers: repr, body: { rating: 1 } }), 200, []);
  });

  it('filterless PATCH and DELETE are refused with PGLIVE100 and change nothing', async () => {
    expectError(await api.req('/api/films', { method: 'PATCH', body: { rating: 1 } }), 400, 'PGLIVE100');
    expectError(await api.req('/api/films', { method: 'DELETE' }), 400, 'PGLIVE100');
    // select/order-only params are not filters
    expectError(await api.req('/api/films?select=id', { method: 'DELETE' }), 400, 'PGLIVE100');
    expect((await film(1))?.rating).toBe(8.2);
  });

  it('Prefer: allow-unfiltered permits them', async () => {
    const r = await api.req('/api/ranges', { method: 'PATCH', headers: { prefer: 'allow-unfiltered' }, body: { nums: [7] } });
    expect(r.status).toBe(204);
    expectJson(await api.req('/api/ranges?select=nums&order=id'), 200, [{ nums: [7] }, { nums: [7] }]);
  });

  it('DELETE with a filter: 204; with return=representation: 200 and the deleted rows', async () => {
    await api.req('/api/actors', { method: 'POST', body: [{ name: 'Del 1' }, { name: 'Del 2' }, { name: 'Del 3' }] });
    const min = await api.req('/api/actors?name=eq.Del%201', { method: 'DELETE' });
    expect(min.status).toBe(204);
    const rep = await api.req('/api/actors?name=like.Del*&select=name', { method: 'DELETE', headers: repr });
    expect(rep.status).toBe(200);
    expect(rep.json<{ name: string }[]>().map((a) => a.name).sort()).toEqual(['Del 2', 'Del 3']);
    expect(await count('actors', 'name=like.Del*')).toBe(0);
  });

  it('max-affected (with handling=strict) rolls back a PATCH that touches too many rows', async () => {
    const r = await api.req('/api/films?director_id=eq.1', { method: 'PATCH', headers: { prefer: 'handling=strict, max-affected=2' }, body: { rating: 1 } });
    expectError(r, 400, 'PGRST124');
    expect((await film(1))?.rating).toBe(8.2);
    const ok = await api.req('/api/films?id=eq.2', { method: 'PATCH', headers: { prefer: 'handling=strict, max-affected=2' }, body: { rating: 8.6 } });
    expect(ok.status).toBe(204);
  });

  it('PATCH of a composite-key row by both key columns', async () => {
    const r = await api.req('/api/Order%20Items?%22order%20id%22=eq.1&%22line%20no%22=eq.2&select=%22select%22', { method: 'PATCH', headers: repr, body: { select: 'patched' } });
    expectJson(r, 200, [{ select: 'patched' }]);
  });
});

describe('PUT', () => {
  it('inserts a missing row: 201 with representation (PostgREST)', async () => {
    const r = await api.req('/api/actors?id=eq.200&select=id,name', { method: 'PUT', headers: repr, body: { id: 200, name: 'Put new' } });
    expectJson(r, 201, [{ id: 200, name: 'Put new' }]);
  });

  it('replaces an existing row: 200 with representation, 204 without', async () => {
    expectJson(await api.req('/api/actors?id=eq.200&select=id,name', { method: 'PUT', headers: repr, body: { id: 200, name: 'Put again' } }), 200, [{ id: 200, name: 'Put again' }]);
    const r = await api.req('/api/actors?id=eq.200', { method: 'PUT', body: { id: 200, name: 'Put third' } });
    expect(r.status).toBe(204);
    expectJson(await api.req('/api/actors?select=name&id=eq.200'), 200, [{ name: 'Put third' }]);
  });

  it('works on a composite key', async () => {
    const r = await api.req('/api/Order%20Items?%22order%20id%22=eq.9&%22line%20no%22=eq.1&select=%22select%22', {
      method: 'PUT', headers: repr, body: { 'order id': 9, 'line no': 1, select: 'put' },
    });
    expect([200, 201]).toContain(r.status);
    expect(r.json()).toEqual([{ select: 'put' }]);
  });

  it('a body key that contradicts the URL is 400 PGRST115', async () => {
    expectError(await api.req('/api/actors?id=eq.201', { method: 'PUT', body: { id: 202, name: 'x' } }), 400, 'PGRST115');
  });

  it('without eq filters on the whole primary key: 405 PGRST105', async () => {
    expectError(await api.req('/api/actors', { method: 'PUT', body: { id: 203, name: 'x' } }), 405, 'PGRST105');
    expectError(await api.req('/api/actors?id=gt.1', { method: 'PUT', body: { id: 203, name: 'x' } }), 405, 'PGRST105');
    expectError(await api.req('/api/Order%20Items?%22order%20id%22=eq.9', { method: 'PUT', body: { 'order id': 9, 'line no': 2 } }), 405, 'PGRST105');
  });

  it('with limit/offset: 400 PGRST114', async () => {
    expectError(await api.req('/api/actors?id=eq.204&limit=1', { method: 'PUT', body: { id: 204, name: 'x' } }), 400, 'PGRST114');
  });

  it('several objects are refused with a 4xx', async () => {
    const r = await api.req('/api/actors?id=eq.205', { method: 'PUT', body: [{ id: 205, name: 'x' }, { id: 205, name: 'y' }] });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(await count('actors', 'id=eq.205')).toBe(0);
  });
});

describe('views', () => {
  it('writes through the updatable view film_titles', async () => {
    const ins = await api.req('/api/film_titles?select=title,year', { method: 'POST', headers: repr, body: { title: 'Via view', year: 1999 } });
    expectJson(ins, 201, [{ title: 'Via view', year: 1999 }]);
    const upd = await api.req('/api/film_titles?title=eq.Via%20view&select=year', { method: 'PATCH', headers: repr, body: { year: 1998 } });
    expectJson(upd, 200, [{ year: 1998 }]);
    expectJson(await api.req('/api/films?select=year&title=eq.Via%20view'), 200, [{ year: 1998 }]);
    expect((await api.req('/api/film_titles?title=eq.Via%20view', { method: 'DELETE' })).status).toBe(204);
    expect(await count('films', 'title=eq.Via%20view')).toBe(0);
  });

  it('refuses writes to the aggregate view director_counts', async () => {
    expectError(await api.req('/api/director_counts', { method: 'POST', body: { name: 'x' } }), 400, 'PGLIVE104');
    expectError(await api.req('/api/director_counts?id=eq.1', { method: 'PATCH', body: { name: 'x' } }), 400, 'PGLIVE104');
    expectError(await api.req('/api/director_counts?id=eq.1', { method: 'DELETE' }), 400, 'PGLIVE104');
  });
});

describe('unfiltered DELETE (last: it empties a table)', () => {
  it('DELETE with Prefer: allow-unfiltered removes every row', async () => {
    const r = await api.req('/api/film_actors', { method: 'DELETE', headers: { prefer: 'allow-unfiltered' } });
    expect(r.status).toBe(204);
    expect(await count('film_actors')).toBe(0);
  });
});
