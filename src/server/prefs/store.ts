/**
 * pglive.column_prefs: one row per (layer, owner, relation). Owner is '' for
 * the global layer, the database role for the role layer and the pglive user
 * id for the user layer. Every write notifies in the same transaction.
 */
import type { Sql } from '../db/pool.js';
import { RelationPrefs, type PrefLayer, type PrefLayers } from '../../protocol/prefs.js';
import { notifyPrefsChanged } from './notify.js';

export interface LayerOwners {
  readonly role: string;
  /** null: the caller has no personal layer (JWT / anonymous) */
  readonly userId: string | null;
}

export interface RelationRef {
  readonly schema: string;
  readonly relation: string;
}

interface Row {
  layer: PrefLayer;
  settings: unknown;
}

/** a stored layer, re-validated: a row written by an older version must not break the UI */
function parseSettings(v: unknown): RelationPrefs | null {
  const r = RelationPrefs.safeParse(typeof v === 'string' ? JSON.parse(v) : v);
  return r.success ? r.data : null;
}

export async function readLayers(sql: Sql, rel: RelationRef, owners: LayerOwners): Promise<PrefLayers> {
  const rows = await sql<Row[]>`
    select layer, settings from pglive.column_prefs
    where schema_name = ${rel.schema} and relation = ${rel.relation}
      and ((layer = 'global' and owner = '')
        or (layer = 'role' and owner = ${owners.role})
        or (layer = 'user' and owner = ${owners.userId ?? ''} and ${owners.userId !== null}))`;
  const layers: Record<PrefLayer, RelationPrefs | null> = { global: null, role: null, user: null };
  for (const r of rows) layers[r.layer] = parseSettings(r.settings);
  return layers;
}

export async function writeLayer(
  sql: Sql,
  rel: RelationRef,
  layer: PrefLayer,
  owner: string,
  settings: RelationPrefs,
  by: string | null,
): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`
      insert into pglive.column_prefs (layer, owner, schema_name, relation, settings, updated_at, updated_by)
      values (${layer}, ${owner}, ${rel.schema}, ${rel.relation}, ${JSON.stringify(settings)}::text::jsonb, now(), ${by})
      on conflict (layer, owner, schema_name, relation)
      do update set settings = excluded.settings, updated_at = now(), updated_by = excluded.updated_by`;
    await notifyPrefsChanged(tx, rel);
  });
}

/** true when a row was removed */
export async function deleteLayer(sql: Sql, rel: RelationRef, layer: PrefLayer, owner: string): Promise<boolean> {
  return (await sql.begin(async (tx) => {
    const rows = await tx`
      delete from pglive.column_prefs
      where layer = ${layer} and owner = ${owner} and schema_name = ${rel.schema} and relation = ${rel.relation}
      returning 1`;
    if (rows.length > 0) await notifyPrefsChanged(tx, rel);
    return rows.length > 0;
  })) as boolean;
}
