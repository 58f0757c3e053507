/**
 * The grid's view state — sort, filters, search, scroll position — as a pure
 * reducer that round-trips through the URL, so any view can be shared by link.
 *
 * URL format (readable, stable):
 *   sort=created_at.desc~name.asc      keys in priority order
 *   f=status~in~open~paid              one `f` per filter: column~op~args…
 *   join=or                            how filters combine (default and)
 *   q=copper                           search box
 *   at=1200                            index of the top row
 * Parts are separated by '~'; a literal '~' or '%' inside a part is
 * percent-encoded (%7E, %25) before URLSearchParams encodes the whole.
 */

export type SortDir = 'asc' | 'desc';

export interface SortKey {
  readonly column: string;
  readonly dir: SortDir;
}

/** Filter operators, by the column types they apply to (filters.ts turns them into PostgREST). */
export const FILTER_OPS = {
  // text
  contains: 1, equals: 1, starts: 1, regex: 1, empty: 0, notEmpty: 0,
  // numbers, dates, and equality for anything
  eq: 1, neq: 1, gt: 1, gte: 1, lt: 1, lte: 1, between: 2,
  // dates relative to now: last / next N days, today
  lastDays: 1, nextDays: 1, today: 0,
  // enums: one of the labels
  in: -1,
  // booleans
  isTrue: 0, isFalse: 0,
  // any column
  isNull: 0, notNull: 0,
  // arrays: contains every one of the values
  has: -1,
  // json: key equals value — args [key, value]
  jsonKey: 2,
} as const satisfies Record<string, number>;

export type FilterOp = keyof typeof FILTER_OPS;

export interface Filter {
  readonly column: string;
  readonly op: FilterOp;
  /** operands; the count is FILTER_OPS[op] (-1: any number) */
  readonly args: readonly string[];
}

export type Join = 'and' | 'or';

export interface GridState {
  readonly sort: readonly SortKey[];
  readonly filters: readonly Filter[];
  readonly join: Join;
  readonly search: string;
  /** index of the row at the top of the viewport */
  readonly at: number;
}

export const INITIAL_GRID_STATE: GridState = { sort: [], filters: [], join: 'and', search: '', at: 0 };

export type GridAction =
  /** header click: asc → desc → none; `multi` (shift-click) keeps the other keys */
  | { type: 'toggleSort'; column: string; multi: boolean }
  | { type: 'setSort'; sort: readonly SortKey[] }
  | { type: 'addFilter'; filter: Filter }
  | { type: 'updateFilter'; index: number; filter: Filter }
  | { type: 'removeFilter'; index: number }
  | { type: 'clearFilters' }
  /** the filter editor commits its whole draft at once */
  | { type: 'setFilters'; filters: readonly Filter[]; join: Join }
  | { type: 'setJoin'; join: Join }
  | { type: 'search'; text: string }
  | { type: 'scroll'; at: number }
  /** columns that no longer exist (schema changed) drop out of sort and filters */
  | { type: 'retainColumns'; columns: readonly string[] }
  | { type: 'reset' };

function nextDir(dir: SortDir | undefined): SortDir | null {
  return dir === undefined ? 'asc' : dir === 'asc' ? 'desc' : null;
}

/** what the rows are changes: the old scroll position means nothing any more */
function refiltered(state: GridState, patch: Partial<GridState>): GridState {
  return { ...state, ...patch, at: 0 };
}

export function gridReducer(state: GridState, action: GridAction): GridState {
  switch (action.type) {
    case 'toggleSort': {
      const current = state.sort.find((k) => k.column === action.column);
      const dir = nextDir(current?.dir);
      if (!action.multi) return refiltered(state, { sort: dir ? [{ column: action.column, dir }] : [] });
      const sort = dir
        ? current
          ? state.sort.map((k) => (k.column === action.column ? { column: k.column, dir } : k))
          : [...state.sort, { column: action.column, dir }]
        : state.sort.filter((k) => k.column !== action.column);
      return refiltered(state, { sort });
    }
    case 'setSort':
      return refiltered(state, { sort: [...action.sort] });
    case 'addFilter':
      return refiltered(state, { filters: [...state.filters, action.filter] });
    case 'updateFilter':
      if (action.index < 0 || action.index >= state.filters.length) return state;
      return refiltered(state, { filters: state.filters.map((f, i) => (i === action.index ? action.filter : f)) });
    case 'removeFilter':
      if (action.index < 0 || action.index >= state.filters.length) return state;
      return refiltered(state, { filters: state.filters.filter((_, i) => i !== action.index) });
    case 'clearFilters':
      return state.filters.length === 0 && state.search === '' ? state : refiltered(state, { filters: [], search: '' });
    case 'setFilters':
      if (action.join === state.join && JSON.stringify(action.filters) === JSON.stringify(state.filters)) return state;
      return refiltered(state, { filters: [...action.filters], join: action.join });
    case 'setJoin':
      return state.join === action.join ? state : refiltered(state, { join: action.join });
    case 'search':
      return state.search === action.text ? state : refiltered(state, { search: action.text });
    case 'scroll': {
      const at = Math.max(0, Math.floor(action.at));
      return at === state.at ? state : { ...state, at };
    }
    case 'retainColumns': {
      const ok = new Set(action.columns);
      const sort = state.sort.filter((k) => ok.has(k.column));
      const filters = state.filters.filter((f) => ok.has(f.column));
      if (sort.length === state.sort.length && filters.length === state.filters.length) return state;
      return refiltered(state, { sort, filters });
    }
    case 'reset':
      return INITIAL_GRID_STATE;
  }
}

