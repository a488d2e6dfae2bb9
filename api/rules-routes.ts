// GET /api/v1/rules: how many rules detection runs now and every problem of its last
// load, so a SOC engineer who just saved a rule can see whether it loaded without
// reading the server log. The composition passes the snapshot in: in `vigil start` the
// detection thread reports each reload to the main thread (bin/detection-thread.ts);
// a `vigil api` process reads what the correlate processes publish with their health
// (core/health/health-board.ts). This only reads that snapshot.
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
