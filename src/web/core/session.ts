/** Who is logged in: /auth/login, /auth/logout, /auth/me. */
import { ApiError, getJson, sendJson } from './api.js';

export interface Me {
  id: string | null;
  email: string | null;
  displayName: string | null;
  /** the PostgreSQL role every request of this session runs as */
  role: string;
  isAdmin: boolean;
  kind: string;
}

/** the current user, or null when not logged in */
export async function fetchMe(): Promise<Me | null> {
  try {
    return await getJson<Me>('/auth/me');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export async function login(email: string, password: string): Promise<Me> {
  await sendJson('POST', '/auth/login', { email, password });
  const me = await fetchMe();
  if (me === null) throw new ApiError(401, 'session', 'Logged in, but the session cookie was not kept: are cookies blocked?');
  return me;
}

export async function logout(): Promise<void> {
  await sendJson('POST', '/auth/logout', undefined);
}

export function displayNameOf(me: Me): string {
  return me.displayName || me.email || me.role;
}
