// The live alert stream's connection, as the whole console sees it: the top bar's
// status, the "live updates lost" banner with its "retry now" button, and the alert
// list's stale marking all read this one store (useStreamState), whichever component
// owns the AlertStream. AlertStream writes it.
import { useSyncExternalStore } from 'react';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'closed';

export interface StreamState {
  status: StreamStatus;
  /** When the stream last stopped being live (ms since epoch); null while live or never connected. */
  offlineSince: number | null;
  /** When the next automatic attempt is due (ms since epoch); null when none is scheduled. */
  nextRetryAt: number | null;
  failedAttempts: number;
}

const initial: StreamState = { status: 'closed', offlineSince: null, nextRetryAt: null, failedAttempts: 0 };
let state: StreamState = initial;
let retry: (() => void) | null = null;
const listeners = new Set<() => void>();

export function publishStreamState(patch: Partial<StreamState>): void {
  state = { ...state, ...patch };
  for (const listener of listeners) listener();
}

/** The stream that answers "retry now"; AlertStream sets itself while running. */
export function setStreamRetry(handler: (() => void) | null): void {
  retry = handler;
}

/** Tries to connect at once instead of waiting for the backoff. */
export function retryStreamNow(): void {
  retry?.();
}

export function getStreamState(): StreamState {
  return state;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useStreamState(): StreamState {
  return useSyncExternalStore(subscribe, getStreamState);
}

/** True when what is on screen may be out of date: the stream was live and is not now. */
export function isStale(s: StreamState): boolean {
  return s.status !== 'live' && s.offlineSince !== null;
}

/** Tests: back to the state of a fresh page. */
export function resetStreamState(): void {
  state = initial;
  retry = null;
  for (const listener of listeners) listener();
}
