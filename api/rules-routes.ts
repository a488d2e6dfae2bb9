// GET /api/v1/rules in the all-in-one process: how many rules the detect thread runs
// now and every problem of its last load, so a SOC engineer who just saved a rule can
// see whether it loaded without reading the server log. The detect thread reports
// each reload to the main thread (bin/detect-thread.ts); this only reads that snapshot.
import type { FastifyInstance } from 'fastify';
import type { Accounts } from '../core/accounts/accounts.ts';
import { requireUser } from './session-auth.ts';

export interface RulesStatus {
  readonly loaded: number;
  /** `file:line:col: message`, one per problem. */
  readonly errors: readonly string[];
}

export async function rulesRoutes(app: FastifyInstance, deps: { accounts: Accounts; rules: () => RulesStatus }) {
  // Rule authors need it; file paths of the server are no business of a viewer.
  const authors = requireUser(deps.accounts, 'admin', 'analyst');
  app.get('/api/v1/rules', { preHandler: authors }, async () => {
    const { loaded, errors } = deps.rules();
    return { loaded, errors };
  });
}
