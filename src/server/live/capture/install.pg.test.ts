/**
 * installCapture / removeCapture against real catalogs: idempotence, key
 * changes, tables leaving the exposed schemas, concurrent starts, a login
 * role without privileges, removal (also through `pglive uninstall`), and the
 * catalog fingerprint used when event triggers are not allowed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../../test/support/db.js';
import { loadSchemaCache } from '../../catalog/load.js';
import type { SchemaCache } from '../../catalog/types.js';
import { createPool, type Sql } from '../../db/pool.js';
import { uninstall } from '../../uninstall.js';
import { catalogFingerprint } from './fingerprint.js';
import { installCapture, NO_EVENT_TRIGGER_PRIVILEGE, removeCapture } from './install.js';

const SCHEMA = 'capture_test';

let db: TestDb;
let sql: Sql;

beforeAll(async () => {
  db = await createTestDb(['capture.sql']);
  sql = createPool(db.url, { max: 4 });
});

afterAll(async () => {
  await sql?.end({ timeout: 5 });
  await db?.drop();
});

const load = (schemas: string[] = [SCHEMA], pool: Sql = sql) => loadSchemaCache(pool, { schemas });

/** pglive triggers in the database: "schema.table name(args)" with their oids */
async function triggers(pool: Sql = sql): Promise<{ oid: number; line: string }[]> {
  const rows = await pool.unsafe<{ oid: number; line: string }[]>(
    `select t.oid, c.relnamespace::regnamespace || '.' || c.relname || ' ' || t.tgname || '('
            || coalesce(nullif(translate(encode(t.tgargs, 'escape'), E'\\\\000', ','), ''), '') || ')' as line
       from pg_trigger t join pg_class c on c.oid = t.tgrelid
      where t.tgname like 'pglive%' order by 2`,
  );
  return rows.map((r) => ({ oid: Number(r.oid), line: r.line }));
}

async function count(query: string): Promise<number> {
  const [row] = await sql.unsafe<{ n: number }[]>(`select count(*)::int as n from (${query}) q`);
  return row!.n;
}

describe('installCapture', () => {
  it('is idempotent: a second run changes nothing (same trigger oids)', async () => {
    const lines: string[] = [];
    const first = await installCapture(sql, await load(), { log: (l) => lines.push(l) });
    const before = await triggers();
    expect(before).toHaveLength(4 * 4); // items, "Order Items", log, events
    expect(before.map((t) => t.line)).toContain('capture_test.items pglive_capture_ins(id,)');
    expect(before.map((t) => t.line)).toContain('capture_test.log pglive_capture_trunc()');
    expect(lines.at(-1)).toMatch(/change capture on 4 of 4 tables \(4 installed now, 0 already in place\), 0 skipped, 0 removed/);

    const second = await installCapture(sql, await load(), { log: (l) => lines.push(l) });
    expect(await triggers()).toEqual(before);
    expect(second).toEqual(first);
    expect(lines.at(-1)).toMatch(/\(0 installed now, 4 already in place\)/);
  });

  it('re-creates the triggers of a table whose primary key changed', async () => {
    await sql`alter table capture_test.items drop constraint items_pkey, add primary key (name, id)`;
    await installCapture(sql, await load());
    const lines = (await triggers()).map((t) => t.line);
    expect(lines).toContain('capture_test.items pglive_capture_upd(name,id,)');
    expect(lines.filter((l) => l.startsWith('capture_test.items '))).toHaveLength(4);

    await sql`alter table capture_test.items drop constraint items_pkey`;
    await installCapture(sql, await load());
    expect((await triggers()).map((t) => t.line)).toContain('capture_test.items pglive_capture_del()');
    await sql`alter table capture_test.items add primary key (id)`;
  });

  it('repairs a disabled or missing trigger', async () => {
    await sql`alter table capture_test.log disable trigger pglive_capture_ins`;
    await sql`drop trigger pglive_capture_del on capture_test.log`;
    await installCapture(sql, await load());
    expect(await count(`select 1 from pg_trigger where tgrelid = 'capture_test.log'::regclass and tgname like 'pglive%' and tgenabled = 'O'`)).toBe(4);
  });

  it('removes the triggers of tables that are no longer exposed', async () => {
    await sql`create schema capture_extra`;
    await sql`create table capture_extra.thing (id int primary key)`;
    await installCapture(sql, await load([SCHEMA, 'capture_extra']));
    expect(await count(`select 1 from pg_trigger where tgrelid = 'capture_extra.thing'::regclass`)).toBe(4);

    const report = await installCapture(sql, await load([SCHEMA]));
    expect(report.removed).toEqual(['capture_extra.thing']);
    expect(await count(`select 1 from pg_trigger where tgrelid = 'capture_extra.thing'::regclass`)).toBe(0);
    expect(report.installed).toHaveLength(4);
  });

  it('several processes installing at once end with one set of triggers', async () => {
    await sql`create schema capture_race`;
    await sql.unsafe(Array.from({ length: 5 }, (_, i) => `create table capture_race.t${i} (id int primary key)`).join(';')).simple();
    const cache = await load([SCHEMA, 'capture_race']);
    const pools = [createPool(db.url, { max: 1 }), createPool(db.url, { max: 1 }), createPool(db.url, { max: 1 })];
    try {
      const reports = await Promise.all(pools.map((p) => installCapture(p, cache)));
      for (const r of reports) expect(r).toMatchObject({ skipped: [], mode: 'live', eventTriggers: true });
    } finally {
      await Promise.all(pools.map((p) => p.end({ timeout: 5 })));
    }
    expect(await count(`select 1 from pg_trigger t join pg_class c on c.oid = t.tgrelid
                         where c.relnamespace = 'capture_race'::regnamespace and t.tgname like 'pglive%'`)).toBe(20);
    expect(await count(`select 1 from pg_event_trigger where evtname like 'pglive%'`)).toBe(2);
  });
});

