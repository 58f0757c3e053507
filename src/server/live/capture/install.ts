/**
 * installCapture: make the database's capture triggers match the SchemaCache.
 * Run at every start and after every schema reload; idempotent, and cheap when
 * nothing changed (two catalog queries, no DDL).
 *
 * Each table is installed in its own transaction, so a table pglive may not
 * put triggers on (not owner, lock timeout) is skipped without undoing the
 * others. Every transaction first takes one advisory lock, so several pglive
 * processes starting together install one after the other.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Sql, TxSql } from '../../db/pool.js';
import { isDriverPgError } from '../../db/pool.js';
import { quoteIdent, quoteQualified } from '../../sql/ident.js';
import type { Relation, SchemaCache } from '../../catalog/types.js';
import {
  CAPTURE_FUNCTION,
  CAPTURE_FUNCTION_BODY,
  CAPTURE_FUNCTION_SQL,
  CAPTURE_KEY_TABLE,
  TOKEN_HEX,
  CAPTURE_TRIGGERS,
  CAPTURE_TRIGGER_PATTERN,
  DDL_FUNCTION,
  DDL_FUNCTION_BODY,
  DDL_FUNCTION_SQL,
  EVENT_TRIGGERS,
  INSTALLING_SETTING,
  TRANSITION_TABLES,
  TRIGGER_TYPE,
  createEventTriggerStatements,
  createTriggerStatements,
} from './sql.js';

export interface CaptureReport {
  /** "schema.table" of every exposed table whose triggers are in place (new or already there) */
  readonly installed: string[];
  readonly skipped: { readonly table: string; readonly reason: string }[];
  /** "schema.table" of tables no longer exposed whose triggers were dropped */
  readonly removed: string[];
  /** whether the DDL event triggers are in place (else: the periodic catalog check) */
  readonly eventTriggers: boolean;
  /** 'polling' when no exposed table can be captured: live views must poll */
  readonly mode: 'live' | 'polling';
}

export interface CaptureOptions {
  readonly log?: (msg: string) => void;
}

/** arbitrary, fixed: "plcapt" in ASCII; distinct from the migration lock */
const CAPTURE_LOCK = '123716361232756';
/** installation must not hang the start behind a long transaction holding a table */
const LOCK_TIMEOUT = '5s';

export const NO_EVENT_TRIGGER_PRIVILEGE =
  'pglive: no privilege to create event triggers; DDL is detected by a periodic catalog check';

/** the tables pglive captures: plain and partitioned (partitions are hidden by the cache; views have no triggers) */
export function captureTargets(cache: SchemaCache): Relation[] {
  return cache.relations.filter((r) => r.kind === 'table' || r.kind === 'partitioned_table');
}

export async function installCapture(sql: Sql, cache: SchemaCache, opts: CaptureOptions = {}): Promise<CaptureReport> {
  const log = opts.log ?? (() => {});
  const targets = captureTargets(cache);
  const label = (r: { schema: string; name: string }) => `${r.schema}.${r.name}`;

  const fnError = await installFunction(sql);
  if (fnError !== null) {
    const reason = `the capture function could not be created: ${fnError}`;
    log(`pglive: change capture unavailable (${reason}); live views fall back to polling`);
    const eventTriggers = await installEventTriggers(sql, log);
    return { installed: [], skipped: targets.map((t) => ({ table: label(t), reason })), removed: [], eventTriggers, mode: 'polling' };
  }

  const existing = await existingTriggers(sql);
  const installed: string[] = [];
  const skipped: { table: string; reason: string }[] = [];
  let created = 0;
  for (const t of targets) {
    const current = existing.get(t.oid) ?? [];
    if (isUpToDate(current, t.primaryKey)) {
      installed.push(label(t));
      continue;
    }
    const error = await inTransaction(sql, (tx) => replaceTriggers(tx, t, current));
    if (error === null) {
      installed.push(label(t));
      created++;
    } else {
      skipped.push({ table: label(t), reason: error });
      log(`pglive: change capture skipped on ${label(t)}: ${error}`);
    }
  }

  const wanted = new Set(targets.map((t) => t.oid));
  const removed: string[] = [];
  for (const [oid, triggers] of existing) {
    const first = triggers[0];
    if (wanted.has(oid) || !first) continue;
    const error = await inTransaction(sql, (tx) => dropTriggers(tx, first.schema, first.table, triggers));
    if (error === null) removed.push(label({ schema: first.schema, name: first.table }));
    else log(`pglive: could not remove change capture from ${first.schema}.${first.table}: ${error}`);
  }

  const eventTriggers = await installEventTriggers(sql, log);
  const mode = targets.length > 0 && installed.length === 0 ? 'polling' : 'live';
  log(
    `pglive: change capture on ${installed.length} of ${targets.length} tables` +
      ` (${created} installed now, ${installed.length - created} already in place)` +
      `, ${skipped.length} skipped, ${removed.length} removed` +
      `; DDL detection: ${eventTriggers ? 'event triggers' : 'periodic catalog check'}` +
      (mode === 'polling' ? '; no table can be captured: live views fall back to polling' : ''),
  );
  return { installed, skipped, removed, eventTriggers, mode };
}

