/**
 * Cross-site request forgery defence for cookie-authenticated writes.
 * SameSite=Lax already keeps the cookie off cross-site POSTs in current
 * browsers; checking Origin also covers older browsers and same-site (other
 * subdomain) attackers. Bearer requests carry no ambient credential: exempt.
 * checkOrigin is shared with the websocket upgrade (cross-site websocket hijacking).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { PgliveError } from '../errors.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isUnsafeMethod(method: string): boolean {
  return UNSAFE.has(method.toUpperCase());
}

export interface HeaderSource {
  readonly headers: IncomingHttpHeaders;
}

function parseOrigin(value: string): URL | null {
  if (value === 'null') return null; // opaque origin (sandboxed iframe, file://)
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : null;
  } catch {
    return null;
  }
}

function sameHost(origin: URL, hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  try {
    // reading Host under the origin's scheme drops a default port (:443 for https) like URL does
    return new URL(`${origin.protocol}//${hostHeader}`).host === origin.host;
  } catch {
    return false;
  }
}

/**
 * true when `origin` is the request's own origin (same host as the Host header)
 * or one of `allowed` (full origins such as https://admin.example.com).
 */
export function checkOrigin(origin: string | undefined | null, req: HeaderSource, allowed: readonly string[]): boolean {
  if (!origin) return false;
  const url = parseOrigin(origin);
  if (!url) return false;
  if (sameHost(url, req.headers.host)) return true;
  return allowed.some((a) => {
    const allowedUrl = parseOrigin(a);
    return allowedUrl !== null && allowedUrl.origin === url.origin;
  });
}

/** The request's Origin header, or failing that the origin of its Referer. */
export function requestOrigin(req: HeaderSource): string | null {
  const origin = req.headers.origin;
  if (typeof origin === 'string' && origin !== '') return origin;
  const referer = req.headers.referer;
  if (typeof referer === 'string' && referer !== '') {
    const u = parseOrigin(referer);
    return u ? u.origin : null;
  }
  return null;
}

/** Throws PGLIVE205 unless the request comes from an allowed origin. */
export function assertSameOrigin(req: HeaderSource, allowed: readonly string[]): void {
  const origin = requestOrigin(req);
  if (!checkOrigin(origin, req, allowed)) {
    throw new PgliveError(
      'PGLIVE205',
      origin ? `Cross-site request refused: origin ${origin} is not allowed` : 'Cross-site request refused: no Origin header',
      { hint: 'Send the request from the pglive origin, add the origin to allowedOrigins, or authenticate with a Bearer token.' },
    );
  }
}
