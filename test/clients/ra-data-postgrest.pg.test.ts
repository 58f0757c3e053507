/**
 * react-admin's PostgREST data provider (@raphiniert/ra-data-postgrest, with
 * ra-core's fetchJson over Node's global fetch) against a listening pglive.
 * Data: ra_authors / ra_posts / ra_post_tags in test/fixtures/clients.sql.
 * Tests run in order: the write tests at the end state the rows they expect.
 */
import type { DataProvider } from 'ra-core';
import { fetchUtils } from 'ra-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jwtFor } from '../support/app.js';
import { headerObject, startClientServer, type ClientServer } from './server.js';

interface ProviderConfig {
  apiUrl: string;
  httpClient: (url: string, options?: fetchUtils.Options) => Promise<unknown>;
  defaultListOp: string;
  primaryKeys: Map<string, string[]>;
  schema: () => string;
  sortOrder?: string;
}
type ProviderFactory = (config: ProviderConfig) => DataProvider;

/**
 * The package is CommonJS with an `exports.default`; its "module" build has
 * extensionless imports Node cannot load. Importing it dynamically and
 * unwrapping `default` once or twice works whichever interop the runner applies.
 */
async function loadFactory(): Promise<ProviderFactory> {
  const mod = (await import('@raphiniert/ra-data-postgrest')) as unknown as { default: ProviderFactory | { default: ProviderFactory } };
  const d = mod.default;
  return typeof d === 'function' ? d : d.default;
}

let server: ClientServer;
let provider: DataProvider;
let compound: DataProvider;
let nullsLast: DataProvider;

beforeAll(async () => {
  server = await startClientServer(['rest.sql', 'clients.sql'], { schemas: ['public', 'rest_two'] });
  const token = `Bearer ${await jwtFor('rest_user', { email: 'alice@x.test' })}`;
  const httpClient = (url: string, options: fetchUtils.Options = {}) => {
    if (process.env.CLIENTS_LOG) console.log(options.method ?? 'GET', decodeURIComponent(url), JSON.stringify(headerObject(options.headers)));
    return fetchUtils.fetchJson(url, { ...options, user: { authenticated: true, token } });
  };
  const factory = await loadFactory();
  const base: ProviderConfig = { apiUrl: server.apiUrl, httpClient, defaultListOp: 'eq', primaryKeys: new Map(), schema: () => '' };
  provider = factory(base);
  compound = factory({ ...base, primaryKeys: new Map([['ra_post_tags', ['post_id', 'tag']]]) });
  nullsLast = factory({ ...base, sortOrder: 'asc,desc.nullslast' });
});
afterAll(async () => server?.close());

const page = (n: number, perPage: number) => ({ page: n, perPage });
const titles = (rows: { title?: unknown }[]) => rows.map((r) => r.title);

const POST_3 = { id: 3, title: 'PostgREST tips', author_id: 2, views: 42, rank: 1, published: true };

