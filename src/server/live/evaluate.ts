/**
 * Plans and evaluates a live view: the same parse → plan → SQL pipeline as
 * REST, run under the subscriber's role, returning ordered keys and rows.
 */
import { createHash } from 'node:crypto';
import type { Relation, SchemaCache } from '../catalog/types.js';
import { schemaIndex } from '../catalog/index.js';
import type { Sql } from '../db/pool.js';
import { runBatchAsRoles, withRole, type RoleBatchResult, type RoleContext } from '../db/tx.js';
import { PgliveError } from '../errors.js';
import { planRequest } from '../plan/index.js';
import type { EmbedNode, ReadNode, ReadPlan } from '../plan/types.js';
import { parseRequest } from '../request/parse.js';
import { liveStatement } from '../sql/read.js';
import type { SqlStatement } from '../sql/params.js';
import { countRows } from '../db/count.js';
import type { CallerPrincipal } from '../http/rest.js';

export interface ViewSpec {
  readonly table: string;
  readonly schema: string | null;
  readonly query: string;
  readonly count: 'exact' | 'estimated' | 'none';
}

export interface PlannedView {
  readonly plan: ReadPlan;
  /** output columns identifying a row; empty = identified by content */
  readonly keyColumns: readonly string[];
  /** oids of the relations whose changes can change this view */
  readonly dependsOn: readonly number[];
}

export interface Evaluation {
  readonly keys: string[];
  /** the rows as PostgreSQL rendered them (JSON text), same order; parsed only where needed */
  readonly texts: string[];
  readonly total: number | null;
}


/**
 * The relation, the base tables of a view, and what their row-level security
 * policies read (a membership table): a change to any of them can change what
 * the view shows its role.
 */
function relationDeps(cache: SchemaCache, rel: Relation, out: Set<number>): void {
  out.add(rel.oid);
  for (const oid of rel.policyReads) out.add(oid);
  const idx = schemaIndex(cache);
  for (const d of rel.dependsOn) {
    // a base table outside the exposed schemas still notifies by oid: look it up by name
    const base = idx.relation(d.schema, d.name) ?? cache.relations.find((r) => r.schema === d.schema && r.name === d.name);
    if (!base) continue;
    out.add(base.oid);
    for (const oid of base.policyReads) out.add(oid);
  }
}

function nodeDeps(cache: SchemaCache, node: ReadNode, out: Set<number>): void {
  if (node.source.relation) relationDeps(cache, node.source.relation, out);
  for (const e of node.embeds) embedDeps(cache, e, out);
}

function embedDeps(cache: SchemaCache, e: EmbedNode, out: Set<number>): void {
  const r = e.relationship;
  if (r.kind === 'many-to-many') {
    const j = schemaIndex(cache).relation(r.junction.schema, r.junction.name);
    if (j) relationDeps(cache, j, out);
  }
  nodeDeps(cache, e.node, out);
}

/** Plans a subscription for a role; throws PgliveError for a bad table / query. */
export function planView(cache: SchemaCache, spec: ViewSpec, role: string): PlannedView {
  const headers: Record<string, string> = spec.count === 'none' ? {} : { prefer: `count=${spec.count}` };
  if (spec.schema) headers['accept-profile'] = spec.schema;
  const req = parseRequest({ method: 'GET', path: '/' + encodeURIComponent(spec.table), query: spec.query, headers, body: undefined });
  if (req.resource.type !== 'relation') {
    throw new PgliveError('PGLIVE105', 'Live views read tables and views only (not functions or the root)');
  }
  const plan = planRequest(req, cache, { role, maxRows: null });
  if (plan.kind !== 'read') throw new PgliveError('PGLIVE105', 'Live views are reads');
  const rel = plan.node.source.relation!;
  // make sure the primary key is in the output, so rows have an identity
  const keyColumns: string[] = [];
  for (const pk of rel.primaryKey) {
    const present = plan.node.select.some((s) => s.kind === 'column' && s.outName === pk && s.ref.column.name === pk && s.ref.json.length === 0);
    if (!present) {
      const col = schemaIndex(cache).column(rel, pk);
      if (!col) break;
      plan.node.select.push({ kind: 'column', ref: { column: col, json: [] }, outName: pk, cast: null });
    }
    keyColumns.push(pk);
  }
  const deps = new Set<number>();
  nodeDeps(cache, plan.node, deps);
  return { plan, keyColumns: keyColumns.length === rel.primaryKey.length ? keyColumns : [], dependsOn: [...deps] };
}

function normalKey(k: string): string {
  return /^\[[0-9-]+\]$/.test(k) ? k : JSON.stringify(JSON.parse(k));
}

/** Content identity for rows without a key: the row text plus its occurrence number. */
function contentKeys(texts: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return texts.map((t) => {
    const h = createHash('sha1').update(t).digest('base64url').slice(0, 20);
    const n = (seen.get(h) ?? 0) + 1;
    seen.set(h, n);
    return `~${h}:${n}`;
  });
}

function contextOf(principal: CallerPrincipal, statementTimeoutMs: number): RoleContext {
  return {
    role: principal.role,
    claims: principal.claims,
    userId: principal.userId,
    statementTimeoutMs,
    method: 'GET',
    path: '/live',
  };
}

/**
 * What the engine keeps of a planned view: its page statements, rendered once
 * (statement texts are shared by every view of the same shape and role), and
 * the few facts the engine reads. The plan itself is kept only where a count
 * needs it later: estimated counts, and exact counts of windows that can be
 * empty while rows exist (past the first page, or limit=0).
 */
