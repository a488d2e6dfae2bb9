// The ingest stage's HTTP route: POST /api/v1/events. Authenticates the agent key before
// reading the body, decodes, validates each event on its own, stamps the unit from the
// key, publishes to the events topic and answers 202 only once the bus said durable.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Accounts, Agent } from '../core/accounts/accounts.ts';
import { BadInputError, UnauthorizedError, UnavailableError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import type { Metrics } from '../core/metrics.ts';
import { TOPICS, type Bus, type BusMessage } from '../core/ports/bus.ts';
import { incomingEventSchema } from '../core/schemas/event.ts';
import { describeIssues } from '../core/schemas/describe-issues.ts';
import { decodeBody, type Position } from './decode-body.ts';
import { eventKey, stampEvent } from './stamp-event.ts';

export interface IngestDeps {
  accounts: Accounts;
  bus: Bus;
  metrics: Metrics;
  log: Logger;
  maxBodyBytes: number;
}

type Rejection = Position & { error: string };

declare module 'fastify' {
  interface FastifyRequest {
    agent?: Agent;
  }
}

export async function ingestRoutes(app: FastifyInstance, deps: IngestDeps): Promise<void> {
  // This route reads raw bytes whatever the type, so decodeBody can answer 415 and
  // locate JSON errors itself instead of fastify's generic parser errors.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.maxBodyBytes }, (_req, body, done) => {
    done(null, body);
  });

  app.post(
    '/api/v1/events',
    { bodyLimit: deps.maxBodyBytes, onRequest: (request) => authenticate(request, deps.accounts) },
    async (request, reply) => {
      const agent = request.agent!;
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const decoded = await decodeBody(
        raw,
        { contentType: request.headers['content-type'], contentEncoding: request.headers['content-encoding'] },
        deps.maxBodyBytes,
      );
      deps.metrics.eventsReceived.inc(decoded.items.length + decoded.malformed.length);

      const now = new Date();
      const rejected: Rejection[] = decoded.malformed.map((m) => ({ ...m.position, error: m.error }));
      const messages: BusMessage[] = [];
      for (const item of decoded.items) {
        const parsed = incomingEventSchema.safeParse(item.value);
        if (!parsed.success) {
          rejected.push({ ...item.position, error: describeIssues(parsed.error) });
          continue;
        }
        const event = stampEvent(parsed.data, {
          organization: agent.unit,
          agentId: agent.id,
          now,
          rawText: JSON.stringify(item.value),
        });
        messages.push({ key: eventKey(event), value: Buffer.from(JSON.stringify(event)) });
      }
      if (rejected.length > 0) deps.metrics.eventsRejected.inc({ stage: 'ingest', reason: 'invalid' }, rejected.length);
      rejected.sort((a, b) => positionOrder(a) - positionOrder(b));

      if (messages.length === 0) {
        throw new BadInputError(`no valid event in the body: ${summarize(rejected)}`, 'ingest', { accepted: 0, rejected });
      }
      try {
        await deps.bus.publish(TOPICS.events, messages);
      } catch (error) {
        deps.log.error({ err: error, agent: agent.id }, 'publish to the events topic failed');
        throw new UnavailableError('events could not be stored durably; nothing was accepted, retry later', 'ingest', error);
      }
      deps.metrics.eventsPublished.inc(messages.length);
      return reply.code(202).send({ accepted: messages.length, rejected });
    },
  );
}

async function authenticate(request: FastifyRequest, accounts: Accounts): Promise<void> {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new UnauthorizedError('missing agent key: send "Authorization: Bearer <agent key>"', 'ingest');
  const agent = await accounts.authenticateAgent(match[1]!);
  if (!agent) throw new UnauthorizedError('unknown or revoked agent key', 'ingest');
  request.agent = agent;
}

function positionOrder(p: Position): number {
  return 'line' in p ? p.line : p.index;
}

function summarize(rejected: Rejection[]): string {
  const first = rejected[0];
  if (!first) return 'nothing to accept';
  const where = 'line' in first ? `line ${first.line}` : `item ${first.index}`;
  const more = rejected.length > 1 ? ` (and ${rejected.length - 1} more)` : '';
  return `${where}: ${first.error}${more}`;
}
