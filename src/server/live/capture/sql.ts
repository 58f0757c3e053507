/**
 * The SQL pglive installs for change capture, as text. Installed (and
 * re-synced) by install.ts at every start and schema reload, not by a
 * migration: the triggers follow the exposed tables, which change at runtime.
 *
 * Everything is named pglive_* (triggers, event triggers) or lives in schema
 * pglive (functions), so `pglive uninstall` finds it by name.
 */

/** row changes: one notification per statement (see docs/change-capture.md) */
export const CHANGES_CHANNEL = 'pglive_changes';
/** control messages; the DDL event trigger sends RELOAD_PAYLOAD here */
export const CONTROL_CHANNEL = 'pglive';
export const RELOAD_PAYLOAD = 'reload schema';

/**
 * Past either limit a payload carries no "k" ("the table changed"). NOTIFY
 * refuses payloads of 8000 bytes or more; the key cap also bounds the work a
 * bulk statement costs the trigger (it reads at most MAX_KEYS + 1 rows).
 */
export const MAX_PAYLOAD_BYTES = 7500;
export const MAX_KEYS = 1000;
/** statements up to this many rows take the static (plan-cached) path of capture() */
export const SMALL_STATEMENT_ROWS = 16;

/** transition table names: static SQL in capture() refers to them, so every trigger uses these */
export const OLD_TABLE = 'pglive_old';
export const NEW_TABLE = 'pglive_new';

export const CAPTURE_FUNCTION = 'pglive.capture()';
/**
 * The secret behind row-image tokens (one row). Only pglive's own role may
 * read it; the capture function runs as its owner (SECURITY DEFINER) to use it.
 */
export const CAPTURE_KEY_TABLE = 'pglive.capture_key';
/** a value longer than this (as JSON text) is not hashed: its token says "long" */
export const MAX_HASHED_VALUE_BYTES = 200;
/** hex characters kept of each md5 token */
export const TOKEN_HEX = 8;
export const DDL_FUNCTION = 'pglive.on_ddl()';

/** GUC set (transaction-local) while pglive installs triggers, so on_ddl() ignores its own DDL */
export const INSTALLING_SETTING = 'pglive.installing';

export type CaptureEvent = 'insert' | 'update' | 'delete' | 'truncate';

/** trigger name per event; statement-level AFTER, one event each (transition tables require it) */
export const CAPTURE_TRIGGERS: readonly { readonly event: CaptureEvent; readonly name: string }[] = [
  { event: 'insert', name: 'pglive_capture_ins' },
  { event: 'update', name: 'pglive_capture_upd' },
  { event: 'delete', name: 'pglive_capture_del' },
  { event: 'truncate', name: 'pglive_capture_trunc' },
];

/** LIKE pattern of capture trigger names (the underscore escaped) */
export const CAPTURE_TRIGGER_PATTERN = 'pglive\\_capture\\_%';

export const EVENT_TRIGGERS = [
  { name: 'pglive_ddl', event: 'ddl_command_end' },
  { name: 'pglive_ddl_drop', event: 'sql_drop' },
] as const;

/** rows read per side by the small-statement path: one more than it handles, to tell "more" */
const READ_ROWS = SMALL_STATEMENT_ROWS + 1;

/*
 * What the function costs (measured with bench/live/trigger-overhead.ts and
 * per-statement CPU probes): every call runs in a new transaction, so every
 * query and PL/pgSQL expression it reaches is set up again on every call
 * (executor nodes, aggregates, expression steps), and the per-column work is
 * mostly md5 and jsonb_out. Hence: two queries for a small statement (read the
 * rows, then make keys, images and changed columns), with a query of their own
 * for the common case (one row, a one-column key) and none of the branches it
 * does not take; each value rendered as text once; an old version's token
 * hashed only when its text differs from the new version's.
 */

/**
 * The key of a row as a JSON array, from the row's jsonb (`row`). `single`:
 * a one-column key (most tables), without the subquery. Key columns come in
 * tg_argv, in key-column order (unnest keeps it).
 */
function keyOf(row: string, single: boolean): string {
  return single
    ? `'[' || (${row} -> tg_argv[0])::text || ']'`
    : `'[' || array_to_string(array(select (${row} -> a)::text from unnest(tg_argv) as a), ',') || ']'`;
}

