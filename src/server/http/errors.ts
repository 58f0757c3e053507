/**
 * One error handler for every route: PgliveError → its catalogue status;
 * PostgreSQL errors keep their SQLSTATE (PostgREST's status table); Fastify's
 * own errors map to catalogue codes; anything else is a 500 with a request id
 * and nothing internal in the body.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDriverPgError } from '../db/pool.js';
import { PgliveError, isPgliveError, pgErrorStatus, type ErrorBody } from '../errors.js';

const AUTHENTICATED = Symbol('pglive.authenticated');

/** Remember whether the request carried credentials (42501 → 403) or not (→ 401). */
export function markAuthenticated(req: FastifyRequest, authenticated: boolean): void {
  (req as unknown as Record<symbol, boolean>)[AUTHENTICATED] = authenticated;
}

function isAuthenticated(req: FastifyRequest): boolean {
  return (req as unknown as Record<symbol, boolean | undefined>)[AUTHENTICATED] ?? false;
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', 'EPIPE']);

export function toPgliveError(err: unknown): PgliveError | null {
  if (isPgliveError(err)) return err;
  const fe = err as Partial<FastifyError> & { code?: string };
  switch (fe?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new PgliveError('PGLIVE103', 'Request body is larger than the configured limit', { hint: 'Raise --body-limit / PGLIVE_BODY_LIMIT, or send fewer rows per request' });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new PgliveError('PGRST107', `Unsupported Content-Type`, { hint: 'Use application/json, text/csv or application/x-www-form-urlencoded' });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new PgliveError('PGRST102', 'Empty JSON body');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new PgliveError('PGRST102', `Invalid JSON body: ${fe.message}`);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new PgliveError('PGRST102', 'Content-Length does not match the body');
  }
  if (fe && typeof fe.code === 'string' && CONNECTION_CODES.has(fe.code)) {
    return new PgliveError('PGLIVE501', 'The database is unavailable; retry shortly');
  }
  if (fe && (fe as { statusCode?: number }).statusCode === 400 && typeof fe.message === 'string' && fe.code?.startsWith('FST_')) {
    return new PgliveError('PGRST100', fe.message);
  }
  return null;
}

export function errorResponse(err: unknown, req: FastifyRequest): { status: number; body: ErrorBody; headers: Record<string, string> } {
  const known = toPgliveError(err);
  if (known) return { status: known.status, body: known.toBody(), headers: known.headers };
  if (isDriverPgError(err)) {
    return {
      status: pgErrorStatus(err.code, isAuthenticated(req)),
      body: { code: err.code, message: err.message, details: err.detail ?? null, hint: err.hint ?? null },
      headers: {},
    };
  }
  req.log.error({ err, reqId: req.id }, 'unhandled error');
  const internal = new PgliveError('PGLIVE500', `Internal error (request id ${req.id})`);
  return { status: 500, body: internal.toBody(), headers: {} };
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const { status, body, headers } = errorResponse(err, req);
    return reply.code(status).headers(headers).type('application/json; charset=utf-8').send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    const e = new PgliveError('PGLIVE105', `No route for ${req.method} ${req.url.split('?')[0]}`, { hint: 'The REST API lives under /api/, authentication under /auth/' });
    return reply.code(e.status).type('application/json; charset=utf-8').send(e.toBody());
  });
}
