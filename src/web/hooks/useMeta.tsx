/**
 * /meta/schema as React state, reloaded when the server says the schema
 * changed (live `schema-changed`) and when the socket's role changes, so
 * routes, the sidebar and grid columns follow without a page reload.
 */
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { fetchMeta, type MetaSchema } from '../core/meta.js';
import { useLive } from './useLive.js';

interface MetaContextValue {
  meta: MetaSchema | null;
  error: Error | null;
  reload(): Promise<void>;
}

const MetaContext = createContext<MetaContextValue | null>(null);

export function MetaProvider({ children }: { children: ReactNode }) {
  const { client } = useLive();
  const [meta, setMeta] = useState<MetaSchema | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const seq = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const m = await fetchMeta();
      if (mine === seq.current) {
        setMeta(m);
        setError(null);
      }
    } catch (e) {
      if (mine === seq.current) setError(e instanceof Error ? e : new Error(String(e)));
    }
  }, []);

  useEffect(() => {
    void reload();
    const offSchema = client.on('schema-changed', () => void reload());
    let role: string | null = null;
    const offState = client.on('state', (s) => {
      if (s.status !== 'open') return;
      // a reconnect may have missed a schema-changed; a new role sees other relations
      if (role !== null) void reload();
      role = s.role;
    });
    return () => {
      offSchema();
      offState();
    };
  }, [client, reload]);

  return <MetaContext.Provider value={{ meta, error, reload }}>{children}</MetaContext.Provider>;
}

export function useMeta(): MetaContextValue {
  const v = useContext(MetaContext);
  if (!v) throw new Error('useMeta outside <MetaProvider>');
  return v;
}
