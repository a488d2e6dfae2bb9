// Administration: units, agent keys and people. Admins only, except that anyone signed
// in may list the units they can see (the console's unit filter). Every operation is
// checked against the acting admin's units (core/accounts/admin-policy.ts): what lies
// outside them is answered 404, as if it did not exist, and a grant wider than the
// admin's own scope is 403. Every change is written to the audit log.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  passwordSchema,
  roleSchema,
  unitIdSchema,
  unitNameSchema,
  unitSchema,
  usernameSchema,
  userUnitsSchema,
  type Accounts,
  type Agent,
  type User,
} from '../core/accounts/accounts.ts';
import { administersUnit, administersUser, grantProblem, isSocWide } from '../core/accounts/admin-policy.ts';
import { ForbiddenError, NotFoundError } from '../core/errors.ts';
import { recordAudit } from './audit-record.ts';
import { parseRequest } from './parse-request.ts';
import { requireUser, scopeOf, signedIn } from './session-auth.ts';

const newAgentSchema = z.object({ unit: unitIdSchema, name: z.string().trim().min(1).max(200) });
const agentQuerySchema = z.object({ unit: unitIdSchema.optional() });
/**
 * An agent key's default input format (`suricata`, `winlogbeat`, `av:eset-protect`...),
 * or null for native ECS. Only the shape is checked here: the formats live in ingest,
 * which answers 400 naming the formats it has when a key's default is not one of them.
 */
const agentPatchSchema = z.object({ format: z.string().regex(/^[a-z0-9][a-z0-9:_-]{0,63}$/, 'a format name: lowercase letters, digits, : _ -').nullable() }).strict();
const renameUnitSchema = z.object({ name: unitNameSchema });
const newUserSchema = z.object({ username: usernameSchema, password: passwordSchema, role: roleSchema, units: userUnitsSchema });
const userPatchSchema = z
  .object({ role: roleSchema.optional(), units: userUnitsSchema.optional(), disabled: z.boolean().optional() })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'change at least one of role, units, disabled');
const passwordResetSchema = z.object({ password: passwordSchema });
const idParams = z.object({ id: z.string().min(1).max(200) });
const usernameParams = z.object({ username: usernameSchema });

/** What the audit log keeps of an agent: never its key. */
function agentRecord(agent: Agent) {
  return { id: agent.id, name: agent.name, unit: agent.unit.id, rotated: agent.rotated, revoked: agent.revoked };
}