/** Drop every capture trigger, the event triggers and both functions, in one transaction. Returns what was dropped. */
export async function removeCapture(sql: Sql): Promise<string[]> {
  return (await sql.begin(async (tx) => {
    await lockAndMark(tx);
    const removed: string[] = [];
    const events = await tx.unsafe<{ name: string }[]>(
      'select evtname as name from pg_event_trigger where evtname = any($1::text[]) order by 1',
      [EVENT_TRIGGERS.map((e) => e.name)],
    );
    for (const { name } of events) {
      await tx.unsafe(`drop event trigger ${quoteIdent(name)}`);
      removed.push(`event trigger ${name}`);
    }
    const triggers = await tx.unsafe<{ name: string; schema: string; table: string }[]>(
      `select t.tgname as name, n.nspname as schema, c.relname as table
         from pg_trigger t
         join pg_class c on c.oid = t.tgrelid
         join pg_namespace n on n.oid = c.relnamespace
        where not t.tgisinternal
          and (t.tgname like $1 or t.tgfoid = coalesce(to_regprocedure($2), 0))
        order by 2, 3, 1`,
      [CAPTURE_TRIGGER_PATTERN, CAPTURE_FUNCTION],
    );
    for (const t of triggers) {
      await tx.unsafe(`drop trigger ${quoteIdent(t.name)} on ${quoteQualified(t.schema, t.table)}`);
      removed.push(`trigger ${t.name} on ${t.schema}.${t.table}`);
    }
    for (const fn of [CAPTURE_FUNCTION, DDL_FUNCTION]) {
      const [row] = await tx.unsafe<{ found: boolean }[]>('select to_regprocedure($1) is not null as found', [fn]);
      if (!row?.found) continue;
      await tx.unsafe(`drop function ${fn}`);
      removed.push(`function ${fn}`);
    }
    const [key] = await tx.unsafe<{ found: boolean }[]>('select to_regclass($1) is not null as found', [CAPTURE_KEY_TABLE]);
    if (key?.found) {
      await tx.unsafe(`drop table ${CAPTURE_KEY_TABLE}`);
      removed.push(`table ${CAPTURE_KEY_TABLE}`);
    }
    return removed;
  })) as string[];
}

// --- the capture function ------------------------------------------------------

/** null when pglive.capture() is in place (created now or already identical), else the reason */
async function installFunction(sql: Sql): Promise<string | null> {
  return inTransaction(sql, async (tx) => {
    const [schema] = await tx.unsafe<{ n: number }[]>("select count(*)::int as n from pg_namespace where nspname = 'pglive'");
    if (!schema || schema.n === 0) {
      // normally created by the migrations; same privileges as there
      await tx.unsafe('create schema pglive');
      await tx.unsafe('revoke all on schema pglive from public');
    }
    // the image secret first: the function reads it on every statement
    const [key] = await tx.unsafe<{ found: boolean }[]>('select to_regclass($1) is not null as found', [CAPTURE_KEY_TABLE]);
    if (!key?.found) {
      await tx.unsafe(`create table ${CAPTURE_KEY_TABLE} (id boolean primary key default true check (id), secret text not null)`);
      await tx.unsafe(`revoke all on table ${CAPTURE_KEY_TABLE} from public`);
    }
    await tx.unsafe(`insert into ${CAPTURE_KEY_TABLE} (secret) select $1 where not exists (select from ${CAPTURE_KEY_TABLE})`, [
      randomBytes(32).toString('hex'),
    ]);
    const [fn] = await tx.unsafe<{ src: string | null; definer: boolean | null }[]>(
      'select p.prosrc as src, p.prosecdef as definer from (select to_regprocedure($1) as oid) as f left join pg_proc p on p.oid = f.oid',
      [CAPTURE_FUNCTION],
    );
    if (fn?.src !== CAPTURE_FUNCTION_BODY || fn.definer !== true) await tx.unsafe(CAPTURE_FUNCTION_SQL);
  });
}

