// The one error type of the console's REST calls: the HTTP status, the server's own
// `{error: {code, message, details}}` (core/http/create-http-server.ts shapes it), the
// seconds a 429 or 503 asked to wait (Retry-After), and the request's query, so a
// message can quote the part of a query the server refused (error-message.ts).
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** HTTP status; 0 when the server could not be reached or answered nonsense. */
    readonly status: number,
    readonly code: string,
    /** The server's own text (English): kept as the detail of a translated message. */
    message: string,
    readonly details?: unknown,
    readonly context: { retryAfterSeconds?: number; query?: Readonly<Record<string, unknown>> } = {},
  ) {
    super(message);
  }
}
