/**
 * HTTP to the pglive server (same origin; the session cookie is HttpOnly, so
 * every call sends credentials and never sees the token). Errors come back in
 * the server's catalogue shape { code, message, details, hint } as ApiError.
 */

export interface ErrorBody {
  code: string;
  message: string;
  details?: string | null;
  hint?: string | null;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: string | null = null,
    readonly hint: string | null = null,
  ) {
    super(message);
  }
}

type UnauthorizedListener = () => void;
const unauthorizedListeners = new Set<UnauthorizedListener>();

/** Called when any request answers 401: the session ended (expired, revoked, logged out elsewhere). */
export function onUnauthorized(fn: UnauthorizedListener): () => void {
  unauthorizedListeners.add(fn);
  return () => unauthorizedListeners.delete(fn);
}

async function errorOf(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as Partial<ErrorBody>;
    if (typeof body.message === 'string')
      return new ApiError(res.status, String(body.code ?? res.status), body.message, body.details ?? null, body.hint ?? null);
  } catch {
    // not JSON: a proxy's error page, say
  }
  return new ApiError(res.status, String(res.status), text.trim().slice(0, 300) || `${res.status} ${res.statusText}`);
}

/** fetch with the session cookie; throws ApiError for non-2xx answers and for network failures */
export async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(path, { credentials: 'same-origin', ...init });
  } catch (err) {
    throw new ApiError(0, 'network', `Cannot reach the server (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!res.ok) {
    const e = await errorOf(res);
    if (res.status === 401) for (const fn of unauthorizedListeners) fn();
    throw e;
  }
  return res;
}

export async function getJson<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await apiFetch(path, { ...init, headers: { Accept: 'application/json', ...init.headers } });
  return (await res.json()) as T;
}

export async function sendJson<T>(method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<T | null> {
  // no Content-Type without a body: Fastify refuses an empty JSON body
  const res = await apiFetch(path, {
    method,
    headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), Accept: 'application/json', ...headers },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  return text ? (JSON.parse(text) as T) : null;
}

/** /api/<name> for a relation; the schema travels in Accept-Profile / Content-Profile */
export function restPath(name: string, query = ''): string {
  return `/api/${encodeURIComponent(name)}${query ? `?${query}` : ''}`;
}

export function profileHeaders(schema: string, write = false): Record<string, string> {
  return write ? { 'Content-Profile': schema } : { 'Accept-Profile': schema };
}

/** the total of a Content-Range header ("0-49/1234" → 1234; "*" → null) */
export function totalOfContentRange(header: string | null): number | null {
  const m = header?.match(/\/(\d+)$/);
  return m ? Number(m[1]) : null;
}
