/**
 * parseRequest: method + path + query string + headers + body → ApiRequest.
 *
 * Pure and schema-blind (PostgREST's ApiRequest stage): names are not checked
 * against the database here, plan/ does that. Every malformed input raises a
 * PgliveError naming the offending part; nothing else escapes.
 */
import { PgliveError } from '../errors.js';
import type { ApiRequest, HttpMethod, Resource } from './types.js';
import { parseBody } from './body.js';
import { show } from './cursor.js';
import { firstHeaderValue, headerValue, parseAccept, parseProfile, type RawHeaders } from './headers.js';
import { parsePrefer } from './prefer.js';
import { parseQuery } from './query.js';
import { intersect, parseRangeHeader, toOffsetLimit } from './range.js';

export interface RawRequest {
  /** any case */
  readonly method: string;
  /** the path after the API prefix, still percent-encoded: '/', '/films', '/rpc/add', '/Order%20Items' */
  readonly path: string;
  /** the raw query string without '?', not yet decoded */
  readonly query: string;
  /** lower-case header names */
  readonly headers: RawHeaders;
  /** the JSON-parsed body, a string (CSV, form, or raw JSON text), or undefined */
  readonly body: unknown;
}

export interface ParseOptions {
  /** deepest embed / logic-tree nesting; default 8 */
  readonly maxDepth?: number;
  /** most filter conditions in one request; default 200 */
  readonly maxConditions?: number;
}

const METHODS: ReadonlySet<string> = new Set<HttpMethod>(['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE']);

export function parseRequest(input: RawRequest, opts: ParseOptions = {}): ApiRequest {
  const maxDepth = opts.maxDepth ?? 8;
  const maxConditions = opts.maxConditions ?? 200;
  const headers: RawHeaders = input.headers ?? {};
  const method = parseMethod(input.method);
  const resource = parseResource(input.path);
  const q = parseQuery(typeof input.query === 'string' ? input.query : '', { method, resource, maxDepth, maxConditions });
  const prefer = parsePrefer(headerValue(headers, 'prefer'));
  const accept = parseAccept(headerValue(headers, 'accept'));
  const profile = parseProfile(headers, method);

  // PostgREST honours the Range header on reads only; limit/offset apply everywhere
  let root = q.rootRange;
  const rangeHeader = firstHeaderValue(headers, 'range');
  if ((method === 'GET' || method === 'HEAD') && rangeHeader !== undefined && rangeHeader.trim() !== '') {
    root = intersect(root, parseRangeHeader(rangeHeader));
  }

  const body = parseBody(input.body, {
    method,
    resource,
    contentType: firstHeaderValue(headers, 'content-type'),
    columns: q.columns,
    missing: prefer.missing,
  });

  return {
    method,
    resource,
    profile,
    select: q.select,
    conditions: q.conditions,
    order: q.order,
    ranges: [{ path: [], ...toOffsetLimit(root) }, ...q.embedRanges],
    columns: q.columns,
    onConflict: q.onConflict,
    prefer,
    accept,
    body,
    rpcParams: q.rpcParams,
  };
}

function parseMethod(raw: string): HttpMethod {
  const method = String(raw).toUpperCase();
  if (!METHODS.has(method)) {
    throw new PgliveError('PGRST101', `Method ${show(String(raw))} is not supported`, {
      hint: 'Use GET, HEAD, POST, PATCH, PUT or DELETE',
    });
  }
  return method as HttpMethod;
}

/** '/' → root, '/name' → relation, '/rpc/name' → function; segments are percent-decoded after splitting */
export function parseResource(rawPath: string): Resource {
  // like PostgREST, no trailing-slash tolerance: '/films/' is not '/films'
  const path = String(rawPath).replace(/^\//, '');
  if (path === '') return { type: 'root' };
  const segments = path.split('/').map(decodeSegment);
  if (segments.some((s) => s === '')) throw notFound(rawPath);
  if (segments.length === 1) return { type: 'relation', name: segments[0]! };
  if (segments.length === 2 && segments[0] === 'rpc') return { type: 'rpc', name: segments[1]! };
  throw notFound(rawPath);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new PgliveError('PGLIVE105', `Malformed percent-encoding in the path segment ${show(segment)}`);
  }
}

function notFound(path: string): PgliveError {
  return new PgliveError('PGLIVE105', `No route for ${show(path)}`, {
    hint: 'Paths are /<table or view>, /rpc/<function> or /',
  });
}