export interface CaptureSecret {
  readonly secret: string;
  /** what payloads carry as "s": the first TOKEN_HEX hex characters of md5(secret) */
  readonly keyId: string;
}

/**
 * The secret behind row-image tokens, for matching changes to views; null when
 * it cannot be read (capture not installed, no privilege) or the database
 * encoding is not UTF-8 (md5 of text hashes its bytes: Node hashes UTF-8).
 */
export async function readCaptureSecret(sql: Sql): Promise<CaptureSecret | null> {
  try {
    const [row] = await sql.unsafe<{ secret: string | null; utf8: boolean }[]>(
      `select (select secret from ${CAPTURE_KEY_TABLE}) as secret, current_setting('server_encoding') = 'UTF8' as utf8`,
    );
    if (!row?.secret || !row.utf8) return null;
    return { secret: row.secret, keyId: createHash('md5').update(row.secret).digest('hex').slice(0, TOKEN_HEX) };
  } catch (e) {
    if (isDriverPgError(e)) return null;
    throw e;
  }
}

async function prosrc(tx: TxSql, signature: string): Promise<string | null> {
  const [row] = await tx.unsafe<{ src: string | null }[]>(
    'select (select prosrc from pg_proc where oid = to_regprocedure($1)) as src',
    [signature],
  );
  return row?.src ?? null;
}

// --- table triggers --------------------------------------------------------------

interface ExistingTrigger {
  readonly name: string;
  readonly schema: string;
  readonly table: string;
  readonly type: number;
  readonly enabled: string;
  readonly ours: boolean;
  readonly plain: boolean;
  readonly args: readonly string[];
  readonly oldTable: string | null;
  readonly newTable: string | null;
}

/** pglive_capture_* triggers in the whole database, by table oid */
async function existingTriggers(sql: Sql): Promise<Map<number, ExistingTrigger[]>> {
  const rows = await sql.unsafe<
    {
      rel: number;
      name: string;
      schema: string;
      table: string;
      type: number;
      enabled: string;
      ours: boolean;
      plain: boolean;
      nargs: number;
      args: Buffer;
      old_table: string | null;
      new_table: string | null;
    }[]
  >(
    `select t.tgrelid as rel, t.tgname as name, n.nspname as schema, c.relname as table,
            t.tgtype::int as type, t.tgenabled::text as enabled,
            t.tgfoid = coalesce(to_regprocedure($2), 0) as ours,
            t.tgqual is null and cardinality(t.tgattr::int2[]) = 0 and t.tgconstraint = 0 as plain,
            t.tgnargs::int as nargs, t.tgargs as args, t.tgoldtable::text as old_table, t.tgnewtable::text as new_table
       from pg_trigger t
       join pg_class c on c.oid = t.tgrelid
       join pg_namespace n on n.oid = c.relnamespace
      where not t.tgisinternal and t.tgname like $1
      order by t.tgrelid, t.tgname`,
    [CAPTURE_TRIGGER_PATTERN, CAPTURE_FUNCTION],
  );
  const byRel = new Map<number, ExistingTrigger[]>();
  for (const r of rows) {
    const rel = Number(r.rel);
    const list = byRel.get(rel) ?? [];
    list.push({
      name: r.name,
      schema: r.schema,
      table: r.table,
      type: r.type,
      enabled: r.enabled,
      ours: r.ours,
      plain: r.plain,
      args: splitTriggerArgs(r.args, r.nargs),
      oldTable: r.old_table,
      newTable: r.new_table,
    });
    byRel.set(rel, list);
  }
  return byRel;
}

/** pg_trigger.tgargs: the arguments, each terminated by a NUL byte */
export function splitTriggerArgs(raw: Uint8Array, count: number): string[] {
  const text = Buffer.from(raw).toString('utf8');
  return text.split('\0').slice(0, count);
}

/** exactly the four capture triggers, enabled, calling pglive.capture with the table's current key */
function isUpToDate(current: readonly ExistingTrigger[], primaryKey: readonly string[]): boolean {
  if (current.length !== CAPTURE_TRIGGERS.length) return false;
  return CAPTURE_TRIGGERS.every(({ event, name }) => {
    const t = current.find((c) => c.name === name);
    return (
      t !== undefined &&
      t.ours &&
      t.plain &&
      t.enabled === 'O' &&
      t.type === TRIGGER_TYPE[event] &&
      t.oldTable === TRANSITION_TABLES[event].old &&
      t.newTable === TRANSITION_TABLES[event].new &&
      t.args.length === primaryKey.length &&
      t.args.every((a, i) => a === primaryKey[i])
    );
  });
}