describe('catalogFingerprint', () => {
  it('changes with DDL on exposed schemas, not with data, VACUUM, ANALYZE or capture installation', async () => {
    const schemas = [SCHEMA];
    const fp = () => catalogFingerprint(sql, schemas);
    const start = await fp();
    await sql`insert into capture_test.items (id, name) values (900, 'x')`;
    await sql`vacuum analyze capture_test.items`;
    await installCapture(sql, await load());
    await sql`create table capture_other_schema_table (a int)`; // public: not exposed
    expect(await fp()).toBe(start);

    const steps: [string, string][] = [
      ['create', 'create table capture_test.fp (id int)'],
      ['add column', 'alter table capture_test.fp add column b text'],
      ['default', "alter table capture_test.fp alter column b set default 'x'"],
      ['comment', "comment on column capture_test.fp.b is 'bee'"],
      ['grant', 'grant select on capture_test.fp to capture_writer'],
      ['unique', 'create unique index on capture_test.fp (id)'],
      ['rls', 'alter table capture_test.fp enable row level security'],
      ['view', 'create view capture_test.fpv as select id from capture_test.fp'],
      ['replace view', 'create or replace view capture_test.fpv as select id, b from capture_test.fp'],
      ['function', 'create function capture_test.fpf() returns int language sql as $$ select 1 $$'],
      ['enum', "create type capture_test.fpe as enum ('a')"],
      ['enum label', "alter type capture_test.fpe add value 'b'"],
      ['rename', 'alter table capture_test.fp rename to fp2'],
      ['drop', 'drop table capture_test.fp2 cascade'],
    ];
    let previous = start;
    for (const [step, statement] of steps) {
      await sql.unsafe(statement);
      const now = await fp();
      expect({ step, changed: now !== previous }).toEqual({ step, changed: true });
      previous = now;
    }
  });
});

