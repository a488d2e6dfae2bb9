// The ingest stage's HTTP route: POST /api/v1/events. Authenticates the agent key before
// reading the body (and refuses an agent already over its rate before reading it too),
// splits the body into events, charges the agent's rate for all of them at once, then
// parses, validates and stamps each event on its own, publishes to the events topic and
// answers 202 only once the bus said durable. CPU work runs in slices (cpu-turns.ts) so
// one agent's large post never stalls other agents, the API or the console. The post's
// format (`?format=` or `X-Vigil-Format`, native ECS by default) picks the decoder that
// turns each line into an ECS event first (decoders/); an unknown format is refused
// before the body is read. POST /api/v1/heartbeat: an agent with nothing to send says
// it is alive (heartbeat-gate.ts, core/schemas/heartbeat.ts).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Accounts, Agent } from '../core/accounts/accounts.ts';
import type { IngestLimits } from '../core/config.ts';
import { BadInputError, RateLimitedError, UnauthorizedError, UnavailableError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import type { Metrics } from '../core/metrics.ts';
import { TOPICS, type Bus, type BusMessage } from '../core/ports/bus.ts';
import { incomingEventSchema } from '../core/schemas/event.ts';
import { heartbeatMessage } from '../core/schemas/heartbeat.ts';
import { HeartbeatGate } from './heartbeat-gate.ts';
import { badFieldName } from './field-names.ts';
import { describeIssues } from '../core/schemas/describe-issues.ts';
import { CpuTurns } from './cpu-turns.ts';
import { parsePiece, readBody, splitBody, type BodyPiece, type Position, type ReadBody, type RejectReason } from './decode-body.ts';
import { TooManyEventsError } from './ingest-errors.ts';
import { refuseOverBacklog, type BacklogGate } from './backlog-gate.ts';
import { AgentRateLimiter, type RateDecision } from './rate-limiter.ts';
import { eventKey, stampEvent } from './stamp-event.ts';
import { decodePiece, type DecodeContext, type Decoder } from './decoders/decoder.ts';
import { createDecoderRegistry, type DecoderRegistry } from './decoders/registry.ts';
import { loadAvMappings, mappingFolders } from './decoders/load-av-mappings.ts';

export interface IngestDeps {
  accounts: Accounts;
  bus: Bus;
  metrics: Metrics;
  log: Logger;
  maxBodyBytes: number;
  limits: IngestLimits;
  /** Event times further ahead than this are accepted but flagged (config.time.futureToleranceMs). */
  futureToleranceMs: number;
  /** Formats agents may choose; when absent, the built-in decoders and the antivirus console mappings of rulesDir. */
  decoders?: DecoderRegistry;
  /** The rules folder whose decoders/ adds antivirus console mappings (av:<name>) to the shipped ones. */
  rulesDir?: string;
  /** Keep each decoded line's text in event.original (VIGIL_INGEST_KEEP_ORIGINAL). */
  keepOriginal?: boolean;
  /** Refuses posts with 503 while detection is too far behind (backlog-gate.ts); absent: never. */
  backlog?: BacklogGate;
  /** Vigil's clock, epoch ms, for the time of heartbeats (tests drive it); absent: Date.now. */
  clock?: () => number;
}

type Rejection = Position & { error: string };

declare module 'fastify' {
  interface FastifyRequest {
    agent?: Agent;
    decoder?: Decoder;
  }
}

export async function ingestRoutes(app: FastifyInstance, deps: IngestDeps): Promise<void> {
  const turns = new CpuTurns();
  const rate = new AgentRateLimiter(deps.limits.agentRatePerSecond, deps.limits.agentRateBurst);
  const decoders = deps.decoders ?? createDecoderRegistry(loadAvMappings(mappingFolders(deps.rulesDir)));
  const decodeOptions = { keepOriginal: deps.keepOriginal ?? false };

  // This route reads raw bytes whatever the type, so readBody can answer 415 and
  // locate JSON errors itself instead of fastify's generic parser errors.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.maxBodyBytes }, (_req, body, done) => {
    done(null, body);
  });

  app.post(
    '/api/v1/events',
    {
      bodyLimit: deps.maxBodyBytes,
      onRequest: async (request) => {
        const agent = await authenticate(request, deps.accounts);
        request.decoder = chooseDecoder(request, agent, decoders);
        refuseOverRate(rate.peek(agent.id), deps.metrics);
        refuseOverBacklog(deps.backlog, deps.metrics);
      },
    },
    async (request, reply) => {
      const agent = request.agent!;
      const decoder = request.decoder!;
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const body = await readBody(
        raw,
        { contentType: request.headers['content-type'], contentEncoding: request.headers['content-encoding'] },
        deps.maxBodyBytes,
        decoder.input,
      );
      const pieces = await splitPost(body, decoder, deps.limits, turns);
      const context: DecodeContext = decoder.headerLine ? { header: headerOf(body, pieces.shift(), deps.limits) } : {};
      deps.metrics.eventsReceived.inc(pieces.length);
      if (rate.enabled && pieces.length > rate.burst) throw new TooManyEventsError(rate.burst, 'VIGIL_AGENT_RATE_BURST');
      refuseOverRate(rate.take(agent.id, pieces.length), deps.metrics, pieces.length);

      const now = new Date();
      const rejected: Rejection[] = [];
      const reasons = new Map<RejectReason, number>();
      const reject = (position: Position, reason: RejectReason, error: string) => {
        rejected.push({ ...position, error });
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      };
      const messages: BusMessage[] = [];
      let future = 0;
      let next = 0;
      await turns.run(() => {
        const piece = pieces[next++];
        if (piece === undefined) return true;
        const parsed = parsePiece(body, piece, deps.limits);
        if (!parsed.ok) {
          reject(piece.position, parsed.reason, parsed.error);
          return false;
        }
        const result = decodePiece(decoder, { text: parsed.text, value: parsed.value }, context, decodeOptions);
        if (!result.ok) {
          reject(piece.position, result.reason, result.error);
          return false;
        }
        const badName = badFieldName(result.event);
        if (badName !== undefined) {
          reject(piece.position, 'invalid', badName);
          return false;
        }
        const valid = incomingEventSchema.safeParse(result.event);
        if (!valid.success) {
          reject(piece.position, 'invalid', describeIssues(valid.error));
          return false;
        }
        const stamped = stampEvent(valid.data, {
          organization: agent.unit,
          agentId: agent.id,
          now,
          rawText: () => JSON.stringify(result.event),
          futureToleranceMs: deps.futureToleranceMs,
        });
        if (stamped.future) future++;
        messages.push({ key: eventKey(stamped.event), value: Buffer.from(JSON.stringify(stamped.event)) });
        return false;
      });
      for (const [reason, count] of reasons) deps.metrics.eventsRejected.inc({ stage: 'ingest', reason }, count);

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
      if (future > 0) deps.metrics.futureTimestamps.inc({ unit: agent.unit.id }, future);
      return reply.code(202).send({ accepted: messages.length, rejected });
    },
  );

  // An agent with nothing to send says it is alive: authenticating the key records the
  // agent's lastSeen (listed under Agents), and the heartbeat goes to the correlate
  // stage on the signals topic, in the partition that watches the agent's unit, so the
  // silence monitor does not call a quiet agent silent. Its time is Vigil's clock; no
  // body is read. It costs the agent one event of its rate, and one heartbeat per agent
  // and interval is published (heartbeat-gate.ts): more often tells nothing more.
  // Answers Vigil's clock, so the agent can warn about its own.
  const clock = deps.clock ?? Date.now;
  const heartbeats = new HeartbeatGate();
  let signalsPartitions: Promise<number> | undefined;
  const partitions = () => {
    if (signalsPartitions === undefined) {
      const reading = deps.bus.partitionCount(TOPICS.signals);
      // Read once; a failed read is tried again on the next heartbeat.
      reading.catch(() => {
        if (signalsPartitions === reading) signalsPartitions = undefined;
      });
      signalsPartitions = reading;
    }
    return signalsPartitions;
  };
  app.post('/api/v1/heartbeat', async (request) => {
    const agent = await authenticate(request, deps.accounts);
    const allowed = rate.take(agent.id, 1);
    if (!allowed.ok) deps.metrics.heartbeatsNotPublished.inc({ reason: 'rate_limited' });
    refuseOverRate(allowed, deps.metrics);
    const now = clock();
    if (!heartbeats.due(agent.id, now)) deps.metrics.heartbeatsNotPublished.inc({ reason: 'interval' });
    else {
      try {
        const heartbeat = { kind: 'heartbeat' as const, time: now, organization: { id: agent.unit.id, name: agent.unit.name }, agent: agent.id };
        await deps.bus.publish(TOPICS.signals, [heartbeatMessage(heartbeat, await partitions())]);
        heartbeats.published(agent.id, now);
        deps.metrics.heartbeatsPublished.inc();
      } catch (error) {
        deps.metrics.heartbeatsNotPublished.inc({ reason: 'publish_failed' });
        deps.log.error({ err: error, agent: agent.id }, 'publish of a heartbeat to the signals topic failed');
        throw new UnavailableError('the heartbeat could not be recorded; retry later', 'ingest', error);
      }
    }
    return { agent: agent.id, unit: agent.unit.id, time: new Date(now).toISOString() };
  });
}

