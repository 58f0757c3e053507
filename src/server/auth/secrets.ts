/**
 * Random bearer secrets (session cookies, API tokens) and their stored form.
 * Only a sha256 of a secret is stored: the secrets carry 256 bits of entropy,
 * so a fast hash is enough (argon2 is for low-entropy passwords).
 */
import { createHash, randomBytes } from 'node:crypto';

export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}
