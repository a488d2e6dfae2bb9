// Administration: units, agent keys and people. Admins only, except that anyone signed
// in may list the units they can see (the console's unit filter).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { roleSchema, unitSchema, userUnitsSchema, type Accounts } from '../core/accounts/accounts.ts';
import { NotFoundError } from '../core/errors.ts';
import { scopeAllows } from '../core/ports/scope.ts';
import { parseRequest } from './parse-request.ts';
import { requireUser, scopeOf, signedIn } from './session-auth.ts';

const newAgentSchema = z.object({ unit: z.string().min(1), name: z.string().trim().min(1).max(200) });
const newUserSchema = z.object({
  username: z.string().regex(/^[A-Za-z0-9._@-]{1,100}$/, 'letters, digits, . _ @ - (at most 100)'),
  password: z.string().min(8).max(1000),
  role: roleSchema,
  units: userUnitsSchema,
});
const idParams = z.object({ id: z.string().min(1).max(200) });

export async function adminRoutes(app: FastifyInstance, deps: { accounts: Accounts }) {
  const admin = requireUser(deps.accounts, 'admin');

  app.get('/api/v1/units', { preHandler: requireUser(deps.accounts) }, async (request) => {
    const scope = scopeOf(signedIn(request));
    return { items: (await deps.accounts.listUnits()).filter((unit) => scopeAllows(scope, unit.id)) };
  });
  app.post('/api/v1/units', { preHandler: admin }, async (request, reply) => {
    const unit = parseRequest(unitSchema, request.body, 'body');
    return reply.code(201).send({ unit: await deps.accounts.createUnit(unit) });
  });

  app.get('/api/v1/agents', { preHandler: admin }, async () => ({ items: await deps.accounts.listAgents() }));
  app.post('/api/v1/agents', { preHandler: admin }, async (request, reply) => {
    const { unit, name } = parseRequest(newAgentSchema, request.body, 'body');
    const created = await deps.accounts.createAgent(unit, name);
    // The key is shown this once; only its hash is kept.
    return reply.code(201).send(created);
  });
  app.delete('/api/v1/agents/:id', { preHandler: admin }, async (request, reply) => {
    const { id } = parseRequest(idParams, request.params, 'params');
    if (!(await deps.accounts.revokeAgent(id))) throw new NotFoundError(`no active agent ${id}`, 'api');
    return reply.code(204).send();
  });

  app.get('/api/v1/users', { preHandler: admin }, async () => ({ items: await deps.accounts.listUsers() }));
  app.post('/api/v1/users', { preHandler: admin }, async (request, reply) => {
    const { password, ...user } = parseRequest(newUserSchema, request.body, 'body');
    return reply.code(201).send({ user: await deps.accounts.createUser(user, password) });
  });
}