describe('getList', () => {
  it('sorts, filters with the default eq, paginates and reads the total from Content-Range', async () => {
    const p1 = await provider.getList('ra_posts', { pagination: page(1, 2), sort: { field: 'views', order: 'DESC' }, filter: { published: true } });
    expect(p1.data).toEqual([POST_3, { id: 1, title: 'Hello World', author_id: 1, views: 10, rank: 3, published: true }]);
    expect(p1.total).toBe(3);
    const p2 = await provider.getList('ra_posts', { pagination: page(2, 2), sort: { field: 'views', order: 'DESC' }, filter: { published: true } });
    expect(p2.data.map((r) => r.id)).toEqual([4]);
    expect(p2.total).toBe(3);
  });

  it('a page past the end is 416 PGRST103, as PostgREST answers with count=exact', async () => {
    await expect(provider.getList('ra_posts', { pagination: page(3, 5), sort: { field: 'id', order: 'ASC' }, filter: {} })).rejects.toMatchObject({
      status: 416,
      body: { code: 'PGRST103' },
    });
  });

  it('operator suffixes: @ilike (words as *…*), @gte, @in, @neq, @is', async () => {
    const q = (filter: Record<string, unknown>) =>
      provider.getList('ra_posts', { pagination: page(1, 10), sort: { field: 'id', order: 'ASC' }, filter });
    expect(titles((await q({ 'title@ilike': 'hello' })).data)).toEqual(['Hello World', 'Hello Again']);
    expect(titles((await q({ 'title@like': 'React' })).data)).toEqual(['React admin']);
    expect(titles((await q({ 'views@gte': 10 })).data)).toEqual(['Hello World', 'PostgREST tips']);
    expect(titles((await q({ 'author_id@in': '(2)' })).data)).toEqual(['PostgREST tips', 'React admin']);
    expect(titles((await q({ 'author_id@is': 'null' })).data)).toEqual(['Draft']);
    const both = await q({ 'views@lt': 40, 'published@neq': false });
    expect(titles(both.data)).toEqual(['Hello World', 'React admin']);
    expect(both.total).toBe(2);
  });

  it('@or groups sub-filters into or=(…)', async () => {
    const r = await provider.getList('ra_posts', {
      pagination: page(1, 10),
      sort: { field: 'id', order: 'ASC' },
      filter: { '@or': { 'views@lt': 6, 'title@ilike': 'react' } },
    });
    expect(titles(r.data)).toEqual(['Hello Again', 'React admin', 'Draft']);
    expect(r.total).toBe(3);
  });

  it('null sort order: default puts nulls first on DESC, the nullslast config last', async () => {
    const sort = { field: 'rank', order: 'DESC' as const };
    const first = await provider.getList('ra_posts', { pagination: page(1, 10), sort, filter: {} });
    expect(first.data.map((r) => r.id)).toEqual([5, 2, 1, 4, 3]);
    const last = await nullsLast.getList('ra_posts', { pagination: page(1, 10), sort, filter: {} });
    expect(last.data.map((r) => r.id)).toEqual([2, 1, 4, 3, 5]);
  });

  it('meta.columns selects columns and meta.embed embeds a relation', async () => {
    const cols = await provider.getList('ra_posts', { pagination: page(1, 2), sort: { field: 'id', order: 'ASC' }, filter: {}, meta: { columns: ['id', 'headline:title'] } });
    expect(cols.data).toEqual([{ id: 1, headline: 'Hello World' }, { id: 2, headline: 'Hello Again' }]);
    const embed = await provider.getList('ra_posts', { pagination: page(1, 1), sort: { field: 'id', order: 'ASC' }, filter: { id: 3 }, meta: { embed: ['ra_authors'] } });
    expect(embed.data).toEqual([{ ...POST_3, ra_authors: { id: 2, name: 'Ben' } }]);
  });

  it('compound primary keys: virtual ids, sorted by every key column', async () => {
    const r = await compound.getList('ra_post_tags', { pagination: page(1, 10), sort: { field: 'id', order: 'DESC' }, filter: {} });
    expect(r.data).toEqual([
      { post_id: 3, tag: 'sql', id: '[3,"sql"]' },
      { post_id: 1, tag: 'misc', id: '[1,"misc"]' },
      { post_id: 1, tag: 'intro', id: '[1,"intro"]' },
    ]);
    expect(r.total).toBe(3);
  });

  it('meta.schema switches schema with Accept-Profile', async () => {
    const r = await provider.getList('things', { pagination: page(1, 10), sort: { field: 'id', order: 'ASC' }, filter: {}, meta: { schema: 'rest_two' } });
    expect(r.data).toEqual([{ id: 1, label: 'two-one' }]);
    expect(r.total).toBe(1);
  });
});