async function replaceTriggers(tx: TxSql, rel: Relation, current: readonly ExistingTrigger[]): Promise<void> {
  await tx.unsafe('select set_config($1, $2, true)', ['lock_timeout', LOCK_TIMEOUT]);
  const table = quoteQualified(rel.schema, rel.name);
  // the key column names become SQL string literals: DDL takes no bind parameters, so PostgreSQL quotes them
  const [quoted] = await tx.unsafe<{ args: string }[]>(
    `select coalesce(string_agg(quote_literal(a), ', ' order by i), '') as args
       from unnest($1::text[]) with ordinality as u(a, i)`,
    [[...rel.primaryKey]],
  );
  const statements = [
    // names from the catalog (also stale ones with a pglive_capture_ prefix) and the four we create
    ...new Set([...current.map((c) => c.name), ...CAPTURE_TRIGGERS.map((c) => c.name)]),
  ].map((name) => `drop trigger if exists ${quoteIdent(name)} on ${table}`);
  statements.push(...createTriggerStatements(table, quoted?.args ?? ''));
  await tx.unsafe(statements.join(';\n')).simple();
}

async function dropTriggers(tx: TxSql, schema: string, table: string, triggers: readonly ExistingTrigger[]): Promise<void> {
  await tx.unsafe('select set_config($1, $2, true)', ['lock_timeout', LOCK_TIMEOUT]);
  for (const t of triggers) await tx.unsafe(`drop trigger if exists ${quoteIdent(t.name)} on ${quoteQualified(schema, table)}`);
}

// --- event triggers --------------------------------------------------------------

/** true when both event triggers are in place (created now, or already there and enabled) */
async function installEventTriggers(sql: Sql, log: (msg: string) => void): Promise<boolean> {
  const present = async (): Promise<{ all: boolean; current: boolean }> => {
    const rows = await sql.unsafe<{ name: string; event: string; ok: boolean; src: string | null }[]>(
      `select e.evtname as name, e.evtevent as event,
              e.evtfoid = coalesce(to_regprocedure($2), 0) and e.evtenabled <> 'D' and e.evttags is null as ok,
              p.prosrc as src
         from pg_event_trigger e left join pg_proc p on p.oid = e.evtfoid
        where e.evtname = any($1::text[])`,
      [EVENT_TRIGGERS.map((e) => e.name), DDL_FUNCTION],
    );
    const all = EVENT_TRIGGERS.every((e) => rows.some((r) => r.name === e.name && r.event === e.event && r.ok));
    return { all, current: all && rows.every((r) => r.src === DDL_FUNCTION_BODY) };
  };
  const before = await present();
  if (before.current) return true;
  const error = await inTransaction(sql, async (tx) => {
    if ((await prosrc(tx, DDL_FUNCTION)) !== DDL_FUNCTION_BODY) await tx.unsafe(DDL_FUNCTION_SQL);
    for (const e of EVENT_TRIGGERS) await tx.unsafe(`drop event trigger if exists ${quoteIdent(e.name)}`);
    for (const statement of createEventTriggerStatements()) await tx.unsafe(statement);
  });
  if (error === null) return true;
  if (before.all) {
    log(`pglive: the DDL event triggers could not be updated (${error}); the installed version stays in use`);
    return true;
  }
  log(error.includes('(42501)') ? NO_EVENT_TRIGGER_PRIVILEGE : `pglive: could not create event triggers (${error}); DDL is detected by a periodic catalog check`);
  return false;
}

// --- helpers -----------------------------------------------------------------------

/** serialise with other pglive processes; mark the transaction so pglive.on_ddl() ignores its DDL */
async function lockAndMark(tx: TxSql): Promise<void> {
  await tx.unsafe('select pg_advisory_xact_lock($1::bigint), set_config($2, $3, true)', [CAPTURE_LOCK, INSTALLING_SETTING, 'on']);
}

/** run fn in a transaction; null on commit, else the PostgreSQL error as "message (SQLSTATE)" */
async function inTransaction(sql: Sql, fn: (tx: TxSql) => Promise<void>): Promise<string | null> {
  try {
    await sql.begin(async (tx) => {
      await lockAndMark(tx);
      await fn(tx);
    });
    return null;
  } catch (e) {
    if (isDriverPgError(e)) return `${e.message} (${e.code})`;
    throw e;
  }
}