// ------------------------------------------------------------------ URL

const SEP = '~';

function encodePart(s: string): string {
  return s.replaceAll('%', '%25').replaceAll(SEP, '%7E');
}

function decodePart(s: string): string {
  return s.replaceAll('%7E', SEP).replaceAll('%7e', SEP).replaceAll('%25', '%');
}

function splitParts(s: string): string[] {
  return s.split(SEP).map(decodePart);
}

/** the grid's own parameter names: anything else in the URL is left alone */
/** the columns the state sorts or filters on that `columns` lacks (a renamed column, an old link), in order */
export function missingColumns(state: GridState, columns: readonly string[]): string[] {
  const known = new Set(columns);
  return [...new Set([...state.sort.map((k) => k.column), ...state.filters.map((f) => f.column)])].filter((c) => !known.has(c));
}

export const GRID_PARAMS = ['sort', 'f', 'join', 'q', 'at'] as const;

export function gridStateToParams(state: GridState): URLSearchParams {
  const p = new URLSearchParams();
  if (state.sort.length > 0) p.set('sort', state.sort.map((k) => `${encodePart(k.column)}.${k.dir}`).join(SEP));
  for (const f of state.filters) p.append('f', [f.column, f.op, ...f.args].map(encodePart).join(SEP));
  if (state.join !== 'and') p.set('join', state.join);
  if (state.search !== '') p.set('q', state.search);
  if (state.at > 0) p.set('at', String(state.at));
  return p;
}

function isOp(s: string): s is FilterOp {
  return Object.prototype.hasOwnProperty.call(FILTER_OPS, s);
}

/**
 * Parse what gridStateToParams wrote. Tolerant: a hand-edited or stale link
 * loses the parts that make no sense instead of failing.
 */
export function gridStateFromParams(p: URLSearchParams): GridState {
  const sort: SortKey[] = [];
  const rawSort = p.get('sort');
  if (rawSort) {
    for (const part of rawSort.split(SEP)) {
      const dot = part.lastIndexOf('.');
      const column = decodePart(dot < 0 ? part : part.slice(0, dot));
      const dir = dot < 0 ? 'asc' : part.slice(dot + 1);
      if (column && (dir === 'asc' || dir === 'desc') && !sort.some((k) => k.column === column)) sort.push({ column, dir });
    }
  }
  const filters: Filter[] = [];
  for (const raw of p.getAll('f')) {
    const [column, op, ...args] = splitParts(raw);
    if (!column || !op || !isOp(op)) continue;
    const arity: number = FILTER_OPS[op];
    if (arity >= 0 && args.length !== arity) continue;
    filters.push({ column, op, args });
  }
  const at = Number(p.get('at') ?? 0);
  return {
    sort,
    filters,
    join: p.get('join') === 'or' ? 'or' : 'and',
    search: p.get('q') ?? '',
    at: Number.isFinite(at) && at > 0 ? Math.floor(at) : 0,
  };
}

/**
 * The search string ('?…', or '' when empty) for `state` over `current`,
 * keeping '~' and ',' readable: URLSearchParams would write %7E and %2C.
 * Literal '~' inside a part was already escaped to %7E (→ %257E here).
 */
export function gridSearch(current: URLSearchParams, state: GridState): string {
  const s = mergeGridParams(current, state).toString().replaceAll('%7E', SEP).replaceAll('%2C', ',');
  return s ? `?${s}` : '';
}

/** Replace the grid's parameters in `current`, keeping any others. */
export function mergeGridParams(current: URLSearchParams, state: GridState): URLSearchParams {
  const out = new URLSearchParams();
  for (const [k, v] of current) if (!(GRID_PARAMS as readonly string[]).includes(k)) out.append(k, v);
  for (const [k, v] of gridStateToParams(state)) out.append(k, v);
  return out;
}