export async function adminRoutes(app: FastifyInstance, deps: { accounts: Accounts }) {
  const { accounts } = deps;
  const admin = requireUser(accounts, 'admin');

  /** The agent `id` if `actor` administers its unit; else 404, whether it exists or not. */
  const agentOf = async (actor: User, id: string): Promise<Agent> => {
    const agent = await accounts.getAgent(id);
    if (!agent || !administersUnit(actor, agent.unit.id)) throw new NotFoundError(`no agent ${id}`, 'api');
    return agent;
  };
  /** Another user `actor` administers; else 404 (or 403 for the actor's own account). */
  const userOf = async (actor: User, username: string): Promise<User> => {
    if (username === actor.username) {
      throw new ForbiddenError('you cannot change your own account here; change your password at /api/v1/auth/password', 'api');
    }
    const user = await accounts.getUser(username);
    if (!user || !administersUser(actor, user)) throw new NotFoundError(`no user ${username}`, 'api');
    return user;
  };

  // Units
  app.get('/api/v1/units', { preHandler: requireUser(accounts) }, async (request) => ({
    items: await accounts.listUnits(scopeOf(signedIn(request))),
  }));
  app.post('/api/v1/units', { preHandler: admin }, async (request, reply) => {
    const actor = signedIn(request);
    if (!isSocWide(actor)) throw new ForbiddenError('only a SOC-wide admin creates units', 'api');
    const unit = await accounts.createUnit(parseRequest(unitSchema, request.body, 'body'));
    await recordAudit(accounts, request, { action: 'unit.create', target: unit.id, units: [unit.id], after: unit });
    return reply.code(201).send({ unit });
  });
  app.patch('/api/v1/units/:id', { preHandler: admin }, async (request) => {
    const { id } = parseRequest(idParams, request.params, 'params');
    const { name } = parseRequest(renameUnitSchema, request.body, 'body');
    if (!administersUnit(signedIn(request), id)) throw new NotFoundError(`no unit ${id}`, 'api');
    const { before, after } = await accounts.renameUnit(id, name);
    await recordAudit(accounts, request, { action: 'unit.rename', target: id, units: [id], before, after });
    return { unit: after };
  });

  // Agents
  app.get('/api/v1/agents', { preHandler: admin }, async (request) => {
    const { unit } = parseRequest(agentQuerySchema, request.query, 'query');
    const agents = await accounts.listAgents(scopeOf(signedIn(request)));
    return { items: unit === undefined ? agents : agents.filter((agent) => agent.unit.id === unit) };
  });
  app.post('/api/v1/agents', { preHandler: admin }, async (request, reply) => {
    const { unit, name } = parseRequest(newAgentSchema, request.body, 'body');
    if (!administersUnit(signedIn(request), unit)) throw new ForbiddenError(`you do not administer the unit ${unit}`, 'api');
    const created = await accounts.createAgent(unit, name);
    await recordAudit(accounts, request, { action: 'agent.enrol', target: created.agent.id, units: [unit], after: agentRecord(created.agent) });
    // The key is shown this once; only its hash is kept.
    return reply.code(201).send(created);
  });
  app.post('/api/v1/agents/:id/rotate', { preHandler: admin }, async (request) => {
    const { id } = parseRequest(idParams, request.params, 'params');
    const before = await agentOf(signedIn(request), id);
    const rotated = await accounts.rotateAgent(id);
    await recordAudit(accounts, request, {
      action: 'agent.rotate',
      target: id,
      units: [before.unit.id],
      before: agentRecord(before),
      after: agentRecord(rotated.agent),
    });
    return rotated;
  });
  app.patch('/api/v1/agents/:id', { preHandler: admin }, async (request) => {
    const { id } = parseRequest(idParams, request.params, 'params');
    const { format } = parseRequest(agentPatchSchema, request.body, 'body');
    const before = await agentOf(signedIn(request), id);
    const agent = await accounts.setAgentFormat(id, format);
    await recordAudit(accounts, request, {
      action: 'agent.format',
      target: id,
      units: [before.unit.id],
      before: { ...agentRecord(before), format: before.format ?? null },
      after: { ...agentRecord(agent), format: agent.format ?? null },
    });
    return { agent };
  });
  app.delete('/api/v1/agents/:id', { preHandler: admin }, async (request, reply) => {
    const { id } = parseRequest(idParams, request.params, 'params');
    const before = await agentOf(signedIn(request), id);
    const revoked = await accounts.revokeAgent(id);
    if (!revoked) throw new NotFoundError(`no active agent ${id}`, 'api');
    await recordAudit(accounts, request, {
      action: 'agent.revoke',
      target: id,
      units: [before.unit.id],
      before: agentRecord(before),
      after: agentRecord(revoked),
    });
    return reply.code(204).send();
  });

  // Users
  app.get('/api/v1/users', { preHandler: admin }, async (request) => ({
    items: await accounts.listUsers(scopeOf(signedIn(request))),
  }));
  app.post('/api/v1/users', { preHandler: admin }, async (request, reply) => {
    const { password, ...user } = parseRequest(newUserSchema, request.body, 'body');
    const problem = grantProblem(signedIn(request), user);
    if (problem) throw new ForbiddenError(problem, 'api');
    const created = await accounts.createUser(user, password);
    await recordAudit(accounts, request, { action: 'user.create', target: created.username, units: [created.units], after: created });
    return reply.code(201).send({ user: created });
  });
  app.patch('/api/v1/users/:username', { preHandler: admin }, async (request) => {
    const { username } = parseRequest(usernameParams, request.params, 'params');
    const patch = parseRequest(userPatchSchema, request.body, 'body');
    const actor = signedIn(request);
    await userOf(actor, username);
    const problem = grantProblem(actor, patch);
    if (problem) throw new ForbiddenError(problem, 'api');
    const { before, after } = await accounts.updateUser(username, patch);
    await recordAudit(accounts, request, { action: 'user.update', target: username, units: [before.units, after.units], before, after });
    return { user: after };
  });
  app.delete('/api/v1/users/:username', { preHandler: admin }, async (request, reply) => {
    const { username } = parseRequest(usernameParams, request.params, 'params');
    await userOf(signedIn(request), username);
    const removed = await accounts.deleteUser(username);
    await recordAudit(accounts, request, { action: 'user.delete', target: username, units: [removed.units], before: removed });
    return reply.code(204).send();
  });
  app.post('/api/v1/users/:username/password', { preHandler: admin }, async (request, reply) => {
    const { username } = parseRequest(usernameParams, request.params, 'params');
    const { password } = parseRequest(passwordResetSchema, request.body, 'body');
    const user = await userOf(signedIn(request), username);
    await accounts.setPassword(username, password);
    await recordAudit(accounts, request, { action: 'user.password_reset', target: username, units: [user.units] });
    return reply.code(204).send();
  });
}
