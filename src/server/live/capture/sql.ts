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
 * Cost model of the function (see bench/live/trigger-overhead.ts): each call
 * runs in a new transaction, so every query and PL/pgSQL expression it
 * reaches is initialised again (executor nodes, aggregates, function
 * lookups) on every call. That set-up, not the hashing, is most of the cost
 * of a small statement. Hence: one static query per path, only the paths the
 * statement needs, and no plan or expression that a row-count or key-width
 * branch could skip.
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
 * One token of a row image: the first TOKEN_HEX hex characters of
 * md5(secret || column || '=' || value as JSON text), or of
 * md5(secret || column || '*') when the value is long. Tokens reveal nothing
 * to a listener without the secret; the server, which has it, can tell that a
 * row's column does NOT hold a filter's value (see src/server/live/match.ts).
 * Null when there is no secret.
 */
function tokenOf(column: string, value: string): string {
  return `left(md5(secret || ${column} || case when octet_length(${value}::text) > ${MAX_HASHED_VALUE_BYTES}
                then '*' else '=' || ${value}::text end), ${TOKEN_HEX})`;
}

/** A row image: one token per column (jsonb key order), concatenated; null without a secret. */
function imageOf(row: string): string {
  return `(select string_agg(${tokenOf('e.key', 'e.value')}, '') from jsonb_each(${row}) as e)`;
}

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
 * DELETE: old rows) and, for an UPDATE, `olds`. Sets keys, images (null
 * unless every row has one: the server must never take a partial list for the
 * whole) and, for an UPDATE, changed and n (the number of distinct keys).
 *
 * An UPDATE pairs each old row with the new row at the same position (the
 * transition tables receive both versions of a row together). "c" lists
 * every column whose value differs between the two versions of some row
 * (exact jsonb comparison), so the server knows an update that touched no
 * filtered column cannot move a row in or out of a view; it stays null when
 * a key changed (rows cannot be paired by key), and then each key is listed
 * once, old and new.
 */
