/**
 * /meta/prefs — column preferences in three layers (global / role / user),
 * /meta/views — saved views, /meta/constraints — check constraints of a
 * relation (name → columns, so the web app can put a 23514 error on the right
 * field). Glue only: authenticate → validate → store → respond.
 *
 * Who may write which layer: global and role layers need an admin (any role's
 * layer via ?role=); the user layer is the caller's own and needs a pglive
 * user (JWT and anonymous callers can read the shared layers only).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { SchemaStore } from '../catalog/store.js';
import type { Relation, SchemaCache } from '../catalog/types.js';
import type { Sql } from '../db/pool.js';
import { PgliveError } from '../errors.js';
import type { CallerPrincipal } from '../http/rest.js';
import {
  mergeLayers,
  PREF_LAYERS,
  RelationPrefs,
  SavedViewInput,
  SavedViewPatch,
  type PrefLayer,
  type PrefsResponse,
} from '../../protocol/prefs.js';
import { deleteLayer, readLayers, writeLayer } from './store.js';
import { createView, deleteView, getView, listViews, updateView } from './views.js';

export interface PrefsDeps {
  readonly sql: Sql;
  readonly schema: SchemaStore;
  readonly principal: (req: FastifyRequest) => Promise<CallerPrincipal>;
}

type RelParams = { schema: string; relation: string };
type LayerParams = RelParams & { layer: string };

const RoleQuery = z.object({ role: z.string().min(1).max(63).optional() });
const ViewListQuery = z.object({ schema: z.string().max(63).optional(), relation: z.string().max(63).optional() });
const Uuid = z.uuid();

/** zod issues → one readable PGRST102 */
function invalidBody(error: z.ZodError, what: string): PgliveError {
  const details = error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
  return new PgliveError('PGRST102', `Invalid ${what}`, { details });
}

/** the relation if it exists in the exposed schemas and the role can read it (same rule as /meta/schema) */
export function visibleRelation(cache: SchemaCache, role: string, schema: string, name: string): Relation {
  const r = cache.relations.find((x) => x.schema === schema && x.name === name);
  const known = cache.roles.includes(role);
  if (!r || (known && (r.privileges[role]?.select.length ?? 0) === 0)) {
    throw new PgliveError('PGRST205', `Relation "${schema}.${name}" not found`, {
      hint: 'Use a table or view listed by /meta/schema',
    });
  }
  return r;
}

function parseLayer(s: string): PrefLayer {
  if (!(PREF_LAYERS as readonly string[]).includes(s)) {
    throw new PgliveError('PGLIVE105', `Unknown preferences layer "${s}"`, { hint: 'Use global, role or user' });
  }
  return s as PrefLayer;
}

/** the owner of `layer` the caller may write, or a 403 */
function writableOwner(p: CallerPrincipal, layer: PrefLayer, query: unknown): string {
  const q = RoleQuery.safeParse(query);
  if (!q.success) throw new PgliveError('PGRST100', 'Invalid role parameter');
  switch (layer) {
    case 'global':
      if (!p.isAdmin) throw new PgliveError('PGLIVE204', 'Changing the default (global) column settings requires an admin');
      return '';
    case 'role':
      if (!p.isAdmin) throw new PgliveError('PGLIVE204', 'Changing column settings for a role requires an admin');
      return q.data.role ?? p.role;
    case 'user':
      if (p.userId === null) {
        // TODO(catalogue): a dedicated code ("a pglive user account is required") would fit better
        throw new PgliveError('PGLIVE204', 'Personal column settings need a pglive user account', {
          hint: 'Log in with a pglive user; JWT and anonymous callers can only read the shared layers',
        });
      }
      return p.userId;
  }
}

function requireUser(p: CallerPrincipal): { userId: string; isAdmin: boolean } {
  if (p.userId === null) {
    throw new PgliveError('PGLIVE204', 'Saved views need a pglive user account', { hint: 'Log in with a pglive user' });
  }
  return { userId: p.userId, isAdmin: p.isAdmin };
}

function viewNotFound(id: string): PgliveError {
  // TODO(catalogue): a dedicated "saved view not found" code
  return new PgliveError('PGLIVE105', `Saved view ${id} not found`);
}