describe('getOne, getMany, getManyReference', () => {
  it('getOne returns the object (vnd.pgrst.object+json)', async () => {
    expect((await provider.getOne('ra_posts', { id: 3 })).data).toEqual(POST_3);
  });

  it('getOne of a missing id rejects with the PGRST116 body', async () => {
    await expect(provider.getOne('ra_posts', { id: 999 })).rejects.toMatchObject({ status: 406, body: { code: 'PGRST116' } });
  });

  it('getOne and getMany with a compound key (and=… / or=(and(…),…))', async () => {
    expect((await compound.getOne('ra_post_tags', { id: '[1,"misc"]' })).data).toEqual({ post_id: 1, tag: 'misc', id: '[1,"misc"]' });
    const many = await compound.getMany('ra_post_tags', { ids: ['[1,"intro"]', '[3,"sql"]'] });
    expect([...many.data].sort((a, b) => a.post_id - b.post_id)).toEqual([
      { post_id: 1, tag: 'intro', id: '[1,"intro"]' },
      { post_id: 3, tag: 'sql', id: '[3,"sql"]' },
    ]);
  });

  it('getMany fetches by id=in.(…)', async () => {
    const r = await provider.getMany('ra_posts', { ids: [4, 1] });
    expect([...r.data].sort((a, b) => a.id - b.id).map((p) => p.title)).toEqual(['Hello World', 'React admin']);
  });

  it('getManyReference filters by the target, sorts, paginates and totals', async () => {
    const r = await provider.getManyReference('ra_posts', {
      target: 'author_id',
      id: 2,
      pagination: page(1, 1),
      sort: { field: 'title', order: 'DESC' },
      filter: {},
    });
    expect(r.data.map((p) => p.title)).toEqual(['React admin']);
    expect(r.total).toBe(2);
    const filtered = await provider.getManyReference('ra_posts', {
      target: 'author_id',
      id: 1,
      pagination: page(1, 10),
      sort: { field: 'id', order: 'ASC' },
      filter: { 'title@ilike': 'again' },
    });
    expect(filtered.data.map((p) => p.id)).toEqual([2]);
    expect(filtered.total).toBe(1);
  });
});

describe('writes', () => {
  it('create returns the new record with defaults', async () => {
    const r = await provider.create('ra_posts', { data: { title: 'New post', author_id: 1 } });
    expect(r.data).toEqual({ id: 6, title: 'New post', author_id: 1, views: 0, rank: null, published: false });
  });

  it('create with a compound key returns the virtual id', async () => {
    const r = await compound.create('ra_post_tags', { data: { post_id: 6, tag: 'fresh' } });
    expect(r.data).toEqual({ post_id: 6, tag: 'fresh', id: '[6,"fresh"]' });
  });

  it('update sends only the changed fields and returns the record', async () => {
    const previousData = { id: 6, title: 'New post', author_id: 1, views: 0, rank: null, published: false };
    const r = await provider.update('ra_posts', { id: 6, data: { ...previousData, title: 'Renamed', views: 3 }, previousData });
    expect(r.data).toEqual({ ...previousData, title: 'Renamed', views: 3 });
  });

  it('updateMany patches id=in.(…) and returns the ids', async () => {
    const r = await provider.updateMany('ra_posts', { ids: [4, 6], data: { published: false } });
    expect([...(r.data ?? [])].sort()).toEqual([4, 6]);
    const check = await provider.getMany('ra_posts', { ids: [4, 6] });
    expect(check.data.map((p) => p.published)).toEqual([false, false]);
  });

  it('delete returns the deleted record', async () => {
    const previousData = { id: 6, title: 'Renamed', author_id: 1, views: 3, rank: null, published: false };
    const r = await provider.delete('ra_posts', { id: 6, previousData });
    expect(r.data).toEqual(previousData);
    await expect(provider.getOne('ra_posts', { id: 6 })).rejects.toMatchObject({ status: 406 });
  });

  it('deleteMany deletes id=in.(…) and returns the ids', async () => {
    const r = await provider.deleteMany('ra_posts', { ids: [2, 5] });
    expect([...(r.data ?? [])].sort()).toEqual([2, 5]);
    const rest = await provider.getList('ra_posts', { pagination: page(1, 10), sort: { field: 'id', order: 'ASC' }, filter: {} });
    expect(rest.data.map((p) => p.id)).toEqual([1, 3, 4]);
    expect(rest.total).toBe(3);
  });

  it('a failing write rejects with the PostgreSQL error body', async () => {
    await expect(provider.create('ra_posts', { data: { title: 'Orphan', author_id: 77 } })).rejects.toMatchObject({
      status: 409,
      body: { code: '23503' },
    });
  });
});
