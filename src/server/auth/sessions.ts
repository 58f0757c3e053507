/**
 * Browser sessions: a random 32-byte token in an HttpOnly cookie; the database
 * keeps only its sha256. A session ends at the first of: idle expiry
 * (last_seen_at + idleMs), absolute expiry (expires_at), revocation (logout,
 * user disabled, password changed).
 */
import { randomSecret, sha256 } from './secrets.js';
import type { Db } from './roles.js';
import { rowToUser, userColumns, type Clock, type User, type UserRow } from './users.js';

/** last_seen_at is written at most this often, not on every request */
export const TOUCH_INTERVAL_MS = 60_000;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export interface Session {
  /** sha256 of the token, hex */
  readonly tokenHash: string;
  readonly userId: string;
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
  readonly expiresAt: Date;
}

export interface CreateSessionOptions {
  absoluteMs: number;
  now?: Clock;
  userAgent?: string | null;
  ip?: string | null;
}

export interface ValidateSessionOptions {
  idleMs: number;
  now?: Clock;
}

export async function createSession(
  db: Db,
  userId: string,
  opts: CreateSessionOptions,
): Promise<{ token: string; session: Session }> {
  const token = randomSecret(32);
  const hash = sha256(token);
  const now = (opts.now ?? Date.now)();
  const at = new Date(now);
  const expiresAt = new Date(now + opts.absoluteMs);
  // a login is a good moment to drop this user's dead sessions, so the table doesn't grow forever
  await db`delete from pglive.sessions
           where user_id = ${userId} and (revoked_at is not null or expires_at <= ${at})`;
  await db`insert into pglive.sessions (token_hash, user_id, created_at, last_seen_at, expires_at, user_agent, ip)
           values (${hash}, ${userId}, ${at}, ${at}, ${expiresAt},
                   ${opts.userAgent?.slice(0, 512) ?? null}, ${opts.ip ?? null})`;
  return {
    token,
    session: { tokenHash: hash.toString('hex'), userId, createdAt: at, lastSeenAt: at, expiresAt },
  };
}

interface SessionJoinRow extends UserRow {
  s_created_at: Date;
  s_last_seen_at: Date;
  s_expires_at: Date;
  s_revoked_at: Date | null;
}

/** The session's user, or null when the token is unknown, expired, revoked, or its user may no longer log in. */
export async function validateSession(
  db: Db,
  token: string,
  opts: ValidateSessionOptions,
): Promise<{ user: User; session: Session } | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const hash = sha256(token);
  const rows = await db.unsafe<SessionJoinRow[]>(
    `select ${userColumns('u')},
            s.created_at as s_created_at, s.last_seen_at as s_last_seen_at,
            s.expires_at as s_expires_at, s.revoked_at as s_revoked_at
     from pglive.sessions s join pglive.users u on u.id = s.user_id
     where s.token_hash = $1`,
    [hash],
  );
  const r = rows[0];
  if (!r) return null;
  const now = (opts.now ?? Date.now)();
  if (r.s_revoked_at !== null) return null;
  if (r.s_expires_at.getTime() <= now) return null;
  if (r.s_last_seen_at.getTime() + opts.idleMs <= now) return null;
  if (r.disabled) return null;
  // a password change ends older sessions even if they escaped revocation (e.g. changed in SQL)
  if (r.password_changed_at.getTime() > r.s_created_at.getTime()) return null;

  let lastSeenAt = r.s_last_seen_at;
  if (now - lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
    lastSeenAt = new Date(now);
    await db`update pglive.sessions set last_seen_at = ${lastSeenAt}
             where token_hash = ${hash} and last_seen_at < ${lastSeenAt}`;
  }
  return {
    user: rowToUser(r),
    session: {
      tokenHash: hash.toString('hex'),
      userId: r.id,
      createdAt: r.s_created_at,
      lastSeenAt,
      expiresAt: r.s_expires_at,
    },
  };
}

export async function revokeSession(db: Db, token: string, now: Clock = Date.now): Promise<void> {
  await revokeSessionByHash(db, sha256(token).toString('hex'), now);
}

export async function revokeSessionByHash(db: Db, tokenHashHex: string, now: Clock = Date.now): Promise<void> {
  await db`update pglive.sessions set revoked_at = ${new Date(now())}
           where token_hash = ${Buffer.from(tokenHashHex, 'hex')} and revoked_at is null`;
}

export async function revokeUserSessions(db: Db, userId: string, now: Clock = Date.now): Promise<number> {
  const rows = await db`update pglive.sessions set revoked_at = ${new Date(now())}
                        where user_id = ${userId} and revoked_at is null returning 1`;
  return rows.length;
}
