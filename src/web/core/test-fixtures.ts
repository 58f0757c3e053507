/** Small MetaRelation / MetaColumn builders for the core's unit tests. */
import type { MetaColumn, MetaRelation, MetaSchema } from './meta.js';

export function col(name: string, over: Partial<MetaColumn> = {}): MetaColumn {
  return {
    name, type: 'text', baseTypeName: 'text', category: 'S', arrayDims: 0, enumLabels: null, domain: null,
    nullable: true, default: null, identity: null, generated: false, maxLength: null, precision: null, scale: null,
    comment: null, checks: [], isTsvector: false, ...over,
  };
}

export function rel(name: string, columns: MetaColumn[], over: Partial<MetaRelation> = {}): MetaRelation {
  const names = columns.map((c) => c.name);
  return {
    schema: 'public', name, kind: 'table', comment: null, estimatedRows: 10, primaryKey: ['id'], columns,
    privileges: { select: names, insert: names, update: names, delete: true, refresh: false },
    insertable: true, updatable: true, deletable: true, foreignKeys: [], referencedBy: [], labelColumn: null,
    ...over,
  };
}

export function schema(relations: MetaRelation[]): MetaSchema {
  return { schemas: ['public'], role: 'r', loadedAt: 0, relations };
}

export const INT = { type: 'integer', baseTypeName: 'int4', category: 'N' } as const;
