/**
 * The plan: an ApiRequest resolved against the SchemaCache. Every name in a
 * plan has been checked to exist; sql/ renders plans and never sees raw names
 * that were not resolved here.
 */
import type { Column, DbFunction, Relation, Relationship } from '../catalog/types.js';
import type { FilterOperator, FilterValue, JsonStep, MediaType, Preferences, Quantifier } from '../request/types.js';

/** where the rows of a node come from */
export type Source =
  | { readonly kind: 'relation'; readonly relation: Relation }
  /** a function call in FROM; `relation` is set when it returns a table's row type */
  | { readonly kind: 'function'; readonly fn: DbFunction; readonly args: readonly RpcArg[]; readonly relation: Relation | null }
  /** the rows produced by a data-modifying CTE named _mut (shape of `relation`) */
  | { readonly kind: 'mutation'; readonly relation: Relation };

export interface RpcArg {
  readonly name: string;
  readonly value: unknown;
}

/** a resolved column reference, optionally into JSON */
export interface ColumnRef {
  readonly column: Pick<Column, 'name'> & Partial<Column>;
  readonly json: readonly JsonStep[];
}

export type PlannedSelect =
  | {
      readonly kind: 'column';
      readonly ref: ColumnRef;
      readonly outName: string;
      /** a type name to cast to, canonicalised (see plan/casts.ts) */
      readonly cast: string | null;
    }
  | { readonly kind: 'embed'; readonly embed: EmbedNode };

export interface EmbedNode {
  readonly outName: string;
  readonly relationship: Relationship;
  readonly toOne: boolean;
  readonly inner: boolean;
  readonly spread: boolean;
  readonly node: ReadNode;
}

export type PlannedCondition =
  | {
      readonly kind: 'filter';
      readonly ref: ColumnRef;
      readonly operator: FilterOperator;
      readonly negated: boolean;
      readonly quantifier: Quantifier | null;
      readonly language: string | null;
      readonly value: FilterValue;
    }
  | { readonly kind: 'and' | 'or'; readonly negated: boolean; readonly children: readonly PlannedCondition[] }
  /** embed=is.null / embed=not.is.null: whether an embedded resource has rows */
  | { readonly kind: 'embed-exists'; readonly embed: EmbedNode; readonly exists: boolean };

export interface PlannedOrder {
  /** ordering by a to-one embedded resource's column: order=client(name) */
  readonly embed: EmbedNode | null;
  readonly ref: ColumnRef;
  readonly direction: 'asc' | 'desc' | null;
  readonly nulls: 'first' | 'last' | null;
}

export interface ReadNode {
  readonly source: Source;
  /** table alias in SQL, unique within a statement: t0, t1, … */
  readonly alias: string;
  readonly select: PlannedSelect[];
  readonly embeds: EmbedNode[];
  conditions: PlannedCondition[];
  order: PlannedOrder[];
  limit: number | null;
  offset: number;
}

export interface ReadPlan {
  readonly kind: 'read';
  readonly node: ReadNode;
  readonly count: Preferences['count'];
  readonly media: MediaType;
  readonly singular: boolean;
  /** HEAD: no body */
  readonly headOnly: boolean;
  readonly readOnly: boolean;
  /** for scalar / non-set functions: render the single value, not rows */
  readonly scalarFunction: boolean;
  /** function returns void: 204 */
  readonly voidFunction: boolean;
  /** output column names in order, for CSV headers of empty results */
  readonly columnNames: readonly string[];
}

export interface InsertGroup {
  /** the body rows (objects) of this group */
  readonly rows: readonly Record<string, unknown>[];
  /** the columns inserted, resolved */
  readonly columns: readonly Column[];
}

export interface MutatePlan {
  readonly kind: 'insert' | 'update' | 'delete' | 'upsert-put';
  readonly relation: Relation;
  /** insert: one group per distinct key set (missing=default); others: one group */
  readonly groups: readonly InsertGroup[];
  /** update: the SET columns and the single body object */
  readonly setColumns: readonly Column[];
  readonly setValues: Readonly<Record<string, unknown>>;
  readonly onConflict: {
    readonly columns: readonly string[];
    readonly action: 'merge' | 'ignore';
  } | null;
  /** update/delete/put: the target relation node whose conditions form the WHERE clause */
  readonly target: ReadNode;
  readonly returning: 'minimal' | 'headers-only' | 'representation';
  /** the read shape applied to affected rows for return=representation */
  readonly node: ReadNode;
  readonly media: MediaType;
  readonly singular: boolean;
  readonly maxAffected: number | null;
  readonly preferApplied: readonly string[];
}

export type Plan = ReadPlan | MutatePlan;

export type { Preferences };
