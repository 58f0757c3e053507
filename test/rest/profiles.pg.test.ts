/**
 * Schema selection: Accept-Profile (GET/HEAD) and Content-Profile (writes)
 * pick one of the exposed schemas; anything else is 406 PGRST106.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectJson, restApp, type Rest } from './harness.js';

let api: Rest;
let single: Rest;
beforeAll(async () => {
  api = await restApp({ schemas: ['public', 'rest_two'] });
  single = await restApp();
});
afterAll(async () => {
  await api?.close();
  await single?.close();
});

const two = { 'accept-profile': 'rest_two' };
const writeTwo = { 'content-profile': 'rest_two', prefer: 'return=representation' };

describe('reads', () => {
  it('the first schema is the default', async () => {
    expect((await api.req('/api/films?select=id&id=eq.1')).status).toBe(200);
    expectError(await api.req('/api/things'), 404, 'PGRST205');
  });

  it('Accept-Profile selects another exposed schema and is echoed as Content-Profile', async () => {
    const r = await api.req('/api/things?select=id,label', { headers: two });
    expectJson(r, 200, [{ id: 1, label: 'two-one' }]);
    expect(r.headers['content-profile']).toBe('rest_two');
  });

  it('Accept-Profile naming the default schema works', async () => {
    expect((await api.req('/api/films?select=id&id=eq.1', { headers: { 'accept-profile': 'public' } })).status).toBe(200);
  });

  it('a table of the other schema is not found under the default one, and vice versa', async () => {
    expectError(await api.req('/api/films', { headers: two }), 404, 'PGRST205');
  });

  it('HEAD honours Accept-Profile', async () => {
    const r = await api.req('/api/things', { method: 'HEAD', headers: two });
    expect(r.status).toBe(200);
    expect(r.text).toBe('');
  });

  it('the OpenAPI document follows Accept-Profile', async () => {
    const r = await api.req('/api/', { headers: two });
    expect(r.status).toBe(200);
    const paths = Object.keys(r.json<{ paths: Record<string, unknown> }>().paths);
    expect(paths).toContain('/things');
    expect(paths).not.toContain('/films');
  });
});

describe('writes', () => {
  it('Content-Profile selects the schema for POST, PATCH and DELETE', async () => {
    expectJson(await api.req('/api/things', { method: 'POST', headers: writeTwo, body: { id: 2, label: 'two-two' } }), 201, [{ id: 2, label: 'two-two' }]);
    expectJson(await api.req('/api/things?id=eq.2', { method: 'PATCH', headers: writeTwo, body: { label: 'patched' } }), 200, [{ id: 2, label: 'patched' }]);
    expectJson(await api.req('/api/things?id=eq.2', { method: 'DELETE', headers: writeTwo }), 200, [{ id: 2, label: 'patched' }]);
    expectJson(await api.req('/api/things?select=id', { headers: two }), 200, [{ id: 1 }]);
  });

  it('writes ignore Accept-Profile (Content-Profile is the write header)', async () => {
    expectError(await api.req('/api/things', { method: 'POST', headers: two, body: { id: 3, label: 'x' } }), 404, 'PGRST205');
  });

  it('the response to a profiled write carries Content-Profile', async () => {
    const r = await api.req('/api/things', { method: 'POST', headers: writeTwo, body: { id: 4, label: 'four' } });
    expect(r.status).toBe(201);
    expect(r.headers['content-profile']).toBe('rest_two');
  });
});

describe('unexposed schemas', () => {
  it.each(['pglive', 'pg_catalog', 'information_schema', 'nope', 'PUBLIC'])('Accept-Profile: %s → 406 PGRST106', async (schema) => {
    expectError(await api.req('/api/films', { headers: { 'accept-profile': schema } }), 406, 'PGRST106');
  });

  it('Content-Profile of an unexposed schema → 406 PGRST106 and nothing is written', async () => {
    expectError(await api.req('/api/things', { method: 'POST', headers: { 'content-profile': 'pglive' }, body: { id: 5 } }), 406, 'PGRST106');
  });

  it('a schema that exists but is not configured is refused', async () => {
    expectError(await single.req('/api/things', { headers: two }), 406, 'PGRST106');
    expectError(await single.req('/api/things', { method: 'POST', headers: writeTwo, body: { id: 6 } }), 406, 'PGRST106');
    expectJson(await api.req('/api/things?select=id&order=id', { headers: two }), 200, [{ id: 1 }, { id: 4 }]);
  });
});
