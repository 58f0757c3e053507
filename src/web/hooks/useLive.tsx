/**
 * One LiveClient per logged-in session (the browser sends the session cookie
 * at the websocket upgrade), its connection state as React state, and the
 * honest indicator derived from it.
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { CLOSE } from '../../protocol/live.js';
import { LiveClient, type ConnectionState } from '../../client/index.js';
import { connectionOf, type Connection } from '../core/connection.js';

export type { Connection };

interface LiveContextValue {
  client: LiveClient;
  state: ConnectionState;
  connection: Connection;
}

const LiveContext = createContext<LiveContextValue | null>(null);

function liveUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/live`;
}

function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    addEventListener('online', up);
    addEventListener('offline', down);
    return () => {
      removeEventListener('online', up);
      removeEventListener('offline', down);
    };
  }, []);
  return online;
}

/** `sessionKey` changes when the user changes: a new socket, authenticated by the new cookie */
export function LiveProvider({ sessionKey, onSessionEnded, children }: { sessionKey: string; onSessionEnded: () => void; children: ReactNode }) {
  const [client, setClient] = useState<LiveClient | null>(null);
  const [state, setState] = useState<ConnectionState>({ status: 'connecting', attempt: 0 });
  const online = useOnline();

  useEffect(() => {
    const c = new LiveClient({ url: liveUrl() });
    setClient(c);
    setState(c.state);
    const off = c.on('state', (s) => {
      setState(s);
      // the server closed the socket because the session is over: let the session state find out
      if (s.status === 'closed' && (s.code === CLOSE.SESSION_ENDED || s.code === CLOSE.UNAUTHENTICATED)) onSessionEnded();
    });
    return () => {
      off();
      c.close();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one socket per session, whatever the callback's identity
  }, [sessionKey]);

  // back online: skip the remaining backoff wait
  useEffect(() => {
    if (online && client && client.state.status !== 'open') client.connect();
  }, [online, client]);

  if (!client) return null;
  return <LiveContext.Provider value={{ client, state, connection: connectionOf(state, online) }}>{children}</LiveContext.Provider>;
}

export function useLive(): LiveContextValue {
  const v = useContext(LiveContext);
  if (!v) throw new Error('useLive outside <LiveProvider>');
  return v;
}
