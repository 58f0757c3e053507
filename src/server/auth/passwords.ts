/**
 * Password hashing (argon2id, OWASP's baseline parameters) and the password policy.
 */
import { hash, verify } from '@node-rs/argon2';
import { PgliveError } from '../errors.js';
import { randomSecret } from './secrets.js';

// argon2id is @node-rs/argon2's default algorithm; its enum is an ambient
// const enum that isolatedModules cannot reference, so it is not named here.
const PARAMS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN = 8;
/** bounds the work an attacker can make argon2 do per request */
export const PASSWORD_MAX = 1024;

/** Throws PGLIVE207 when the password does not satisfy the policy. */
export function checkPasswordPolicy(password: string): void {
  if (typeof password !== 'string' || [...password].length < PASSWORD_MIN) {
    throw new PgliveError('PGLIVE207', `password: must be at least ${PASSWORD_MIN} characters long`);
  }
  if (password.length > PASSWORD_MAX) {
    throw new PgliveError('PGLIVE207', `password: must be at most ${PASSWORD_MAX} characters long`);
  }
}

export async function hashPassword(password: string): Promise<string> {
  return hash(password, PARAMS);
}

/** false for a wrong password and for a malformed stored hash (never throws for those). */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | null = null;

/**
 * Spends the same time as a real verification, for logins with an unknown
 * e-mail: otherwise the response time tells which e-mails have accounts.
 */
export async function dummyVerify(password: string): Promise<false> {
  dummyHash ??= hash(randomSecret(16), PARAMS);
  await verifyPassword(await dummyHash, password);
  return false;
}

/** A strong random password (144 bits) for the first admin account. */
export function generatePassword(): string {
  return randomSecret(18);
}
