/** What the grid does over REST besides watching: CSV export and bulk delete. */
import { apiFetch, profileHeaders, restPath } from './api.js';
import { exportQuery } from './filters.js';
import type { GridState } from './grid-state.js';
import { keysFilter } from './keys.js';
import type { MetaRelation } from './meta.js';

/** "orders-2025-06-15.csv" */
export function csvFileName(rel: MetaRelation, now: Date = new Date()): string {
  const day = now.toISOString().slice(0, 10);
  return `${rel.name.replace(/[^\w.-]+/g, '_')}-${day}.csv`;
}

/** The current filtered, sorted view as CSV, all rows (not only the loaded window), downloaded by the browser. */
export async function exportCsv(rel: MetaRelation, state: GridState): Promise<{ bytes: number; fileName: string }> {
  const res = await apiFetch(restPath(rel.name, exportQuery(rel, state, Date.now())), {
    headers: { Accept: 'text/csv', ...profileHeaders(rel.schema) },
  });
  const blob = await res.blob();
  const fileName = csvFileName(rel);
  const url = URL.createObjectURL(blob);
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    a.style.display = 'none';
    document.body.append(a);
    a.click();
    a.remove();
  } finally {
    // revoke after the click has been handled
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  return { bytes: blob.size, fileName };
}

/** Delete rows by their live keys; returns how many the database deleted (RLS may hide some). */
export async function deleteRows(rel: MetaRelation, liveKeys: readonly string[]): Promise<number> {
  const filter = keysFilter(rel, liveKeys);
  if (filter === null) throw new Error(`${rel.name} has no primary key: rows cannot be deleted one by one`);
  const select = rel.primaryKey.map(encodeURIComponent).join(',');
  const res = await apiFetch(restPath(rel.name, `${filter}&select=${select}`), {
    method: 'DELETE',
    headers: { Accept: 'application/json', Prefer: 'return=representation', ...profileHeaders(rel.schema, true) },
  });
  const body = (await res.json()) as unknown[];
  return Array.isArray(body) ? body.length : 0;
}

/** may this role delete rows of `rel` through the grid? */
export function canBulkDelete(rel: MetaRelation): boolean {
  return rel.privileges.delete && rel.deletable && rel.primaryKey.length > 0;
}

export function canCreate(rel: MetaRelation): boolean {
  return rel.insertable && rel.privileges.insert.length > 0;
}
