/**
 * pglive.saved_views: named grid states (filter + sort in the URL query, plus
 * column settings) owned by a user, optionally shared with everyone who can
 * read the relation.
 */
import type { Sql } from '../db/pool.js';
import { RelationPrefs, type SavedView, type SavedViewPatch } from '../../protocol/prefs.js';

export interface ViewCaller {
  readonly userId: string | null;
  readonly isAdmin: boolean;
}

interface ViewRow {
  id: string;
  owner: string;
  owner_email: string | null;
  name: string;
  schema_name: string;
  relation: string;
  query: string;
  columns: unknown;
  shared: boolean;
  created_at: Date;
  updated_at: Date;
}

const SELECT = `
  select v.id, v.owner, u.email as owner_email, v.name, v.schema_name, v.relation, v.query, v.columns,
         v.shared, v.created_at, v.updated_at
  from pglive.saved_views v left join pglive.users u on u.id = v.owner`;

function toView(r: ViewRow, caller: ViewCaller): SavedView {
  const cols = r.columns === null ? null : RelationPrefs.safeParse(r.columns);
  return {
    id: r.id,
    owner: r.owner,
    ownerEmail: r.owner_email,
    name: r.name,
    schema: r.schema_name,
    relation: r.relation,
    query: r.query,
    columns: cols && cols.success ? cols.data : null,
    shared: r.shared,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
    mine: r.owner === caller.userId || caller.isAdmin,
  };
}

/** own and shared views, optionally of one relation, by name */
export async function listViews(sql: Sql, caller: ViewCaller, rel: { schema?: string; relation?: string }): Promise<SavedView[]> {
  const rows = await sql.unsafe<ViewRow[]>(
    `${SELECT}
     where (v.owner = $1::uuid or v.shared)
       and ($2::text is null or v.schema_name = $2) and ($3::text is null or v.relation = $3)
     order by lower(v.name), v.created_at`,
    [caller.userId, rel.schema ?? null, rel.relation ?? null],
  );
  return rows.map((r) => toView(r, caller));
}

/** the view if the caller may see it (own or shared), else null */
export async function getView(sql: Sql, caller: ViewCaller, id: string): Promise<SavedView | null> {
  const rows = await sql.unsafe<ViewRow[]>(`${SELECT} where v.id = $1::uuid and (v.owner = $2::uuid or v.shared)`, [id, caller.userId]);
  return rows[0] ? toView(rows[0], caller) : null;
}

export type NewView = Pick<SavedView, 'name' | 'schema' | 'relation' | 'query' | 'columns' | 'shared'>;

export async function createView(sql: Sql, caller: ViewCaller & { userId: string }, v: NewView): Promise<SavedView> {
  const [row] = await sql<{ id: string }[]>`
    insert into pglive.saved_views (owner, name, schema_name, relation, query, columns, shared)
    values (${caller.userId}, ${v.name}, ${v.schema}, ${v.relation}, ${v.query},
            ${v.columns === null ? null : JSON.stringify(v.columns)}::text::jsonb, ${v.shared})
    returning id`;
  return (await getView(sql, caller, row!.id))!;
}

/** null when the view does not exist or the caller may not change it (owner or admin only) */
export async function updateView(sql: Sql, caller: ViewCaller, id: string, patch: SavedViewPatch): Promise<SavedView | null> {
  const columns = patch.columns === undefined ? undefined : patch.columns === null ? null : JSON.stringify(patch.columns);
  const rows = await sql.unsafe<{ id: string }[]>(
    `update pglive.saved_views set
       name = coalesce($3, name),
       query = coalesce($4, query),
       columns = case when $5::boolean then $6::text::jsonb else columns end,
       shared = coalesce($7, shared),
       updated_at = now()
     where id = $1::uuid and (owner = $2::uuid or $8::boolean)
     returning id`,
    [id, caller.userId, patch.name ?? null, patch.query ?? null, columns !== undefined, columns ?? null, patch.shared ?? null, caller.isAdmin],
  );
  if (rows.length === 0) return null;
  // an admin may edit another user's private view: read it back without the visibility filter
  const [row] = await sql.unsafe<ViewRow[]>(`${SELECT} where v.id = $1::uuid`, [id]);
  return row ? toView(row, caller) : null;
}

export async function deleteView(sql: Sql, caller: ViewCaller, id: string): Promise<boolean> {
  const rows = await sql`
    delete from pglive.saved_views where id = ${id}::uuid and (owner = ${caller.userId}::uuid or ${caller.isAdmin}::boolean)
    returning 1`;
  return rows.length > 0;
}
