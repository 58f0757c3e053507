/**
 * GET /meta/schema — what the web app needs to render routes, grids and forms:
 * the exposed relations the caller's role can read, their columns, keys,
 * relationships and the caller's own privileges. Nothing about other roles.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Column, ForeignKey, Relation, SchemaCache } from '../catalog/types.js';
import type { SchemaStore } from '../catalog/store.js';
import type { CallerPrincipal } from './rest.js';
import type { MetaColumn, MetaSchema } from '../../protocol/meta.js';

export type { MetaColumn, MetaRelation, MetaSchema } from '../../protocol/meta.js';

function metaColumn(c: Column): MetaColumn {
  return {
    name: c.name, type: c.type, baseTypeName: c.baseTypeName, category: c.category, arrayDims: c.arrayDims,
    enumLabels: c.enumLabels, domain: c.domain ? `${c.domain.schema}.${c.domain.name}` : null,
    nullable: c.nullable, default: c.default, identity: c.identity, generated: c.generated,
    maxLength: c.maxLength, precision: c.precision, scale: c.scale, comment: c.comment, checks: c.checks, isTsvector: c.isTsvector,
  };
}

function labelColumn(r: Relation): string | null {
  const text = (c: Column) => c.category === 'S' && c.arrayDims === 0 && !c.isTsvector;
  for (const u of r.uniques) {
    if (u.length === 1) {
      const c = r.columns.find((x) => x.name === u[0]);
      if (c && text(c)) return c.name;
    }
  }
  const named = r.columns.find((c) => text(c) && /^(name|title|label|display_name|email)$/i.test(c.name));
  if (named) return named.name;
  return r.columns.find(text)?.name ?? null;
}

export function metaSchema(cache: SchemaCache, role: string): MetaSchema {
  const known = cache.roles.includes(role);
  const visible = cache.relations.filter((r) => !known || (r.privileges[role]?.select.length ?? 0) > 0);
  const fksFrom = (r: Relation) => cache.foreignKeys.filter((f) => f.schema === r.schema && f.table === r.name);
  const fksTo = (r: Relation) => cache.foreignKeys.filter((f) => f.refSchema === r.schema && f.refTable === r.name);
  const toOne = (f: ForeignKey) => ({ name: f.name, columns: f.columns, refSchema: f.refSchema, refTable: f.refTable, refColumns: f.refColumns });
  return {
    schemas: cache.schemas,
    role,
    loadedAt: cache.loadedAt,
    relations: visible.map((r) => {
      const p = r.privileges[role];
      const all = r.columns.map((c) => c.name);
      return {
        schema: r.schema, name: r.name, kind: r.kind, comment: r.comment, estimatedRows: r.estimatedRows,
        primaryKey: r.primaryKey, columns: r.columns.map(metaColumn),
        privileges: p
          ? { select: p.select, insert: p.insert, update: p.update, delete: p.delete, refresh: p.refresh }
          : { select: all, insert: all, update: all, delete: true, refresh: r.kind === 'materialized_view' },
        insertable: r.insertable, updatable: r.updatable, deletable: r.deletable,
        foreignKeys: fksFrom(r).map(toOne),
        referencedBy: fksTo(r).map((f) => ({ name: f.name, schema: f.schema, table: f.table, columns: f.columns, refColumns: f.refColumns })),
        labelColumn: labelColumn(r),
      };
    }),
  };
}

export function registerMeta(app: FastifyInstance, deps: { schema: SchemaStore; principal: (req: FastifyRequest) => Promise<CallerPrincipal> }): void {
  app.get('/meta/schema', async (req, reply) => {
    const p = await deps.principal(req);
    reply.header('Cache-Control', 'no-store');
    return metaSchema(deps.schema.current, p.role);
  });
}
