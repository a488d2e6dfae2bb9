// The console's route table: /login, the signed-in console (every feature's routes from
// route-table.tsx inside the console layout), and a not-found page. A data router
// (createBrowserRouter) rather than <Routes>: the table is plain data features add to,
// each route gets an error boundary, and tests mount the same table in a memory router.
import { Navigate, useLocation, type RouteObject } from 'react-router';
import { ConsoleLayout } from './components/console-layout.tsx';
import { NotFound, RouteError } from './components/route-error.tsx';
import { consoleRoutes } from './route-table.tsx';
import { LoginRoute } from './routes/login-route.tsx';

function Home() {
  const location = useLocation();
  return <Navigate to={{ pathname: '/alerts', search: location.search }} replace />;
}

export const appRoutes: RouteObject[] = [
  {
    path: '/',
    errorElement: <RouteError />,
    children: [
      { path: 'login', element: <LoginRoute /> },
      {
        element: <ConsoleLayout />,
        errorElement: <RouteError />,
        children: [{ index: true, element: <Home /> }, ...consoleRoutes, { path: '*', element: <NotFound /> }],
      },
    ],
  },
];
