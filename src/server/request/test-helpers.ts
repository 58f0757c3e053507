/** Shared helpers for the request parser's tests (not used by production code). */
import { isPgliveError, type PgliveError } from '../errors.js';
import { parseRequest, type RawRequest, type ParseOptions } from './parse.js';
import type { ApiRequest } from './types.js';

export function req(partial: Partial<RawRequest> = {}, opts?: ParseOptions): ApiRequest {
  return parseRequest({ method: 'GET', path: '/t', query: '', headers: {}, body: undefined, ...partial }, opts);
}

/** GET /t?<query> */
export function get(query: string, opts?: ParseOptions): ApiRequest {
  return req({ query }, opts);
}

/** the PgliveError thrown by fn; fails the test if fn returns or throws anything else */
export function thrown(fn: () => unknown): PgliveError {
  try {
    fn();
  } catch (e) {
    if (isPgliveError(e)) return e;
    throw new Error(`expected a PgliveError, got ${String(e)}`);
  }
  throw new Error('expected a PgliveError, but nothing was thrown');
}
