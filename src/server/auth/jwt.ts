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

export async function verifyJwt(token: string, secret: string | null, now: Clock = Date.now): Promise<VerifiedJwt> {
  if (!secret) {
    throw new PgliveError('PGRST301', 'JWT authentication is not enabled on this server', {
      hint: 'Set PGLIVE_JWT_SECRET (at least 32 characters) to accept Bearer JWTs.',
    });
  }
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
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
