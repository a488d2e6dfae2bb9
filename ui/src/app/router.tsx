// The browser's router over the app's route table (URLs survive reload and can be sent
// to a colleague; the server answers index.html for every console path).
import { createBrowserRouter } from 'react-router';
import { appRoutes } from './routes.tsx';

export function createAppRouter() {
  return createBrowserRouter(appRoutes);
}