/**
 * One token of a row image, from the column name and the value's JSON text
 * (`text`, the jsonb rendering): the first TOKEN_HEX hex characters of
 * md5(secret || column || '=' || text), or of md5(secret || column || '*')
 * when the text is longer than MAX_HASHED_VALUE_BYTES. Tokens reveal nothing
 * to a listener without the secret; the server, which has it, can tell that a
 * row's column does NOT hold a filter's value (see src/server/live/match.ts).
 * Null when there is no secret.
 */
function tokenOf(column: string, text: string): string {
  return `left(md5(secret || ${column} || case when octet_length(${text}) > ${MAX_HASHED_VALUE_BYTES} then '*' else '=' || ${text} end), ${TOKEN_HEX})`;
}

/**
 * A row image: one token per column (jsonb key order), concatenated; null
 * without a secret. offset 0 keeps each value's text a column of its own,
 * rendered once (a flattened subquery would repeat the expression).
 */
function imageOf(row: string): string {
  return `(select string_agg(${tokenOf('c.key', 'c.t')}, '')
           from (select e.key, e.value::text as t from jsonb_each(${row}) as e offset 0) as c)`;
}

/**
 * The columns of an UPDATE's row pair (jsonb `o` old, `w` new): key, the new
 * value (nv), the old and new versions' texts (ot, nt) and the new token (tn).
 * The old token is the new one when the texts are equal, and equal texts mean
 * equal values: the exact jsonb comparison is needed only when they differ.
 */
function pairColumns(o: string, w: string): string {
  return `(select v.key, v.nv, v.ot, v.nt, ${tokenOf('v.key', 'v.nt')} as tn
             from (select e.key, e.value as nv, (${o} -> e.key)::text as ot, e.value::text as nt
                     from jsonb_each(${w}) as e offset 0) as v offset 0) as c`;
}
const OLD_TOKEN = `case when c.ot = c.nt then c.tn else ${tokenOf('c.key', 'c.ot')} end`;

/** the statement twice, for a one-column key and for a composite one */
function byKeyWidth(statement: (single: boolean) => string): string {
  return `if tg_nargs = 1 then
        ${statement(true)}
      else
        ${statement(false)}
      end if;`;
}

/**
 * The small-statement path, for the rows read into `news` (INSERT: new rows,
 * DELETE: old rows) and, for an UPDATE, `olds`: sets keys and images (null
 * unless every row has one: the server must never take a partial list for the
 * whole), and for an UPDATE changed and n (the number of distinct keys).
 *
 * An UPDATE pairs each old row with the new row at the same position (the
 * transition tables receive both versions of a row together). "c" lists
 * every column whose value differs between the two versions of some row
 * (exact jsonb comparison), so the server knows an update that touched no
 * filtered column cannot move a row in or out of a view; it stays null when
 * a key changed (rows cannot be paired by key), and then each key is listed
 * once, old and new.
 *
 * A statement of one row, the common case, has queries of its own.
 */
const oneRow = (single: boolean) => `select ${keyOf('news[1]', single)}, '"' || string_agg(${tokenOf('c.key', 'c.t')}, '') || '"'
          into keys, images
          from (select e.key, e.value::text as t from jsonb_each(news[1]) as e offset 0) as c;`;

const oneUpdate = (single: boolean) => `select ${keyOf('olds[1]', single)}, ${keyOf('news[1]', single)},
               '"' || string_agg(${OLD_TOKEN}, '') || '","' || string_agg(c.tn, '') || '"',
               coalesce(string_agg(to_jsonb(c.key)::text, ',') filter (where c.ot <> c.nt and c.nv is distinct from olds[1] -> c.key), '')
          into old_key, keys, images, changed
          from ${pairColumns('olds[1]', 'news[1]')};`;

// offset 0: each row's key and image made once, not once per reference. The arrays are read
// through (select …): a constant array would let custom plans see its length, look cheaper than
// the generic plan, and be planned again on every call.
const someRows = (single: boolean) => `select string_agg(d.k, ','), case when count(d.h) = count(*) then '"' || string_agg(d.h, '","') || '"' end
          into keys, images
          from (select ${keyOf('j', single)} as k, ${imageOf('j')} as h from unnest((select news)) as j offset 0) as d;`;

