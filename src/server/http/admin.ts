/** Admin-only operational routes, and the unauthenticated health check. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SchemaStore } from '../catalog/store.js';
import { PgliveError } from '../errors.js';
import type { CallerPrincipal } from './rest.js';

export interface AdminDeps {
  readonly schema: SchemaStore;
  readonly principal: (req: FastifyRequest) => Promise<CallerPrincipal>;
}

export function registerAdmin(app: FastifyInstance, deps: AdminDeps): void {
  app.get('/healthz', async () => ({ ok: true, schemaLoadedAt: deps.schema.current.loadedAt }));

  app.post('/admin/reload-schema', async (req) => {
    const p = await deps.principal(req);
    if (!p.isAdmin) throw new PgliveError('PGLIVE204', 'Reloading the schema cache requires an admin');
    const cache = await deps.schema.reload();
    return {
      loadedAt: cache.loadedAt,
      relations: cache.relations.length,
      functions: cache.functions.length,
    };
  });
}
