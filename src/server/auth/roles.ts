/**
 * Can the server's login role switch to a given role (SET ROLE)? Users, JWTs
 * and API tokens all name a database role; pglive only ever runs requests as a
 * role its login role is a member of, so PostgreSQL stays the one authority.
 */
import type { postgres } from '../db/pool.js';

/** a pool, a reserved connection or a transaction: anything that runs queries */
export type Db = postgres.ISql<Record<string, never>>;

export type RoleStatus = 'ok' | 'missing' | 'not-member';

// PostgreSQL 16 split membership into INHERIT / SET options: SET ROLE needs
// the SET option, which 'MEMBER' does not imply. Older servers know no 'SET'.
export async function roleStatus(db: Db, role: string): Promise<RoleStatus> {
  const rows = await db<{ can_set: boolean }[]>`
    select case when current_setting('server_version_num')::int >= 160000
                then pg_has_role(current_user, r.oid, 'SET')
                else pg_has_role(current_user, r.oid, 'MEMBER') end as can_set
    from pg_catalog.pg_roles r
    where r.rolname = ${role}`;
  const row = rows[0];
  if (!row) return 'missing';
  return row.can_set ? 'ok' : 'not-member';
}

export type RoleChecker = (role: string) => Promise<RoleStatus>;

/**
 * roleStatus with a short-lived cache of positive answers, so Bearer requests
 * don't pay a catalog query each. A revoked membership is noticed within ttl;
 * until then SET ROLE itself fails with 42501, so nothing is exposed.
 */
export function cachedRoleChecker(db: Db, ttlMs = 10_000, now: () => number = Date.now): RoleChecker {
  const okUntil = new Map<string, number>();
  return async (role) => {
    const until = okUntil.get(role);
    if (until !== undefined && until > now()) return 'ok';
    const status = await roleStatus(db, role);
    if (status === 'ok') {
      if (okUntil.size > 1000) okUntil.clear(); // JWTs may name arbitrary roles
      okUntil.set(role, now() + ttlMs);
    } else {
      okUntil.delete(role);
    }
    return status;
  };
}