const someUpdates = (single: boolean) => `select count(*) filter (where d.ko = d.kn)::integer, string_agg(d.kn, ','),
               case when count(d.h) = count(*) then '"' || string_agg(d.h, '","') || '"' end
          into same, keys, images
          from (select ${keyOf('p.o', single)} as ko, ${keyOf('p.w', single)} as kn,
                       (select string_agg(${OLD_TOKEN}, '') || '","' || string_agg(c.tn, '') from ${pairColumns('p.o', 'p.w')}) as h
                  from unnest((select olds), (select news)) as p(o, w) offset 0) as d;`;

const distinctKeys = (single: boolean) => `select count(distinct u.k)::integer, string_agg(distinct u.k, ',')
            into n, keys
            from (select ${keyOf('j', single)} as k from unnest((select olds || news)) as j offset 0) as u;`;

/** the secret and at most READ_ROWS rows of `table` into `news` (and of pglive_old into olds for an UPDATE) */
function readRows(table: string, update: boolean): string {
  return `select (select s.secret from ${CAPTURE_KEY_TABLE} as s),${update ? `\n           array(select to_jsonb(r) from ${OLD_TABLE} as r limit ${READ_ROWS}),` : ''}
           array(select to_jsonb(r) from ${table} as r limit ${READ_ROWS})
      into secret,${update ? ' olds,' : ''} news;
    n := cardinality(news);`;
}

/**
 * Past SMALL_STATEMENT_ROWS rows: keys only, from a query over the key columns
 * (format %I), EXECUTEd: planned every time, but paid once per bulk statement.
 * At most MAX_KEYS + 1 rows per side are read: more than MAX_KEYS keys means
 * "too many".
 */
function bulkKeys(update: boolean): string {
  // '[' || to_jsonb(k1)::text || ',' || to_jsonb(k2)::text || ']'
  const keySql = `select '''['' || ' || string_agg(format('to_jsonb(%I)::text', a), ' || '','' || ' order by i) || ' || '']'''
          into key_sql
          from unnest(tg_argv) with ordinality as u(a, i);`;
  const query = update
    ? `execute format(
          'select count(*)::integer, string_agg(k, '','') from ((select %1$s as k from ${OLD_TABLE} limit %2$s)'
          || ' union (select %1$s as k from ${NEW_TABLE} limit %2$s)) as u',
          key_sql, ${MAX_KEYS} + 1) into n, keys;`
    : `execute format(
          'select count(*)::integer, string_agg(k, '','') from (select %s as k from %I limit %s) as u',
          key_sql, case tg_op when 'DELETE' then '${OLD_TABLE}' else '${NEW_TABLE}' end, ${MAX_KEYS} + 1) into n, keys;`;
  return `if n > ${SMALL_STATEMENT_ROWS} then
        images := null;
        changed := null;
        ${keySql}
        ${query}
        if n > ${MAX_KEYS} then
          keys := null;
        end if;
      end if;`;
}

/** what follows reading the rows, for an UPDATE or not */
function smallStatement(update: boolean): string {
  // an UPDATE that changed its row's key: both keys, and no "c"
  const keyChange = update
    ? `
      if old_key <> keys then
        keys := old_key || ',' || keys;
        n := 2;
        changed := null;
      end if;`
    : '';
  const one = update ? oneUpdate : oneRow;
  const some = update
    ? `${byKeyWidth(someUpdates)}
        if same = n then
          select coalesce(string_agg(to_jsonb(c.key)::text, ','), '')
            into changed
            from jsonb_each(news[1]) as c
           where exists (select from unnest((select olds), (select news)) as p(o, w) where p.w -> c.key is distinct from p.o -> c.key);
        else
          ${byKeyWidth(distinctKeys)}
        end if;`
    : byKeyWidth(someRows);
  // one row and a one-column key, the common case, is decided by one test
  return `if n = 1 and tg_nargs = 1 then
      ${one(true)}${keyChange}
    elsif n = 1 then
      ${one(false)}${keyChange}
    elsif n = 0 then
      -- nothing written: no notification, and no txid_current(), which would give the transaction an id
      return null;
    else
      if n <= ${SMALL_STATEMENT_ROWS} then
        ${some}
      end if;
      ${bulkKeys(update)}
    end if;`;
}

