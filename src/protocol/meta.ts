/**
 * GET /meta/schema — the shapes the server sends and the web app reads.
 * One definition for both sides (src/server/http/meta.ts builds it,
 * src/web/core/meta.ts reads it).
 */
export interface MetaColumn {
  name: string;
  type: string;
  baseTypeName: string;
  /** pg_type.typcategory: S string, N numeric, B boolean, D date/time, E enum, A array, U user (json…) */
  category: string;
  arrayDims: number;
  enumLabels: readonly string[] | null;
  domain: string | null;
  nullable: boolean;
  default: string | null;
  identity: 'always' | 'by default' | null;
  generated: boolean;
  maxLength: number | null;
  precision: number | null;
  scale: number | null;
  comment: string | null;
  checks: readonly string[];
  isTsvector: boolean;
}

export type RelationKind = 'table' | 'view' | 'materialized_view' | 'foreign_table' | 'partitioned_table' | string;

export interface MetaForeignKey {
  name: string;
  columns: readonly string[];
  refSchema: string;
  refTable: string;
  refColumns: readonly string[];
}

export interface MetaRelation {
  schema: string;
  name: string;
  kind: RelationKind;
  comment: string | null;
  estimatedRows: number;
  primaryKey: readonly string[];
  columns: MetaColumn[];
  /** refresh: may REFRESH this materialized view (POST /meta/refresh/:schema/:relation) */
  privileges: { select: readonly string[]; insert: readonly string[]; update: readonly string[]; delete: boolean; refresh: boolean };
  insertable: boolean;
  updatable: boolean;
  deletable: boolean;
  foreignKeys: MetaForeignKey[];
  referencedBy: { name: string; schema: string; table: string; columns: readonly string[]; refColumns: readonly string[] }[];
  labelColumn: string | null;
}

export interface MetaSchema {
  schemas: readonly string[];
  role: string;
  loadedAt: number;
  relations: MetaRelation[];
}
