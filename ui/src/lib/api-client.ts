// Same-origin JSON fetch wrapper for the REST API. Every response body is validated with
// the caller's zod schema; every failure is an ApiError (api-error.ts) carrying the HTTP
// status and the server's own `{error: {code, message}}`; describeError
// (error-message.ts) says it in the user's language.
import { z } from 'zod';
import { appConfig } from '../config/app-config.ts';
import { ApiError } from './api-error.ts';

export { ApiError } from './api-error.ts';
export { describeError } from './error-message.ts';

const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

type QueryValue = string | number | readonly string[] | null | undefined;

export interface RequestOptions<T> {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** Validates the 2xx body; omit for responses without one (204). */
  schema?: z.ZodType<T>;
  signal?: AbortSignal;
  /** When false a 401 does not end the session (the sign-in calls expect 401). */
  notifyUnauthorized?: boolean;
}

type UnauthorizedListener = () => void;
const unauthorizedListeners = new Set<UnauthorizedListener>();

/** Called whenever a request gets 401: the session expired or was revoked. */
export function onUnauthorized(listener: UnauthorizedListener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

function buildUrl(path: string, query: Record<string, QueryValue> | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      if (value.length > 0) params.set(key, value.join(','));
    } else if (value !== '') {
      params.set(key, String(value));
    }
  }
  const qs = params.toString();
  return `${appConfig.apiBase}${path}${qs ? `?${qs}` : ''}`;
}

async function readError(res: Response, query: Record<string, QueryValue> | undefined): Promise<ApiError> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const retryAfter = Number(res.headers.get('Retry-After') ?? NaN);
  const context = { ...(Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfterSeconds: retryAfter } : {}), ...(query ? { query } : {}) };
  const parsed = errorBodySchema.safeParse(body);
  if (parsed.success) {
    const { code, message, details } = parsed.data.error;
    return new ApiError(res.status, code, message, details, context);
  }
  return new ApiError(res.status, 'http_error', `${res.status} ${res.statusText || 'request failed'}`, undefined, context);
}

export async function apiRequest<T = void>(path: string, options: RequestOptions<T> = {}): Promise<T> {
  const { method = 'GET', query, body, schema, signal, notifyUnauthorized = true } = options;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';

  let res: Response;
  try {
    res = await fetch(buildUrl(path, query), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'include',
      mode: 'same-origin',
      signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network_error', 'Cannot reach the Vigil server');
  }

  if (!res.ok) {
    const error = await readError(res, query);
    if (res.status === 401 && notifyUnauthorized) {
      for (const listener of unauthorizedListeners) listener();
    }
    throw error;
  }
  if (!schema || res.status === 204) return undefined as T;

  let json: unknown;
  try {
    json = await res.json();
  } catch {
    throw new ApiError(0, 'bad_response', `${method} ${path}: the server sent a body that is not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues[0];
    const detail = where ? ` (${where.path.join('.') || 'body'}: ${where.message})` : '';
    throw new ApiError(0, 'bad_response', `${method} ${path}: unexpected response shape${detail}`, parsed.error.issues);
  }
  return parsed.data;
}

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}
