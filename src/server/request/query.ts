/**
 * The query string: splits it URLSearchParams-style (`+` is a space, bad
 * percent escapes stay literal) and routes every param to its sub-parser.
 * Root reserved words: select, order, limit, offset, columns, on_conflict,
 * and, or, not.and, not.or; everything else is a filter or an embedded
 * reserved word (see params.ts). A repeated select/order/limit/offset/columns/
 * on_conflict keeps its first value; repeated filters and logic trees all apply.
 */
import { isPgliveError } from '../errors.js';
import type { Condition, EmbedPath, HttpMethod, OrderTerm, Resource, SelectItem } from './types.js';
import { Cursor, show } from './cursor.js';
import { parseFilterExpr, spend, type ConditionBudget } from './filter.js';
import { parseLogicTree } from './logic.js';
import { parseNameList } from './names.js';
import { parseOrder } from './order.js';
import { parseParamKey, type ParamKey } from './params.js';
import { paramInterval, parseCount, type RowInterval } from './range.js';
import { parseSelect } from './select.js';

export interface QueryContext {
  readonly method: HttpMethod;
  readonly resource: Resource;
  readonly maxDepth: number;
  readonly maxConditions: number;
}

export interface ParsedQuery {
  readonly select: readonly SelectItem[];
  readonly conditions: { readonly path: EmbedPath; readonly condition: Condition }[];
  readonly order: { readonly path: EmbedPath; readonly terms: readonly OrderTerm[] }[];
  /** from the root limit/offset params only; parse.ts intersects it with the Range header */
  readonly rootRange: RowInterval;
  readonly embedRanges: { readonly path: EmbedPath; readonly offset: number; readonly limit: number | null }[];
  readonly columns: readonly string[] | null;
  readonly onConflict: readonly string[] | null;
  readonly rpcParams: Record<string, string>;
}

interface Window {
  path: EmbedPath;
  offset: number | null;
  limit: number | null;
}

/** syntax errors that, for GET /rpc/fn, just mean "this param is a function argument" */
const isArgumentSyntax = (e: unknown): boolean => isPgliveError(e) && (e.code === 'PGRST100' || e.code === 'PGLIVE101');

export function parseQuery(query: string, ctx: QueryContext): ParsedQuery {
  const rpcGet = ctx.resource.type === 'rpc' && (ctx.method === 'GET' || ctx.method === 'HEAD');
  const budget: ConditionBudget = { count: 0, max: ctx.maxConditions };
  let select: SelectItem[] | undefined;
  let columns: string[] | null = null;
  let onConflict: string[] | null = null;
  const conditions: ParsedQuery['conditions'] = [];
  const orders = new Map<string, { path: EmbedPath; terms: OrderTerm[] }>();
  const windows = new Map<string, Window>();
  const rpcArgs = new Map<string, string>();

  const setOrder = (path: EmbedPath, value: string, context: string): void => {
    const k = JSON.stringify(path);
    if (!orders.has(k)) orders.set(k, { path, terms: parseOrder(value, context) });
  };
  const setWindow = (path: EmbedPath, which: 'limit' | 'offset', value: string, param: string): void => {
    const k = JSON.stringify(path);
    const w = windows.get(k) ?? { path, offset: null, limit: null };
    windows.set(k, w);
    w[which] ??= parseCount(param, value);
  };

  for (const [key, value] of new URLSearchParams(query)) {
    const context = `${show(key)} parameter`;
    switch (key) {
      case 'select':
        select ??= parseSelect(value, context, ctx.maxDepth);
        continue;
      case 'columns':
        columns ??= parseNameList(value, context);
        continue;
      case 'on_conflict':
        onConflict ??= parseNameList(value, context);
        continue;
      case 'order':
        setOrder([], value, context);
        continue;
      case 'limit':
      case 'offset':
        setWindow([], key, value, key);
        continue;
    }
    let parsed: ParamKey;
    try {
      parsed = parseParamKey(key, ctx.maxDepth);
    } catch (e) {
      if (!(rpcGet && isArgumentSyntax(e))) throw e;
      if (!rpcArgs.has(key)) rpcArgs.set(key, value);
      continue;
    }
    switch (parsed.kind) {
      case 'order':
        setOrder(parsed.path, value, context);
        break;
      case 'limit':
      case 'offset':
        setWindow(parsed.path, parsed.kind, value, key);
        break;
      case 'logic':
        conditions.push({
          path: parsed.path,
          condition: parseLogicTree(value, parsed.op, parsed.negated, context, { maxDepth: ctx.maxDepth, budget }),
        });
        break;
      case 'filter': {
        if (rpcGet && !rpcArgs.has(key)) rpcArgs.set(key, value);
        let condition: Condition;
        try {
          condition = parseFilterExpr(new Cursor(value, context), parsed.field, 'param');
        } catch (e) {
          if (rpcGet && isArgumentSyntax(e)) break;
          throw e;
        }
        spend(budget, context);
        conditions.push({ path: parsed.path, condition });
        break;
      }
    }
  }

  const root = windows.get('[]');
  windows.delete('[]');
  return {
    select: select ?? [{ type: 'star' }],
    conditions,
    order: [...orders.values()],
    rootRange: paramInterval(root?.offset ?? null, root?.limit ?? null),
    embedRanges: [...windows.values()].map((w) => ({ path: w.path, offset: w.offset ?? 0, limit: w.limit })),
    columns,
    onConflict,
    rpcParams: Object.fromEntries(rpcArgs),
  };
}
