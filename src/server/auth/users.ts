/**
 * pglive users: an e-mail + password login that maps to one PostgreSQL role.
 * Requests of a user run as that role (SET LOCAL ROLE), so what a user may
 * see or change is decided by GRANTs and RLS, not by pglive.
 */
import { z } from 'zod';
import type { Sql } from '../db/pool.js';
import { isDriverPgError } from '../db/pool.js';
import { PgliveError } from '../errors.js';
import { checkPasswordPolicy, generatePassword, hashPassword } from './passwords.js';
import { roleStatus, type Db } from './roles.js';

export type Clock = () => number;

export interface User {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly dbRole: string;
  readonly isAdmin: boolean;
  readonly disabled: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly passwordChangedAt: Date;
}

export interface UserRow {
  id: string;
  email: string;
  display_name: string;
  db_role: string;
  is_admin: boolean;
  disabled: boolean;
  created_at: Date;
  updated_at: Date;
  password_changed_at: Date;
}

const USER_COLUMN_NAMES = [
  'id', 'email', 'display_name', 'db_role', 'is_admin', 'disabled', 'created_at', 'updated_at', 'password_changed_at',
] as const;
export const USER_COLUMNS = USER_COLUMN_NAMES.join(', ');

/** the user columns qualified with a table alias, for joins */
export function userColumns(alias: string): string {
  return USER_COLUMN_NAMES.map((c) => `${alias}.${c}`).join(', ');
}

export function rowToUser(r: UserRow): User {
  return {
    id: r.id,
    email: r.email,
    displayName: r.display_name,
    dbRole: r.db_role,
    isAdmin: r.is_admin,
    disabled: r.disabled,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    passwordChangedAt: r.password_changed_at,
  };
}

export interface NewUser {
  email: string;
  password: string;
  displayName?: string;
  dbRole: string;
  isAdmin?: boolean;
}

export interface UserPatch {
  displayName?: string;
  dbRole?: string;
  isAdmin?: boolean;
  disabled?: boolean;
}

export interface ClockOpt {
  now?: Clock;
}

// the HTML5 form rule: accepts admin@localhost, which the stricter default refuses
const emailSchema = z.email({ pattern: z.regexes.html5Email }).max(320);
/** serialises changes that could leave the instance without an active admin */
const ADMIN_LOCK = 0x70676c6164n; // "pglad"

export function normaliseEmail(email: string): string {
  const e = typeof email === 'string' ? email.trim() : '';
  if (!emailSchema.safeParse(e).success) {
    throw new PgliveError('PGLIVE207', 'email: not a valid e-mail address');
  }
  return e;
}

/** Throws unless the server login role may SET ROLE to `role`. */
export async function assertAssumableRole(db: Db, role: string): Promise<void> {
  if (typeof role !== 'string' || role === '') throw new PgliveError('PGLIVE207', 'dbRole: required');
  const status = await roleStatus(db, role);
  if (status === 'missing') {
    throw new PgliveError('PGLIVE207', `dbRole: role "${role}" does not exist`, {
      hint: 'Create it first: CREATE ROLE … NOLOGIN, then GRANT it to the server login role.',
    });
  }
  if (status === 'not-member') {
    throw new PgliveError('PGLIVE210', `dbRole: the server cannot switch to role "${role}"`, {
      hint: `Run: GRANT "${role}" TO <the server's login role>`,
    });
  }
}

export async function createUser(db: Db, input: NewUser, opts: ClockOpt = {}): Promise<User> {
  const email = normaliseEmail(input.email);
  checkPasswordPolicy(input.password);
  await assertAssumableRole(db, input.dbRole);
  const hash = await hashPassword(input.password);
  const at = new Date((opts.now ?? Date.now)());
  try {
    const rows = await db.unsafe<UserRow[]>(
      `insert into pglive.users (email, password_hash, display_name, db_role, is_admin,
                                 created_at, updated_at, password_changed_at)
       values ($1, $2, $3, $4, $5, $6, $6, $6) returning ${USER_COLUMNS}`,
      [email, hash, input.displayName ?? '', input.dbRole, input.isAdmin ?? false, at],
    );
    return rowToUser(rows[0]!);
  } catch (e) {
    if (isDriverPgError(e) && e.code === '23505') {
      throw new PgliveError('PGLIVE208', `email: a user with this e-mail already exists`);
    }
    throw e;
  }
}

export async function listUsers(db: Db): Promise<User[]> {
  const rows = await db.unsafe<UserRow[]>(`select ${USER_COLUMNS} from pglive.users order by lower(email)`);
  return rows.map(rowToUser);
}

export async function getUser(db: Db, id: string): Promise<User | null> {
  const rows = await db.unsafe<UserRow[]>(`select ${USER_COLUMNS} from pglive.users where id = $1`, [id]);
  return rows[0] ? rowToUser(rows[0]) : null;
}

/** For login only: the user with their password hash. */
export async function findLogin(db: Db, email: string): Promise<{ user: User; passwordHash: string } | null> {
  const rows = await db.unsafe<(UserRow & { password_hash: string })[]>(
    `select ${USER_COLUMNS}, password_hash from pglive.users where lower(email) = lower($1)`,
    [email.trim()],
  );
  const r = rows[0];
  return r ? { user: rowToUser(r), passwordHash: r.password_hash } : null;
}

