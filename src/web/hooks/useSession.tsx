/** The logged-in user as React state: null while unknown, then Me or 'anonymous'. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { onUnauthorized } from '../core/api.js';
import { fetchMe, login as apiLogin, logout as apiLogout, type Me } from '../core/session.js';

export type SessionState =
  | { status: 'loading' }
  | { status: 'anonymous' }
  | { status: 'error'; error: Error }
  | { status: 'user'; me: Me };

interface SessionContextValue {
  session: SessionState;
  login(email: string, password: string): Promise<void>;
  logout(): Promise<void>;
  refresh(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionState>({ status: 'loading' });

  const refresh = useCallback(async () => {
    try {
      const me = await fetchMe();
      setSession(me ? { status: 'user', me } : { status: 'anonymous' });
    } catch (e) {
      setSession({ status: 'error', error: e instanceof Error ? e : new Error(String(e)) });
    }
  }, []);

  useEffect(() => {
    void refresh();
    // any 401 means the session is gone (expired, revoked): back to the login page
    return onUnauthorized(() => setSession({ status: 'anonymous' }));
  }, [refresh]);

  const login = useCallback(async (email: string, password: string) => {
    const me = await apiLogin(email, password);
    setSession({ status: 'user', me });
  }, []);

  const logout = useCallback(async () => {
    try {
      await apiLogout();
    } finally {
      setSession({ status: 'anonymous' });
    }
  }, []);

  const value = useMemo(() => ({ session, login, logout, refresh }), [session, login, logout, refresh]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside <SessionProvider>');
  return v;
}

/** the logged-in user (only inside the authenticated part of the app) */
export function useMe(): Me {
  const { session } = useSession();
  if (session.status !== 'user') throw new Error('useMe without a logged-in user');
  return session.me;
}
