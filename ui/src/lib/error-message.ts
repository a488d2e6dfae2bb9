// What the console says when a request fails, in the user's language: one message per
// kind of failure, chosen by the server's error code (core/errors.ts) or, for answers
// without one (a proxy's HTML page), by the HTTP status. The server's English text is
// kept as the detail only where it says something the user needs and the code alone
// cannot (which field, which rule, which role): never for a 401, 429, 500 or an
// unreachable server. A refused query says its column, quotes the query there, and
// drops the "q:" and "at column N" the headline already gives. The server never
// translates; every screen shows errors through describeError, so this is the one place.
import { i18n } from '../i18n/i18n.ts';
import { ApiError } from './api-error.ts';

const t = (key: string, values: Record<string, unknown> = {}): string => i18n.t(key, { ns: 'errors', ...values });

/** Longest piece of a query quoted in a message. */
const MAX_TOKEN_CHARS = 40;

/** A short line for an error of any kind, in the current language, for error banners. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) return describeApiError(err);
  if (err instanceof Error && err.message !== '') return t('unexpected', { detail: err.message });
  return t('unknown');
}

/** The same for one item of a bulk answer (`failed: [{code, message}]`), whose HTTP status was 200. */
export function describeFailure(failure: { code: string; message: string }): string {
  return describeApiError(new ApiError(statusOfCode(failure.code), failure.code, failure.message));
}

function describeApiError(err: ApiError): string {
  const detail = err.message;
  const seconds = err.context.retryAfterSeconds ?? retryAfterOf(err.details);
  switch (kindOf(err)) {
    case 'network':
      return t('network');
    case 'bad_response':
      return t('badResponse', { detail });
    case 'query':
      return describeQueryError(err);
    case 'bad_input':
      return fieldOf(err.details) === 'oldPassword' ? t('currentPasswordWrong') : t('badInput', { detail });
    case 'unauthorized':
      return t('unauthorized');
    case 'forbidden':
      return t('forbidden', { detail });
    case 'not_found':
      return t('notFound', { detail });
    case 'conflict':
      return t('conflict', { detail });
    case 'too_large':
      return t('tooLarge');
    case 'rate_limited':
      return seconds === undefined ? t('rateLimitedSoon') : t('rateLimited', { seconds });
    case 'unavailable':
      return seconds === undefined ? t('unavailableSoon', { detail }) : t('unavailable', { seconds, detail });
    case 'gateway':
      return t('gateway', { status: err.status });
    case 'internal':
      return t('internal');
    default:
      return err.code === 'http_error' ? t('otherStatus', { status: err.status }) : t('other', { status: err.status, detail });
  }
}

type Kind =
  | 'network'
  | 'bad_response'
  | 'query'
  | 'bad_input'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'rate_limited'
  | 'unavailable'
  | 'gateway'
  | 'internal'
  | 'other';

const KIND_OF_CODE: Record<string, Kind> = {
  network_error: 'network',
  bad_response: 'bad_response',
  bad_input: 'bad_input',
  bad_request: 'bad_input',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  not_found: 'not_found',
  conflict: 'conflict',
  body_too_large: 'too_large',
  rate_limited: 'rate_limited',
  unavailable: 'unavailable',
  internal: 'internal',
};

function kindOf(err: ApiError): Kind {
  if (queryPosition(err) !== null) return 'query';
  const byCode = KIND_OF_CODE[err.code];
  if (byCode !== undefined) return byCode;
  // No code we know (a proxy's page, a code added later): the status still says what kind.
  if (err.status === 0) return 'network';
  if (err.status === 400 || err.status === 422) return 'bad_input';
  if (err.status === 401) return 'unauthorized';
  if (err.status === 403) return 'forbidden';
  if (err.status === 404) return 'not_found';
  if (err.status === 409) return 'conflict';
  if (err.status === 413) return 'too_large';
  if (err.status === 429) return 'rate_limited';
  if (err.status === 503) return 'unavailable';
  if (err.status === 502 || err.status === 504) return 'gateway';
  if (err.status >= 500) return 'internal';
  return 'other';
}

function statusOfCode(code: string): number {
  const statuses: Partial<Record<Kind, number>> = { bad_input: 400, forbidden: 403, not_found: 404, conflict: 409, rate_limited: 429, unavailable: 503, internal: 500 };
  return statuses[KIND_OF_CODE[code] ?? 'other'] ?? 500;
}

/** `details: {param: 'q', column}` (core/query/query-error.ts): a query refused at a column, 1-based. */
function queryPosition(err: ApiError): { column: number } | null {
  const details = err.details;
  if (typeof details !== 'object' || details === null) return null;
  const { param, column } = details as { param?: unknown; column?: unknown };
  if (param !== 'q' || typeof column !== 'number' || !Number.isInteger(column) || column < 1) return null;
  return { column };
}

function describeQueryError(err: ApiError): string {
  const { column } = queryPosition(err)!;
  // The headline gives the column: drop the parameter's name and the one "at column N" that repeats it.
  let detail = err.message.replace(/^q: /, '');
  const repeated = ` at column ${column}`;
  if (detail.split(repeated).length === 2) detail = detail.replace(repeated, '');
  const q = err.context.query?.['q'];
  const token = typeof q === 'string' ? tokenAt(q, column) : null;
  if (token === null) return t('query', { column, detail });
  if (token === '') return t('queryAtEnd', { column, detail });
  return t('queryAt', { column, token, detail });
}

/**
 * The piece of the query starting at `column`: a bracket or quote alone, else up to the
 * next space or bracket; '' past the end; null where there is nothing to quote (a space).
 */
function tokenAt(q: string, column: number): string | null {
  if (column - 1 > q.length) return null;
  const rest = q.slice(column - 1);
  if (rest.trim() === '') return '';
  const first = rest[0]!;
  if (/\s/.test(first)) return null;
  if ('()[]{}"'.includes(first)) return first;
  const word = /^[^\s()[\]{}]+/.exec(rest)?.[0] ?? first;
  return word.length > MAX_TOKEN_CHARS ? `${word.slice(0, MAX_TOKEN_CHARS)}…` : word;
}

/** `details: {field}`: the one field a 400 refused (api/auth-routes.ts names oldPassword). */
function fieldOf(details: unknown): string | undefined {
  if (typeof details !== 'object' || details === null) return undefined;
  const field = (details as { field?: unknown }).field;
  return typeof field === 'string' ? field : undefined;
}

function retryAfterOf(details: unknown): number | undefined {
  if (typeof details !== 'object' || details === null) return undefined;
  const seconds = (details as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}
