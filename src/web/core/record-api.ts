/**
 * REST calls of the record pages: read one row, update it guarded by the
 * values it was edited from, insert, delete, and the foreign-key picker's
 * label search.
 */
import { getJson, profileHeaders, restPath, sendJson } from './api.js';
import type { MetaRelation } from './meta.js';
import type { CheckInfo } from './record-errors.js';
import { guardable, guardTerm, keyQuery } from './record.js';

export type Row = Record<string, unknown>;

/** the row by its key values, null when absent (deleted, or hidden by RLS) */
export async function fetchRow(rel: MetaRelation, key: Record<string, unknown>): Promise<Row | null> {
  const rows = await getJson<Row[]>(restPath(rel.name, `${keyQuery(key)}&limit=1`), { headers: profileHeaders(rel.schema) });
  return rows[0] ?? null;
}

/**
 * PATCH `changes` where the row still has the `base` values of the changed
 * columns: null when it no longer does (someone changed them in between), so
 * a write never lands on a version the user has not seen.
 */
export async function updateRow(rel: MetaRelation, key: Record<string, unknown>, changes: Row, base: Row): Promise<Row | null> {
  const guards: string[] = [];
  for (const name of Object.keys(changes)) {
    const column = rel.columns.find((c) => c.name === name);
    if (!column || !guardable(column)) continue;
    const g = guardTerm(name, base[name]);
    if (g) guards.push(g);
  }
  const query = [keyQuery(key), ...guards].join('&');
  const rows = await sendJson<Row[]>('PATCH', restPath(rel.name, query), changes, {
    ...profileHeaders(rel.schema, true),
    Prefer: 'return=representation',
  });
  return rows?.[0] ?? null;
}

export async function insertRow(rel: MetaRelation, values: Row): Promise<Row | null> {
  const rows = await sendJson<Row[]>('POST', restPath(rel.name), values, {
    ...profileHeaders(rel.schema, true),
    Prefer: 'return=representation',
  });
  return rows?.[0] ?? null;
}

export async function deleteRow(rel: MetaRelation, key: Record<string, unknown>): Promise<void> {
  await sendJson('DELETE', restPath(rel.name, keyQuery(key)), undefined, profileHeaders(rel.schema, true));
}

/** CHECK constraints with their columns, [] when the server cannot say */
export async function fetchChecks(rel: MetaRelation): Promise<CheckInfo[]> {
  try {
    const r = await getJson<{ checks: CheckInfo[] }>(`/meta/constraints/${encodeURIComponent(rel.schema)}/${encodeURIComponent(rel.name)}`);
    return r.checks;
  } catch {
    return [];
  }
}

export interface RefOption {
  readonly value: string;
  readonly label: string;
}

/** PostgREST's like wildcard is *: a typed * must not widen the search */
function escapeLike(q: string): string {
  return q.replaceAll('*', '');
}

const optionOf = (refColumn: string, labelColumn: string | null) => (r: Row): RefOption => {
  const value = String(r[refColumn]);
  const label = labelColumn && r[labelColumn] !== null && r[labelColumn] !== undefined ? String(r[labelColumn]) : '';
  return { value, label: label ? `${label} · ${value}` : value };
};

/** referenced rows whose label contains `q` (or whose key is `q`), at most 20 */
export async function searchRefs(ref: MetaRelation, refColumn: string, q: string): Promise<RefOption[]> {
  const label = ref.labelColumn;
  const select = `select=${encodeURIComponent([refColumn, ...(label && label !== refColumn ? [label] : [])].join(','))}`;
  const term = q.trim();
  let filter = '';
  if (term && label) filter = `&${encodeURIComponent(label)}=ilike.${encodeURIComponent(`*${escapeLike(term)}*`)}`;
  else if (term) filter = `&${encodeURIComponent(refColumn)}=eq.${encodeURIComponent(term)}`;
  const order = `&order=${encodeURIComponent(label ?? refColumn)}`;
  const rows = await getJson<Row[]>(restPath(ref.name, `${select}${filter}${order}&limit=20`), { headers: profileHeaders(ref.schema) });
  return rows.map(optionOf(refColumn, label));
}

/** the option for the current value (its label), or a bare one when it cannot be read */
export async function refOption(ref: MetaRelation, refColumn: string, value: string): Promise<RefOption> {
  const label = ref.labelColumn;
  const select = `select=${encodeURIComponent([refColumn, ...(label && label !== refColumn ? [label] : [])].join(','))}`;
  try {
    const rows = await getJson<Row[]>(restPath(ref.name, `${select}&${encodeURIComponent(refColumn)}=eq.${encodeURIComponent(value)}&limit=1`), { headers: profileHeaders(ref.schema) });
    return rows[0] ? optionOf(refColumn, label)(rows[0]) : { value, label: value };
  } catch {
    return { value, label: value };
  }
}

/** the text of a row's label column, else its key */
export function rowLabel(rel: MetaRelation, row: Row): string {
  const l = rel.labelColumn ? row[rel.labelColumn] : null;
  if (l !== null && l !== undefined && l !== '') return String(l);
  return rel.primaryKey.map((c) => String(row[c])).join(', ');
}

