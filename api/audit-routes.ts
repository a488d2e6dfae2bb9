// GET /api/v1/audit: the audit log for admins, newest first, filtered by unit, actor,
// action and time, paged with an opaque cursor. A unit-scoped admin reads only entries
// wholly about its units (Accounts applies the scope).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { unitIdSchema, type Accounts } from '../core/accounts/accounts.ts';
import { parseRequest } from './parse-request.ts';
import { timeRangeParams } from './query-params.ts';
import { requireUser, scopeOf, signedIn } from './session-auth.ts';

const auditQuerySchema = z.object({
  unit: unitIdSchema.optional(),
  actor: z.string().min(1).max(200).optional(),
  action: z.string().regex(/^[a-z_]+(\.[a-z_]+)*$/, 'a dotted action such as user.create').max(100).optional(),
  ...timeRangeParams,
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});

export async function auditRoutes(app: FastifyInstance, deps: { accounts: Accounts }): Promise<void> {
  app.get('/api/v1/audit', { preHandler: requireUser(deps.accounts, 'admin') }, async (request) => {
    const query = parseRequest(auditQuerySchema, request.query, 'query');
    return deps.accounts.listAudit(query, scopeOf(signedIn(request)));
  });
}