export function registerPrefs(app: FastifyInstance, deps: PrefsDeps): void {
  const { sql } = deps;

  async function callerAndRelation(req: FastifyRequest<{ Params: RelParams }>): Promise<{ p: CallerPrincipal; rel: Relation }> {
    const p = await deps.principal(req);
    return { p, rel: visibleRelation(deps.schema.current, p.role, req.params.schema, req.params.relation) };
  }

  /** every column named in the settings must exist (prefs of a typo would silently do nothing) */
  function checkColumns(rel: Relation, prefs: RelationPrefs): void {
    const names = new Set(rel.columns.map((c) => c.name));
    const unknown = Object.keys(prefs.columns).filter((c) => !names.has(c));
    if (unknown.length > 0) {
      throw new PgliveError('PGRST204', `Column(s) ${unknown.map((c) => `"${c}"`).join(', ')} not found in "${rel.schema}.${rel.name}"`);
    }
  }

  app.get<{ Params: RelParams; Querystring: { role?: string } }>('/meta/prefs/:schema/:relation', async (req, reply) => {
    const { p, rel } = await callerAndRelation(req);
    const q = RoleQuery.safeParse(req.query);
    if (!q.success) throw new PgliveError('PGRST100', 'Invalid role parameter');
    // only admins may look at another role's layer
    const role = p.isAdmin && q.data.role ? q.data.role : p.role;
    const layers = await readLayers(sql, { schema: rel.schema, relation: rel.name }, { role, userId: p.userId });
    reply.header('Cache-Control', 'no-store');
    const body: PrefsResponse = {
      merged: mergeLayers(layers),
      layers,
      role,
      canAdmin: p.isAdmin,
      canPersonal: p.userId !== null,
    };
    return body;
  });

  app.put<{ Params: LayerParams }>('/meta/prefs/:schema/:relation/:layer', async (req) => {
    const { p, rel } = await callerAndRelation(req);
    const layer = parseLayer(req.params.layer);
    const owner = writableOwner(p, layer, req.query);
    const body = RelationPrefs.safeParse(req.body);
    if (!body.success) throw invalidBody(body.error, 'column settings');
    checkColumns(rel, body.data);
    await writeLayer(sql, { schema: rel.schema, relation: rel.name }, layer, owner, body.data, p.userId);
    return { layer, owner, settings: body.data };
  });

  app.delete<{ Params: LayerParams }>('/meta/prefs/:schema/:relation/:layer', async (req, reply) => {
    const { p, rel } = await callerAndRelation(req);
    const layer = parseLayer(req.params.layer);
    const owner = writableOwner(p, layer, req.query);
    await deleteLayer(sql, { schema: rel.schema, relation: rel.name }, layer, owner);
    return reply.code(204).send();
  });

  app.get<{ Params: RelParams }>('/meta/constraints/:schema/:relation', async (req, reply) => {
    const { rel } = await callerAndRelation(req);
    reply.header('Cache-Control', 'no-store');
    return { checks: rel.checks.map((c) => ({ name: c.name, columns: c.columns, definition: c.definition })) };
  });

  // ------------------------------------------------------------ saved views

  app.get('/meta/views', async (req) => {
    const p = await deps.principal(req);
    const q = ViewListQuery.safeParse(req.query);
    if (!q.success) throw new PgliveError('PGRST100', 'Invalid schema or relation parameter');
    const cache = deps.schema.current;
    const views = await listViews(sql, { userId: p.userId, isAdmin: p.isAdmin }, q.data);
    // a shared view of a relation the caller cannot read is not theirs to see
    return views.filter((v) => {
      try {
        visibleRelation(cache, p.role, v.schema, v.relation);
        return true;
      } catch {
        return false;
      }
    });
  });

  app.get<{ Params: { id: string } }>('/meta/views/:id', async (req) => {
    const p = await deps.principal(req);
    if (!Uuid.safeParse(req.params.id).success) throw viewNotFound(req.params.id);
    const v = await getView(sql, { userId: p.userId, isAdmin: p.isAdmin }, req.params.id);
    if (!v) throw viewNotFound(req.params.id);
    visibleRelation(deps.schema.current, p.role, v.schema, v.relation);
    return v;
  });

  app.post('/meta/views', async (req, reply) => {
    const p = await deps.principal(req);
    const caller = requireUser(p);
    const body = SavedViewInput.safeParse(req.body);
    if (!body.success) throw invalidBody(body.error, 'saved view');
    const rel = visibleRelation(deps.schema.current, p.role, body.data.schema, body.data.relation);
    if (body.data.columns) checkColumns(rel, body.data.columns);
    const v = await createView(sql, caller, { ...body.data, columns: body.data.columns ?? null });
    return reply.code(201).send(v);
  });

  app.patch<{ Params: { id: string } }>('/meta/views/:id', async (req) => {
    const p = await deps.principal(req);
    const caller = requireUser(p);
    if (!Uuid.safeParse(req.params.id).success) throw viewNotFound(req.params.id);
    const body = SavedViewPatch.safeParse(req.body);
    if (!body.success) throw invalidBody(body.error, 'saved view');
    const v = await updateView(sql, caller, req.params.id, body.data);
    if (!v) throw viewNotFound(req.params.id);
    return v;
  });

  app.delete<{ Params: { id: string } }>('/meta/views/:id', async (req, reply) => {
    const p = await deps.principal(req);
    const caller = requireUser(p);
    if (!Uuid.safeParse(req.params.id).success || !(await deleteView(sql, caller, req.params.id))) throw viewNotFound(req.params.id);
    return reply.code(204).send();
  });
}
