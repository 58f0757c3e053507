/**
 * The SchemaCache: an immutable value describing everything pglive exposes.
 * Built by catalog/load.ts from the system catalogs, deep-frozen, swapped whole
 * on reload. Plain JSON-able data (no Maps) so tests can dump and compare it;
 * catalog/index.ts builds lookup indexes over it.
 */

export type RelKind = 'table' | 'view' | 'materialized_view' | 'foreign_table' | 'partitioned_table';

export interface QualifiedName {
  readonly schema: string;
  readonly name: string;
}

export interface Column {
  readonly name: string;
  /** attnum, 1-based, in table order */
  readonly position: number;
  /** format_type(atttypid, atttypmod): e.g. "character varying(20)", "integer[]", "public.mood" */
  readonly type: string;
  readonly typeOid: number;
  /** the element type (for arrays) after resolving domains: e.g. "int4", "text", "mood" */
  readonly baseTypeName: string;
  readonly baseTypeSchema: string;
  /** pg_type.typcategory of the element base type: N numeric, S string, B boolean, D datetime, E enum, U user, A array, T timespan, G geometric, I network, R range, X unknown */
  readonly category: string;
  /** 0 for scalars; number of array dimensions otherwise (attndims, or 1 when the type is an array but attndims is 0) */
  readonly arrayDims: number;
  /** set when the column's type is a domain */
  readonly domain: QualifiedName | null;
  /** enum labels in sort order when the (base element) type is an enum */
  readonly enumLabels: readonly string[] | null;
  readonly nullable: boolean;
  /** the default expression text, or null */
  readonly default: string | null;
  readonly identity: 'always' | 'by default' | null;
  /** GENERATED ALWAYS AS (...) STORED */
  readonly generated: boolean;
  readonly maxLength: number | null;
  readonly precision: number | null;
  readonly scale: number | null;
  readonly comment: string | null;
  /** CHECK constraint definitions that mention only this column (including the domain's checks) */
  readonly checks: readonly string[];
  /** true when the column is a tsvector (full-text search target) */
  readonly isTsvector: boolean;
  /** the column's collation is nondeterministic (equal strings may differ in bytes); absent = false */
  readonly nondeterministic?: boolean;
}

export interface CheckConstraint {
  readonly name: string;
  /** pg_get_constraintdef */
  readonly definition: string;
  readonly columns: readonly string[];
}

export interface ForeignKey {
  readonly name: string;
  readonly schema: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly refSchema: string;
  readonly refTable: string;
  readonly refColumns: readonly string[];
}

/** What a role may do on one relation. Column lists already include table-level grants. */
export interface RolePrivileges {
  readonly select: readonly string[];
  readonly insert: readonly string[];
  readonly update: readonly string[];
  readonly delete: boolean;
  /** may REFRESH this materialized view (owner's privileges, or MAINTAIN on PostgreSQL 17+) */
  readonly refresh: boolean;
}

export interface Relation extends QualifiedName {
  readonly kind: RelKind;
  readonly oid: number;
  readonly comment: string | null;
  readonly columns: readonly Column[];
  /** primary key column names in key order; empty when none */
  readonly primaryKey: readonly string[];
  /** unique constraints and unique indexes (non-partial, column-only), each a list of column names */
  readonly uniques: readonly (readonly string[])[];
  readonly checks: readonly CheckConstraint[];
  /** for tables always true (subject to privileges); for views: pg_relation_is_updatable / INSTEAD triggers */
  readonly insertable: boolean;
  readonly updatable: boolean;
  readonly deletable: boolean;
  readonly rlsEnabled: boolean;
  readonly rlsForced: boolean;
  /**
   * Columns of this table its row-level security policies read (none when RLS
   * is off). null or absent: unknown (a policy reads the whole row).
   */
  readonly policyColumns?: readonly string[] | null;
  /** pg_class.reltuples, -1 when never analysed */
  readonly estimatedRows: number;
  /** for views and materialized views: the base tables they read, recursively through other views */
  readonly dependsOn: readonly QualifiedName[];
  /**
   * oids of the relations this table's read policies (RLS) read, through views
   * to their base tables: a change there can change what a role sees here.
   * Relations a policy reaches only inside a function are not known.
   */
  readonly policyReads: readonly number[];
  /** keyed by role name: one entry per role in SchemaCache.roles */
  readonly privileges: Readonly<Record<string, RolePrivileges>>;
}

/**
 * A relationship usable for embedding, seen from `from`.
 * - many-to-one: `from` has the FK (to-one)
 * - one-to-many: `to` has the FK pointing at `from` (to-many)
 * - one-to-one: like one-to-many, but the FK columns are unique (to-one)
 * - many-to-many: through a junction table having FKs to both
 */
export type Relationship =
  | {
      readonly kind: 'many-to-one' | 'one-to-many' | 'one-to-one';
      readonly from: QualifiedName;
      readonly to: QualifiedName;
      readonly constraint: string;
      readonly fromColumns: readonly string[];
      readonly toColumns: readonly string[];
      /** true when from === to (self-reference) */
      readonly self: boolean;
    }
  | {
      readonly kind: 'many-to-many';
      readonly from: QualifiedName;
      readonly to: QualifiedName;
      readonly junction: QualifiedName;
      /** FK from junction to `from` */
      readonly constraint1: string;
      readonly junctionFromColumns: readonly string[];
      readonly fromColumns: readonly string[];
      /** FK from junction to `to` */
      readonly constraint2: string;
      readonly junctionToColumns: readonly string[];
      readonly toColumns: readonly string[];
    };

export interface FunctionArg {
  /** empty string for unnamed args (not callable by name) */
  readonly name: string;
  readonly type: string;
  readonly typeOid: number;
  readonly hasDefault: boolean;
  readonly mode: 'in' | 'inout' | 'variadic';
}

export interface DbFunction extends QualifiedName {
  readonly oid: number;
  readonly args: readonly FunctionArg[];
  /** format_type of the return type */
  readonly returnType: string;
  readonly returnsSet: boolean;
  /** set when the function returns a table's row type (setof t / t): filters apply on its columns */
  readonly returnsRelation: QualifiedName | null;
  /** true for RETURNS TABLE(...) / OUT params / record types producing named columns */
  readonly returnsComposite: boolean;
  readonly returnsScalar: boolean;
  readonly volatility: 'immutable' | 'stable' | 'volatile';
  readonly comment: string | null;
  /** roles (of SchemaCache.roles) with EXECUTE */
  readonly executableBy: readonly string[];
}

export interface EnumType extends QualifiedName {
  readonly labels: readonly string[];
}

export interface DomainType extends QualifiedName {
  readonly baseType: string;
  readonly nullable: boolean;
  readonly checks: readonly string[];
}

export interface SchemaCache {
  /** exposed schemas in configured order; the first is the default */
  readonly schemas: readonly string[];
  readonly relations: readonly Relation[];
  readonly foreignKeys: readonly ForeignKey[];
  readonly relationships: readonly Relationship[];
  readonly functions: readonly DbFunction[];
  readonly enums: readonly EnumType[];
  readonly domains: readonly DomainType[];
  /** roles whose privileges were computed: those the server login role can SET ROLE to, plus itself */
  readonly roles: readonly string[];
  /** server_version_num */
  readonly serverVersion: number;
  /** when this value was built (ms since epoch) */
  readonly loadedAt: number;
}
