/**
 * Request bodies of the /auth routes. Bad input is PGLIVE207 with a message
 * naming the field, so forms can show it next to the right input.
 */
import { z } from 'zod';
import { PgliveError } from '../errors.js';
import { PASSWORD_MAX } from './passwords.js';

const role = z.string().min(1).max(63); // NAMEDATALEN - 1
const displayName = z.string().max(200);

export const loginBody = z.object({
  email: z.string().max(320),
  password: z.string().max(PASSWORD_MAX),
});

export const createUserBody = z.strictObject({
  email: z.string().max(320),
  password: z.string(),
  displayName: displayName.optional(),
  dbRole: role,
  isAdmin: z.boolean().optional(),
});

export const patchUserBody = z.strictObject({
  displayName: displayName.optional(),
  dbRole: role.optional(),
  isAdmin: z.boolean().optional(),
  disabled: z.boolean().optional(),
  password: z.string().optional(),
});

export const createTokenBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
});

const id = z.guid();

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `${issue.keys.join(', ')}: unknown field`;
  const path = issue.path.map(String).join('.');
  return `${path === '' ? 'body' : path}: ${issue.message}`;
}

export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  const [first, ...rest] = r.error.issues.map(describe);
  throw new PgliveError('PGLIVE207', first ?? 'invalid request body', {
    details: rest.length > 0 ? rest.join('; ') : null,
  });
}

/** A uuid path parameter; anything else cannot name a user or token. */
export function parseId(value: unknown, what: 'User' | 'API token'): string {
  const r = id.safeParse(value);
  if (!r.success) throw new PgliveError('PGLIVE209', `${what} not found`);
  return r.data;
}
