/**
 * ApiRequest: what a PostgREST-style HTTP request asks for, parsed from URL,
 * headers and body, before it is checked against the schema (that is plan/).
 * Pure data; produced by request/parse.ts.
 */

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** one step of a JSON path: col->a->>b, col->0 */
export interface JsonStep {
  readonly arrow: '->' | '->>';
  /** string key, or integer index when the step is all digits (possibly negative) */
  readonly key: string | number;
}

/** a column reference, optionally with a JSON path */
export interface Field {
  readonly name: string;
  readonly json: readonly JsonStep[];
}

export type SelectItem =
  | { readonly type: 'star' }
  | {
      readonly type: 'column';
      readonly field: Field;
      readonly alias: string | null;
      /** col::type — the type name as written; plan/ validates it */
      readonly cast: string | null;
    }
  | {
      readonly type: 'embed';
      /** the relation (table/view) name, or FK constraint / column name used as target */
      readonly name: string;
      readonly alias: string | null;
      /** rel!hint: an FK constraint name, a column name, or a junction table name */
      readonly hint: string | null;
      /** rel!inner: only parents with at least one matching child */
      readonly inner: boolean;
      /** ...rel: spread the embedded (to-one) columns into the parent */
      readonly spread: boolean;
      readonly select: readonly SelectItem[];
    };

export const FILTER_OPERATORS = [
  'eq', 'neq', 'gt', 'gte', 'lt', 'lte',
  'like', 'ilike', 'match', 'imatch',
  'in', 'is', 'isdistinct',
  'fts', 'plfts', 'phfts', 'wfts',
  'cs', 'cd', 'ov', 'sl', 'sr', 'nxr', 'nxl', 'adj',
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** quantifiers: col=eq(any).{a,b} / col=like(all).{a*,b*} */
export type Quantifier = 'any' | 'all';

export type FilterValue =
  /** a single scalar string as written (already URL-decoded; `*` in like patterns NOT yet translated) */
  | { readonly kind: 'scalar'; readonly value: string }
  /** in.(a,b,"c,d") and quantified lists: the parsed items */
  | { readonly kind: 'list'; readonly values: readonly string[] }
  /** is.null / is.true / is.false / is.unknown */
  | { readonly kind: 'is'; readonly value: 'null' | 'true' | 'false' | 'unknown' };

export interface Filter {
  readonly type: 'filter';
  readonly field: Field;
  readonly negated: boolean;
  readonly operator: FilterOperator;
  readonly quantifier: Quantifier | null;
  /** text search configuration: fts(english).value */
  readonly language: string | null;
  readonly value: FilterValue;
}

export interface LogicTree {
  readonly type: 'and' | 'or';
  readonly negated: boolean;
  readonly children: readonly (Filter | LogicTree)[];
}

export type Condition = Filter | LogicTree;

/**
 * An embed path: the aliases (or names) from the root to an embedded resource.
 * [] is the root. `clients.projects.name=eq.x` has path ['clients','projects'].
 */
export type EmbedPath = readonly string[];

export interface OrderTerm {
  /** order=clients(name).desc: the to-one embedded relation to order by, else null */
  readonly relation: string | null;
  readonly field: Field;
  readonly direction: 'asc' | 'desc' | null;
  readonly nulls: 'first' | 'last' | null;
}

export interface Preferences {
  readonly return: 'minimal' | 'headers-only' | 'representation' | null;
  readonly count: 'exact' | 'planned' | 'estimated' | null;
  readonly resolution: 'merge-duplicates' | 'ignore-duplicates' | null;
  readonly missing: 'default' | 'null' | null;
  readonly handling: 'lenient' | 'strict' | null;
  /** Prefer: max-affected=N */
  readonly maxAffected: number | null;
  /** pglive extension: Prefer: allow-unfiltered — permit PATCH/DELETE without filters */
  readonly allowUnfiltered: boolean;
  /** the preferences understood and applied, echoed in Preference-Applied */
  readonly applied: readonly string[];
}

export type MediaType =
  | 'json' /* application/json */
  | 'object' /* application/vnd.pgrst.object+json (singular) */
  | 'csv' /* text/csv */
  | 'openapi'; /* application/openapi+json */

export type Resource =
  | { readonly type: 'root' }
  | { readonly type: 'relation'; readonly name: string }
  | { readonly type: 'rpc'; readonly name: string };

export interface ApiRequest {
  readonly method: HttpMethod;
  readonly resource: Resource;
  /** the schema chosen by Accept-Profile (GET/HEAD) or Content-Profile (others); null = default */
  readonly profile: string | null;
  /** root select; defaults to [{type:'star'}] when `select` is absent */
  readonly select: readonly SelectItem[];
  /** conditions per embed path; root conditions have path [] */
  readonly conditions: readonly { readonly path: EmbedPath; readonly condition: Condition }[];
  readonly order: readonly { readonly path: EmbedPath; readonly terms: readonly OrderTerm[] }[];
  /** limit/offset per embed path; the root one merges `limit`/`offset` params and the Range header */
  readonly ranges: readonly { readonly path: EmbedPath; readonly offset: number; readonly limit: number | null }[];
  /** ?columns=a,b for POST/PATCH/RPC: which body keys to use */
  readonly columns: readonly string[] | null;
  /** ?on_conflict=a,b */
  readonly onConflict: readonly string[] | null;
  readonly prefer: Preferences;
  readonly accept: MediaType;
  /**
   * parsed JSON body (POST/PATCH/PUT/RPC POST): an object or an array of objects;
   * null when there is no body. CSV bodies are parsed into an array of objects.
   */
  readonly body: unknown;
  /**
   * For GET/HEAD /rpc/fn: every non-reserved query param as written (name → raw value).
   * The planner takes those whose name is a function argument as arguments and
   * requires the others to parse as filters (they also appear in `conditions`
   * when they parse as filters).
   */
  readonly rpcParams: Readonly<Record<string, string>>;
}