describe('without privileges (a non-superuser login role)', () => {
  let db2: TestDb;
  let server: Sql;

  beforeAll(async () => {
    db2 = await createTestDb(['capture.sql']);
    await db2.sql.unsafe(`
      create schema pglive; -- owned by the superuser: capture_server may not create functions in it
      create schema capture_priv;
      grant usage on schema capture_priv to capture_server;
      create table capture_priv.mine (id int primary key);
      alter table capture_priv.mine owner to capture_server;
      create table capture_priv.theirs (id int primary key);
      grant select on capture_priv.theirs to capture_server;
    `);
    const url = new URL(db2.url);
    url.username = 'capture_server';
    url.password = 'capture_server'; // set by test/fixtures/capture.sql
    server = createPool(url.toString(), { max: 2 });
  });

  afterAll(async () => {
    await server?.end({ timeout: 5 });
    await db2?.drop();
  });

  it('falls back to polling when the capture function cannot be created', async () => {
    const lines: string[] = [];
    const report = await installCapture(server, await load(['capture_priv'], server), { log: (l) => lines.push(l) });
    expect(report).toMatchObject({ installed: [], mode: 'polling', eventTriggers: false });
    expect(report.skipped.map((s) => s.table).sort()).toEqual(['capture_priv.mine', 'capture_priv.theirs']);
    expect(report.skipped[0]!.reason).toMatch(/capture function could not be created: permission denied for schema pglive \(42501\)/);
    expect(lines.join('\n')).toMatch(/live views fall back to polling/);
  });

  it('skips tables it may not put triggers on, and says event triggers are not allowed', async () => {
    await db2.sql`alter schema pglive owner to capture_server`;
    const lines: string[] = [];
    const cache = await load(['capture_priv'], server);
    const report = await installCapture(server, cache, { log: (l) => lines.push(l) });
    expect(report).toMatchObject({ installed: ['capture_priv.mine'], removed: [], eventTriggers: false, mode: 'live' });
    expect(report.skipped).toEqual([{ table: 'capture_priv.theirs', reason: 'permission denied for table theirs (42501)' }]);
    expect(lines).toContain(NO_EVENT_TRIGGER_PRIVILEGE);
    expect(lines.join('\n')).toMatch(/change capture skipped on capture_priv\.theirs: permission denied/);

    // only the unreachable table exposed: nothing can be captured
    const onlyTheirs: SchemaCache = { ...cache, relations: cache.relations.filter((r) => r.name === 'theirs') };
    const polling = await installCapture(server, onlyTheirs);
    expect(polling).toMatchObject({ installed: [], mode: 'polling', removed: ['capture_priv.mine'] });
  });

  it('keeps using event triggers a superuser installed earlier', async () => {
    const admin = createPool(db2.url, { max: 1 });
    try {
      expect((await installCapture(admin, await load(['capture_priv'], admin))).eventTriggers).toBe(true);
    } finally {
      await admin.end({ timeout: 5 });
    }
    const lines: string[] = [];
    const report = await installCapture(server, await load(['capture_priv'], server), { log: (l) => lines.push(l) });
    expect(report.eventTriggers).toBe(true);
    expect(lines).not.toContain(NO_EVENT_TRIGGER_PRIVILEGE);
  });
});

describe('removal', () => {
  const leftovers = async () => ({
    triggers: await count(`select 1 from pg_trigger where tgname like 'pglive%'`),
    eventTriggers: await count(`select 1 from pg_event_trigger where evtname like 'pglive%'`),
    functions: await count(`select 1 from pg_proc where pronamespace = 'pglive'::regnamespace`),
  });

  it('removeCapture leaves no pglive trigger, event trigger or function', async () => {
    await installCapture(sql, await load());
    const removed = await removeCapture(sql);
    expect(removed).toContain('event trigger pglive_ddl');
    expect(removed).toContain('trigger pglive_capture_ins on capture_test.Order Items');
    expect(removed).toContain('function pglive.capture()');
    expect(await leftovers()).toEqual({ triggers: 0, eventTriggers: 0, functions: 0 });
    expect(await removeCapture(sql)).toEqual([]);
  });

  it('`pglive uninstall` removes all of it too', async () => {
    await installCapture(sql, await load());
    await uninstall(sql);
    expect(await count(`select 1 from pg_trigger where tgname like 'pglive%'`)).toBe(0);
    expect(await count(`select 1 from pg_event_trigger where evtname like 'pglive%'`)).toBe(0);
    expect(await count(`select 1 from pg_namespace where nspname = 'pglive'`)).toBe(0);
  });
});