/**
 * The decoder the post asked for: `?format=<name>` or `X-Vigil-Format: <name>`, else
 * the agent key's default format, else native ECS. Unknown names and two different
 * answers are a 400 that lists the formats there are, before any of the body is read.
 */
function chooseDecoder(request: FastifyRequest, agent: Agent, decoders: DecoderRegistry): Decoder {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const asked = [query.format, request.headers['x-vigil-format']]
    .flat()
    .filter((value): value is string => typeof value === 'string')
    .map((value) => value.trim())
    .filter((value) => value !== '');
  const names = [...new Set(asked)];
  const formats = decoders.names();
  if (names.length === 0) {
    if (agent.format === undefined) return decoders.defaultDecoder;
    const own = decoders.get(agent.format);
    if (own) return own;
    throw new BadInputError(
      `this agent key's default format "${agent.format}" is not known here (was its mapping removed?): send ?format= or X-Vigil-Format as one of ${formats.join(', ')}, or change the key's format`,
      'ingest',
      { formats },
    );
  }
  if (names.length > 1) {
    throw new BadInputError(`the post asks for more than one format (${names.join(', ')}); send one ?format= or X-Vigil-Format`, 'ingest', { formats });
  }
  const decoder = decoders.get(names[0]!);
  if (!decoder) {
    throw new BadInputError(`unknown format "${names[0]}": send ?format= or X-Vigil-Format as one of ${formats.join(', ')}`, 'ingest', { formats });
  }
  return decoder;
}

