// Events search at /events; the query and time range live in the URL (?q=&from=&to=).
import type { RouteObject } from 'react-router';
import { EventsSearch } from './components/events-search.tsx';

export const eventsRoutes: RouteObject[] = [
  {
    path: 'events',
    element: (
      <main className="console-main">
        <EventsSearch />
      </main>
    ),
  },
];