/**
 * The trigger function. Primary key column names come as trigger arguments
 * (none: the table has no key, payloads never carry "k"). Key values are
 * rendered as jsonb, so they decode to the values row_to_json gives the
 * server for the same row.
 *
 * Two paths, for cost (measured with bench/live/trigger-overhead.ts):
 * - small statements (the OLTP case) use static SQL, which PL/pgSQL plans
 *   once per table and session: one query reads the secret and at most
 *   SMALL_STATEMENT_ROWS + 1 rows per side as jsonb (to_jsonb converts whole
 *   rows), a second one makes keys, images and changed columns;
 * - larger ones build a query over the key columns only (bulkKeys).
 *
 * Payload: {"r": oid, "o": op, "x": txid, "k": [keys…], "c": [changed columns…],
 * "s": key id, "h": [images…]}; "c" only for small updates that changed no
 * key, "s"/"h" only for small statements, each only when it fits; "k" only
 * when it fits.
 *
 * The function is SECURITY DEFINER (it reads the image secret, which the
 * writing roles may not), so search_path is pinned: nothing planted in a
 * schema on some role's path is picked over pg_catalog's. Transition tables
 * are found before the path.
 *
 * pg_notify is called in an assignment, not PERFORM: PL/pgSQL evaluates a
 * simple expression without starting the executor.
 */
export const CAPTURE_FUNCTION_BODY = `
declare
  head text;
  key_sql text;
  n integer;
  same integer;
  keys text;
  old_key text;
  images text;
  changed text;
  secret text;
  olds jsonb[];
  news jsonb[];
  payload text;
  sent text;
begin
  if tg_op = 'TRUNCATE' or tg_nargs = 0 then
    if tg_op = 'DELETE' then
      perform from ${OLD_TABLE} limit 1;
    elsif tg_op <> 'TRUNCATE' then
      perform from ${NEW_TABLE} limit 1;
    end if;
    if found or tg_op = 'TRUNCATE' then
      sent := pg_notify('${CHANGES_CHANNEL}', '{"r":' || tg_relid::bigint::text || ',"o":"' || left(tg_op, 1) || '","x":"' || txid_current()::text || '"}');
    end if;
    return null;
  end if;

  -- small statements: static SQL; n > ${SMALL_STATEMENT_ROWS} means "read the rest below".
  -- news: the new rows (INSERT, UPDATE) or the old ones (DELETE); olds: an UPDATE's old rows.
  if tg_op = 'UPDATE' then
    ${readRows(NEW_TABLE, true)}
    ${smallStatement(true)}
  else
    if tg_op = 'INSERT' then
      ${readRows(NEW_TABLE, false)}
    else
      ${readRows(OLD_TABLE, false)}
    end if;
    ${smallStatement(false)}
  end if;

  -- the richest payload: keys, changed columns, images. Up to MAX_PAYLOAD_BYTES - 7 bytes it is
  -- what the part-by-part rule below would build too (its image test keeps 30 bytes for 23).
  payload := '{"r":' || tg_relid::bigint::text || ',"o":"' || left(tg_op, 1) || '","x":"' || txid_current()::text || '","k":[' || keys || ']'
    || coalesce(',"c":[' || changed || ']', '') || coalesce(',"s":"' || left(md5(secret), ${TOKEN_HEX}) || '","h":[' || images || ']', '') || '}';
  if payload is null or octet_length(payload) > ${MAX_PAYLOAD_BYTES - 7} then
    -- too many keys (keys is null) or too big: the richest payload that fits, part by part
    -- (keys and images, keys only, "the table changed")
    head := '{"r":' || tg_relid::bigint::text || ',"o":"' || left(tg_op, 1) || '","x":"' || txid_current()::text || '"';
    payload := head || '}';
    if n <= ${MAX_KEYS} then
      keys := head || ',"k":[' || keys || ']';
      if changed is not null and octet_length(keys) + octet_length(changed) + 10 <= ${MAX_PAYLOAD_BYTES} then
        keys := keys || ',"c":[' || changed || ']';
      end if;
      if images is not null and octet_length(keys) + octet_length(images) + 30 <= ${MAX_PAYLOAD_BYTES} then
        payload := keys || ',"s":"' || left(md5(secret), ${TOKEN_HEX}) || '","h":[' || images || ']}';
      elsif octet_length(keys) < ${MAX_PAYLOAD_BYTES} then
        payload := keys || '}';
      end if;
    end if;
  end if;
  sent := pg_notify('${CHANGES_CHANNEL}', payload);
  return null;
end
`;

