import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy, dummyVerify, generatePassword, hashPassword, verifyPassword } from './passwords.js';

describe('passwords', () => {
  it('hashes with argon2id and verifies', async () => {
    const h = await hashPassword('correct horse');
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(h, 'correct horse')).toBe(true);
    expect(await verifyPassword(h, 'correct horsE')).toBe(false);
    expect(await hashPassword('correct horse')).not.toBe(h); // salted
  });

  it('treats a malformed stored hash as a mismatch', async () => {
    expect(await verifyPassword('not-a-hash', 'whatever')).toBe(false);
    expect(await dummyVerify('whatever')).toBe(false);
  });

  it('enforces the policy with PGLIVE207 without echoing the password', () => {
    expect(() => checkPasswordPolicy('1234567')).toThrow(expect.objectContaining({ code: 'PGLIVE207' }));
    expect(() => checkPasswordPolicy('1234567')).toThrow(/^password: /);
    expect(() => checkPasswordPolicy('x'.repeat(2000))).toThrow(/at most/);
    expect(() => checkPasswordPolicy('12345678')).not.toThrow();
  });

  it('generates strong passwords that pass the policy', () => {
    const a = generatePassword();
    expect(a).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(a).not.toBe(generatePassword());
    expect(() => checkPasswordPolicy(a)).not.toThrow();
  });
});
