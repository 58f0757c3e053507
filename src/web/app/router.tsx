/**
 * Routes: /login, and behind a session the shell with a route for every
 * relation the role can read: /t/:schema/:name (grid), …/new, …/:key (record).
 */
import { createBrowserRouter, useRouteError } from 'react-router';
import { ErrorView } from '../ui/shell/ErrorView.js';
import { LoginPage } from './LoginPage.js';
import { Authenticated } from './Authenticated.js';
import { Layout } from './Layout.js';
import { HomePage } from './HomePage.js';
import { GridRoute } from './GridRoute.js';
import { NotFoundPage } from './NotFoundPage.js';

function RouteError() {
  return <ErrorView title="This page failed" error={useRouteError()} onRetry={() => location.reload()} />;
}

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage />, errorElement: <RouteError /> },
  {
    path: '/',
    element: (
      <Authenticated>
        <Layout />
      </Authenticated>
    ),
    errorElement: <RouteError />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 't/:schema/:name', element: <GridRoute /> },
      // record pages (editors, pickers) load on first use: the grid is what most visits need first
      { path: 't/:schema/:name/new', lazy: async () => ({ Component: (await import('./RecordRoutes.js')).NewRecordRoute }) },
      { path: 't/:schema/:name/:key', lazy: async () => ({ Component: (await import('./RecordRoutes.js')).RecordRoute }) },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