/**
 * The DDL event trigger function (both events). REFRESH MATERIALIZED VIEW is a
 * data change: it goes to the changes channel as "R". Any other DDL might
 * change what pglive exposes (a column, a grant, a comment, a function), so
 * it asks for a schema reload, except DDL that cannot matter: in schema
 * pglive, on temporary objects, and pglive's own trigger installation.
 * The server coalesces reload requests, so a precise filter buys little.
 */
export const DDL_FUNCTION_BODY = `
declare
  r record;
  reload boolean := false;
begin
  if current_setting('${INSTALLING_SETTING}', true) = 'on' then
    return;
  end if;
  if tg_event = 'sql_drop' then
    -- ALTER ... DROP also lands here, but ddl_command_end reports it
    if tg_tag not like 'DROP %' then
      return;
    end if;
    for r in select * from pg_event_trigger_dropped_objects() loop
      continue when r.is_temporary
        or r.schema_name = 'pglive'
        or (r.object_type = 'trigger' and r.object_identity like 'pglive\\_% on %');
      reload := true;
      exit;
    end loop;
  else
    for r in select * from pg_event_trigger_ddl_commands() loop
      if r.command_tag = 'REFRESH MATERIALIZED VIEW' then
        perform pg_notify('${CHANGES_CHANNEL}',
          '{"r":' || r.objid::bigint || ',"o":"R","x":"' || txid_current() || '"}');
        continue;
      end if;
      continue when r.schema_name = 'pglive'
        or r.schema_name like 'pg\\_temp%'
        or r.schema_name like 'pg\\_toast%'
        or (r.object_type = 'trigger' and r.object_identity like 'pglive\\_% on %');
      reload := true;
    end loop;
  end if;
  if reload then
    perform pg_notify('${CONTROL_CHANNEL}', '${RELOAD_PAYLOAD}');
  end if;
end
`;

/**
 * CREATE OR REPLACE for a function of schema pglive. install.ts compares the
 * installed prosrc with the body and skips identical ones: no catalog churn at
 * every start, and no need to own a function another role installed.
 */
export function functionSql(signature: string, returns: 'trigger' | 'event_trigger', body: string, securityDefiner = false): string {
  return `create or replace function ${signature} returns ${returns}
language plpgsql${securityDefiner ? '\nsecurity definer' : ''}
set search_path = pg_catalog, pg_temp
as $pglive$${body}$pglive$`;
}

export const CAPTURE_FUNCTION_SQL = functionSql(CAPTURE_FUNCTION, 'trigger', CAPTURE_FUNCTION_BODY, true);
export const DDL_FUNCTION_SQL = functionSql(DDL_FUNCTION, 'event_trigger', DDL_FUNCTION_BODY);

const EVENT_CLAUSE: Readonly<Record<CaptureEvent, string>> = {
  insert: `after insert on %t referencing new table as ${NEW_TABLE}`,
  update: `after update on %t referencing old table as ${OLD_TABLE} new table as ${NEW_TABLE}`,
  delete: `after delete on %t referencing old table as ${OLD_TABLE}`,
  truncate: 'after truncate on %t',
};

/**
 * The four CREATE TRIGGER statements for one table.
 * @param table the quoted, schema-qualified table name
 * @param args the trigger arguments as a list of SQL string literals, already
 *   quoted by PostgreSQL (quote_literal): DDL takes no bind parameters
 */
export function createTriggerStatements(table: string, args: string): string[] {
  return CAPTURE_TRIGGERS.map(
    (t) => `create trigger ${t.name} ${EVENT_CLAUSE[t.event].replace('%t', () => table)} for each statement execute function pglive.capture(${args})`,
  );
}

/** pg_trigger.tgtype of each capture trigger: AFTER (no BEFORE/INSTEAD bit), FOR EACH STATEMENT (no ROW bit), one event bit */
export const TRIGGER_TYPE: Readonly<Record<CaptureEvent, number>> = { insert: 4, delete: 8, update: 16, truncate: 32 };

/** transition table names each capture trigger must declare */
export const TRANSITION_TABLES: Readonly<Record<CaptureEvent, { readonly old: string | null; readonly new: string | null }>> = {
  insert: { old: null, new: NEW_TABLE },
  update: { old: OLD_TABLE, new: NEW_TABLE },
  delete: { old: OLD_TABLE, new: null },
  truncate: { old: null, new: null },
};

export function createEventTriggerStatements(): string[] {
  return EVENT_TRIGGERS.map((e) => `create event trigger ${e.name} on ${e.event} execute function ${DDL_FUNCTION}`);
}
