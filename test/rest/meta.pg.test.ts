import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, jwtFor, type TestApp } from '../support/app.js';
import type { MetaSchema } from '../../src/server/http/meta.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp(['rest.sql']);
});
afterAll(async () => t?.close());

async function meta(role: string): Promise<MetaSchema> {
  const r = await t.app.inject({ url: '/meta/schema', headers: { authorization: `Bearer ${await jwtFor(role)}` } });
  expect(r.statusCode).toBe(200);
  return r.json() as MetaSchema;
}

describe('GET /meta/schema', () => {
  it('requires credentials', async () => {
    const r = await t.app.inject({ url: '/meta/schema' });
    expect(r.statusCode).toBe(401);
  });
  it("describes relations with the caller's own privileges, keys, FKs both ways and a label column", async () => {
    const m = await meta('rest_user');
    const films = m.relations.find((r) => r.name === 'films')!;
    expect(films.kind).toBe('table');
    expect(films.primaryKey).toEqual(['id']);
    expect(films.columns.find((c) => c.name === 'mood')!.enumLabels).toEqual(['sad', 'ok', 'happy']);
    expect(films.foreignKeys).toEqual([{ name: 'films_director_id_fkey', columns: ['director_id'], refSchema: 'public', refTable: 'directors', refColumns: ['id'] }]);
    expect(films.labelColumn).toBe('title');
    const directors = m.relations.find((r) => r.name === 'directors')!;
    expect(directors.referencedBy.map((f) => f.table)).toEqual(['films']);
    const employees = m.relations.find((r) => r.name === 'employees')!;
    expect(employees.privileges.select).toEqual(['id', 'name', 'manager_id']);
    expect(employees.privileges.update).toEqual([]);
    expect(m.relations.find((r) => r.name === 'director_counts')!.kind).toBe('view');
  });
  it('hides relations the role cannot read at all', async () => {
    const m = await meta('rest_limited');
    expect(m.relations.map((r) => r.name)).toEqual(['films']);
    expect(m.relations[0]!.privileges.select).toEqual(['id', 'title']);
  });
});
