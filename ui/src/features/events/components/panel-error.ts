// What the Events view's side panels (field sidebar, histogram) say when their request
// fails. A query the server refused (400) is the search's business: the search box
// reports it once, at its column, and replaces the view; a panel echoing it would put
// a second, earlier copy of the same error on screen. Other failures (the server
// unreachable, a 500, a 403) are the panel's own and are shown.
import { ApiError, describeError } from '../../../lib/api-client.ts';

export function panelErrorMessage(error: unknown): string | null {
  if (error === null || error === undefined) return null;
  if (error instanceof ApiError && error.status === 400) return null;
  return describeError(error);
}
