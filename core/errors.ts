// Typed errors shared by every stage. Each carries a small fixed `code`, the `stage`
// where it happened and, where it applies, the HTTP status a caller should see, so one
// error handler can turn any of them into a clear response and a counted metric.

export type Stage = 'config' | 'ingest' | 'detect' | 'store' | 'bus' | 'api' | 'rules' | 'accounts' | 'correlate' | 'notify';

export class VigilError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly stage: Stage,
    readonly status = 500,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'VigilError';
  }
}

/** The caller sent something we cannot accept; `where` says which part (line, field). */
export class BadInputError extends VigilError {
  constructor(message: string, stage: Stage, details?: unknown, status = 400) {
    super('bad_input', message, stage, status, details);
    this.name = 'BadInputError';
  }
}

export class UnauthorizedError extends VigilError {
  constructor(message: string, stage: Stage) {
    super('unauthorized', message, stage, 401);
    this.name = 'UnauthorizedError';
  }
}

export class ForbiddenError extends VigilError {
  constructor(message: string, stage: Stage) {
    super('forbidden', message, stage, 403);
    this.name = 'ForbiddenError';
  }
}

export class NotFoundError extends VigilError {
  constructor(message: string, stage: Stage) {
    super('not_found', message, stage, 404);
    this.name = 'NotFoundError';
  }
}

/** The thing to create exists already (a username, a unit id); nothing was replaced. */
export class ConflictError extends VigilError {
  constructor(message: string, stage: Stage) {
    super('conflict', message, stage, 409);
    this.name = 'ConflictError';
  }
}

/** Too many requests (failed logins, an agent over its rate); answered 429 with Retry-After. */
export class RateLimitedError extends VigilError {
  constructor(
    message: string,
    stage: Stage,
    /** Whole seconds until a retry may succeed; sent as Retry-After. */
    readonly retryAfterSeconds: number,
  ) {
    super('rate_limited', message, stage, 429, { retryAfterSeconds });
    this.name = 'RateLimitedError';
  }
}

/** A dependency (bus, store) failed; the caller may retry. */
export class UnavailableError extends VigilError {
  /**
   * @param retryAfterSeconds what the client should wait, when the refusal knows it
   * (ingest above its backlog bound); otherwise the HTTP layer answers a broker's
   * restart time.
   */
  constructor(
    message: string,
    stage: Stage,
    cause?: unknown,
    readonly retryAfterSeconds?: number,
  ) {
    super('unavailable', message, stage, 503, undefined, { cause });
    this.name = 'UnavailableError';
  }
}
