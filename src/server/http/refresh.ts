/**
 * POST /meta/refresh/:schema/:relation — REFRESH MATERIALIZED VIEW, as the
 * caller's role. Glue only: authenticate → find the relation → run as the
 * role → respond. PostgreSQL decides who may refresh (the owner's privileges,
 * or MAINTAIN from PostgreSQL 17): a role without them gets its 42501 as a
 * 403. /meta/schema tells the web app in advance (privileges.refresh).
 *
 * The refresh is a data change like any other for live views: the DDL event
 * trigger reports it and every live view over the materialized view is
 * evaluated again (docs/change-capture.md). The route sends the same notice
 * itself, in the refreshing transaction, so live views follow where pglive
 * could not install the event trigger; PostgreSQL sends a transaction's
 * identical notices once.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { SchemaStore } from '../catalog/store.js';
import type { Config } from '../config/types.js';
import type { Sql } from '../db/pool.js';
import { runAsRole } from '../db/tx.js';
import { PgliveError } from '../errors.js';
import { visibleRelation } from '../prefs/routes.js';
import { quoteQualified } from '../sql/ident.js';
import { CHANGES_CHANNEL } from '../live/capture/sql.js';
import { markAuthenticated } from './errors.js';
import type { CallerPrincipal } from './rest.js';

export interface RefreshDeps {
  readonly config: Config;
  readonly sql: Sql;
  readonly schema: SchemaStore;
  readonly principal: (req: FastifyRequest) => Promise<CallerPrincipal>;
}

/** the optional body: CONCURRENTLY keeps the view readable meanwhile (needs a unique index) */
const RefreshBody = z.strictObject({ concurrently: z.boolean().optional() });

export interface RefreshResult {
  readonly schema: string;
  readonly relation: string;
  readonly concurrently: boolean;
  /** how long the REFRESH took, in milliseconds */
  readonly ms: number;
}

/** SQLSTATE 55000: CONCURRENTLY without a usable unique index, or on a view never populated */
const NOT_IN_PREREQUISITE_STATE = '55000';

export function registerRefresh(app: FastifyInstance, deps: RefreshDeps): void {
  app.post<{ Params: { schema: string; relation: string } }>('/meta/refresh/:schema/:relation', async (req): Promise<RefreshResult> => {
    const principal = await deps.principal(req);
    markAuthenticated(req, principal.kind !== 'anonymous');
    const body = RefreshBody.safeParse(req.body ?? {});
    if (!body.success) {
      throw new PgliveError('PGRST102', 'Invalid refresh request', {
        details: body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
        hint: 'Send no body, or {"concurrently": true}',
      });
    }
    const { schema, relation } = req.params;
    const rel = visibleRelation(deps.schema.current, principal.role, schema, relation);
    if (rel.kind !== 'materialized_view') {
      throw new PgliveError('PGLIVE109', `"${schema}.${relation}" is a ${rel.kind.replace('_', ' ')}, not a materialized view`);
    }
    const concurrently = body.data.concurrently ?? false;
    const text = `refresh materialized view ${concurrently ? 'concurrently ' : ''}${quoteQualified(rel.schema, rel.name)}`;
    const started = performance.now();
    try {
      await runAsRole(
        deps.sql,
        {
          role: principal.role,
          claims: principal.claims,
          userId: principal.userId,
          statementTimeoutMs: deps.config.statementTimeoutMs,
          method: req.method,
          path: req.url,
        },
        [
          { text, values: [] },
          // the event trigger's notice, word for word (decode.ts reads it)
          { text: `select pg_notify($1, '{"r":' || $2::bigint || ',"o":"R","x":"' || txid_current() || '"}')`, values: [CHANGES_CHANNEL, rel.oid] },
        ],
      );
    } catch (e) {
      if (concurrently && (e as { code?: unknown })?.code === NOT_IN_PREREQUISITE_STATE) {
        // PostgreSQL's hint says what is missing (a unique index, or a first plain refresh)
        const pgHint = (e as { hint?: unknown }).hint;
        throw new PgliveError('PGLIVE110', `Cannot refresh "${schema}.${relation}" concurrently`, {
          details: (e as Error).message,
          hint: typeof pgHint === 'string' && pgHint !== '' ? pgHint : 'Refresh it without "concurrently"',
        });
      }
      throw e;
    }
    return { schema: rel.schema, relation: rel.name, concurrently, ms: Math.round((performance.now() - started) * 10) / 10 };
  });
}
