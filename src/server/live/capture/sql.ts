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

/**
 * The key of one row of a transition table as a JSON array, from the row's
 * jsonb (`row`): a single-column key (most tables) without the subquery.
 */
function staticKey(row: string): string {
  return `case when tg_nargs = 1 then '[' || (${row} -> tg_argv[0])::text || ']'
      else (select '[' || string_agg((${row} -> a)::text, ',' order by i) || ']'
              from unnest(tg_argv) with ordinality as u(a, i)) end`;
}

/**
 * A row image: one token per column, concatenated. A token is the first
 * TOKEN_HEX hex characters of md5(secret || column || '=' || value as JSON
 * text), or of md5(secret || column || '*') when the value is long. Tokens
 * reveal nothing to a listener without the secret; the server, which has it,
 * can tell that a row's column does NOT hold a filter's value (see
 * src/server/live/match.ts). Null when there is no secret.
 */
function imageOf(row: string): string {
  return `(select string_agg(left(md5(secret || e.key || case when octet_length(e.value::text) > ${MAX_HASHED_VALUE_BYTES}
              then '*' else '=' || e.value::text end), ${TOKEN_HEX}), '')
         from jsonb_each(${row}) as e)`;
}

/**
 * Keys and images of at most SMALL_STATEMENT_ROWS + 1 rows per side (`rows`
 * yields their jsonb as j). images stays null unless every row has one: the
 * server must never take a partial list for the whole.
 */
function smallStatement(rows: string): string {
  return `select count(distinct k)::integer, string_agg(distinct k, ','),
           case when count(h) = count(*) then '"' || string_agg(h, '","') || '"' end
      into n, keys, images
      from (select ${staticKey('j')} as k, ${imageOf('j')} as h from (${rows}) as s) as d;`;
}

/**
 * An UPDATE's keys and images, and the columns it changed: "c" lists every
 * column whose value differs between the old and new version of some row
 * (exact jsonb comparison, rows paired by key), so the server knows an update
 * that touched no filtered column cannot move a row in or out of a view.
 * changed stays null when a key changed (rows cannot be paired).
 */
function updateStatement(): string {
  const limit = `${SMALL_STATEMENT_ROWS} + 1`;
  return `with o as (select ${staticKey('j')} as k, j from (select to_jsonb(x) as j from ${OLD_TABLE} as x limit ${limit}) as s),
           w as (select ${staticKey('j')} as k, j from (select to_jsonb(x) as j from ${NEW_TABLE} as x limit ${limit}) as s),
           a as (select k, ${imageOf('j')} as h from o union all select k, ${imageOf('j')} from w)
      select (select count(distinct k)::integer from a), (select string_agg(distinct k, ',') from a),
             (select case when count(h) = count(*) then '"' || string_agg(h, '","') || '"' end from a),
             case when (select count(*) from o) = (select count(*) from o join w using (k)) then
               (select coalesce(string_agg(distinct to_jsonb(e.key)::text, ','), '')
                  from o join w using (k), jsonb_each(w.j) as e
                 where e.value is distinct from o.j -> e.key) end
        into n, keys, images, changed;`;
}

/**
 * The trigger function. Primary key column names come as trigger arguments
 * (none: the table has no key, payloads never carry "k"). Key values are
 * rendered as jsonb, so they decode to the values row_to_json gives the
 * server for the same row.
 *
 * Two paths, for cost (measured with bench/live/trigger-overhead.ts):
 * - small statements (the OLTP case) use static SQL, which PL/pgSQL plans
 *   once per table and session; it reads keys out of to_jsonb(row), which
 *   converts whole rows, so it reads at most SMALL_STATEMENT_ROWS + 1 rows;
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
 */
export const CAPTURE_FUNCTION_BODY = `
declare
  head text;
  key_sql text;
  n integer;
  keys text;
  images text;
  changed text;
  secret text;
  key_id text;
  payload text;
begin
  head := '{"r":' || tg_relid::bigint || ',"o":"'
    || case tg_op when 'INSERT' then 'I' when 'UPDATE' then 'U' when 'DELETE' then 'D' else 'T' end
    || '","x":"';
  if tg_op = 'TRUNCATE' then
    perform pg_notify('${CHANGES_CHANNEL}', head || txid_current() || '"}');
    return null;
  end if;

  if tg_nargs = 0 then
    if tg_op = 'DELETE' then
      perform from ${OLD_TABLE} limit 1;
    else
      perform from ${NEW_TABLE} limit 1;
    end if;
    if found then
      perform pg_notify('${CHANGES_CHANNEL}', head || txid_current() || '"}');
    end if;
    return null;
  end if;

  -- small statements: static SQL; n > ${SMALL_STATEMENT_ROWS} means "read the rest below".
  -- Each side's keys are distinct, so a side with more rows than the limit shows as n > limit;
  -- an UPDATE that changes a key reports the old and the new one, each once.
  select s.secret, left(md5(s.secret), ${TOKEN_HEX}) into secret, key_id from ${CAPTURE_KEY_TABLE} as s;
  if tg_op = 'UPDATE' then
    ${updateStatement()}
  elsif tg_op = 'INSERT' then
    ${smallStatement(`select to_jsonb(r) as j from ${NEW_TABLE} as r limit ${SMALL_STATEMENT_ROWS} + 1`)}
  else
    ${smallStatement(`select to_jsonb(r) as j from ${OLD_TABLE} as r limit ${SMALL_STATEMENT_ROWS} + 1`)}
  end if;
  if n = 0 then
    -- nothing written: no notification, and no txid_current(), which would give the transaction an id
    return null;
  end if;

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

  head := head || txid_current() || '"';
  payload := head || '}';
  if n <= ${MAX_KEYS} then
    -- the richest payload that fits: keys and images, keys only, or "the table changed"
    keys := head || ',"k":[' || keys || ']';
    if changed is not null and octet_length(keys) + octet_length(changed) + 10 <= ${MAX_PAYLOAD_BYTES} then
      keys := keys || ',"c":[' || changed || ']';
    end if;
    if images is not null and octet_length(keys) + octet_length(images) + 30 <= ${MAX_PAYLOAD_BYTES} then
      payload := keys || ',"s":"' || key_id || '","h":[' || images || ']}';
    elsif octet_length(keys) < ${MAX_PAYLOAD_BYTES} then
      payload := keys || '}';
    end if;
  end if;
  perform pg_notify('${CHANGES_CHANNEL}', payload);
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
