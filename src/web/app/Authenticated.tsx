/** The logged-in part of the app: the live socket and the schema exist only here. */
import type { ReactNode } from 'react';
import { Center, Loader } from '@mantine/core';
import { Navigate, useLocation } from 'react-router';
import { useSession } from '../hooks/useSession.js';
import { LiveProvider } from '../hooks/useLive.js';
import { MetaProvider } from '../hooks/useMeta.js';
import { ErrorView } from '../ui/shell/ErrorView.js';

export function Authenticated({ children }: { children: ReactNode }) {
  const { session, refresh } = useSession();
  const location = useLocation();
  switch (session.status) {
    case 'loading':
      return (
        <Center h="100vh">
          <Loader size="sm" />
        </Center>
      );
    case 'error':
      return <ErrorView title="Cannot reach pglive" error={session.error} onRetry={() => void refresh()} />;
    case 'anonymous': {
      const next = location.pathname + location.search;
      return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
    }
    case 'user':
      return (
        <LiveProvider sessionKey={`${session.me.id ?? ''}/${session.me.role}`} onSessionEnded={() => void refresh()}>
          <MetaProvider>{children}</MetaProvider>
        </LiveProvider>
      );
  }
}
