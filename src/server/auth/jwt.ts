/**
 * PostgREST-compatible Bearer JWTs: HS256 with the configured secret, a `role`
 * claim naming the database role, `exp` honoured. The payload becomes
 * request.jwt.claims as-is, so existing RLS policies keep working.
 */
import { errors, jwtVerify } from 'jose';
import { PgliveError } from '../errors.js';
import type { Clock } from './users.js';

/** like PostgREST: tolerate small clock differences between the issuer and us */
const CLOCK_SKEW_S = 30;

export interface VerifiedJwt {
  readonly role: string;
  readonly claims: Record<string, unknown>;
}

/**
 * Verified tokens, so a script sending the same JWT on every request pays the
 * signature check once (WebCrypto import + HMAC dominated the REST CPU profile).
 * Keyed by secret and token; an entry is used only while the token is unexpired
 * by our clock; bounded (oldest entries evicted first).
 */
const CACHE_MAX = 1000;
const verified = new Map<string, { jwt: VerifiedJwt; exp: number | null }>();
const keys = new Map<string, Uint8Array>();

function keyFor(secret: string): Uint8Array {
  let k = keys.get(secret);
  if (!k) {
    k = new TextEncoder().encode(secret);
    keys.clear();
    keys.set(secret, k);
  }
  return k;
}

export async function verifyJwt(token: string, secret: string | null, now: Clock = Date.now): Promise<VerifiedJwt> {
  if (!secret) {
    throw new PgliveError('PGRST301', 'JWT authentication is not enabled on this server', {
      hint: 'Set PGLIVE_JWT_SECRET (at least 32 characters) to accept Bearer JWTs.',
    });
  }
  const cacheKey = secret + '\u0000' + token;
  const hit = verified.get(cacheKey);
  if (hit && (hit.exp === null || now() / 1000 <= hit.exp + CLOCK_SKEW_S)) return hit.jwt;
  if (hit) verified.delete(cacheKey);
  const jwt = await verifyUncached(token, secret, now);
  const exp = typeof jwt.claims.exp === 'number' ? jwt.claims.exp : null;
  if (verified.size >= CACHE_MAX) verified.delete(verified.keys().next().value as string);
  verified.set(cacheKey, { jwt, exp });
  return jwt;
}

async function verifyUncached(token: string, secret: string, now: Clock): Promise<VerifiedJwt> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, keyFor(secret), {
      algorithms: ['HS256'],
      clockTolerance: CLOCK_SKEW_S,
      currentDate: new Date(now()),
    }));
  } catch (e) {
    if (e instanceof errors.JWTExpired) throw new PgliveError('PGRST303', 'JWT expired');
    // jose's messages name the failing check (signature, alg, claim) but never echo the token
    const reason = e instanceof errors.JOSEError ? e.message : 'malformed token';
    throw new PgliveError('PGRST301', `JWT invalid: ${reason}`);
  }
  const role = payload.role;
  if (typeof role !== 'string' || role === '') {
    throw new PgliveError('PGRST301', 'JWT invalid: the "role" claim is missing or not a string', {
      hint: 'Add a "role" claim naming the database role to run requests as.',
    });
  }
  return { role, claims: payload };
}
