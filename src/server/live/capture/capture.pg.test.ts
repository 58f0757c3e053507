/**
 * What the capture triggers and the DDL event trigger send, observed the way
 * the server will: a dedicated LISTEN connection. Each test writes, then
 * drains its channel up to a marker notification (the queue is in commit
 * order), so "exactly these notifications, nothing else" is checked.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../../test/support/db.js';
import { loadSchemaCache } from '../../catalog/load.js';
import { createPool, type Sql } from '../../db/pool.js';
import { decodeChange, type ChangeEvent } from './decode.js';
import { installCapture, readCaptureSecret, type CaptureReport } from './install.js';
import { CHANGES_CHANNEL, CONTROL_CHANNEL, RELOAD_PAYLOAD } from './sql.js';

const SCHEMA = 'capture_test';

let db: TestDb;
let sql: Sql;
let listener: Sql;
let report: CaptureReport;
const inbox: { channel: string; payload: string }[] = [];
let markers = 0;

beforeAll(async () => {
  db = await createTestDb(['capture.sql']);
  sql = createPool(db.url, { max: 3 });
  listener = createPool(db.url, { max: 1 });
  for (const channel of [CHANGES_CHANNEL, CONTROL_CHANNEL]) {
    await listener.listen(channel, (payload) => inbox.push({ channel, payload }));
  }
  report = await installCapture(sql, await loadSchemaCache(sql, { schemas: [SCHEMA] }));
});

afterAll(async () => {
  await listener?.end({ timeout: 5 });
  await sql?.end({ timeout: 5 });
  await db?.drop();
});

/** every payload received on `channel` since the last drain, up to a marker sent now */
async function drain(channel: string): Promise<string[]> {
  const marker = `marker ${++markers}`;
  await sql.unsafe('select pg_notify($1, $2)', [channel, marker]);
  const deadline = Date.now() + 5000;
  while (!inbox.some((m) => m.channel === channel && m.payload === marker)) {
    if (Date.now() > deadline) throw new Error(`no ${marker} on ${channel}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  const at = inbox.findIndex((m) => m.channel === channel && m.payload === marker);
  const mine = inbox.filter((m, i) => m.channel === channel && i < at).map((m) => m.payload);
  for (let i = inbox.length - 1; i >= 0; i--) if (inbox[i]!.channel === channel && i <= at) inbox.splice(i, 1);
  return mine;
}

async function changes(): Promise<string[]> {
  await drain(CONTROL_CHANNEL); // DDL in a test must not leak into the next one's assertions
  return drain(CHANGES_CHANNEL);
}

function decoded(payloads: string[]): ChangeEvent[] {
  return payloads.map((p) => {
    const e = decodeChange(p);
    if (!e) throw new Error(`undecodable payload: ${p}`);
    return e;
  });
}

async function oid(table: string): Promise<number> {
  const [row] = await sql.unsafe<{ oid: number }[]>('select $1::regclass::oid as oid', [table]);
  return Number(row!.oid);
}

async function txid(): Promise<string> {
  const [row] = await sql.unsafe<{ x: string }[]>('select txid_current()::text as x');
  return row!.x;
}

const sortKeys = (keys: unknown[][] | null) => (keys ? [...keys].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) : keys);

describe('installation', () => {
  it('captures tables and partitioned tables, not partitions, views or materialized views', () => {
    expect(report.installed.sort()).toEqual(
      ['capture_test.Order Items', 'capture_test.events', 'capture_test.items', 'capture_test.log'].sort(),
    );
    expect(report).toMatchObject({ skipped: [], removed: [], eventTriggers: true, mode: 'live' });
  });
});

describe('row changes', () => {
  it('single insert, update, delete: one notification each with the table oid, operation, txid and key', async () => {
    const items = await oid('capture_test.items');
    const before = BigInt(await txid());
    await sql`insert into capture_test.items (id, name) values (1, 'one')`;
    await sql`update capture_test.items set name = 'uno' where id = 1`;
    await sql`delete from capture_test.items where id = 1`;
    const events = decoded(await changes());
    expect(events.map((e) => [e.relOid, e.op, e.keys])).toEqual([
      [items, 'insert', [[1]]],
      [items, 'update', [[1]]],
      [items, 'delete', [[1]]],
    ]);
    const txids = events.map((e) => BigInt(e.txid));
    expect(txids[0]! > before && txids[1]! > txids[0]! && txids[2]! > txids[1]!).toBe(true);
  });

  it('one multi-row statement is one notification; a transaction of two statements is two', async () => {
    await sql`insert into capture_test.items (id) select g from generate_series(10, 14) g`;
    await sql.begin(async (tx) => {
      await tx`update capture_test.items set name = 'x' where id < 12`;
      await tx`delete from capture_test.items where id >= 12`;
    });
    const events = decoded(await changes());
    expect(events.map((e) => [e.op, sortKeys(e.keys)])).toEqual([
      ['insert', [[10], [11], [12], [13], [14]]],
      ['update', [[10], [11]]],
      ['delete', [[12], [13], [14]]],
    ]);
    expect(events[1]!.txid).toBe(events[2]!.txid);
    await sql`delete from capture_test.items`;
    await changes();
  });

  it('an update changing a primary key reports the old and the new key, once each', async () => {
    await sql`insert into capture_test.items (id) values (20), (21)`;
    await changes();
    await sql`update capture_test.items set id = id + 10`;
    const [event] = decoded(await changes());
    expect(event?.op).toBe('update');
    expect(sortKeys(event!.keys)).toEqual([[20], [21], [30], [31]]);
    await sql`delete from capture_test.items`;
    await changes();
  });

  it('composite keys with awkward identifiers, in key-column order', async () => {
    const table = await oid('capture_test."Order Items"');
    await sql`insert into capture_test."Order Items" ("Order Id", "Line ""No""", qty) values (7, 'a "b", c', 2), (7, 'é', 1)`;
    await sql`update capture_test."Order Items" set qty = qty + 1 where "Line ""No""" = 'é'`;
    const events = decoded(await changes());
    expect(events.map((e) => [e.relOid, e.op, sortKeys(e.keys)])).toEqual([
      [table, 'insert', [[7, 'a "b", c'], [7, 'é']]],
      [table, 'update', [[7, 'é']]],
    ]);
  });

  it('a table without a primary key notifies without keys', async () => {
    const log = await oid('capture_test.log');
    await sql`insert into capture_test.log (msg) values ('a'), ('b')`;
    await sql`update capture_test.log set msg = 'c'`;
    await sql`delete from capture_test.log`;
    const events = decoded(await changes());
    expect(events.map((e) => [e.relOid, e.op, e.keys])).toEqual([
      [log, 'insert', null],
      [log, 'update', null],
      [log, 'delete', null],
    ]);
  });

  it('statements that touch no row send nothing (keyed or not)', async () => {
    await sql`update capture_test.items set name = 'none' where id = -1`;
    await sql`delete from capture_test.items where id = -1`;
    await sql`insert into capture_test.items select 1 where false`;
    await sql`update capture_test.log set msg = 'none' where false`;
    await sql`insert into capture_test.items (id) values (1) on conflict do nothing`;
    await sql`insert into capture_test.items (id) values (1) on conflict do nothing`;
    const events = decoded(await changes());
    // only the first upsert inserted a row
    expect(events.map((e) => [e.op, e.keys])).toEqual([['insert', [[1]]]]);
    await sql`delete from capture_test.items`;
    await changes();
  });

  it('a rolled-back transaction or savepoint sends nothing', async () => {
    await sql
      .begin(async (tx) => {
        await tx`insert into capture_test.items (id) values (40)`;
        throw new Error('roll back');
      })
      .catch(() => {});
    await sql.begin(async (tx) => {
      await tx.savepoint(async (sp) => {
        await sp`insert into capture_test.items (id) values (41)`;
        throw new Error('roll back to savepoint');
      }).catch(() => {});
      await tx`insert into capture_test.items (id) values (42)`;
    });
    expect(decoded(await changes()).map((e) => e.keys)).toEqual([[[42]]]);
    await sql`delete from capture_test.items`;
    await changes();
  });

  it('TRUNCATE sends "truncate" without keys', async () => {
    await sql`truncate capture_test.items, capture_test.log`;
    const events = decoded(await changes());
    expect(events.map((e) => [e.relOid, e.op, e.keys]).sort()).toEqual(
      [
        [await oid('capture_test.items'), 'truncate', null],
        [await oid('capture_test.log'), 'truncate', null],
      ].sort(),
    );
  });

  it('writes by a role without access to schema pglive are captured', async () => {
    await sql.begin(async (tx) => {
      await tx`set local role capture_writer`;
      await tx`insert into capture_test.items (id) values (50)`;
    });
    const [event] = decoded(await changes());
    expect([event?.op, event?.keys]).toEqual(['insert', [[50]]]);
    // the row image was made with the secret, which that role cannot read (the function runs as its owner)
    const secret = await readCaptureSecret(sql);
    expect(event?.images).toEqual({ keyId: secret!.keyId, rows: [expect.stringMatching(/^([0-9a-f]{8})+$/)] });
    await expect(
      sql.begin(async (tx) => {
        await tx`set local role capture_writer`;
        await tx`select secret from pglive.capture_key`;
      }),
    ).rejects.toMatchObject({ code: '42501' });
    await sql`delete from capture_test.items`;
    await changes();
  });

  it('an update lists the columns it changed (exactly), unless a key changed', async () => {
    await sql`insert into capture_test.items (id, name) values (70, 'a'), (71, 'b')`;
    await sql`update capture_test.items set name = 'a2' where id = 70`;
    await sql`update capture_test.items set name = name where id in (70, 71)`;
    await sql`update capture_test.items set name = case id when 70 then 'x' else name end where id in (70, 71)`;
    await sql`update capture_test.items set id = 72 where id = 71`;
    const events = decoded(await changes());
    expect(events.map((e) => [e.op, e.changed === null ? null : [...e.changed].sort()])).toEqual([
      ['insert', null],
      ['update', ['name']],
      ['update', []],
      ['update', ['name']], // one of the two rows changed
      ['update', null],
    ]);
    await sql`delete from capture_test.items`;
    await changes();
  });

  it('row images hold one token per column of each row version; bulk statements carry none', async () => {
    await sql`insert into capture_test.items (id) values (60), (61)`;
    await sql`update capture_test.items set id = id where id = 60`;
    await sql`delete from capture_test.items where id in (60, 61)`;
    const [ins, upd, del] = decoded(await changes());
    const [{ n } = { n: -1 }] = await sql<{ n: number }[]>`select count(*)::int as n from information_schema.columns where table_schema = 'capture_test' and table_name = 'items'`;
    const tokens = (img: string) => img.length / 8;
    expect(ins?.images?.rows.map(tokens)).toEqual([n, n]);
    expect(upd?.images?.rows.map(tokens)).toEqual([n, n]); // old and new version
    expect(upd?.images?.rows[0]).toBe(upd?.images?.rows[1]); // nothing changed: same tokens
    expect(del?.images?.rows.map(tokens)).toEqual([n, n]);
    await sql`insert into capture_test.items (id) select g from generate_series(100, 116) g`;
    const [bulk] = decoded(await changes());
    expect([bulk?.keys?.length, bulk?.images]).toEqual([17, null]);
    await sql`delete from capture_test.items`;
    await changes();
  });

  it("an old version's token hashes its own text, even when the value compares equal (numeric scale)", async () => {
    await sql`create table capture_test.amounts (id integer primary key, amount numeric, note text)`;
    await installCapture(sql, await loadSchemaCache(sql, { schemas: [SCHEMA] }));
    await sql`insert into capture_test.amounts values (1, 1.0, 'a')`;
    await sql`update capture_test.amounts set amount = 1.00 where id = 1`;
    await sql`update capture_test.amounts set note = 'b' where id = 1`;
    const [, scale, note] = decoded(await changes());
    const secret = (await readCaptureSecret(sql))!.secret;
    const token = (column: string, json: string) => createHash('md5').update(`${secret}${column}=${json}`).digest('hex').slice(0, 8);
    // one token per column, in jsonb key order (shorter names first)
    const image = (amount: string, text: string) => token('id', '1') + token('note', text) + token('amount', amount);
    expect([scale?.changed, scale?.images?.rows]).toEqual([[], [image('1.0', '"a"'), image('1.00', '"a"')]]); // equal as jsonb
    expect([note?.changed, note?.images?.rows]).toEqual([['note'], [image('1.00', '"a"'), image('1.00', '"b"')]]);
    await sql`drop table capture_test.amounts`;
    await changes();
  });

  it('rows pair up by position: a deferred swap of keys lists each key once, and no changed columns', async () => {
    await sql`create table capture_test.swaps (id integer primary key deferrable initially deferred, v text)`;
    await installCapture(sql, await loadSchemaCache(sql, { schemas: [SCHEMA] }));
    await sql`insert into capture_test.swaps values (1, 'a'), (2, 'b')`;
    await sql`update capture_test.swaps set id = 3 - id`;
    await sql`update capture_test.swaps set v = v || '!' where id = 1`;
    const [, swap, append] = decoded(await changes());
    expect([sortKeys(swap!.keys), swap?.changed, swap?.images?.rows.length]).toEqual([[[1], [2]], null, 4]);
    expect([append?.keys, append?.changed]).toEqual([[[1]], ['v']]);
    await sql`drop table capture_test.swaps`;
    await changes();
  });

  it('rows inserted through a partitioned table are reported on the parent', async () => {
    const events = await oid('capture_test.events');
    await sql`insert into capture_test.events (id, day) values (1, '2024-03-01'), (2, '2025-06-30')`;
    await sql`update capture_test.events set day = '2025-03-01' where id = 1`; // moves to another partition
    const got = decoded(await changes());
    expect(got.map((e) => [e.relOid, e.op, sortKeys(e.keys)])).toEqual([
      [events, 'insert', [[1, '2024-03-01'], [2, '2025-06-30']]],
      [events, 'update', [[1, '2024-03-01'], [1, '2025-03-01']]],
    ]);
  });
});

describe('the 8000-byte NOTIFY limit', () => {
  it('a bulk INSERT of 10,000 rows is ONE notification, without keys, under 8000 bytes', async () => {
    await sql`insert into capture_test.items (id) select g from generate_series(1000, 10999) g`;
    const payloads = await changes();
    expect(payloads).toHaveLength(1);
    expect(Buffer.byteLength(payloads[0]!)).toBeLessThan(8000);
    expect(decodeChange(payloads[0]!)).toMatchObject({ op: 'insert', keys: null });
    await sql`update capture_test.items set name = 'bulk'`;
    await sql`delete from capture_test.items`;
    expect(decoded(await changes()).map((e) => [e.op, e.keys])).toEqual([
      ['update', null],
      ['delete', null],
    ]);
  });

  it('up to 1000 short keys are sent; 1001 degrade', async () => {
    await sql`insert into capture_test.items (id) select g from generate_series(1, 1000) g`;
    await sql`insert into capture_test.items (id) select g from generate_series(2001, 3001) g`;
    const payloads = await changes();
    expect(payloads.map((p) => decodeChange(p)?.keys?.length ?? null)).toEqual([1000, null]);
    expect(Buffer.byteLength(payloads[0]!)).toBeLessThan(8000);
    await sql`delete from capture_test.items`;
    await changes();
  });

  it('statements past the small-statement path (17+ rows) report the same keys, composite and changed ones too', async () => {
    await sql`delete from capture_test."Order Items"`;
    await changes();
    const rows = Array.from({ length: 20 }, (_, i) => i + 1);
    await sql`insert into capture_test."Order Items" ("Order Id", "Line ""No""") select g, 'L' || g from generate_series(1, 20) g`;
    await sql`update capture_test."Order Items" set "Order Id" = "Order Id" + 100`;
    await sql`delete from capture_test."Order Items"`;
    const events = decoded(await changes());
    const key = (n: number, line: number) => [n, `L${line}`];
    expect(events.map((e) => [e.op, sortKeys(e.keys)])).toEqual([
      ['insert', sortKeys(rows.map((g) => key(g, g)))],
      ['update', sortKeys([...rows.map((g) => key(g, g)), ...rows.map((g) => key(g + 100, g))])],
      ['delete', sortKeys(rows.map((g) => key(g + 100, g)))],
    ]);
  });

  it('keys too long for the payload degrade by size (counted in bytes, not characters)', async () => {
    // 10 keys of 400 two-byte characters: 4,000 characters, 8,000+ bytes
    await sql`insert into capture_test."Order Items" ("Order Id", "Line ""No""") select g, repeat('é', 400) from generate_series(1, 10) g`;
    const payloads = await changes();
    expect(payloads).toHaveLength(1);
    expect(Buffer.byteLength(payloads[0]!)).toBeLessThan(8000);
    expect(decodeChange(payloads[0]!)).toMatchObject({ op: 'insert', keys: null });
    // the same rows one by one do fit
    await sql`update capture_test."Order Items" set qty = 5 where "Order Id" = 1 and "Line ""No""" = ${'é'.repeat(400)}`;
    expect(decoded(await changes())[0]?.keys).toEqual([[1, 'é'.repeat(400)]]);
  });
});

describe('DDL', () => {
  it('REFRESH MATERIALIZED VIEW sends "refresh" with the view oid', async () => {
    await sql`refresh materialized view capture_test.item_count`;
    const events = decoded(await drain(CHANGES_CHANNEL));
    expect(events.map((e) => [e.relOid, e.op, e.keys])).toEqual([[await oid('capture_test.item_count'), 'refresh', null]]);
    expect(await drain(CONTROL_CHANNEL)).toEqual([]);
  });

  it('CREATE TABLE, ALTER, COMMENT, GRANT, DROP in an exposed schema ask for a schema reload', async () => {
    for (const statement of [
      'create table capture_test.fresh (id int primary key)',
      'alter table capture_test.fresh add column note text',
      "comment on table capture_test.fresh is 'new'",
      'grant select on capture_test.fresh to capture_writer',
      'drop table capture_test.fresh',
    ]) {
      await sql.unsafe(statement);
      expect({ statement, payloads: await drain(CONTROL_CHANNEL) }).toEqual({ statement, payloads: [RELOAD_PAYLOAD] });
    }
  });

  it('temporary objects do not ask for a reload', async () => {
    await sql.begin(async (tx) => {
      await tx`create temp table scratch (a int)`;
      await tx`drop table scratch`;
    });
    expect(await drain(CONTROL_CHANNEL)).toEqual([]);
  });

  it("installing triggers on a new table is not taken for a schema change (no reload storm)", async () => {
    await sql`create table capture_test.later (id int primary key)`;
    expect(await drain(CONTROL_CHANNEL)).toEqual([RELOAD_PAYLOAD]);
    const again = await installCapture(sql, await loadSchemaCache(sql, { schemas: [SCHEMA] }));
    expect(again.installed).toContain('capture_test.later');
    expect(await drain(CONTROL_CHANNEL)).toEqual([]);
    await sql`insert into capture_test.later values (1)`;
    expect(decoded(await changes()).map((e) => [e.relOid, e.keys])).toEqual([[await oid('capture_test.later'), [[1]]]]);
  });
});
