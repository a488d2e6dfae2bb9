// The HTTP server every stage mounts its routes on: one error handler that turns typed
// errors into `{error: {code, message, details}}`, security headers, and the health,
// readiness and metrics endpoints that every process exposes.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import { AggregatorRegistry } from 'prom-client';
import { VigilError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';

export interface HttpServerOptions {
  log: Logger;
  metrics: Metrics;
  /** Answers null when ready, else the reason it is not. */
  readiness: () => Promise<string | null>;
  /** Metrics of other threads (prom-client JSON), merged into /metrics by summing. */
  otherMetrics?: () => Promise<object[]>;
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

  app.addHook('onSend', async (_request, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    reply.header('X-Frame-Options', 'DENY');
  });

  app.setErrorHandler((error: FastifyError | VigilError, request, reply) => {
    if (error instanceof VigilError) {
      if (error.status >= 500) request.log.error({ err: error, url: request.url }, error.message);
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
  app.get('/metrics', async (_request, reply) => {
    const registry = options.metrics.registry;
    reply.header('Content-Type', registry.contentType);
    if (!options.otherMetrics) return registry.metrics();
    const merged = AggregatorRegistry.aggregate([await registry.getMetricsAsJSON(), await options.otherMetrics()]);
    return merged.metrics();
  });
  return app;
}
