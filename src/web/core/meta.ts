/**
 * The web app's view of GET /meta/schema (src/server/http/meta.ts is the
 * source of truth; these types mirror its JSON). Plus pure helpers the shell
 * and grid share: finding a relation, grouping and searching the sidebar.
 */
import { getJson } from './api.js';

export type { MetaColumn, MetaForeignKey, MetaRelation, MetaSchema, RelationKind } from '../../protocol/meta.js';
import type { MetaColumn, MetaRelation, MetaSchema } from '../../protocol/meta.js';

export function fetchMeta(): Promise<MetaSchema> {
  return getJson<MetaSchema>('/meta/schema');
}

export function findRelation(meta: MetaSchema | null, schema: string, name: string): MetaRelation | null {
  return meta?.relations.find((r) => r.schema === schema && r.name === name) ?? null;
}

/** the route of a relation's grid */
export function relationPath(schema: string, name: string): string {
  return `/t/${encodeURIComponent(schema)}/${encodeURIComponent(name)}`;
}

/** readable columns, in table order (a role may lack SELECT on some columns) */
export function readableColumns(rel: MetaRelation): MetaColumn[] {
  const ok = new Set(rel.privileges.select);
  return rel.columns.filter((c) => ok.has(c.name));
}

export interface SchemaGroup {
  schema: string;
  relations: MetaRelation[];
}

/**
 * Relations grouped by schema (in the server's schema order) and sorted by
 * name, keeping those whose name or comment contains every word of `search`.
 */
export function groupRelations(meta: MetaSchema, search = ''): SchemaGroup[] {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = (r: MetaRelation) => {
    const hay = `${r.schema}.${r.name} ${r.comment ?? ''}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  };
  const order = new Map(meta.schemas.map((s, i) => [s, i]));
  const groups = new Map<string, MetaRelation[]>();
  for (const r of meta.relations) {
    if (!matches(r)) continue;
    const list = groups.get(r.schema) ?? [];
    list.push(r);
    groups.set(r.schema, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9) || a.localeCompare(b))
    .map(([schema, relations]) => ({ schema, relations: relations.sort((a, b) => a.name.localeCompare(b.name)) }));
}

/** "1.2M", "35k", "812" — for estimates, where precision would be a lie */
export function compactCount(n: number): string {
  if (n < 0) return '?';
  if (n < 1000) return String(Math.round(n));
  if (n < 10_000) return `${(n / 1000).toFixed(1).replace(/\.0$/, '')}k`;
  if (n < 1_000_000) return `${Math.round(n / 1000)}k`;
  if (n < 10_000_000) return `${(n / 1e6).toFixed(1).replace(/\.0$/, '')}M`;
  return `${Math.round(n / 1e6)}M`;
}
