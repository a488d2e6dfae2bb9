// The HTTP server every stage mounts its routes on: one error handler that turns typed
// errors into `{error: {code, message, details}}` (429s and 503s with Retry-After), security
// headers (and `Cache-Control: no-store` on every /api answer, so no shared or browser
// cache keeps a unit's data), and the health, readiness and metrics endpoints that every
// process exposes. /metrics names rules, units' agents and volumes: it needs a bearer
// token when one is configured, and otherwise answers only clients on this machine.
import { timingSafeEqual } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import { AggregatorRegistry } from 'prom-client';
import { RateLimitedError, UnavailableError, VigilError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';

/** Retry-After on a 503: about the time a Kafka broker or search node takes to come back. */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

export interface HttpServerOptions {
  log: Logger;
  metrics: Metrics;
  /** Answers null when ready, else the reason it is not. */
  readiness: () => Promise<string | null>;
  /** Metrics of other threads (prom-client JSON), merged into /metrics by summing. */
  otherMetrics?: () => Promise<object[]>;
  /** `Authorization: Bearer <token>` that /metrics requires (VIGIL_METRICS_TOKEN); unset: loopback clients only. */
  metricsToken?: string | undefined;
}

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

export function createHttpServer(options: HttpServerOptions): FastifyInstance {
  const app = Fastify({
    // pino's Logger is fastify's logger; the cast only bridges their two type declarations.
    loggerInstance: options.log.child({ stage: 'http' }) as FastifyBaseLogger,
    // One log line per request would drown the log at 10,000 events/s; metrics count requests instead.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: false,
    bodyLimit: 1024 * 1024,
  });

  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/')) reply.header('Cache-Control', 'no-store');
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    reply.header('X-Frame-Options', 'DENY');
  });

  app.setErrorHandler((error: FastifyError | VigilError, request, reply) => {
    if (error instanceof VigilError) {
      if (error.status >= 500) request.log.error({ err: error, url: request.url }, error.message);
      if (error instanceof RateLimitedError) reply.header('Retry-After', String(error.retryAfterSeconds));
      // A dependency (the bus, the store) is down: agents retry after a broker's restart time.
      if (error instanceof UnavailableError) reply.header('Retry-After', String(error.retryAfterSeconds ?? UNAVAILABLE_RETRY_AFTER_SECONDS));
      return reply
        .code(error.status)
        .send({ error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } });
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error, url: request.url }, 'unhandled error');
      return reply.code(500).send({ error: { code: 'internal', message: 'internal error; see the server log' } });
    }
    const code = error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'body_too_large' : 'bad_request';
    return reply.code(status).send({ error: { code, message: error.message } });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: { code: 'not_found', message: `no route for ${request.method} ${request.url}` } }),
  );

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const problem = await options.readiness();
    return problem === null ? { status: 'ready' } : reply.code(503).send({ status: 'not_ready', reason: problem });
  });
  app.get('/metrics', async (request, reply) => {
    const refusal = metricsRefusal(request.headers.authorization, request.socket.remoteAddress, options.metricsToken);
    if (refusal) return reply.code(refusal.status).send({ error: refusal });
    const registry = options.metrics.registry;
    reply.header('Content-Type', registry.contentType);
    if (!options.otherMetrics) return registry.metrics();
    const merged = AggregatorRegistry.aggregate([await registry.getMetricsAsJSON(), await options.otherMetrics()]);
    return merged.metrics();
  });
  return app;
}

/** Why /metrics refuses this caller, or null when it may read them. */
function metricsRefusal(
  authorization: string | undefined,
  remoteAddress: string | undefined,
  token: string | undefined,
): { status: number; code: string; message: string } | null {
  if (token !== undefined) {
    const given = Buffer.from(/^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '');
    const expected = Buffer.from(token);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return null;
    return { status: 401, code: 'unauthorized', message: 'metrics need Authorization: Bearer <VIGIL_METRICS_TOKEN>' };
  }
  if (isLoopback(remoteAddress)) return null;
  return { status: 403, code: 'forbidden', message: 'metrics answer only on this machine unless VIGIL_METRICS_TOKEN is set' };
}

function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return v4.startsWith('127.') || address === '::1';
}