export interface CompiledView {
  /** the table or view the rows come from */
  readonly rootOid: number | null;
  readonly keyColumns: readonly string[];
  readonly dependsOn: readonly number[];
  /** the page with its exact total on every row (count=exact), or the page alone */
  readonly counted: SqlStatement;
  readonly uncounted: SqlStatement;
  readonly countPlan: ReadPlan | null;
}

/**
 * Statement texts, one string per distinct text (views of one shape differ
 * only in values). Bounded: past 5,000 shapes it starts afresh, so distinct
 * queries cannot grow it without limit (a view keeps its own reference).
 */
const statementTexts = new Map<string, string>();
function intern(text: string): string {
  const known = statementTexts.get(text);
  if (known !== undefined) return known;
  if (statementTexts.size >= 5_000) statementTexts.clear();
  statementTexts.set(text, text);
  return text;
}

/**
 * The page (and the exact total, carried on every row): one statement. Its
 * text starts with a tag of the role (a hash, never the name: names are not
 * SQL), so each role gets prepared statements of its own: PostgreSQL
 * re-plans a cached plan under row-level security whenever the role differs
 * from the one it was planned for, and pooled connections serve every role.
 */
export function compileView(planned: PlannedView, spec: ViewSpec, role: string): CompiledView {
  const page = (count: boolean): SqlStatement => {
    const st = liveStatement(planned.plan, planned.keyColumns, count);
    return { text: intern(`/* ${roleTag(role)} */ ${st.text}`), values: st.values };
  };
  const uncounted = page(false);
  const node = planned.plan.node;
  return {
    rootOid: node.source.relation?.oid ?? null,
    keyColumns: planned.keyColumns,
    dependsOn: planned.dependsOn,
    counted: spec.count === 'exact' ? page(true) : uncounted,
    uncounted,
    countPlan: spec.count === 'estimated' || (spec.count === 'exact' && (node.offset > 0 || node.limit === 0)) ? planned.plan : null,
  };
}

const roleTags = new Map<string, string>();
function roleTag(role: string): string {
  let tag = roleTags.get(role);
  if (tag === undefined) {
    tag = 'r' + createHash('sha1').update(role).digest('hex').slice(0, 12);
    if (roleTags.size > 10_000) roleTags.clear();
    roleTags.set(role, tag);
  }
  return tag;
}

type PageRow = { k: string | null; j: string; total: string | null };

async function finish(sql: Sql, view: CompiledView, spec: ViewSpec, ctx: RoleContext, list: readonly PageRow[], keepTotal?: number | null): Promise<Evaluation> {
  const texts = list.map((r) => r.j);
  // keys as JSON.stringify writes them (json_build_array::text puts spaces after commas): the
  // form change payloads decode to, so a held key is found by a plain lookup
  const keys = view.keyColumns.length > 0 ? list.map((r) => normalKey(r.k!)) : contentKeys(texts);
  let total: number | null = null;
  if (keepTotal !== undefined) total = keepTotal;
  else if (spec.count === 'exact' && list.length > 0) total = Number(list[0]!.total);
  else if (spec.count !== 'none') {
    // an empty window carries no total: none matched, unless the window starts past the first
    // page; estimated counts need the planner first
    const plan = view.countPlan;
    total = plan === null ? 0 : await withRole(sql, ctx, (tx) => countRows(tx, plan, spec.count as 'exact' | 'estimated'), { readOnly: true });
  }
  return { keys, texts, total };
}

/** One view (see evaluateViews); its error is thrown. */
export async function evaluateView(
  sql: Sql,
  view: CompiledView,
  spec: ViewSpec,
  principal: CallerPrincipal,
  statementTimeoutMs: number,
): Promise<Evaluation> {
  const [ev] = await evaluateViews(sql, [{ view, spec, principal }], statementTimeoutMs);
  if ('error' in ev!) throw ev.error;
  return ev!;
}

export interface BatchItem {
  readonly view: CompiledView;
  readonly spec: ViewSpec;
  readonly principal: CallerPrincipal;
  /** a total known to stand (no change since it was counted can move a row in or out): not counted again */
  readonly keepTotal?: number | null;
}

/**
 * Evaluates several views in one round trip on one connection (see
 * runBatchAsRoles), each in its own read-only transaction under its own role
 * and claims; one view's error (a revoked grant, a timeout) is its own. The
 * result holds an Evaluation or the error per view, in order.
 */
export async function evaluateViews(
  sql: Sql,
  items: readonly BatchItem[],
  statementTimeoutMs: number,
  /** called with each view's result as soon as it is known, before the whole batch is */
  onResult?: (index: number, result: Evaluation | { error: unknown }) => void,
): Promise<(Evaluation | { error: unknown })[]> {
  const ctxs = items.map((it) => contextOf(it.principal, statementTimeoutMs));
  const finishing: Promise<Evaluation | { error: unknown }>[] = new Array(items.length);
  const settle = (i: number, r: RoleBatchResult): void => {
    const it = items[i]!;
    const p: Promise<Evaluation | { error: unknown }> =
      'error' in r
        ? Promise.resolve(r)
        : finish(sql, it.view, it.spec, ctxs[i]!, (r.rows[0] ?? []) as unknown as PageRow[], it.keepTotal).catch((error: unknown) => ({ error }));
    finishing[i] = onResult ? p.then((ev) => (onResult(i, ev), ev)) : p;
  };
  await runBatchAsRoles(
    sql,
    items.map((it, i) => ({ ctx: ctxs[i]!, readOnly: true, statements: [it.keepTotal === undefined ? it.view.counted : it.view.uncounted] })),
    settle,
  ).catch((error: unknown) => {
    items.forEach((_, i) => {
      if (finishing[i] === undefined) settle(i, { error });
    });
  });
  return Promise.all(finishing);
}
