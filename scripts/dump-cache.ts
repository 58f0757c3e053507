/**
 * Writes test/fixtures/rest-cache.json: the SchemaCache of test/fixtures/rest.sql,
 * so planner / SQL builder tests run without a database. Regenerate after
 * changing rest.sql: TEST_DATABASE_URL=postgres://… npx tsx scripts/dump-cache.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import postgres from 'postgres';
import { loadSchemaCache } from '../src/server/catalog/load.js';
import type { Sql } from '../src/server/db/pool.js';

const admin = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `pglive_dump_${Date.now()}`;
const root = postgres(admin, { max: 1, onnotice: () => {} });
await root.unsafe(`create database "${name}"`);
const u = new URL(admin);
u.pathname = '/' + name;
const sql = postgres(u.toString(), { max: 2, onnotice: () => {} });
try {
  await sql.unsafe(readFileSync(new URL('../test/fixtures/rest.sql', import.meta.url), 'utf8'));
  const cache = await loadSchemaCache(sql as unknown as Sql, { schemas: ['public', 'rest_two'], roles: ['rest_user', 'rest_limited', 'rest_anon'] });
  const stable = { ...cache, loadedAt: 0 };
  writeFileSync(new URL('../test/fixtures/rest-cache.json', import.meta.url), JSON.stringify(stable, null, 1) + '\n');
  console.log(`wrote rest-cache.json: ${cache.relations.length} relations, ${cache.functions.length} functions`);
} finally {
  await sql.end();
  await root.unsafe(`drop database "${name}" with (force)`);
  await root.end();
}
