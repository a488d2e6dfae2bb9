// Event search for the console and for hunting: a time range plus `q` (field:value terms
// with * wildcards, ANDed, and free text). The Store applies the caller's scope.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Accounts } from '../core/accounts/accounts.ts';
import type { Store } from '../core/ports/store.ts';
import { parseRequest } from './parse-request.ts';
import { pagingParams, timeRangeParams } from './query-params.ts';
import { requireUser, scopeOf, signedIn } from './session-auth.ts';

const eventQuerySchema = z.object({ q: z.string().max(4000).optional(), ...timeRangeParams, ...pagingParams });
const statsQuerySchema = z.object(timeRangeParams);

export async function eventRoutes(app: FastifyInstance, deps: { accounts: Accounts; store: Store }) {
  const anyone = requireUser(deps.accounts);

  app.get('/api/v1/events', { preHandler: anyone }, async (request) => {
    const query = parseRequest(eventQuerySchema, request.query, 'query');
    return deps.store.searchEvents(query, scopeOf(signedIn(request)));
  });

  app.get('/api/v1/stats', { preHandler: anyone }, async (request) => {
    const query = parseRequest(statsQuerySchema, request.query, 'query');
    return deps.store.stats(query, scopeOf(signedIn(request)));
  });
}