function notFound(): PgliveError {
  return new PgliveError('PGLIVE209', 'User not found');
}

async function countActiveAdmins(db: Db): Promise<number> {
  const rows = await db<{ n: number }[]>`select count(*)::int as n from pglive.users where is_admin and not disabled`;
  return rows[0]?.n ?? 0;
}

async function revokeAllSessions(db: Db, userId: string, at: Date): Promise<void> {
  await db`update pglive.sessions set revoked_at = ${at} where user_id = ${userId} and revoked_at is null`;
}

/**
 * Disabling a user revokes their sessions; their API tokens are refused while
 * the user is disabled (and work again if re-enabled). A change that would
 * leave no enabled admin is refused.
 */
export async function updateUser(sql: Sql, id: string, patch: UserPatch, opts: ClockOpt = {}): Promise<User> {
  const at = new Date((opts.now ?? Date.now)());
  return (await sql.begin(async (tx) => {
    await tx.unsafe('select pg_advisory_xact_lock($1)', [ADMIN_LOCK.toString()]);
    const before = await getUser(tx, id);
    if (!before) throw notFound();
    if (patch.dbRole !== undefined && patch.dbRole !== before.dbRole) await assertAssumableRole(tx, patch.dbRole);
    const rows = await tx.unsafe<UserRow[]>(
      `update pglive.users set
         display_name = coalesce($2, display_name), db_role = coalesce($3, db_role),
         is_admin = coalesce($4, is_admin), disabled = coalesce($5, disabled), updated_at = $6
       where id = $1 returning ${USER_COLUMNS}`,
      [id, patch.displayName ?? null, patch.dbRole ?? null, patch.isAdmin ?? null, patch.disabled ?? null, at],
    );
    const after = rowToUser(rows[0]!);
    if (before.isAdmin && !before.disabled && (!after.isAdmin || after.disabled) && (await countActiveAdmins(tx)) === 0) {
      throw new PgliveError('PGLIVE207', 'isAdmin: refusing to remove or disable the last enabled admin', {
        hint: 'Make another user admin first.',
      });
    }
    if (after.disabled && !before.disabled) await revokeAllSessions(tx, id, at);
    return after;
  })) as User;
}

/** Sets a new password and revokes the user's sessions (API tokens stay valid). */
export async function setPassword(db: Db, id: string, password: string, opts: ClockOpt = {}): Promise<void> {
  checkPasswordPolicy(password);
  const hash = await hashPassword(password);
  const at = new Date((opts.now ?? Date.now)());
  const rows = await db`
    update pglive.users set password_hash = ${hash}, password_changed_at = ${at}, updated_at = ${at}
    where id = ${id} returning id`;
  if (rows.length === 0) throw notFound();
  await revokeAllSessions(db, id, at);
}

/** Deletes a user with their sessions and tokens (ON DELETE CASCADE). */
export async function deleteUser(sql: Sql, id: string): Promise<void> {
  await sql.begin(async (tx) => {
    await tx.unsafe('select pg_advisory_xact_lock($1)', [ADMIN_LOCK.toString()]);
    const rows = await tx<{ is_admin: boolean }[]>`delete from pglive.users where id = ${id} returning is_admin`;
    if (rows.length === 0) throw notFound();
    if (rows[0]!.is_admin && (await countActiveAdmins(tx)) === 0) {
      throw new PgliveError('PGLIVE207', 'refusing to delete the last enabled admin', {
        hint: 'Make another user admin first.',
      });
    }
  });
}

export interface EnsureAdminOptions {
  /** default admin@localhost */
  email?: string | null;
  /** null = generate one and return it once */
  password?: string | null;
  /** default: the server's login role (current_user) */
  dbRole?: string | null;
}

export interface EnsureAdminResult {
  readonly created: boolean;
  /** set only when a password was generated: print it once, it is not stored anywhere */
  readonly generatedPassword: string | null;
  readonly user: User | null;
}

/** First start: create an admin when there is none. Safe when several processes start at once. */
export async function ensureAdmin(sql: Sql, opts: EnsureAdminOptions = {}, clock: ClockOpt = {}): Promise<EnsureAdminResult> {
  return (await sql.begin(async (tx) => {
    await tx.unsafe('select pg_advisory_xact_lock($1)', [ADMIN_LOCK.toString()]);
    const [row] = await tx<{ n: number }[]>`select count(*)::int as n from pglive.users where is_admin`;
    if ((row?.n ?? 0) > 0) return { created: false, generatedPassword: null, user: null };
    const generatedPassword = opts.password ? null : generatePassword();
    const [who] = await tx<{ u: string }[]>`select current_user as u`;
    const user = await createUser(
      tx,
      {
        email: opts.email ?? 'admin@localhost',
        password: opts.password ?? generatedPassword!,
        displayName: 'Administrator',
        dbRole: opts.dbRole ?? who!.u,
        isAdmin: true,
      },
      clock,
    );
    return { created: true, generatedPassword, user };
  })) as EnsureAdminResult;
}
