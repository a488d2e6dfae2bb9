// The messages between the embedded store and its writer thread, and how an error
// crosses the thread boundary without losing its type (a NotFoundError must still be
// a NotFoundError when it reaches the API's error handler).
import { BadInputError, NotFoundError, UnavailableError, type VigilError } from '../errors.ts';
import type { Actor, Scope } from '../ports/scope.ts';
import type { Alert, AlertPatch } from '../schemas/alert.ts';
import type { SecurityEvent } from '../schemas/event.ts';

export interface WriterThreadData {
  /** Path of the SQLite file; the schema already exists when the thread starts. */
  file: string;
}

/** One write the store asks of the thread. */
export type WriterCall =
  | { op: 'writeEvents'; events: readonly SecurityEvent[] }
  | { op: 'writeAlerts'; alerts: readonly Alert[] }
  | { op: 'updateAlert'; alertId: string; patch: AlertPatch; actor: Actor; scope: Scope; at: string };

export type WriterRequest = (WriterCall & { id: number }) | { op: 'close' };

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
}

export type WriterReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedError };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const code = (error as Partial<VigilError> & { code?: unknown }).code;
    return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { name: 'Error', message: String(error) };
}

/** Our typed errors come back as themselves; anything else (disk full, I/O) is "retry later". */
export function deserializeError(error: SerializedError): Error {
  switch (error.name) {
    case 'NotFoundError':
      return new NotFoundError(error.message, 'store');
    case 'BadInputError':
      return new BadInputError(error.message, 'store');
    default:
      return new UnavailableError(`store write failed: ${error.message}`, 'store', error);
  }
}