function smallStatement(): string {
  const oneRow = (single: boolean) => `select ${keyOf('news[1]', single)}, '"' || string_agg(${tokenOf('e.key', 'e.value')}, '') || '"'
        into keys, images
        from jsonb_each(news[1]) as e;`;
  const oneUpdate = (single: boolean) => `select ${keyOf('olds[1]', single)}, ${keyOf('news[1]', single)},
             '"' || string_agg(${tokenOf('e.key', '(olds[1] -> e.key)')}, '')
               || '","' || string_agg(${tokenOf('e.key', 'e.value')}, '') || '"',
             coalesce(string_agg(to_jsonb(e.key)::text, ',') filter (where e.value is distinct from olds[1] -> e.key), '')
        into old_key, keys, images, changed
        from jsonb_each(news[1]) as e;`;
  // offset 0: each row's key and image computed once, not once per reference
  const rows = (single: boolean) => `select string_agg(d.k, ','), case when count(d.h) = count(*) then '"' || string_agg(d.h, '","') || '"' end
        into keys, images
        from (select ${keyOf('j', single)} as k, ${imageOf('j')} as h from unnest(news) as j offset 0) as d;`;
  const updates = (single: boolean) => `select count(*) filter (where d.ko = d.kn)::integer, string_agg(d.kn, ','),
             case when count(d.h) = count(*) then '"' || string_agg(d.h, '","') || '"' end
        into same, keys, images
        from (select ${keyOf('p.o', single)} as ko, ${keyOf('p.w', single)} as kn,
                     (select string_agg(${tokenOf('e.key', '(p.o -> e.key)')}, '')
                             || '","' || string_agg(${tokenOf('e.key', 'e.value')}, '')
                        from jsonb_each(p.w) as e) as h
                from unnest(olds, news) as p(o, w) offset 0) as d;`;
  const distinctKeys = (single: boolean) => `select count(distinct u.k)::integer, string_agg(distinct u.k, ',')
          into n, keys
          from (select ${keyOf('j', single)} as k from unnest(olds || news) as j offset 0) as u;`;
  return `if n = 1 then
    if olds is null then
      ${byKeyWidth(oneRow)}
    else
      ${byKeyWidth(oneUpdate)}
      if old_key <> keys then
        keys := old_key || ',' || keys;
        n := 2;
        changed := null;
      end if;
    end if;
  elsif n <= ${SMALL_STATEMENT_ROWS} then
    if olds is null then
      ${byKeyWidth(rows)}
    else
      ${byKeyWidth(updates)}
      if same = n then
        select coalesce(string_agg(to_jsonb(c.key)::text, ','), '')
          into changed
          from jsonb_each(news[1]) as c
         where exists (select from unnest(olds, news) as p(o, w) where p.w -> c.key is distinct from p.o -> c.key);
      else
        ${byKeyWidth(distinctKeys)}
      end if;
    end if;
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
 *   rows), a second one makes keys, images and changed columns (a statement
 *   of one row, the common case, has its own cheaper query);
 * - larger ones build a query over the key columns only (format %I) and
 *   EXECUTE it: planned every time, but paid once per bulk statement.
 *
 * Payload: {"r": oid, "o": op, "x": txid, "k": [keys…], "c": [changed columns…],
 * "s": key id, "h": [images…]}; "c" only for small updates whose rows pair up
 * by key, "s"/"h" only for small statements, each only when it fits; "k" only
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
  if tg_op = 'TRUNCATE' then
    sent := pg_notify('${CHANGES_CHANNEL}', concat('{"r":', tg_relid::bigint, ',"o":"T","x":"', txid_current(), '"}'));
    return null;
  end if;

  if tg_nargs = 0 then
    if tg_op = 'DELETE' then
      perform from ${OLD_TABLE} limit 1;
    else
      perform from ${NEW_TABLE} limit 1;
    end if;
    if found then
      sent := pg_notify('${CHANGES_CHANNEL}', concat('{"r":', tg_relid::bigint, ',"o":"', left(tg_op, 1), '","x":"', txid_current(), '"}'));
    end if;
    return null;
  end if;

  -- small statements: static SQL; n > ${SMALL_STATEMENT_ROWS} means "read the rest below".
  -- news: the new rows (INSERT, UPDATE) or the old ones (DELETE); olds: an UPDATE's old rows.
  if tg_op = 'UPDATE' then
    select (select s.secret from ${CAPTURE_KEY_TABLE} as s),
           array(select to_jsonb(r) from ${OLD_TABLE} as r limit ${READ_ROWS}),
           array(select to_jsonb(r) from ${NEW_TABLE} as r limit ${READ_ROWS})
      into secret, olds, news;
  elsif tg_op = 'INSERT' then
    select (select s.secret from ${CAPTURE_KEY_TABLE} as s), array(select to_jsonb(r) from ${NEW_TABLE} as r limit ${READ_ROWS})
      into secret, news;
  else
    select (select s.secret from ${CAPTURE_KEY_TABLE} as s), array(select to_jsonb(r) from ${OLD_TABLE} as r limit ${READ_ROWS})
      into secret, news;
  end if;
  n := cardinality(news);
  if n = 0 then
    -- nothing written: no notification, and no txid_current(), which would give the transaction an id
    return null;
  end if;
  ${smallStatement()}

  if n > ${SMALL_STATEMENT_ROWS} then
    images := null;
    changed := null;
    -- '[' || to_jsonb(k1)::text || ',' || to_jsonb(k2)::text || ']'
    select '''['' || ' || string_agg(format('to_jsonb(%I)::text', a), ' || '','' || ' order by i) || ' || '']'''
      into key_sql
      from unnest(tg_argv) with ordinality as u(a, i);
    -- at most MAX_KEYS + 1 rows per side are read: more than MAX_KEYS keys means "too many"
    if tg_op = 'UPDATE' then
      execute format(
        'select count(*)::integer, string_agg(k, '','') from ((select %1$s as k from ${OLD_TABLE} limit %2$s)'
        || ' union (select %1$s as k from ${NEW_TABLE} limit %2$s)) as u',
        key_sql, ${MAX_KEYS} + 1) into n, keys;
    else
      execute format(
        'select count(*)::integer, string_agg(k, '','') from (select %s as k from %I limit %s) as u',
        key_sql, case tg_op when 'DELETE' then '${OLD_TABLE}' else '${NEW_TABLE}' end, ${MAX_KEYS} + 1) into n, keys;
    end if;
  end if;

  -- the richest payload: keys, changed columns, images (concat skips the parts that are null)
  payload := concat('{"r":', tg_relid::bigint, ',"o":"', left(tg_op, 1), '","x":"', txid_current(), '","k":[', keys, ']',
    ',"c":[' || changed || ']', ',"s":"' || left(md5(secret), ${TOKEN_HEX}) || '","h":[' || images || ']', '}');
  if n > ${MAX_KEYS} or octet_length(payload) > ${MAX_PAYLOAD_BYTES - 7} then
    -- too big: the richest payload that fits, part by part (keys and images, keys only, "the table changed")
    head := concat('{"r":', tg_relid::bigint, ',"o":"', left(tg_op, 1), '","x":"', txid_current(), '"');
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
