/**
 * The four REST scenarios, each as a fixed list of request variants (seeded,
 * so every run and every target sees the same ids / categories / prices):
 * the HTTP request pglive gets, and the SQL pglive issues for it — obtained
 * by running pglive's own stages (parse → plan → sql) on the bench schema
 * cache, so the raw baseline cannot drift from what the server does.
 */
import type { SchemaCache } from '../../src/server/catalog/types.js';
import type { RoleContext } from '../../src/server/db/tx.js';
import { planRequest } from '../../src/server/plan/index.js';
import { parseRequest } from '../../src/server/request/parse.js';
import { minimalStatements, returningStatement } from '../../src/server/sql/mutate.js';
import type { SqlStatement } from '../../src/server/sql/params.js';
import { readStatement } from '../../src/server/sql/read.js';
import { STATEMENT_TIMEOUT_MS } from './config.js';
import type { HttpRequest } from './load.js';
import { mulberry32 } from '../../test/support/rng.js';

export const BENCH_ROLE = 'bench_user';
const ITEM_ROWS = 100_000;
const CATEGORIES = 20;
const OWNERS = 1000;
const VARIANTS = 1000;

export interface Scenario {
  readonly key: string;
  readonly title: string;
  /** one request of the scenario, as a path under /api + query, for the docs */
  readonly example: string;
  readonly variant: (rand: () => number) => { method: 'GET' | 'POST'; path: string; query: string; headers: Record<string, string>; body?: unknown };
}

const int = (rand: () => number, n: number) => Math.floor(rand() * n);

export const SCENARIOS: readonly Scenario[] = [
  {
    key: 'get-one',
    title: 'single-row GET by primary key',
    example: 'GET /bench_items?id=eq.<id> (Accept: application/vnd.pgrst.object+json)',
    variant: (rand) => ({
      method: 'GET', path: '/bench_items', query: `id=eq.${1 + int(rand, ITEM_ROWS)}`,
      headers: { accept: 'application/vnd.pgrst.object+json' },
    }),
  },
  {
    key: 'page-50',
    title: '50-row filtered + sorted page',
    example: 'GET /bench_items?select=id,name,price,category&category=eq.<c>&price=gt.<x>&order=price.desc,id&limit=50',
    variant: (rand) => ({
      method: 'GET', path: '/bench_items',
      query: `select=id,name,price,category&category=eq.cat${int(rand, CATEGORIES)}&price=gt.${int(rand, 900)}&order=price.desc,id&limit=50`,
      headers: { accept: 'application/json' },
    }),
  },
  {
    key: 'embed-50',
    title: '50-row page with one embedded relation',
    example: 'GET /bench_items?select=id,name,owner:bench_owners(id,name)&category=eq.<c>&order=id&limit=50',
    variant: (rand) => ({
      method: 'GET', path: '/bench_items',
      query: `select=id,name,owner:bench_owners(id,name)&category=eq.cat${int(rand, CATEGORIES)}&order=id&limit=50`,
      headers: { accept: 'application/json' },
    }),
  },
  {
    key: 'post-one',
    title: 'single-row POST (return=minimal)',
    example: 'POST /bench_items {name, price, category, owner_id} (Prefer: return=minimal)',
    variant: (rand) => ({
      method: 'POST', path: '/bench_items', query: '',
      headers: { 'content-type': 'application/json', prefer: 'return=minimal' },
      body: { name: `new ${int(rand, 1e9)}`, price: int(rand, 100_000) / 100, category: `cat${int(rand, CATEGORIES)}`, owner_id: 1 + int(rand, OWNERS) },
    }),
  },
];

/** one request, both ways */
export interface Variant {
  readonly http: HttpRequest;
  /** the statements pglive runs inside its transaction, in order */
  readonly statements: readonly SqlStatement[];
  readonly ctx: RoleContext;
  readonly readOnly: boolean;
  /**
   * which transaction runner pglive uses for this plan (mirrors the dispatch in
   * src/server/http/rest.ts): runAsRole pipelines BEGIN … COMMIT in one round
   * trip (plain reads); withRole is postgres.js's begin() (everything else)
   */
  readonly runner: 'runAsRole' | 'withRole';
}


export function buildVariants(s: Scenario, cache: SchemaCache, jwt: string, claims: Record<string, unknown>, seed: number): Variant[] {
  const rand = mulberry32(seed);
  return Array.from({ length: VARIANTS }, () => {
    const v = s.variant(rand);
    const bodyText = v.body === undefined ? undefined : JSON.stringify(v.body);
    const apiReq = parseRequest({ method: v.method, path: v.path, query: v.query, headers: v.headers, body: v.body });
    const plan = planRequest(apiReq, cache, { role: BENCH_ROLE, maxRows: null });
    let statements: SqlStatement[];
    if (plan.kind === 'read') statements = [readStatement(plan)];
    else if (plan.returning === 'minimal') statements = minimalStatements(plan);
    else statements = [returningStatement(plan, BENCH_ROLE)];
    return {
      http: {
        method: v.method,
        path: `/api${v.path}${v.query ? '?' + v.query : ''}`,
        headers: { ...v.headers, authorization: `Bearer ${jwt}` },
        ...(bodyText === undefined ? {} : { body: bodyText }),
      },
      statements,
      ctx: { role: BENCH_ROLE, claims, userId: null, statementTimeoutMs: STATEMENT_TIMEOUT_MS, method: v.method, path: v.path },
      readOnly: plan.kind === 'read' && plan.readOnly,
      runner:
        (plan.kind === 'read' && (plan.count === null || plan.count === 'exact')) ||
        (plan.kind !== 'read' && plan.returning === 'minimal' && plan.maxAffected === null && !plan.singular)
          ? 'runAsRole'
          : 'withRole',
    };
  });
}
