// Ingest's answer when detection cannot keep up: above a bound on the detection
// backlog (VIGIL_INGEST_MAX_BACKLOG events not yet detected; 0 turns it off), posts are
// refused with 503 and a Retry-After of about the time the backlog needs to fall back
// under the bound, instead of growing the backlog without end. Nothing already accepted
// is touched: the refused post stays with the agent, which spools it and retries (a
// `vigil agent` honours Retry-After). Refused before the body is read, so a refusal
// costs almost nothing.
import { UnavailableError } from '../core/errors.ts';
import type { Backlog } from '../core/health/backlog.ts';
import type { Metrics } from '../core/metrics.ts';

export interface BacklogGate {
  /** Events behind above which posts are refused; 0: never refuse. */
  readonly maxEvents: number;
  /** The latest estimate (core/health/backlog.ts's BacklogMonitor). */
  current(): Backlog;
}

/** Bounds of Retry-After: not so short that agents hammer, not so long a burst's end is missed. */
const MIN_RETRY_SECONDS = 5;
const MAX_RETRY_SECONDS = 300;
/** When the backlog is not shrinking, there is no estimate: come back in a minute. */
const UNKNOWN_RETRY_SECONDS = 60;

export function refuseOverBacklog(gate: BacklogGate | undefined, metrics: Metrics): void {
  if (gate === undefined || gate.maxEvents <= 0) return;
  const backlog = gate.current();
  if (backlog.events <= gate.maxEvents) return;
  const retryAfter = retryAfterSeconds(backlog, gate.maxEvents);
  metrics.ingestPostsRefused.inc({ reason: 'backlog' });
  throw new UnavailableError(
    `detection is ${backlog.events} events behind (more than VIGIL_INGEST_MAX_BACKLOG, ${gate.maxEvents}); ` +
      `nothing was accepted: keep the events and retry after ${retryAfter} s`,
    'ingest',
    undefined,
    retryAfter,
  );
}

/** About the time until the backlog is back under the bound, at the rates measured. */
export function retryAfterSeconds(backlog: Backlog, maxEvents: number): number {
  const shrinking = backlog.drainPerSecond - backlog.inflowPerSecond;
  const seconds = shrinking > 0 ? (backlog.events - maxEvents) / shrinking : UNKNOWN_RETRY_SECONDS;
  return Math.min(MAX_RETRY_SECONDS, Math.max(MIN_RETRY_SECONDS, Math.ceil(seconds)));
}
