/**
 * /api/* — the PostgREST-compatible REST routes. Glue only:
 * authenticate → parse → plan → sql → run as the role → respond.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SchemaStore } from '../catalog/store.js';
import type { Config } from '../config/types.js';
import type { Sql, TxSql } from '../db/pool.js';
import { runAsRole, withRole, type RoleContext } from '../db/tx.js';
import { PgliveError } from '../errors.js';
import { planRequest } from '../plan/index.js';
import type { MutatePlan, ReadPlan } from '../plan/types.js';
import { parseRequest } from '../request/parse.js';
import type { ApiRequest } from '../request/types.js';
import { readStatement } from '../sql/read.js';
import { countRows } from '../db/count.js';
import { minimalStatements, returningStatement } from '../sql/mutate.js';
import type { SqlStatement } from '../sql/params.js';
import { markAuthenticated } from './errors.js';
import { openApiDocument } from './openapi.js';
import { sendBody, type Outcome } from './respond.js';

/** What REST needs of an authenticated caller (auth/ produces it). */
export interface CallerPrincipal {
  readonly kind: 'session' | 'jwt' | 'token' | 'anonymous';
  readonly role: string;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly userId: string | null;
  readonly isAdmin: boolean;
}

export interface RestDeps {
  readonly config: Config;
  readonly sql: Sql;
  readonly schema: SchemaStore;
  readonly principal: (req: FastifyRequest) => Promise<CallerPrincipal>;
}

interface QueryRow {
  total: string | null;
  page_total: string | number;
  body: string | null;
  keys?: string | null;
  inserted?: string | null;
}

async function run(tx: TxSql, s: SqlStatement): Promise<QueryRow[]> {
  return (await tx.unsafe(s.text, s.values as never[])) as unknown as QueryRow[];
}

async function executeRead(tx: TxSql, plan: ReadPlan): Promise<Outcome> {
  const [row] = await run(tx, readStatement(plan));
  return readOutcome(plan, row, tx);
}

/** Turns the main read row into an outcome; planned / estimated counts need `tx` for one more statement. */
async function readOutcome(plan: ReadPlan, row: QueryRow | undefined, tx: TxSql | null): Promise<Outcome> {
  const pageTotal = Number(row?.page_total ?? 0);
  let total: number | null = row?.total === null || row?.total === undefined ? null : Number(row.total);
  if (plan.count === 'planned' || plan.count === 'estimated') {
    if (tx === null) throw new Error('planned/estimated counts need a transaction');
    total = await countRows(tx, plan, plan.count);
  }
  if (plan.singular && pageTotal !== 1 && !plan.voidFunction) {
    throw new PgliveError('PGRST116', 'Cannot coerce the result to a single JSON object', {
      details: `The result contains ${pageTotal} rows`,
    });
  }
  return { kind: 'read', plan, pageTotal, total, body: row?.body ?? null };
}

async function executeMutation(tx: TxSql, plan: MutatePlan, role: string): Promise<Outcome> {
  let affected = 0;
  let body: string | null = null;
  let keys: unknown[][] | null = null;
  let inserted: number | null = null;
  if (plan.returning === 'minimal') {
    for (const s of minimalStatements(plan)) {
      const r = await tx.unsafe(s.text, s.values as never[]);
      affected += r.count ?? 0;
    }
  } else {
    const [row] = await run(tx, returningStatement(plan, role));
    affected = Number(row?.page_total ?? 0);
    body = row?.body ?? null;
    keys = row?.keys ? (JSON.parse(row.keys) as unknown[][]) : null;
    inserted = row?.inserted === null || row?.inserted === undefined ? null : Number(row.inserted);
  }
  if (plan.maxAffected !== null && affected > plan.maxAffected) {
    throw new PgliveError('PGRST124', `Query result exceeds max-affected preference constraint`, {
      details: `The query affects ${affected} rows`,
    });
  }
  if (plan.singular && affected !== 1) {
    throw new PgliveError('PGRST116', 'Cannot coerce the result to a single JSON object', {
      details: `The result contains ${affected} rows`,
    });
  }
  return { kind: 'mutation', plan, affected, body, keys, inserted };
}

function rawQuery(url: string): string {
  const i = url.indexOf('?');
  return i < 0 ? '' : url.slice(i + 1);
}

function apiPath(url: string): string {
  const path = url.split('?')[0] ?? '';
  const rest = path.slice('/api'.length);
  return rest === '' ? '/' : rest;
}

export function registerRest(app: FastifyInstance, deps: RestDeps): void {
  // Bodies stay raw for CSV / form; JSON is parsed here so errors get PGRST102.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/json', 'application/vnd.pgrst.object+json'], { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (e) {
      done(new PgliveError('PGRST102', `Invalid JSON body: ${(e as Error).message}`), undefined);
    }
  });
  app.addContentTypeParser(['text/csv', 'application/x-www-form-urlencoded', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => done(null, String(body)));
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, String(body)));

  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const principal = await deps.principal(req);
    markAuthenticated(req, principal.kind !== 'anonymous');
    const apiReq: ApiRequest = parseRequest({
      method: req.method,
      path: apiPath(req.url),
      query: rawQuery(req.url),
      headers: req.headers,
      body: req.body,
    });
    const cache = deps.schema.current;
    if (apiReq.resource.type === 'root') {
      if (apiReq.method !== 'GET' && apiReq.method !== 'HEAD') {
        throw new PgliveError('PGRST101', `${apiReq.method} is not allowed on the root path`);
      }
      return reply.type('application/openapi+json; charset=utf-8').send(openApiDocument(cache, principal.role, apiReq.profile));
    }
    const plan = planRequest(apiReq, cache, { role: principal.role, maxRows: deps.config.maxRows });
    const ctx: RoleContext = {
      role: principal.role,
      claims: principal.claims,
      userId: principal.userId,
      statementTimeoutMs: deps.config.statementTimeoutMs,
      method: req.method,
      path: apiPath(req.url),
    };
    const readOnly = plan.kind === 'read' && plan.readOnly;
    if (plan.kind === 'read' && (plan.count === null || plan.count === 'exact')) {
      // the common read: one statement, one round trip (BEGIN … COMMIT pipelined)
      const [rows] = await runAsRole(deps.sql, ctx, [readStatement(plan)], { readOnly });
      return sendBody(reply, apiReq, await readOutcome(plan, rows?.[0] as QueryRow | undefined, null));
    }
    if (plan.kind !== 'read' && plan.returning === 'minimal' && plan.maxAffected === null && !plan.singular) {
      // writes that need no check after the fact: pipelined, one round trip
      const results = await runAsRole(deps.sql, ctx, minimalStatements(plan));
      const affected = results.reduce((n, r) => n + ((r as unknown as { count?: number }).count ?? 0), 0);
      return sendBody(reply, apiReq, { kind: 'mutation', plan, affected, body: null, keys: null, inserted: null });
    }
    const outcome = await withRole(
      deps.sql,
      ctx,
      (tx) => (plan.kind === 'read' ? executeRead(tx, plan) : executeMutation(tx, plan, principal.role)),
      { readOnly },
    );
    return sendBody(reply, apiReq, outcome);
  };

  for (const url of ['/api', '/api/', '/api/*']) {
    app.route({ method: ['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE'], url, exposeHeadRoute: false, handler });
  }
}
