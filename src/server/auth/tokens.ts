/**
 * Long-lived API tokens for scripts and services: `pglive_<43 base64url chars>`,
 * sent as `Authorization: Bearer pglive_…`. The prefix tells them apart from
 * JWTs and makes leaked tokens easy to find with secret scanners. Only the
 * sha256 is stored; the token is shown once, at creation.
 */
import { isDriverPgError } from '../db/pool.js';
import { PgliveError } from '../errors.js';
import { randomSecret, sha256 } from './secrets.js';
import type { Db } from './roles.js';
import { rowToUser, userColumns, type Clock, type User, type UserRow } from './users.js';
import { TOUCH_INTERVAL_MS } from './sessions.js';

export const TOKEN_PREFIX = 'pglive_';
const TOKEN_SHAPE = /^pglive_[A-Za-z0-9_-]{43}$/;

export interface ApiToken {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
}

interface TokenRow {
  id: string;
  user_id: string;
  name: string;
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}

const TOKEN_COLUMNS = 'id, user_id, name, created_at, last_used_at, expires_at, revoked_at';

function rowToToken(r: TokenRow): ApiToken {
  return {
    id: r.id,
    userId: r.user_id,
    name: r.name,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
  };
}

export function isApiToken(bearer: string): boolean {
  return bearer.startsWith(TOKEN_PREFIX);
}

/** Creates a token for a user; `token` is returned this once and never stored. */
export async function createApiToken(
  db: Db,
  userId: string,
  name: string,
  expiresAt: Date | null = null,
  now: Clock = Date.now,
): Promise<{ id: string; token: string; apiToken: ApiToken }> {
  const token = TOKEN_PREFIX + randomSecret(32);
  try {
    const rows = await db.unsafe<TokenRow[]>(
      `insert into pglive.api_tokens (token_hash, user_id, name, created_at, expires_at)
       values ($1, $2, $3, $4, $5) returning ${TOKEN_COLUMNS}`,
      [sha256(token), userId, name, new Date(now()), expiresAt],
    );
    const t = rowToToken(rows[0]!);
    return { id: t.id, token, apiToken: t };
  } catch (e) {
    if (isDriverPgError(e) && e.code === '23503') throw new PgliveError('PGLIVE209', 'User not found');
    throw e;
  }
}

export async function listApiTokens(db: Db, userId: string): Promise<ApiToken[]> {
  const rows = await db.unsafe<TokenRow[]>(
    `select ${TOKEN_COLUMNS} from pglive.api_tokens where user_id = $1 order by created_at, id`,
    [userId],
  );
  return rows.map(rowToToken);
}

/** Revokes a token (kept for the audit trail). Throws PGLIVE209 when unknown or already revoked. */
export async function revokeApiToken(db: Db, id: string, now: Clock = Date.now): Promise<void> {
  const rows = await db`update pglive.api_tokens set revoked_at = ${new Date(now())}
                        where id = ${id} and revoked_at is null returning id`;
  if (rows.length === 0) throw new PgliveError('PGLIVE209', 'API token not found or already revoked');
}

function invalid(): PgliveError {
  // one message for every cause, like the login: don't tell a token thief which tokens exist
  return new PgliveError('PGLIVE206', 'API token invalid, expired or revoked', {
    hint: 'Ask an admin for a new token.',
  });
}

/** The token's user; throws PGLIVE206 when unknown, revoked, expired, or the user is disabled. */
export async function validateApiToken(
  db: Db,
  token: string,
  now: Clock = Date.now,
): Promise<{ user: User; token: ApiToken }> {
  if (!TOKEN_SHAPE.test(token)) throw invalid();
  const hash = sha256(token);
  const rows = await db.unsafe<(UserRow & { t_id: string; t_name: string; t_created_at: Date; t_last_used_at: Date | null; t_expires_at: Date | null; t_revoked_at: Date | null })[]>(
    `select ${userColumns('u')},
            t.id as t_id, t.name as t_name, t.created_at as t_created_at, t.last_used_at as t_last_used_at,
            t.expires_at as t_expires_at, t.revoked_at as t_revoked_at
     from pglive.api_tokens t join pglive.users u on u.id = t.user_id
     where t.token_hash = $1`,
    [hash],
  );
  const r = rows[0];
  const at = now();
  if (!r || r.t_revoked_at !== null || r.disabled) throw invalid();
  if (r.t_expires_at !== null && r.t_expires_at.getTime() <= at) throw invalid();
  let lastUsedAt = r.t_last_used_at;
  if (lastUsedAt === null || at - lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) {
    lastUsedAt = new Date(at);
    await db`update pglive.api_tokens set last_used_at = ${lastUsedAt} where id = ${r.t_id}`;
  }
  return {
    user: rowToUser(r),
    token: {
      id: r.t_id,
      userId: r.id,
      name: r.t_name,
      createdAt: r.t_created_at,
      lastUsedAt,
      expiresAt: r.t_expires_at,
      revokedAt: null,
    },
  };
}