/** The post's pieces; a CSV header line does not count as one of the events a post may carry. */
async function splitPost(body: ReadBody, decoder: Decoder, limits: IngestLimits, turns: CpuTurns): Promise<BodyPiece[]> {
  if (!decoder.headerLine) return splitBody(body, limits, turns);
  try {
    return await splitBody(body, { ...limits, maxEventsPerPost: limits.maxEventsPerPost + 1 }, turns);
  } catch (error) {
    if (error instanceof TooManyEventsError) throw new TooManyEventsError(limits.maxEventsPerPost, 'VIGIL_MAX_EVENTS_PER_POST');
    throw error;
  }
}

/** A CSV post's first line: the column names every row is read with. */
function headerOf(body: ReadBody, piece: BodyPiece | undefined, limits: IngestLimits): string {
  if (piece === undefined) throw new BadInputError('body is empty: send the header line, then at least one row', 'ingest');
  const parsed = parsePiece(body, piece, limits);
  if (!parsed.ok) throw new BadInputError(`header line: ${parsed.error}`, 'ingest', piece.position);
  return parsed.text;
}

async function authenticate(request: FastifyRequest, accounts: Accounts): Promise<Agent> {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new UnauthorizedError('missing agent key: send "Authorization: Bearer <agent key>"', 'ingest');
  const agent = await accounts.authenticateAgent(match[1]!);
  if (!agent) throw new UnauthorizedError('unknown or revoked agent key', 'ingest');
  request.agent = agent;
  return agent;
}

/**
 * 429 when the agent is over its rate; nothing of the post is accepted. The error
 * handler sends RateLimitedError's seconds as Retry-After.
 */
function refuseOverRate(decision: RateDecision, metrics: Metrics, events = 0): void {
  if (decision.ok) return;
  if (events > 0) metrics.eventsRejected.inc({ stage: 'ingest', reason: 'rate_limited' }, events);
  throw new RateLimitedError(
    `this agent key is over its rate of events (VIGIL_AGENT_RATE_PER_SECOND, VIGIL_AGENT_RATE_BURST); nothing was accepted: retry after ${decision.retryAfterSeconds} s`,
    'ingest',
    decision.retryAfterSeconds,
  );
}

function summarize(rejected: Rejection[]): string {
  const first = rejected[0];
  if (!first) return 'nothing to accept';
  const where = 'line' in first ? `line ${first.line}` : `item ${first.index}`;
  const more = rejected.length > 1 ? ` (and ${rejected.length - 1} more)` : '';
  return `${where}: ${first.error}${more}`;
}
